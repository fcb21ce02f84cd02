"""What a security review attacked, each a test against a real loopback server.

The generated client: credentials and where they may go (decided by address, at
send time, the proxy counting as the first hop; never left in a URL), timeouts
that belong to each request, and values HTTP or XML cannot carry refused with
this module's own errors. The generator: a WSDL whose soapAction HTTP cannot
carry. (Hostile documents for the load stage are in ``test_load.py``.)
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from wsdlbind import pipeline

from tests import inline
from tests.soap_server import Answer, envelope, serve

SVC = "http://api.callfire.com/service/xsd"


def created(value: int, delay: float = 0.0) -> Answer:
    body = envelope(f'<CreatedId xmlns="{SVC}">{value}</CreatedId>')
    return Answer(200, body, delay=delay)


class Recorder:
    """A transport that records what it is asked to send and sends nothing."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: Any) -> Any:
        self.sent.append(url)
        raise AssertionError("nothing may be sent")


# -- credentials: where they may go ---------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.evil.example/soap",  # a name, not an address
        "http://127.0.0.1.evil.example/soap",
        "http://localhost.evil.example/soap",
        "http://[::ffff:8.8.8.8]/soap",
    ],
)
def test_loopback_is_decided_by_address_not_by_a_prefix(
    golden: ModuleType, endpoint: str
) -> None:
    with pytest.raises(ValueError, match="in clear text"):
        golden.BroadcastService("u", "p", endpoint=endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:1/soap",
        "http://127.8.9.10:1/soap",
        "http://[::1]:1/soap",
        "http://localhost:1/soap",
        "http://LOCALHOST.:1/soap",
    ],
)
def test_this_machine_may_get_credentials_over_http(
    golden: ModuleType, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    golden.BroadcastService("u", "p", endpoint=endpoint)


def test_an_endpoint_changed_after_construction_is_checked_at_send_time(
    golden: ModuleType,
) -> None:
    recorder = Recorder()
    service = golden.BroadcastService(
        "u", "p", endpoint="http://127.0.0.1:1/soap", transport=recorder
    )
    service.endpoint = "http://callfire.example/soap"
    with pytest.raises(ValueError, match="in clear text to callfire.example"):
        service.CreateContactBatch(BroadcastId=1, ContactListId=2)
    assert recorder.sent == []


def test_a_remote_proxy_is_the_first_hop_for_a_loopback_endpoint(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "")
    with pytest.raises(ValueError, match="through the proxy proxy.example"):
        golden.BroadcastService("u", "p", endpoint="http://127.0.0.1:1/soap")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # the proxy is bypassed: fine
    golden.BroadcastService("u", "p", endpoint="http://127.0.0.1:1/soap")


def test_credentials_in_the_endpoint_url_become_the_clients_and_leave_the_url(
    golden: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve(lambda r: created(4)) as (url, seen):
        address = url.replace("http://", "http://us%40er:p%3As3cret@")
        service = golden.BroadcastService(endpoint=address)
        assert service.endpoint == url and service.username == "us@er"
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 4
    expected = "Basic " + base64.b64encode(b"us@er:p:s3cret").decode()
    assert seen[0].headers["Authorization"] == expected
    assert "@" not in seen[0].path
    for text in [caplog.text, repr(service), str(service)]:
        assert "s3cret" not in text and "p%3A" not in text
    with pytest.raises(ValueError, match="give them once"):
        golden.BroadcastService("u", "p", endpoint=address)


def test_proxy_credentials_are_sent_as_proxy_authorization(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(lambda r: created(5)) as (proxy_url, seen):
        proxy = proxy_url.split("/api")[0].replace("http://", "http://pu:pp@")
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("NO_PROXY", "")
        service = golden.BroadcastService(endpoint="http://callfire.invalid/soap")
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 5
    assert (
        seen[0].headers["Proxy-Authorization"]
        == "Basic " + base64.b64encode(b"pu:pp").decode()
    )
    assert seen[0].path == "http://callfire.invalid/soap"


def test_a_proxy_on_the_targets_host_at_another_port_is_used(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(lambda r: created(6)) as (proxy_url, through_proxy):
        with serve(lambda r: created(7)) as (target_url, direct):
            monkeypatch.setenv("HTTP_PROXY", proxy_url.split("/api")[0])
            monkeypatch.setenv("NO_PROXY", "")
            service = golden.BroadcastService(endpoint=target_url)
            assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 6
    assert direct == [] and through_proxy[0].path == target_url


# -- timeouts belong to each request ----------------------------------------------------


def test_a_kept_alive_connection_takes_the_new_timeout(golden: ModuleType) -> None:
    answers = iter([created(1), created(2, delay=3.0)])
    with serve(lambda r: next(answers)) as (url, seen):
        service = golden.BroadcastService(endpoint=url, timeout=10.0, retries=0)
        service.ControlContactBatch(Id=1)
        service.timeout = 0.3
        started = time.monotonic()
        with pytest.raises(golden.TransportError, match="timed out"):
            service.ControlContactBatch(Id=2)
        assert time.monotonic() - started < 2.0
    assert len({r.client_port for r in seen}) == 1  # the same connection


def test_clients_sharing_a_transport_each_get_their_own_timeout(
    golden: ModuleType,
) -> None:
    answers = iter([created(1), created(2, delay=3.0)])
    with serve(lambda r: next(answers)) as (url, _):
        shared = golden.HttpTransport()
        patient = golden.BroadcastService(
            endpoint=url, timeout=10.0, retries=0, transport=shared
        )
        hasty = golden.BroadcastService(
            endpoint=url, timeout=0.3, retries=0, transport=shared
        )
        patient.ControlContactBatch(Id=1)
        started = time.monotonic()
        with pytest.raises(golden.TransportError, match="timed out"):
            hasty.ControlContactBatch(Id=2)
        assert time.monotonic() - started < 2.0


# -- what HTTP and XML cannot carry -------------------------------------------------------


@pytest.mark.parametrize("field", ["Username", "Password"])
def test_a_control_character_in_a_username_token_is_a_validation_error(
    golden: ModuleType, field: str
) -> None:
    values = {"username": "user", "password": "pass"}
    values[field.lower()] = "bad\x01value"
    with pytest.raises(golden.ValidationError, match=f"UsernameToken.{field}"):
        golden.UsernameToken(**values)


def test_a_header_with_a_line_break_is_refused_before_sending(
    golden: ModuleType,
) -> None:
    with serve(lambda r: created(1)) as (url, seen):
        transport = golden.HttpTransport()
        for value in ["a\r\nX-Injected: 1", "caf\u00e9"]:
            with pytest.raises(golden.ValidationError, match="HTTP header SOAPAction"):
                transport.post(url, b"<x/>", {"SOAPAction": value}, (1.0, 1.0))
    assert seen == []


def test_a_soap_action_http_cannot_carry_costs_only_its_operation(
    tmp_path: Path,
) -> None:
    schema = '<xs:element name="R"><xs:complexType/></xs:element>'
    wsdl = inline.wsdl(schema, [("Good", "R", None), ("Bad", "R", None)])
    wsdl = wsdl.replace(
        'soapAction="urn:test/Bad"', 'soapAction="urn:test/Bad&#13;&#10;X: 1"'
    )
    assert "&#13;&#10;" in wsdl, "the inline WSDL's soapAction format changed"
    path = tmp_path / "t.wsdl"
    path.write_text(wsdl, encoding="utf-8")
    result = pipeline.generate(str(path), offline=True)
    assert "def Good(" in result.code and "def Bad(" not in result.code
    assert any("soapAction" in str(w) and "Bad" in str(w) for w in result.warnings)


def test_a_soap_action_beyond_ascii_is_sent_as_the_uri_it_maps_to(
    tmp_path: Path,
) -> None:
    schema = '<xs:element name="R"><xs:complexType/></xs:element>'
    wsdl = inline.wsdl(schema, [("Send", "R", None)])
    wsdl = wsdl.replace('soapAction="urn:test/Send"', 'soapAction="urn:test/S\u00e9nd"')
    assert "S\u00e9nd" in wsdl, "the inline WSDL's soapAction format changed"
    path = tmp_path / "t.wsdl"
    path.write_text(wsdl, encoding="utf-8")
    result = pipeline.generate(str(path), offline=True)
    assert "def Send(" in result.code and not result.warnings
    assert '"urn:test/S%C3%A9nd"' in result.code


# -- answers cut short ----------------------------------------------------------------


@contextmanager
def raw_server(
    answer: Callable[[socket.socket], None],
) -> Iterator[tuple[str, list[int]]]:
    """A raw TCP server on 127.0.0.1: each connection is handed to ``answer`` in
    a thread of its own; yields the URL and a list growing by one a connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    connections: list[int] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(1)
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/soap", connections
    finally:
        listener.close()


@pytest.fixture
def cutting_server() -> Any:
    """A raw TCP server answering every connection with the same cut bytes."""

    def run(payload: bytes) -> Any:
        def answer(conn: socket.socket) -> None:
            conn.recv(65536)
            conn.sendall(payload)
            conn.close()

        return raw_server(answer)

    return run


@pytest.mark.parametrize(
    "payload",
    [
        b"HTTP/1.1 200 O",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Le",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le",
    ],
    ids=[
        "status line",
        "header",
        "before the blank line",
        "after the status line",
        "after a 100 Continue",
    ],
)
def test_an_answer_cut_in_its_head_is_a_transport_failure_and_retried(
    golden: ModuleType, cutting_server: Any, payload: bytes
) -> None:
    with cutting_server(payload) as (url, connections):
        service = golden.BroadcastService(endpoint=url, backoff=0.01, retries=2)
        with pytest.raises(golden.TransportError) as caught:
            service.GetContactBatch(Id=1)  # a read: safe to repeat
    assert caught.value.status is None
    assert len(connections) == 3  # the first attempt and two retries


# -- a deadline for the whole call ---------------------------------------------------------


@pytest.fixture(params=["Content-Length: 100000", "Connection: close"])
def dripping_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """A raw TCP server that sends its answer's head, then one body byte every
    0.1 s: each read is quick, so only a deadline can end the call. The answer
    has a length, or ends when the server closes (http.client then lets go of
    the connection's socket while the body is still being read)."""
    head = f"HTTP/1.1 200 OK\r\n{request.param}\r\n\r\n".encode()

    def answer(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(head)
            for _ in range(600):
                conn.sendall(b" ")
                time.sleep(0.1)
        except OSError:
            pass
        finally:
            conn.close()

    with raw_server(answer) as (url, _):
        yield url


def test_a_deadline_ends_a_call_whose_answer_drips(
    golden: ModuleType, dripping_server: str
) -> None:
    service = golden.BroadcastService(endpoint=dripping_server, timeout=5.0, retries=0)
    for options in ({"deadline": 0.5}, {}):
        if not options:
            service.deadline = 0.5  # on the client, for every call
        started = time.monotonic()
        with pytest.raises(golden.TransportError, match="deadline"):
            service.GetContactBatch(Id=1, **options)
        assert time.monotonic() - started < 2.0


def test_a_deadline_covers_retries_and_their_pauses(golden: ModuleType) -> None:
    with serve(lambda r: Answer(503, b"busy", "text/plain")) as (url, seen):
        service = golden.BroadcastService(
            endpoint=url, retries=1000, backoff=0.05, deadline=0.8
        )
        started = time.monotonic()
        with pytest.raises(golden.TransportError):
            service.GetContactBatch(Id=1)
        assert time.monotonic() - started < 2.0
    assert 1 < len(seen) < 100  # it did retry, and stopped at the deadline


# -- answers that put elements in another namespace ------------------------------------


def test_a_child_in_another_namespace_is_read_by_its_local_name_unless_strict(
    golden: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """node-soap writes ContactBatchQueryResult's ContactBatch children in the
    service namespace; they are the declared children all the same."""
    batch = (
        '<ContactBatch id="{}"><Name>n</Name><Status>ACTIVE</Status>'
        "<BroadcastId>3</BroadcastId><Created>2026-01-02T03:04:05Z</Created></ContactBatch>"
    )
    answer = envelope(
        f'<ContactBatchQueryResult xmlns="{SVC}"><TotalResults>2</TotalResults>'
        f"{batch.format(1)}{batch.format(2)}<Unheard>x</Unheard></ContactBatchQueryResult>"
    )
    caplog.set_level(logging.WARNING)
    golden._FOREIGN_SEEN.clear()  # warned once per process: start afresh
    result = golden.parse_response(golden.ContactBatchQueryResult, answer)
    assert [b.id for b in result.ContactBatch] == [1, 2]
    assert result.ContactBatch[0].Status is golden.BatchStatus.ACTIVE
    warned = [r.args[1] for r in caplog.records if "another namespace" in r.msg]
    # One line per element name (the batches' own children are in it too).
    data = "{http://api.callfire.com/data}"
    names = ["ContactBatch", "Name", "Status", "BroadcastId", "Created"]
    assert sorted(warned) == sorted(data + name for name in names)
    with pytest.raises(golden.ResponseError, match="ContactBatch"):
        golden.parse_response(golden.ContactBatchQueryResult, answer, strict=True)


# -- answer values by XML Schema's lexical rules -------------------------------------------


def batch_answer(**texts: str) -> bytes:
    values = {"id": "5", "BroadcastId": "3", "Created": "2026-01-02T03:04:05Z", **texts}
    return envelope(
        f'<ContactBatch xmlns="http://api.callfire.com/data" id="{values["id"]}">'
        f"<Name>n</Name><Status>ACTIVE</Status><BroadcastId>{values['BroadcastId']}"
        f"</BroadcastId><Created>{values['Created']}</Created></ContactBatch>"
    )


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("BroadcastId", "1_000"),
        ("BroadcastId", "\u0663"),  # an Arabic-Indic three
        ("BroadcastId", "1" + "0" * 26),  # past a long's range
        ("BroadcastId", "9223372036854775808"),  # 2**63: one past
        ("BroadcastId", "0x10"),
        ("BroadcastId", ""),
        ("id", "1_000"),
        ("id", "\u0663"),
        ("Created", "20260102T030405Z"),  # ISO 8601 basic format
        ("Created", "2026-01-02 03:04:05Z"),  # a space for the T
        ("Created", "2026-01-02T03:04Z"),  # no seconds
        ("Created", "2026-01-02T03:04:05,5Z"),  # a comma before the fraction
        ("Created", "2026-01-02T03:04:05+0100"),  # a zone in basic format
        ("Created", "2026-W01-1T03:04:05Z"),  # an ISO week date
        ("Created", "2026-01-02T03:04:05+01:00:00"),  # seconds in the zone
        ("Created", "2026-01-02T03:04:05+15:00"),  # past the farthest zone
    ],
)
def test_a_value_outside_the_lexical_space_is_a_response_error(
    golden: ModuleType, field: str, text: str
) -> None:
    with pytest.raises(golden.ResponseError):
        golden.parse_response(golden.ContactBatch, batch_answer(**{field: text}))


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("BroadcastId", " 42 ", 42),
        ("BroadcastId", "+42", 42),
        ("BroadcastId", "-42", -42),
        ("BroadcastId", "9223372036854775807", 2**63 - 1),
        ("BroadcastId", "007", 7),
        ("id", "+5", 5),
        ("Created", " 2026-01-02T03:04:05Z ", "2026-01-02 03:04:05+00:00"),
        ("Created", "2026-01-02T03:04:05.25+01:00", "2026-01-02 03:04:05.250000+01:00"),
        ("Created", "2026-01-02T03:04:05", "2026-01-02 03:04:05"),
        ("Created", "2026-12-31T24:00:00Z", "2027-01-01 00:00:00+00:00"),
        ("Created", "2026-01-02T03:04:05-14:00", "2026-01-02 03:04:05-14:00"),
    ],
)
def test_values_in_the_lexical_space_read_as_their_value(
    golden: ModuleType, field: str, text: str, value: object
) -> None:
    batch = golden.parse_response(golden.ContactBatch, batch_answer(**{field: text}))
    got = getattr(batch, field)
    assert (str(got) if field == "Created" else got) == value


def test_two_bodies_in_an_answer_are_a_response_error(golden: ModuleType) -> None:
    one = batch_answer().decode()
    body = one[
        one.index("<soap:Body>") : one.index("</soap:Body>") + len("</soap:Body>")
    ]
    two = one.replace(body, body + body).encode()
    with pytest.raises(golden.ResponseError, match="2 Body elements"):
        golden.parse_response(golden.ContactBatch, two)


@pytest.mark.parametrize("text", ["1_000.5", "\u0663.5", "infinity", "nan", "1e5x"])
def test_decimal_and_double_text_outside_the_lexical_space_is_refused(
    golden: ModuleType, text: str
) -> None:
    for parse in (golden._parse_decimal, golden._parse_float):
        with pytest.raises(ValueError):
            parse(text)
    assert golden._parse_float(" -INF ") == float("-inf")
    assert str(golden._parse_decimal("+1.50")) == "1.50"


def test_a_declared_child_is_not_replaced_by_a_namesake_from_another_namespace(
    golden: ModuleType,
) -> None:
    answer = envelope(
        f'<ContactBatchQueryResult xmlns="{SVC}" xmlns:o="urn:other">'
        "<TotalResults>2</TotalResults><o:TotalResults>9</o:TotalResults>"
        "</ContactBatchQueryResult>"
    )
    result = golden.parse_response(golden.ContactBatchQueryResult, answer)
    assert result.TotalResults == 2


def test_children_the_schema_does_not_declare_are_looked_at_once_per_reading(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many unknown children cost one pass over them, not one each: 100,000
    of them took minutes when each was looked at on its own."""
    calls: list[str] = []
    real = golden._foreign

    def counting(el: Any, child: Any, strict: bool, declared: Any) -> bool:
        calls.append(el.tag)
        renamed: bool = real(el, child, strict, declared)
        return renamed

    monkeypatch.setattr(golden, "_foreign", counting)
    batch = (
        '<ContactBatch id="1"><Name>n</Name><Status>ACTIVE</Status>'
        "<BroadcastId>3</BroadcastId><Created>2026-01-02T03:04:05Z</Created>"
        "</ContactBatch>"
    )
    unknown = "<o:Unheard/>" * 2000
    answer = envelope(
        f'<ContactBatchQueryResult xmlns="{SVC}" xmlns:o="urn:other">'
        f"<TotalResults>1</TotalResults>{unknown}{batch}{unknown}"
        "</ContactBatchQueryResult>"
    )
    result = golden.parse_response(golden.ContactBatchQueryResult, answer)
    assert [b.id for b in result.ContactBatch] == [1]  # renamed, then read again
    assert calls.count(f"{{{SVC}}}ContactBatchQueryResult") == 2


def test_an_answer_of_more_elements_than_the_client_allows_is_refused(
    golden: ModuleType,
) -> None:
    unknown = "<o:Unheard/>" * 3000
    answer = envelope(
        f'<ContactBatchQueryResult xmlns="{SVC}" xmlns:o="urn:other">'
        f"<TotalResults>0</TotalResults>{unknown}</ContactBatchQueryResult>"
    )
    with serve(lambda r: Answer(200, answer)) as (url, _):
        service = golden.BroadcastService(endpoint=url, max_response_elements=1000)
        with pytest.raises(golden.ResponseError, match="more than 1,000 elements"):
            service.QueryContactBatches(BroadcastId=1)
        assert (
            golden.BroadcastService(endpoint=url)
            .QueryContactBatches(BroadcastId=1)
            .ContactBatch
            == []
        )
    with pytest.raises(golden.ResponseError, match="more than 10 elements"):
        golden.parse_response(golden.ContactBatchQueryResult, answer, max_elements=10)


def test_plain_digits_are_range_checked_for_types_without_small_positives(
    tmp_path: Path,
) -> None:
    schema = (
        '<xs:element name="R"><xs:complexType><xs:sequence>'
        '<xs:element name="neg" type="xs:negativeInteger" minOccurs="0"/>'
        '<xs:element name="npos" type="xs:nonPositiveInteger" minOccurs="0"/>'
        '<xs:element name="pos" type="xs:positiveInteger" minOccurs="0"/>'
        '</xs:sequence><xs:attribute name="a" type="xs:negativeInteger"/>'
        "</xs:complexType></xs:element>"
    )
    path = tmp_path / "t.wsdl"
    path.write_text(inline.wsdl(schema, [("Send", "R", "R")]), encoding="utf-8")
    module_path = tmp_path / "numbers_client.py"
    module_path.write_text(
        pipeline.generate(str(path), offline=True).code, encoding="utf-8"
    )
    from tests.conftest import import_path

    module = import_path(module_path)
    from lxml import etree

    def read(xml: str) -> Any:
        return module.parse(module.R, etree.fromstring(f'<R xmlns="urn:test" {xml}'))

    assert read("><neg>-5</neg><npos>0</npos><pos>7</pos></R>").neg == -5
    for bad in (
        "><neg>5</neg></R>",
        "><npos>3</npos></R>",
        "><pos>0</pos></R>",
        'a="4"></R>',
    ):
        with pytest.raises(module.ResponseError, match="out of range"):
            read(bad)
