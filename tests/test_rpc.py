"""rpc style, literal and encoded, each behaviour from a small inline WSDL.

An rpc body is an element named after the operation, in the soap:body
namespace, with one unqualified child per message part; rpc/encoded adds
``xsi:type`` to each part and ``encodingStyle`` to the wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from tests.soap_server import Answer, envelope, serve

Generate = Callable[[Path], ModuleType]
Write = Callable[..., Path]

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"


def rpc_wsdl(use: str) -> str:
    encoding = f' encodingStyle="{ENCODING}"' if use == "encoded" else ""
    body = f'<soap:body use="{use}" namespace="urn:rpc"{encoding}/>'
    return f"""<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:t="urn:types" xmlns:tns="urn:defs" targetNamespace="urn:defs">
  <types><xsd:schema targetNamespace="urn:types">
    <xsd:simpleType name="Unit"><xsd:restriction base="xsd:string">
      <xsd:enumeration value="e"/><xsd:enumeration value="m"/>
    </xsd:restriction></xsd:simpleType>
    <xsd:simpleType name="Zip"><xsd:restriction base="xsd:string">
      <xsd:pattern value="[0-9]{{5}}"/></xsd:restriction></xsd:simpleType>
    <xsd:complexType name="Point"><xsd:sequence>
      <xsd:element name="lat" type="xsd:decimal"/>
      <xsd:element name="lon" type="xsd:decimal"/>
    </xsd:sequence></xsd:complexType>
  </xsd:schema></types>
  <message name="ForecastIn">
    <part name="zip" type="t:Zip"/><part name="unit" type="t:Unit"/>
    <part name="days" type="xsd:int"/><part name="where" type="t:Point"/>
  </message>
  <message name="ForecastOut"><part name="return" type="xsd:string"/></message>
  <portType name="WeatherPortType"><operation name="Forecast">
    <input message="tns:ForecastIn"/><output message="tns:ForecastOut"/>
  </operation></portType>
  <binding name="WeatherBinding" type="tns:WeatherPortType">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Forecast"><soap:operation soapAction="urn:rpc#Forecast"/>
      <input>{body}</input><output>{body}</output></operation>
  </binding>
  <service name="Weather"><port name="WeatherPort" binding="tns:WeatherBinding">
    <soap:address location="http://127.0.0.1:9/weather"/></port></service>
