"""Every namespace URI the generator knows by name, in one place."""

from __future__ import annotations

XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"  # xml:lang and co, never declared

WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL2 = "http://www.w3.org/ns/wsdl"
SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/"
HTTP_BINDING = "http://schemas.xmlsoap.org/wsdl/http/"
MIME_BINDING = "http://schemas.xmlsoap.org/wsdl/mime/"

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP_ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"
SOAP12_ENCODING = "http://www.w3.org/2003/05/soap-encoding"

#: Namespaces whose schemas a WSDL may use without importing them.
IMPLIED = frozenset({XML, XSI, SOAP_ENCODING, WSDL})
