"""Behaviours of generated clients, each from a small inline WSDL.

Each test names one behaviour; the WSDL it generates from is the smallest that
shows it.
"""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.model import CallPolicy

from tests import inline
from tests.soap_server import Answer, envelope, serve

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"

Write = Callable[..., Path]
InlineModule = Callable[..., ModuleType]

ECHO_SCHEMA = """
      <xs:simpleType name="Color"><xs:restriction base="xs:string">
        <xs:enumeration value="red"/><xs:enumeration value="dark-blue"/>
      </xs:restriction></xs:simpleType>
      <xs:complexType name="Base"><xs:sequence>
        <xs:element name="Id" type="xs:long"/></xs:sequence>
        <xs:attribute name="rev" type="xs:int"/>
      </xs:complexType>
      <xs:element name="Echo"><xs:complexType><xs:complexContent><xs:extension base="t:Base">
        <xs:sequence>
          <xs:element name="When" type="xs:dateTime" minOccurs="0"/>
          <xs:element name="Colors" minOccurs="0">
            <xs:simpleType><xs:list itemType="t:Color"/></xs:simpleType></xs:element>
          <xs:element name="Data" type="xs:base64Binary" minOccurs="0"/>
          <xs:element name="Tag" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
          <xs:element name="Ratio" type="xs:float" minOccurs="0"/>
          <xs:element name="Small" minOccurs="0">
            <xs:simpleType><xs:restriction base="xs:int">
              <xs:minInclusive value="1"/><xs:maxExclusive value="10"/>
            </xs:restriction></xs:simpleType></xs:element>
        </xs:sequence></xs:extension></xs:complexContent></xs:complexType></xs:element>
      <xs:element name="EchoResult" type="t:Base"/>
      <xs:element name="Ping"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
"""


@pytest.fixture
def echo(inline_module: InlineModule) -> ModuleType:
    return inline_module(
        ECHO_SCHEMA,
        [("Echo", "Echo", "EchoResult"), ("Ping", "Ping", None)],
        soap=inline.SOAP11,
    )


def test_extension_is_inheritance_with_base_fields_first(echo: ModuleType) -> None:
    request = echo.Echo(Id=5, rev=2, Tag=["a", "b"])
    assert isinstance(request, echo.Base)
    element = echo.serialize(request)
    assert [etree.QName(c).localname for c in element] == ["Id", "Tag", "Tag"]
    assert element.get("rev") == "2"


def test_lists_enums_dates_and_bytes_round_trip(echo: ModuleType) -> None:
    when = datetime.datetime(
        2026, 11, 26, 21, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-8))
    )
    request = echo.Echo(
        Id=1,
        When=when,
        Colors=[echo.Color.DARK_BLUE, echo.Color.RED],
        Data=b"\x00\xff",
        Ratio=0.5,
    )
    element = echo.serialize(request)
    assert element.findtext("{urn:test}Colors") == "dark-blue red"
    assert element.findtext("{urn:test}When") == "2026-11-26T21:00:00-08:00"
    assert echo.parse(echo.Echo, element) == request


def test_a_datetime_is_read_with_white_space_around_it_and_a_bad_one_named(
    echo: ModuleType,
) -> None:
    """Readers try the usual text first, inline, and leave the rest to a helper."""

    def read(when: str) -> datetime.datetime:
        element = etree.fromstring(
            f'<Echo xmlns="urn:test"><Id>1</Id><When>{when}</When></Echo>'
        )
        when_read: datetime.datetime = echo.parse(echo.Echo, element).When
        return when_read

    expected = datetime.datetime(2026, 11, 26, 21, 0, tzinfo=datetime.UTC)
    assert read("2026-11-26T21:00:00Z") == expected
    assert read("\n  2026-11-26T21:00:00Z\t") == expected
    for bad in ("tomorrow", ""):
        with pytest.raises(echo.ResponseError, match="cannot read <Echo>"):
            read(bad)


def test_facet_range_is_checked(echo: ModuleType) -> None:
    echo.serialize(echo.Echo(Id=1, Small=9))
    with pytest.raises(
        echo.ValidationError, match=r"Echo.Small: 10 is out of range \[1, 9\]"
    ):
        echo.serialize(echo.Echo(Id=1, Small=10))


def test_enum_value_given_as_text_is_checked(echo: ModuleType) -> None:
    echo.serialize(echo.Echo(Id=1, Colors=["red"]))
    with pytest.raises(
        echo.ValidationError, match="'green' is not one of: red, dark-blue"
    ):
        echo.serialize(echo.Echo(Id=1, Colors=["green"]))