</definitions>
"""


@pytest.fixture(params=["literal", "encoded"])
def weather(
    request: pytest.FixtureRequest, write_wsdl: Write, generate_module: Generate
) -> ModuleType:
    return generate_module(write_wsdl(w__wsdl=rpc_wsdl(request.param)))


def forecast(weather: ModuleType) -> object:
    return weather.Forecast(
        zip="90210",
        unit=weather.Unit.M,
        days=3,
        where=weather.Point(lat=34, lon=-118),
    )


def test_rpc_body_is_the_operation_with_one_unqualified_child_per_part(
    weather: ModuleType,
) -> None:
    element = weather.serialize(forecast(weather))
    assert element.tag == "{urn:rpc}Forecast"
    assert [child.tag for child in element] == ["zip", "unit", "days", "where"]
    assert [child.tag for child in element[3]] == ["lat", "lon"]  # unqualified locals


def test_rpc_part_types_keep_their_facets(weather: ModuleType) -> None:
    request = forecast(weather)
    request.zip = "9021"  # the Zip pattern wants five digits
    with pytest.raises(
        weather.ValidationError, match="Forecast.zip: '9021' does not match"
    ):
        weather.serialize(request)


def test_rpc_encoded_parts_carry_xsi_type_and_literal_parts_do_not(
    weather: ModuleType, request: pytest.FixtureRequest
) -> None:
    element = weather.serialize(forecast(weather))
    announced = [child.get(XSI_TYPE) for child in element]
    if request.node.callspec.params["weather"] == "literal":
        assert announced == [None] * 4
        assert element.get(f"{{{SOAP11_ENV}}}encodingStyle") is None
        return
    names = []
    for child, value in zip(element, announced, strict=True):
        prefix, _, local = value.partition(":")
        names.append(etree.QName(child.nsmap[prefix], local).text)
    assert names == [
        "{urn:types}Zip",
        "{urn:types}Unit",
        "{http://www.w3.org/2001/XMLSchema}int",
        "{urn:types}Point",
    ]
    assert element.get(f"{{{SOAP11_ENV}}}encodingStyle") == ENCODING


def test_rpc_call_sends_the_wrapper_and_reads_the_response_part(
    weather: ModuleType,
) -> None:
    answer = envelope(
        '<r:ForecastResponse xmlns:r="urn:rpc"><return>sunny</return></r:ForecastResponse>',
        SOAP11_ENV,
    )
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, seen):
        result = weather.Weather(endpoint=url).Forecast(forecast(weather))
    assert result.return_ == "sunny"
    assert seen[0].headers["SOAPAction"] == '"urn:rpc#Forecast"'
    body = etree.fromstring(seen[0].body)[0][0]
    assert body.tag == "{urn:rpc}Forecast" and body[0].text == "90210"


ARRAYS_WSDL = f"""<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soapenc="{ENCODING}"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:t="urn:types" xmlns:tns="urn:defs" targetNamespace="urn:defs">
  <types><xsd:schema targetNamespace="urn:types">
    <xsd:import namespace="{ENCODING}"/>
    <xsd:complexType name="ArrayOfString"><xsd:complexContent>
      <xsd:restriction base="soapenc:Array">
        <xsd:attribute ref="soapenc:arrayType" wsdl:arrayType="xsd:string[]"/>
      </xsd:restriction></xsd:complexContent></xsd:complexType>
    <xsd:complexType name="Point"><xsd:sequence>
      <xsd:element name="lat" type="xsd:decimal"/>
      <xsd:element name="lon" type="xsd:decimal"/></xsd:sequence></xsd:complexType>
    <xsd:complexType name="ArrayOfPoint"><xsd:complexContent>
      <xsd:restriction base="soapenc:Array"><xsd:sequence>
        <xsd:element name="item" type="t:Point" maxOccurs="unbounded"/>
      </xsd:sequence></xsd:restriction></xsd:complexContent></xsd:complexType>
  </xsd:schema></types>
  <message name="TrackIn">
    <part name="names" type="t:ArrayOfString"/><part name="route" type="t:ArrayOfPoint"/>
  </message>
  <message name="TrackOut"><part name="return" type="t:ArrayOfString"/></message>
  <portType name="P"><operation name="Track">
    <input message="tns:TrackIn"/><output message="tns:TrackOut"/></operation></portType>
  <binding name="B" type="tns:P">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Track"><soap:operation soapAction="urn:rpc#Track"/>
      <input><soap:body use="encoded" namespace="urn:rpc" encodingStyle="{ENCODING}"/></input>
      <output><soap:body use="encoded" namespace="urn:rpc" encodingStyle="{ENCODING}"/></output>
    </operation></binding>
  <service name="Tracker"><port name="TrackerPort" binding="tns:B">
    <soap:address location="http://127.0.0.1:9/rpc"/></port></service>
