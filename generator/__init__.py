"""wsdlbind: generate a standalone, typed Python SOAP client from a WSDL."""

__version__ = "0.1.0"
