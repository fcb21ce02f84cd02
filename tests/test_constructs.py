"""Constructs real WSDLs use that once failed, one behaviour each, from small
inline WSDLs: each generates, and does what the WSDL says on the wire."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from wsdlbind import load, pipeline

from tests import inline
from tests.schemas import Validator
from tests.soap_server import Answer, envelope, serve

Write = Callable[..., Path]
Generate = Callable[[Path], ModuleType]
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def rpc_wsdl(use: str, *, fault: bool = False) -> str:
    """An rpc operation whose messages have no parts, and (``fault``) one whose
    fault is an Apache Axis 1 style ``type=`` part."""
    encoding = ' encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"'
    body = f'<soap:body use="{use}" namespace="urn:rpc"{encoding if use == "encoded" else ""}/>'
    fault_binding = (
        f'<fault name="Oops"><soap:fault name="Oops" use="{use}"/></fault>'
        if fault
        else ""
    )
    return f"""<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:defs" targetNamespace="urn:defs">
  <types><xsd:schema targetNamespace="urn:defs">
    <xsd:complexType name="OopsInfo"><xsd:sequence>
      <xsd:element name="code" type="xsd:int"/></xsd:sequence></xsd:complexType>
  </xsd:schema></types>
  <message name="PingIn"/>
  <message name="PingOut"/>
  <message name="OopsFault"><part name="fault" type="tns:OopsInfo"/></message>
  <portType name="P"><operation name="Ping">
    <input message="tns:PingIn"/><output message="tns:PingOut"/>
    {'<fault name="Oops" message="tns:OopsFault"/>' if fault else ""}
  </operation></portType>
  <binding name="B" type="tns:P">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:rpc#Ping"/>
      <input>{body}</input><output>{body}</output>{fault_binding}</operation>
  </binding>
  <service name="S"><port name="SPort" binding="tns:B">
    <soap:address location="http://127.0.0.1:9/ping"/></port></service>
</definitions>
"""


@pytest.mark.parametrize("use", ["literal", "encoded"])
def test_rpc_messages_with_no_parts_send_and_read_the_bare_wrapper(
    use: str, write_wsdl: Write, generate_module: Generate
) -> None:
    module = generate_module(write_wsdl(r__wsdl=rpc_wsdl(use)))
    answer = envelope('<r:PingResponse xmlns:r="urn:rpc"/>', SOAP11_ENV)
    with serve(lambda _: Answer(200, answer, "text/xml")) as (url, seen):
        with module.S(endpoint=url) as client:
            assert client.Ping() is not None
    body = etree.fromstring(seen[0].body)[-1]
    (wrapper,) = body
    assert wrapper.tag == "{urn:rpc}Ping" and len(wrapper) == 0


@pytest.mark.parametrize("use", ["literal", "encoded"])
def test_an_rpc_fault_of_a_type_part_is_raised_typed(
    use: str, write_wsdl: Write, generate_module: Generate
) -> None:
    module = generate_module(write_wsdl(r__wsdl=rpc_wsdl(use, fault=True)))
    detail = '<d:fault xmlns:d="urn:defs"><code>7</code></d:fault>'
    fault = envelope(
        "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>no</faultstring>"
        f"<detail>{detail}</detail></soap:Fault>",
        SOAP11_ENV,
    )
    with serve(lambda _: Answer(500, fault, "text/xml")) as (url, _):
        with module.S(endpoint=url) as client, pytest.raises(module.Fault) as raised:
            client.Ping()
    assert type(raised.value).__name__ == "OopsFault" and raised.value.info.code == 7


def test_an_import_directly_under_types_brings_its_schema(
    write_wsdl: Write, generate_module: Generate
) -> None:
    wsdl = inline.wsdl("", [("Send", "Request", None)], namespace="urn:x").replace(
        '<xs:schema targetNamespace="urn:x" elementFormDefault="qualified">\n\n    </xs:schema>',
        '<xs:import namespace="urn:x" schemaLocation="x.xsd"/>',
    )
    assert "<xs:import" in wsdl
    schema = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="urn:x" elementFormDefault="qualified">
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="N" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>"""
    module = generate_module(write_wsdl(s__wsdl=wsdl, x__xsd=schema))
    assert module.serialize(module.Request(N=1))[0].text == "1"


VENDOR_MARKS = {
    "definitions": '<v:mark xmlns:v="urn:vendor"/>',
    "binding": '<v:binding-mark xmlns:v="urn:vendor"/>',
    "service": '<v:service-mark xmlns:v="urn:vendor"/>',
    "port": '<v:port-mark xmlns:v="urn:vendor"/>',
}