def test_soap11_call_sends_soapaction_and_reads_the_answer(echo: ModuleType) -> None:
    answer = envelope(
        '<EchoResult xmlns="urn:test" rev="3"><Id>42</Id><Unknown>new field</Unknown></EchoResult>',
        SOAP11_ENV,
    )
    with serve(lambda r: Answer(200, answer, "text/xml; charset=utf-8")) as (url, seen):
        result = echo.Test(endpoint=url).Echo(Id=42)
    assert result == echo.EchoResult(Id=42, rev=3)  # the unknown element is skipped
    assert seen[0].headers["SOAPAction"] == '"urn:test/Echo"'
    assert seen[0].headers["Content-Type"].startswith("text/xml")
    sent = etree.fromstring(seen[0].body)
    assert sent.tag == f"{{{SOAP11_ENV}}}Envelope"


def test_empty_output_returns_none(echo: ModuleType) -> None:
    answer = envelope("", SOAP11_ENV)
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        assert echo.Test(endpoint=url).Ping() is None


def test_unexpected_response_element_is_a_response_error(echo: ModuleType) -> None:
    answer = envelope('<Other xmlns="urn:test"/>', SOAP11_ENV)
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        with pytest.raises(echo.ResponseError, match="expected <{urn:test}EchoResult>"):
            echo.Test(endpoint=url).Echo(Id=1)


def test_response_missing_a_required_element_is_a_response_error(
    echo: ModuleType,
) -> None:
    answer = envelope('<EchoResult xmlns="urn:test"/>', SOAP11_ENV)
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        with pytest.raises(echo.ResponseError, match="lacks its required Id"):
            echo.Test(endpoint=url).Echo(Id=1)


def test_html_error_page_is_a_transport_error(echo: ModuleType) -> None:
    with serve(lambda r: Answer(502, b"<html><body>Bad gateway", "text/html")) as (
        url,
        _,
    ):
        with pytest.raises(echo.TransportError) as caught:
            echo.Test(endpoint=url).Echo(Id=1)
    assert caught.value.status == 502


def test_port_without_address_needs_an_endpoint(inline_module: InlineModule) -> None:
    module = inline_module(ECHO_SCHEMA, [("Ping", "Ping", None)], address=None)
    with pytest.raises(ValueError, match="needs endpoint="):
        module.Test()
    assert module.Test(endpoint="http://127.0.0.1:1/").endpoint == "http://127.0.0.1:1/"


def test_operation_docs_become_docstrings(inline_module: InlineModule) -> None:
    module = inline_module(
        ECHO_SCHEMA,
        [("Ping", "Ping", None)],
        doc="Checks that the &lt;b&gt;service&lt;/b&gt; is up.",
    )
    assert module.Test.Ping.__doc__.startswith("Checks that the service is up.")


def test_each_overload_an_ide_shows_has_the_docs(inline_module: InlineModule) -> None:
    schema = """
      <xs:element name="Ping"><xs:complexType><xs:sequence>
        <xs:element name="Host" type="xs:string">
          <xs:annotation><xs:documentation>Where to ping.</xs:documentation>
          </xs:annotation></xs:element>
        <xs:element name="Count" type="xs:int" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>"""
    module = inline_module(schema, [("Ping", "Ping", None)], doc="Checks the host.")
    by_request, by_fields = typing.get_overloads(module.Test.Ping)
    request_doc = inspect.cleandoc(by_request.__doc__ or "")
    fields_doc = inspect.cleandoc(by_fields.__doc__ or "")
    assert request_doc.startswith("Checks the host.")
    assert "``request``: the ``Ping`` to send. Returns nothing." in request_doc
    assert fields_doc.startswith("Checks the host.")
    assert "Args:\n    Host: Where to ping." in fields_doc
    assert "Count" not in fields_doc  # undocumented fields are not listed


def test_http_binding_is_skipped_with_a_warning(write_wsdl: Write) -> None:
    from wsdlbind import pipeline

    document = inline.wsdl(ECHO_SCHEMA, [("Ping", "Ping", None)]).replace(
        "</definitions>",
        '<binding name="HttpBinding" type="t:TestPortType" '
        'xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"><http:binding verb="GET"/></binding>'
        '<service name="HttpService"><port name="HttpPort" binding="t:HttpBinding"/></service>'
        "</definitions>",
    )
    result = pipeline.generate(str(write_wsdl(a__wsdl=document)), offline=True)
    assert any(
        "HttpPort" in str(w) and "not a SOAP binding" in str(w) for w in result.warnings
    )
    assert "class Test(_Port)" in result.code


