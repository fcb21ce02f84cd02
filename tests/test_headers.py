"""SOAP headers declared in the binding: typed, on the client and per call.

The inline WSDL is shaped like UPS's: the header is a second part of the input
message, bound with soap:header, with a soap:headerfault; its answer declares a
header too (a session, as Salesforce's and vSphere's answers carry).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from tests.soap_server import Answer, envelope, serve

Generate = Callable[[Path], ModuleType]
Write = Callable[..., Path]

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"

WSDL = """<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:t="urn:track" targetNamespace="urn:track">
  <types><xs:schema targetNamespace="urn:track" elementFormDefault="qualified">
    <xs:element name="Security"><xs:complexType><xs:sequence>
      <xs:element name="Username" type="xs:string"/>
      <xs:element name="Token" type="xs:string"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="Trace" type="xs:string"/>
    <xs:element name="Track"><xs:complexType><xs:sequence>
      <xs:element name="Number" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Status" type="xs:string"/>
    <xs:element name="Session"><xs:complexType><xs:sequence>
      <xs:element name="Id" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="HeaderError"><xs:complexType><xs:sequence>
      <xs:element name="Code" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="TrackIn">
    <part name="Body" element="t:Track"/><part name="Security" element="t:Security"/>
  </message>
  <message name="TraceIn"><part name="Trace" element="t:Trace"/></message>
  <message name="TrackOut">
    <part name="Body" element="t:Status"/><part name="Session" element="t:Session"/>
  </message>
  <message name="HeaderErrorMessage"><part name="Error" element="t:HeaderError"/></message>
  <portType name="TrackPortType"><operation name="Track">
    <input message="t:TrackIn"/><output message="t:TrackOut"/></operation></portType>
  <binding name="TrackBinding" type="t:TrackPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Track"><soap:operation soapAction="urn:track/Track"/>
      <input>
        <soap:body parts="Body" use="literal"/>
        <soap:header message="t:TrackIn" part="Security" use="literal">
          <soap:headerfault message="t:HeaderErrorMessage" part="Error" use="literal"/>
        </soap:header>
        <soap:header message="t:TraceIn" part="Trace" use="literal"/>
      </input>
      <output>
        <soap:body parts="Body" use="literal"/>
        <soap:header message="t:TrackOut" part="Session" use="literal"/>
      </output>
    </operation>
  </binding>
  <service name="TrackService"><port name="TrackingPort" binding="t:TrackBinding">
    <soap:address location="http://127.0.0.1:9/track"/></port></service>
</definitions>
"""


@pytest.fixture
def track(write_wsdl: Write, generate_module: Generate) -> ModuleType:
    return generate_module(write_wsdl(track__wsdl=WSDL))


def header_of(data: bytes) -> list[etree._Element]:
    root = etree.fromstring(data)
    header = root.find(f"{{{SOAP11_ENV}}}Header")
    return [] if header is None else list(header)


def test_declared_headers_are_classes_and_are_named_in_the_docstring(
    track: ModuleType,
) -> None:
    security = track.Security(Username="u", Token="t")
    assert track.serialize(security).tag == "{urn:track}Security"
    doc = track.Tracking.Track.__doc__
    assert "``Security``, ``Trace``" in doc and "soap_headers" in doc
    assert not hasattr(track.Track(Number="1"), "Security")  # not in the body


def test_typed_header_on_the_client_and_per_call_go_in_the_header(
    track: ModuleType,
) -> None:
    client = track.Tracking(soap_headers=[track.Security(Username="u", Token="t")])
    data = client.build_envelope(
        track.Track(Number="1Z"), soap_headers=[track.Trace("abc")]
    )
    header = header_of(data)
    assert [h.tag for h in header] == ["{urn:track}Security", "{urn:track}Trace"]
    assert header[0][1].text == "t" and header[1].text == "abc"
    body = etree.fromstring(data)[1]
    assert [el.tag for el in body] == ["{urn:track}Track"]


def test_an_invalid_typed_header_fails_before_sending(track: ModuleType) -> None:
    client = track.Tracking()
    with pytest.raises(track.ValidationError, match="Security.Token: is required"):
        client.build_envelope(
            track.Track(Number="1"),
            soap_headers=[track.Security(Username="u", Token=None)],
        )


def test_header_fault_is_raised_typed(track: ModuleType) -> None:
    fault = (
        f'<soap:Envelope xmlns:soap="{SOAP11_ENV}"><soap:Body><soap:Fault>'
        "<faultcode>soap:Client</faultcode><faultstring>bad token</faultstring>"
        '<detail><HeaderError xmlns="urn:track"><Code>250003</Code></HeaderError>'
        "</detail></soap:Fault></soap:Body></soap:Envelope>"
    ).encode()
    with serve(lambda r: Answer(500, fault, "text/xml")) as (url, seen):
        client = track.Tracking(endpoint=url)
        with pytest.raises(track.HeaderErrorMessage) as caught:
            client.Track(
                Number="1", soap_headers=[track.Security(Username="u", Token="x")]
            )
    assert caught.value.info.Code == 250003
    assert [h.tag for h in header_of(seen[0].body)] == ["{urn:track}Security"]


def test_call_with_headers_reads_the_answer(track: ModuleType) -> None:
    answer = envelope('<Status xmlns="urn:track">Delivered</Status>', SOAP11_ENV)
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, seen):
        client = track.Tracking(
            endpoint=url, soap_headers=[track.Security(Username="u", Token="t")]
        )
        assert client.Track(Number="1Z") == "Delivered"
    assert header_of(seen[0].body)[0].tag == "{urn:track}Security"


def test_inspect_lists_the_headers_an_operation_takes(write_wsdl: Write) -> None:
    from wsdlbind import inspection, pipeline

    project, _ = pipeline.prepare(str(write_wsdl(track__wsdl=WSDL)))
    description = inspection.describe(project)
    assert description["ports"][0]["operations"][0]["headers"] == ["Security", "Trace"]
    assert "SOAP headers: Security, Trace" in inspection.as_text(description)


def test_headers_the_answer_declares_come_typed_in_answer_headers(
    track: ModuleType,
) -> None:
    answer = (
        f'<soap:Envelope xmlns:soap="{SOAP11_ENV}"><soap:Header>'
        '<Session xmlns="urn:track"><Id>42</Id></Session>'
        '<Other xmlns="urn:other">x</Other></soap:Header><soap:Body>'
        '<Status xmlns="urn:track">in transit</Status></soap:Body></soap:Envelope>'
    ).encode()
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        client = track.Tracking(endpoint=url)
        got: list[object] = []
        assert client.Track(Number="1Z", answer_headers=got) == "in transit"
        assert client.Track(Number="1Z") == "in transit"  # not asked: not kept
    session, other = got
    assert session == track.Session(Id=42)
    assert isinstance(other, etree._Element) and other.text == "x"
    doc = typing.get_overloads(track.Tracking.Track)[0].__doc__ or ""
    assert "``answer_headers``" in " ".join(doc.split())


def test_a_malformed_declared_answer_header_is_a_response_error(
    track: ModuleType,
) -> None:
    answer = (
        f'<soap:Envelope xmlns:soap="{SOAP11_ENV}"><soap:Header>'
        '<Session xmlns="urn:track"><Id>many</Id></Session></soap:Header><soap:Body>'
        '<Status xmlns="urn:track">ok</Status></soap:Body></soap:Envelope>'
    ).encode()
    with serve(lambda r: Answer(200, answer, "text/xml")) as (url, _):
        with pytest.raises(track.ResponseError, match="Session header"):
            track.Tracking(endpoint=url).Track(Number="1Z", answer_headers=[])
