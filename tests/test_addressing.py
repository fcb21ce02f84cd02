"""WS-Addressing 1.0: the headers each request carries with ``wsa=True``, the
Action the WSDL gives, and the answer's RelatesTo checked."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from lxml import etree
from wsdlbind.model import CallPolicy

from tests import inline
from tests.soap_server import Answer, Request, serve

WSA = "http://www.w3.org/2005/08/addressing"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SCHEMA = """
  <xs:element name="Ping"><xs:complexType><xs:sequence>
    <xs:element name="Host" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Pong"><xs:complexType><xs:sequence>
    <xs:element name="Ms" type="xs:int"/></xs:sequence></xs:complexType></xs:element>"""


def headers(request: Request) -> dict[str, etree._Element]:
    header = etree.fromstring(request.body)[0]
    return {etree.QName(el).localname: el for el in header}


def pong(request: Request, relates: str | None = "") -> Answer:
    """A Pong whose RelatesTo is the request's MessageID ("") or ``relates``."""
    message_id = headers(request)["MessageID"].text
    related = message_id if relates == "" else relates
    head = (
        f'<soap:Header><wsa:RelatesTo xmlns:wsa="{WSA}">{related}</wsa:RelatesTo>'
        "</soap:Header>"
        if related is not None
        else ""
    )
    return Answer(
        200,
        f'<soap:Envelope xmlns:soap="{SOAP12}">{head}<soap:Body>'
        '<Pong xmlns="urn:test"><Ms>3</Ms></Pong></soap:Body></soap:Envelope>'.encode(),
    )


def addressing_wsdl() -> str:
    """Ping names its Action (wsam:Action); Echo has neither it nor a soapAction."""
    document = inline.wsdl(SCHEMA, [("Ping", "Ping", "Pong"), ("Echo", "Ping", "Pong")])
    return document.replace(
        '<input message="t:PingIn"/>',
        '<input message="t:PingIn" xmlns:wsam="http://www.w3.org/2007/05/addressing/'
        'metadata" wsam:Action="urn:test:ping-action"/>',
    ).replace('soapAction="urn:test/Echo"', 'soapAction=""')


@pytest.fixture
def module(inline_module: Callable[..., ModuleType]) -> ModuleType:
    return inline_module(SCHEMA, [("Ping", "Ping", "Pong")])


def test_each_request_carries_action_message_id_to_and_reply_to(
    module: ModuleType,
) -> None:
    with serve(pong) as (url, seen):
        svc = module.Test(endpoint=url, wsa=True)
        assert svc.Ping(Host="h").Ms == 3
        svc.Ping(Host="h")
    first, second = headers(seen[0]), headers(seen[1])
    assert list(first) == ["Action", "MessageID", "ReplyTo", "To"]
    assert first["Action"].text == "urn:test/Ping"  # the soapAction
    assert first["To"].text == url
    assert first["ReplyTo"][0].text == f"{WSA}/anonymous"
    assert first["Action"].get(f"{{{SOAP12}}}mustUnderstand") == "1"
    assert first["MessageID"].text != second["MessageID"].text
    assert (first["MessageID"].text or "").startswith("urn:uuid:")


def test_without_wsa_no_addressing_headers_are_sent(module: ModuleType) -> None:
    with serve(lambda r: _plain()) as (url, seen):
        module.Test(endpoint=url).Ping(Host="h")
    assert b"addressing" not in seen[0].body


def _plain() -> Answer:
    return Answer(
        200,
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body><Pong xmlns="urn:test">'
        "<Ms>3</Ms></Pong></soap:Body></soap:Envelope>".encode(),
    )


def test_a_retry_is_a_new_message(inline_module: Callable[..., ModuleType]) -> None:
    retried = CallPolicy(("Get*",))
    module = inline_module(SCHEMA, [("GetPong", "Ping", "Pong")], retried)
    answers = iter([Answer(503, b""), None])

    def handler(request: Request) -> Answer:
        answer = next(answers)
        return answer if answer is not None else pong(request)

    with serve(handler) as (url, seen):
        module.Test(endpoint=url, wsa=True, backoff=0.01).GetPong(Host="h")
    assert len(seen) == 2
    ids = [headers(r)["MessageID"].text for r in seen]
    assert ids[0] != ids[1]


def test_an_answer_related_to_another_message_is_refused(module: ModuleType) -> None:
    with serve(lambda r: pong(r, relates="urn:uuid:other")) as (url, _):
        svc = module.Test(endpoint=url, wsa=True)
        with pytest.raises(module.ResponseError, match="relates to 'urn:uuid:other'"):
            svc.Ping(Host="h")


def test_an_answer_with_no_relates_to_is_refused_only_when_strict(
    module: ModuleType,
) -> None:
    with serve(lambda r: pong(r, relates=None)) as (url, _):
        assert module.Test(endpoint=url, wsa=True).Ping(Host="h").Ms == 3
        with pytest.raises(module.ResponseError, match="no WS-Addressing RelatesTo"):
            module.Test(endpoint=url, wsa=True, strict=True).Ping(Host="h")


def test_the_wsdls_action_and_the_default_one(
    write_wsdl: Callable[..., object], generate_module: Callable[..., ModuleType]
) -> None:
    document = addressing_wsdl()
    module = generate_module(write_wsdl(a__wsdl=document))
    with serve(pong) as (url, seen):
        svc = module.Test(endpoint=url, wsa=True)
        svc.Ping(Host="h")
        svc.Echo(Host="h")
    assert headers(seen[0])["Action"].text == "urn:test:ping-action"
    # No Action and no soapAction: the default, namespace:portType:input name.
    assert headers(seen[1])["Action"].text == "urn:test:TestPortType:EchoRequest"
    # WS-Addressing's SOAP binding: the HTTP action is the same as wsa:Action.
    assert seen[0].headers["Content-Type"].endswith('action="urn:test:ping-action"')