SHAPES = """
      <xs:complexType name="Shape" abstract="true"><xs:sequence>
        <xs:element name="Label" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Circle"><xs:complexContent><xs:extension base="t:Shape">
        <xs:sequence><xs:element name="Radius" type="xs:double"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="Square"><xs:complexContent><xs:extension base="t:Shape">
        <xs:sequence><xs:element name="Side" type="xs:int"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:element name="Draw"><xs:complexType><xs:sequence>
        <xs:element name="Main" type="t:Shape"/>
        <xs:element name="More" type="t:Shape" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence><xs:anyAttribute processContents="lax"/></xs:complexType></xs:element>
"""


@pytest.fixture
def shapes(inline_module: InlineModule) -> ModuleType:
    return inline_module(SHAPES, [("Draw", "Draw", "Draw")])


def test_abstract_types_travel_with_xsi_type_both_ways(shapes: ModuleType) -> None:
    request = shapes.Draw(
        Main=shapes.Circle(Label="c", Radius=1.5),
        More=[shapes.Square(Label="s", Side=2), shapes.Circle(Label="d", Radius=0.25)],
    )
    element = shapes.serialize(request)
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    types = [child.get(xsi) for child in element]
    assert [t.split(":")[1] for t in types] == ["Circle", "Square", "Circle"]
    main = element[0]
    assert main.nsmap[types[0].split(":")[0]] == "urn:test"
    schema = etree.fromstring(inline.wsdl(SHAPES, [])).find(
        ".//{http://www.w3.org/2001/XMLSchema}schema"
    )
    # tostring carries the namespaces the schema inherits from the WSDL
    etree.XMLSchema(etree.fromstring(etree.tostring(schema))).assertValid(element)
    again = shapes.parse(shapes.Draw, etree.fromstring(etree.tostring(element)))
    assert again == request and type(again.More[0]) is shapes.Square


def test_subclass_instance_is_required_for_a_declared_type(shapes: ModuleType) -> None:
    with pytest.raises(shapes.ValidationError, match="expected a Shape, got Draw"):
        shapes.serialize(
            shapes.Draw(Main=shapes.Draw(Main=shapes.Circle(Label="x", Radius=1)))
        )


def test_unknown_xsi_type_is_read_as_declared_unless_strict(shapes: ModuleType) -> None:
    xml = (
        '<Draw xmlns="urn:test" xmlns:x="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:t="urn:test"><Main x:type="t:Triangle"><Label>t</Label></Main></Draw>'
    )
    with pytest.raises(shapes.ResponseError, match="unknown xsi:type t:Triangle"):
        shapes.parse(shapes.Draw, etree.fromstring(xml), strict=True)


def test_any_attribute_is_kept_not_dropped(shapes: ModuleType) -> None:
    request = shapes.Draw(
        Main=shapes.Square(Label="s", Side=1), any_attributes={"{urn:extra}trace": "42"}
    )
    element = shapes.serialize(request)
    assert element.get("{urn:extra}trace") == "42"
    assert shapes.parse(shapes.Draw, element).any_attributes == {
        "{urn:extra}trace": "42"
    }


def test_soap11_fault_raises_fault_with_code_and_detail(echo: ModuleType) -> None:
    answer = envelope(
        "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Bad Id</faultstring>"
        "<detail><why>negative</why></detail></soap:Fault>",
        SOAP11_ENV,
    )
    with serve(lambda r: Answer(500, answer, "text/xml")) as (url, _):
        with pytest.raises(echo.Fault) as caught:
            echo.Test(endpoint=url).Echo(Id=-1)
    assert caught.value.code == "soap:Client" and caught.value.reason == "Bad Id"
    assert caught.value.detail is not None and caught.value.detail[0].text == "negative"


SIMPLE_SUBTYPES = """
      <xs:complexType name="Code"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute name="list" type="xs:string"/></xs:extension></xs:simpleContent>
      </xs:complexType>
      <xs:complexType name="CountryCode"><xs:simpleContent><xs:extension base="t:Code">
        <xs:attribute name="iso" type="xs:string"/></xs:extension></xs:simpleContent>
      </xs:complexType>
      <xs:element name="Price"><xs:complexType><xs:sequence>
        <xs:element name="Currency" type="t:Code" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType></xs:element>
"""