def test_unknown_extensibility_elements_are_ignored_with_one_warning(
    write_wsdl: Write,
) -> None:
    wsdl = inline.wsdl(
        '<xs:element name="Request" type="xs:string"/>', [("Send", "Request", None)]
    )
    wsdl = wsdl.replace("<types>", VENDOR_MARKS["definitions"] + "<types>")
    wsdl = wsdl.replace(
        '<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>',
        '<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>'
        + VENDOR_MARKS["binding"],
    )
    wsdl = wsdl.replace(
        '<service name="TestService">',
        '<service name="TestService">' + VENDOR_MARKS["service"],
    )
    wsdl = wsdl.replace("<soap:address", VENDOR_MARKS["port"] + "<soap:address")
    result = pipeline.generate(str(write_wsdl(v__wsdl=wsdl)), offline=True)
    assert [op.name for op in result.project.ports[0].operations] == ["Send"]
    marks = [w for w in result.warnings if "urn:vendor" in w.message]
    assert len(marks) == 1, result.warnings
    assert "4 elements" in marks[0].message and "ignored" in marks[0].message


def test_document_style_with_encoded_use_is_generated_as_literal(
    write_wsdl: Write,
) -> None:
    wsdl = inline.wsdl(
        '<xs:element name="Request" type="xs:string"/>', [("Send", "Request", None)]
    ).replace('use="literal"', 'use="encoded"')
    result = pipeline.generate(str(write_wsdl(d__wsdl=wsdl)), offline=True)
    (op,) = result.project.ports[0].operations
    assert op.style == "document/literal"
    assert any("generated as literal" in w.message for w in result.warnings)


def test_a_chameleon_include_takes_its_inline_schemas_namespace(
    write_wsdl: Write, generate_module: Generate, tmp_path: Path
) -> None:
    """The inline schema's targetNamespace differs from the WSDL's own."""
    wsdl = (
        inline.wsdl("", [("Send", "Request", None)], namespace="urn:wsdl")
        .replace(
            '<xs:schema targetNamespace="urn:wsdl" elementFormDefault="qualified">\n\n    </xs:schema>',
            '<xs:schema targetNamespace="urn:inner" xmlns:i="urn:inner" elementFormDefault="qualified">'
            '<xs:include schemaLocation="cham.xsd"/>'
            '<xs:element name="Request" type="i:Pair"/></xs:schema>',
        )
        .replace('element="t:Request"', 'element="i:Request" xmlns:i="urn:inner"')
    )
    chameleon = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        elementFormDefault="qualified">
      <xs:complexType name="Pair"><xs:sequence>
        <xs:element name="Key" type="xs:string"/>
        <xs:element name="Item" type="Item"/></xs:sequence></xs:complexType>
      <xs:simpleType name="Item"><xs:restriction base="xs:int"/></xs:simpleType>
    </xs:schema>"""
    path = write_wsdl(c__wsdl=wsdl, cham__xsd=chameleon)
    module = generate_module(path)
    element = module.serialize(module.Request(Key="k", Item=3))
    assert [e.tag for e in element] == ["{urn:inner}Key", "{urn:inner}Item"]
    assert (
        Validator(load.load(str(path), offline=True), tmp_path).check(element) is None
    )


ANY_SCHEMA = """
      <xs:complexType name="Point"><xs:sequence>
        <xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:complexType name="Base"><xs:sequence/><xs:anyAttribute namespace="##other" processContents="lax"/></xs:complexType>
      <xs:complexType name="Derived"><xs:complexContent><xs:extension base="t:Base">
        <xs:sequence><xs:element name="d" type="xs:string"/></xs:sequence></xs:extension>
      </xs:complexContent></xs:complexType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="value" type="xs:anyType" maxOccurs="unbounded"/>
        <xs:element name="holder" type="t:Base" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