</definitions>
"""


@pytest.fixture
def arrays(write_wsdl: Write, generate_module: Generate) -> ModuleType:
    return generate_module(write_wsdl(a__wsdl=ARRAYS_WSDL))


def announced(element: etree._Element, attribute: str) -> str:
    """An attribute holding a prefixed name, as {namespace}name."""
    prefix, _, local = element.get(attribute, "").partition(":")
    return f"{{{element.nsmap[prefix]}}}{local}"


def test_soap_encoded_arrays_are_lists_sent_as_soapenc_arrays(
    arrays: ModuleType,
) -> None:
    request = arrays.Track(
        names=["a", "b & c"],
        route=[arrays.Point(lat=1, lon=2), arrays.Point(lat=3, lon=4)],
    )
    element = arrays.serialize(request)
    names, route = element
    assert announced(names, XSI_TYPE) == f"{{{ENCODING}}}Array"
    array_type = f"{{{ENCODING}}}arrayType"
    assert announced(names, array_type) == "{http://www.w3.org/2001/XMLSchema}string[2]"
    assert announced(route, array_type) == "{urn:types}Point[2]"
    assert [item.text for item in names] == ["a", "b & c"]
    assert [announced(item, XSI_TYPE) for item in route] == ["{urn:types}Point"] * 2
    assert [[x.text for x in item] for item in route] == [["1", "2"], ["3", "4"]]
    assert (
        arrays.parse(arrays.Track, etree.fromstring(etree.tostring(element))) == request
    )


def test_soap_encoded_array_answer_reads_as_a_list(arrays: ModuleType) -> None:
    answer = envelope(
        f'<r:TrackResponse xmlns:r="urn:rpc" xmlns:enc="{ENCODING}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<return xsi:type="enc:Array" enc:arrayType="xsd:string[2]">'
        "<item>left</item><item>right</item></return></r:TrackResponse>",
        SOAP11_ENV,
    )
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        result = arrays.Tracker(endpoint=url).Track(names=[], route=[])
    assert result.return_ == ["left", "right"]


def test_multi_reference_values_in_an_answer_are_read_in_place(
    arrays: ModuleType,
) -> None:
    """Apache Axis sends a value once, as a Body child with an id, and refers
    to it with href="#id"."""
    answer = envelope(
        f'<r:TrackResponse xmlns:r="urn:rpc"><return href="#id0"/></r:TrackResponse>'
        f'<multiRef xmlns:enc="{ENCODING}" id="id0" enc:arrayType="xsd:string[2]">'
        "<item>left</item><item>right</item></multiRef>",
        SOAP11_ENV,
    )
    dangling = envelope(
        '<r:TrackResponse xmlns:r="urn:rpc"><return href="#gone"/></r:TrackResponse>'
        '<multiRef id="id0"/>',
        SOAP11_ENV,
    )
    answers = iter([answer, dangling])
    with serve(lambda r: Answer(200, next(answers), "text/xml")) as (url, _):
        client = arrays.Tracker(endpoint=url)
        assert client.Track(names=[], route=[]).return_ == ["left", "right"]
        with pytest.raises(arrays.ResponseError, match="refers to #gone"):
            client.Track(names=[], route=[])


def test_multi_references_that_double_at_each_level_are_refused(
    arrays: ModuleType,
) -> None:
    """20 values that each point twice at the next: copying them in place would
    make 2**20 elements of a 2 KB answer. The copies are bounded, then refused."""
    levels = "".join(
        f'<multiRef id="a{i}"><item href="#a{i + 1}"/><item href="#a{i + 1}"/></multiRef>'
        for i in range(20)
    )
    bomb = envelope(
        '<r:TrackResponse xmlns:r="urn:rpc"><return href="#a0"/></r:TrackResponse>'
        f'{levels}<multiRef id="a20"><item>x</item></multiRef>',
        SOAP11_ENV,
    )
    cycle = envelope(
        '<r:TrackResponse xmlns:r="urn:rpc"><return href="#a0"/></r:TrackResponse>'
        '<multiRef id="a0"><item href="#a1"/></multiRef>'
        '<multiRef id="a1"><item href="#a0"/></multiRef>',
        SOAP11_ENV,
    )
    chain = envelope(
        '<r:TrackResponse xmlns:r="urn:rpc"><return href="#a0"/></r:TrackResponse>'
        + "".join(
            f'<multiRef id="a{i}"><item href="#a{i + 1}"/></multiRef>'
            for i in range(4000)
        )
        + '<multiRef id="a4000"><item>x</item></multiRef>',
        SOAP11_ENV,
    )
    assert len(bomb) < 2500
    answers = iter([bomb, cycle, chain])
    with serve(lambda r: Answer(200, next(answers), "text/xml")) as (url, _):
        client = arrays.Tracker(endpoint=url, retries=0)
        with pytest.raises(arrays.ResponseError, match="expand to more than 20 times"):
            client.Track(names=[], route=[])
        with pytest.raises(arrays.ResponseError, match="in a cycle"):
            client.Track(names=[], route=[])
        # 4,000 values each pointing at the next: refused in one pass, not
        # walked again for every level (which took minutes).
        with pytest.raises(arrays.ResponseError, match="nest deeper than 256"):
            client.Track(names=[], route=[])


def test_inspect_names_the_style_of_each_operation(write_wsdl: Write) -> None:
    from wsdlbind import inspection, pipeline

    for use in ("literal", "encoded"):
        project, _ = pipeline.prepare(str(write_wsdl(w__wsdl=rpc_wsdl(use))))
        port = inspection.describe(project)["ports"][0]
        assert port["style"] == port["operations"][0]["style"] == f"rpc/{use}"