def test_simple_content_subtypes_keep_their_type(
    inline_module: InlineModule,
) -> None:
    module = inline_module(SIMPLE_SUBTYPES, [("Quote", "Price", None)])
    request = module.Price(
        Currency=[module.CountryCode("EUR", iso="4217"), module.Code("X", list="a")]
    )
    element = module.serialize(request)
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    assert element[0].get(xsi).endswith(":CountryCode") and element[1].get(xsi) is None
    again = module.parse(module.Price, etree.fromstring(etree.tostring(element)))
    assert again == request and type(again.Currency[0]) is module.CountryCode


SCHEMA_CORNERS = """
      <xs:complexType name="Country"><xs:sequence>
        <xs:element name="Code" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="Country"><xs:complexType><xs:sequence>
        <xs:element name="Name" type="xs:string"/>
        <xs:element name="Code" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Order"><xs:complexType><xs:sequence>
        <xs:element name="Major" type="xs:int" fixed="28"/>
        <xs:element ref="t:Country"/>
        <xs:element name="Home" type="t:Country" minOccurs="0"/>
        <xs:choice>
          <xs:element name="Airport" type="xs:string" minOccurs="0"/>
          <xs:element name="City" type="xs:string" minOccurs="0"/>
        </xs:choice>
      </xs:sequence><xs:attribute name="version" type="xs:string" fixed="1.0"/>
      </xs:complexType></xs:element>
"""


@pytest.fixture
def corners(inline_module: InlineModule) -> ModuleType:
    return inline_module(SCHEMA_CORNERS, [("Order", "Order", None)])


def test_element_ref_takes_the_elements_type_not_a_same_named_complex_type(
    corners: ModuleType,
) -> None:
    country = corners.Country(Name="France", Code="FR")
    order = corners.Order(Country=country, Home=corners.Country_2(Code="DE"))
    element = corners.serialize(order)
    assert [etree.QName(e).localname for e in element[1]] == ["Name", "Code"]
    assert [etree.QName(e).localname for e in element[2]] == ["Code"]


def test_fixed_value_is_the_default_and_nothing_else_is_sent(
    corners: ModuleType,
) -> None:
    order = corners.Order(Country=corners.Country(Name="a", Code="b"))
    element = corners.serialize(order)
    assert element[0].text == "28" and element.get("version") == "1.0"
    order.Major = 27
    with pytest.raises(corners.ValidationError, match="Order.Major: must be 28"):
        corners.serialize(order)


def test_choice_with_an_optional_branch_may_be_left_out(corners: ModuleType) -> None:
    country = corners.Country(Name="a", Code="b")
    assert len(corners.serialize(corners.Order(Country=country))) == 2
    both = corners.Order(Country=country, Airport="CDG", City="Paris")
    with pytest.raises(corners.ValidationError, match="Airport / City"):
        corners.serialize(both)


NILLABLE = """
      <xs:complexType name="Owner"><xs:sequence>
        <xs:element name="Name" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="Update"><xs:complexType><xs:sequence>
        <xs:element name="Id" type="xs:string"/>
        <xs:element name="Phone" type="xs:string" nillable="true"/>
        <xs:element name="Owner" type="t:Owner" nillable="true"/>
        <xs:element name="Note" type="xs:string" nillable="true" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
"""


@pytest.fixture
def nillable(inline_module: InlineModule) -> ModuleType:
    return inline_module(NILLABLE, [("Update", "Update", None)])


def test_nillable_required_none_is_sent_as_xsi_nil_and_read_back(
    nillable: ModuleType,
) -> None:
    request = nillable.Update(Id="1", Phone=None, Owner=None)
    element = nillable.serialize(request)
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    assert [(etree.QName(e).localname, e.get(nil)) for e in element] == [
        ("Id", None),
        ("Phone", "true"),
        ("Owner", "true"),
    ]  # Note, optional, is left out rather than nil
    again = nillable.parse(nillable.Update, etree.fromstring(etree.tostring(element)))
    assert again == request
    with pytest.raises(TypeError):
        nillable.Update(Id="1")  # nillable is not optional: None must be said


# -- which calls are retried: the call policy (model.CallPolicy) --------------------

POLICY_SCHEMA = """
      <xs:element name="GetThing"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="SetThing"><xs:complexType><xs:sequence>
        <xs:element name="RequestId" type="xs:string" minOccurs="0"/>
        <xs:element name="Value" type="xs:int"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="Make"><xs:complexType><xs:sequence>
        <xs:element name="RequestId" type="xs:int" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="Count" type="xs:int"/>
"""
POLICY_OPERATIONS = [
    ("GetThing", "GetThing", "Count"),
    ("SetThing", "SetThing", "Count"),
    ("Make", "Make", "Count"),
]


