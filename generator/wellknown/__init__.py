"""Schemas wsdlbind carries for namespaces WSDLs import without a location."""