"""


@pytest.fixture
def anything(inline_module: Callable[..., ModuleType]) -> ModuleType:
    return inline_module(ANY_SCHEMA, [("Send", "Request", "Request")])


def test_an_any_type_value_is_read_as_the_type_its_xsi_type_names(
    anything: ModuleType,
) -> None:
    xml = f"""<t:Request xmlns:t="urn:test" xmlns:xsi="{XSI}"
        xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <t:value xsi:type="xs:int">5</t:value>
      <t:value xsi:type="t:Point"><t:x>2</t:x></t:value>
      <t:value>plain</t:value>
      <t:value xsi:type="t:Unknown"><t:y>1</t:y></t:value>
    </t:Request>"""
    values = anything.parse(anything.Request, etree.fromstring(xml)).value
    assert values[0] == 5 and values[1] == anything.Point(x=2) and values[2] == "plain"
    assert isinstance(values[3], etree._Element)  # kept whole, not lost as ""


def test_an_any_type_value_is_written_with_its_xsi_type(anything: ModuleType) -> None:
    element = anything.serialize(anything.Request(value=[anything.Point(x=1), 7, "s"]))
    types = [e.get(f"{{{XSI}}}type") for e in element]
    assert (
        types[0].endswith(":Point") and types[1].endswith(":int") and types[2] is None
    )


def test_xsi_type_never_lands_in_the_wildcard_attributes(anything: ModuleType) -> None:
    xml = f"""<t:Request xmlns:t="urn:test" xmlns:xsi="{XSI}" xmlns:o="urn:o">
      <t:value>v</t:value>
      <t:holder xsi:type="t:Derived" o:note="n"><t:d>x</t:d></t:holder></t:Request>"""
    holder = anything.parse(anything.Request, etree.fromstring(xml)).holder
    assert type(holder) is anything.Derived
    assert holder.any_attributes == {"{urn:o}note": "n"}


def test_a_request_element_of_an_abstract_type_takes_its_subtypes(
    write_wsdl: Write, generate_module: Generate, tmp_path: Path
) -> None:
    schema = """
      <xs:complexType name="Shape" abstract="true"><xs:sequence>
        <xs:element name="label" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Circle"><xs:complexContent><xs:extension base="t:Shape">
        <xs:sequence><xs:element name="r" type="xs:int"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:element name="Request" type="t:Shape"/>
    """
    path = write_wsdl(a__wsdl=inline.wsdl(schema, [("Draw", "Request", None)]))
    module = generate_module(path)
    client = module.Test(endpoint="http://127.0.0.1:9/")
    body = etree.fromstring(client.build_envelope(module.Circle(label="c", r=2)))[-1][0]
    assert body.tag == "{urn:test}Request" and body.get(f"{{{XSI}}}type").endswith(
        ":Circle"
    )
    assert Validator(load.load(str(path), offline=True), tmp_path).check(body) is None
    with pytest.raises(module.ValidationError, match="abstract"):
        client.build_envelope(module.Shape(label="s"))


def test_facets_are_checked_on_every_kind_of_value(
    inline_module: Callable[..., ModuleType],
) -> None:
    module = inline_module(
        """
      <xs:simpleType name="Hex4"><xs:restriction base="xs:hexBinary">
        <xs:length value="4"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Blob"><xs:restriction base="xs:base64Binary">
        <xs:maxLength value="3"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Rate"><xs:restriction base="xs:decimal">
        <xs:minInclusive value="1.5"/><xs:maxExclusive value="10"/>
        <xs:fractionDigits value="2"/></xs:restriction></xs:simpleType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="h" type="t:Hex4" minOccurs="0"/>
        <xs:element name="b" type="t:Blob" minOccurs="0"/>
        <xs:element name="r" type="t:Rate" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
    """,
        [("Send", "Request", None)],
    )
    import decimal

    module.serialize(module.Request(h=b"abcd", b=b"xyz", r=decimal.Decimal("9.99")))
    for bad, rule in [
        ({"h": b"abc"}, "3 long"),  # a length in octets
        ({"b": b"wxyz"}, "4 long"),
        ({"r": decimal.Decimal("1.4")}, "out of range"),
        ({"r": decimal.Decimal("10")}, "out of range"),
        ({"r": decimal.Decimal("2.125")}, "fraction digits"),
    ]:
        with pytest.raises(module.ValidationError, match=rule):
            module.serialize(module.Request(**bad))


@contextmanager
def serve_documents(documents: dict[str, bytes]) -> Iterator[str]:
    """Serve documents by path over http on 127.0.0.1; yield the base URL."""

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_wsdl_served_at_the_root_path_generates() -> None:
    wsdl = inline.wsdl(
        '<xs:element name="Request" type="xs:string"/>', [("Send", "Request", None)]
    )
    with serve_documents({"/": wsdl.encode()}) as base:
        result = pipeline.generate(f"{base}/")
    assert [op.name for op in result.project.ports[0].operations] == ["Send"]


def test_what_cannot_be_generated_costs_only_its_operation(write_wsdl: Write) -> None:
    """A type naming a type no schema defines, and a message of two body parts:
    each operation using one is skipped with a warning; the rest is generated."""
    schema = """
      <xs:element name="Good" type="xs:string"/>
      <xs:element name="Broken"><xs:complexType><xs:sequence>
        <xs:element name="When" type="t:Missing"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Other" type="xs:int"/>
    """
    wsdl = inline.wsdl(
        schema,
        [("Fine", "Good", None), ("Uses", "Broken", None), ("Two", "Good", None)],
    ).replace(
        '<message name="TwoIn"><part name="p" element="t:Good"/></message>',
        '<message name="TwoIn"><part name="p" element="t:Good"/>'
        '<part name="q" element="t:Other"/></message>',
    )
    result = pipeline.generate(str(write_wsdl(b__wsdl=wsdl)), offline=True)
    assert [op.name for op in result.project.ports[0].operations] == ["Fine"]
    skipped = {w.where.rsplit(" ", 1)[-1]: w.message for w in result.warnings}
    assert "{urn:test}Missing, used by element When, is not defined" in skipped["Uses"]
    assert "2 body parts" in skipped["Two"]