def _policy_module(
    write_wsdl: Write, generate_module: Callable[..., ModuleType], policy: CallPolicy
) -> ModuleType:
    wsdl = write_wsdl(p__wsdl=inline.wsdl(POLICY_SCHEMA, POLICY_OPERATIONS))
    return generate_module(wsdl, policy)


def _busy_once() -> Callable[[object], Answer]:
    """503 to the first request, then an answer."""
    answers = iter([Answer(503, b"busy", "text/plain")])
    ok = Answer(200, envelope('<Count xmlns="urn:test">7</Count>'))
    return lambda request: next(answers, ok)


_CALLS: dict[str, Callable[[typing.Any], object]] = {
    "GetThing": lambda port: port.GetThing(),
    "SetThing": lambda port: port.SetThing(Value=1),
    "Make": lambda port: port.Make(),
}


def test_without_a_policy_no_call_is_sent_twice(
    write_wsdl: Write, generate_module: Callable[..., ModuleType]
) -> None:
    module = _policy_module(write_wsdl, generate_module, CallPolicy())
    for name, call in _CALLS.items():
        with serve(_busy_once()) as (url, seen):
            port = module.Test(endpoint=url, retries=3, backoff=0.0)
            with pytest.raises(module.TransportError) as caught:
                call(port)
        assert caught.value.status == 503 and len(seen) == 1, name
        assert "Retried" not in inspect.getdoc(getattr(module.Test, name)), name


def test_a_policy_retries_what_it_names_and_keeps_the_idempotency_key(
    write_wsdl: Write, generate_module: Callable[..., ModuleType]
) -> None:
    policy = CallPolicy(("Get*",), "RequestId")
    module = _policy_module(write_wsdl, generate_module, policy)
    retried = {}
    for name, call in _CALLS.items():
        with serve(_busy_once()) as (url, seen):
            port = module.Test(endpoint=url, retries=3, backoff=0.0)
            try:
                assert call(port) == 7
            except module.TransportError:
                pass
        retried[name] = seen
    assert len(retried["GetThing"]) == 2
    # SetThing has a string RequestId: filled in once, the same in both attempts.
    first, second = (etree.fromstring(r.body) for r in retried["SetThing"])
    ids = [e.findtext(".//{urn:test}RequestId") for e in (first, second)]
    assert ids[0] == ids[1] and ids[0].startswith("urn:uuid:")
    # Make's RequestId is an int: no UUID can go there, so it is not retried.
    assert len(retried["Make"]) == 1
    docs = {name: inspect.getdoc(getattr(module.Test, name)) or "" for name in retried}
    assert (
        "Retried on a connection failure or HTTP 502/503/504: it matches ``Get*``"
        in (docs["GetThing"].replace("\n", " "))
    )
    assert "its ``RequestId`` (a fresh UUID when left empty)" in (
        docs["SetThing"].replace("\n", " ")
    )
    assert "Retried" not in docs["Make"]


def test_a_policy_that_matches_nothing_is_a_warning(write_wsdl: Write) -> None:
    wsdl = write_wsdl(p__wsdl=inline.wsdl(POLICY_SCHEMA, POLICY_OPERATIONS))
    result = pipeline.generate(
        str(wsdl), offline=True, policy=CallPolicy(("get*", "Set*"), "Token")
    )
    assert [str(w) for w in result.warnings] == [
        "warning: retry: the pattern 'get*' matches no operation",
        "warning: idempotency_key: no request has a single string element 'Token'",
    ]


def test_a_name_two_patterns_match_warns_of_neither_and_a_given_key_is_kept(
    write_wsdl: Write, generate_module: Callable[..., ModuleType]
) -> None:
    wsdl = write_wsdl(p__wsdl=inline.wsdl(POLICY_SCHEMA, POLICY_OPERATIONS))
    policy = CallPolicy(("Get*", "GetThing"), "RequestId")
    assert pipeline.generate(str(wsdl), offline=True, policy=policy).warnings == []
    module = generate_module(wsdl, policy)
    with serve(_busy_once()) as (url, seen):
        port = module.Test(endpoint=url, retries=3, backoff=0.0)
        assert port.SetThing(RequestId="mine", Value=1) == 7
    ids = [etree.fromstring(r.body).findtext(".//{urn:test}RequestId") for r in seen]
    assert ids == ["mine", "mine"]  # the caller's own key: repeated as it is
