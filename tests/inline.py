"""Small inline WSDLs for functional tests: one schema, one port, a few operations."""

from __future__ import annotations

SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"


def wsdl(
    schema: str,
    operations: list[tuple[str, str, str | None]],
    *,
    soap: str = SOAP12,
    namespace: str = "urn:test",
    port: str = "TestPort",
    address: str | None = "http://127.0.0.1:9/test",
    doc: str = "",
) -> str:
    """A document/literal WSDL; ``operations`` are (name, input element, output element)."""
    messages, port_ops, binding_ops = [], [], []
    for name, request, response in operations:
        messages.append(
            f'<message name="{name}In"><part name="p" element="t:{request}"/></message>'
        )
        if response:
            messages.append(
                f'<message name="{name}Out"><part name="p" element="t:{response}"/></message>'
            )
        else:
            messages.append(f'<message name="{name}Out"/>')
        port_ops.append(
            f'<operation name="{name}"><documentation>{doc}</documentation>'
            f'<input message="t:{name}In"/><output message="t:{name}Out"/></operation>'
        )
        binding_ops.append(
            f'<operation name="{name}"><soap:operation soapAction="urn:test/{name}"/>'
            '<input><soap:body use="literal"/></input>'
            '<output><soap:body use="literal"/></output></operation>'
        )
    address_xml = f'<soap:address location="{address}"/>' if address else ""
    return f"""<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="{soap}" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:t="{namespace}" targetNamespace="{namespace}">
  <types>
    <xs:schema targetNamespace="{namespace}" elementFormDefault="qualified">
{schema}
    </xs:schema>
  </types>
  {"".join(messages)}
  <portType name="TestPortType">{"".join(port_ops)}</portType>
  <binding name="TestBinding" type="t:TestPortType">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    {"".join(binding_ops)}
  </binding>
  <service name="TestService">
    <port name="{port}" binding="t:TestBinding">{address_xml}</port>
  </service>
</definitions>
"""
