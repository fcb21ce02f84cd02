"""The generated client's runtime against real servers on 127.0.0.1, faults injected.

Transport (keep-alive, timeouts, proxies, TLS, a pluggable transport), SOAP
headers, hooks and logging, typed faults and errors, retries that never create
a second resource, and a parser that cannot be attacked through a response.
"""

from __future__ import annotations

import base64
import logging
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from tests.conftest import ROOT
from tests.soap_server import Answer, Request, envelope, fault12, serve

SVC = "http://api.callfire.com/service/xsd"
SOAP12 = "{http://www.w3.org/2003/05/soap-envelope}"


def created(value: int) -> Answer:
    return Answer(200, envelope(f'<CreatedId xmlns="{SVC}">{value}</CreatedId>'))


def client(golden: ModuleType, url: str, **options: Any) -> Any:
    options.setdefault("backoff", 0.01)
    return golden.BroadcastService("user", "s3cret", endpoint=url, **options)


def batch_id_of(request: Request) -> str:
    body = etree.fromstring(request.body).find(f"{SOAP12}Body")[0]
    return body.findtext(f"{{{SVC}}}RequestId") or ""


# -- transport -------------------------------------------------------------------------


def test_every_request_says_which_wsdlbind_made_it(golden: ModuleType) -> None:
    from wsdlbind import __version__

    with serve(lambda r: created(1)) as (url, seen):
        client(golden, url).CreateContactBatch(BroadcastId=1, ContactListId=2)
    assert seen[0].headers["User-Agent"] == f"wsdlbind/{__version__}"


def test_http_headers_of_the_client_and_of_one_call(golden: ModuleType) -> None:
    with serve(lambda r: created(1)) as (url, seen):
        service = client(golden, url, http_headers={"X-Api-Key": "k", "X-Trace": "a"})
        service.CreateContactBatch(BroadcastId=1, ContactListId=2)
        service.CreateContactBatch(
            BroadcastId=1, ContactListId=2, http_headers={"X-Trace": "b"}
        )
        request = golden.CreateContactBatch(BroadcastId=1, ContactListId=2)
        service.CreateContactBatch(request, http_headers={"User-Agent": "mine/1"})
    assert [r.headers["X-Trace"] for r in seen] == ["a", "b", "a"]
    assert all(r.headers["X-Api-Key"] == "k" for r in seen)
    assert seen[2].headers["User-Agent"] == "mine/1"
    with pytest.raises(golden.ValidationError, match="HTTP header name 'X Bad'"):
        service.CreateContactBatch(request, http_headers={"X Bad": "1"})


def test_digest_auth_through_the_generated_client(golden: ModuleType) -> None:
    from tests.runtime.test_auth import DigestServer

    with serve(DigestServer("SHA-256", ok=created(7).body)) as (url, seen):
        service = client(golden, url, auth="digest")
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 7
    assert len(seen) == 2 and "s3cret" not in str(seen[1].headers)


def test_huge_tree_reads_a_text_node_libxml2_refuses_by_default(
    golden: ModuleType,
) -> None:
    name = "n" * 11_000_000
    batch = (
        f'<ContactBatch xmlns="http://api.callfire.com/data" id="1"><Name>{name}</Name>'
        "<Status>ACTIVE</Status><BroadcastId>1</BroadcastId>"
        "<Created>2026-01-01T00:00:00Z</Created></ContactBatch>"
    )
    body = envelope(
        f'<r:ContactBatchQueryResult xmlns:r="{SVC}"><r:TotalResults>1</r:TotalResults>'
        f"{batch}</r:ContactBatchQueryResult>"
    )
    with serve(lambda r: Answer(200, body)) as (url, _):
        with pytest.raises(golden.ResponseError, match="not well-formed"):
            client(golden, url).QueryContactBatches(BroadcastId=1)
        result = client(golden, url, huge_tree=True).QueryContactBatches(BroadcastId=1)
    assert len(result.ContactBatch[0].Name) == 11_000_000
    assert (
        len(
            golden.parse_response(golden.ContactBatchQueryResult, body, huge_tree=True)
            .ContactBatch[0]
            .Name
        )
        == 11_000_000
    )


def test_calls_on_one_client_reuse_one_connection(golden: ModuleType) -> None:
    with serve(lambda r: created(1)) as (url, seen):
        with client(golden, url) as service:
            for _ in range(3):
                service.CreateContactBatch(BroadcastId=1, ContactListId=2)
    assert len(seen) == 3
    assert len({r.client_port for r in seen}) == 1


def test_a_connection_the_server_closed_while_idle_is_replaced(
    golden: ModuleType,
) -> None:
    with serve(lambda r: created(1), idle_timeout=0.2) as (url, seen):
        service = client(golden, url, retries=0)  # a failure here would not be retried
        service.ControlContactBatch(Id=1)
        time.sleep(0.6)  # the server has closed the idle connection by now
        service.ControlContactBatch(Id=2)
    assert len(seen) == 2 and seen[0].client_port != seen[1].client_port


def test_read_timeout_ends_a_slow_answer(golden: ModuleType) -> None:
    with serve(lambda r: Answer(200, created(1).body, delay=2.0)) as (url, seen):
        service = client(golden, url, timeout=0.3, retries=0)
        started = time.monotonic()
        with pytest.raises(golden.TransportError, match="timed out") as caught:
            service.ControlContactBatch(Id=1)
        assert time.monotonic() - started < 1.5
    assert caught.value.status is None and url.split("/api")[0] in str(caught.value)


def test_proxy_from_the_environment_and_no_proxy(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(lambda r: created(7)) as (proxy_url, seen):
        proxy = proxy_url.split("/api")[0]
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("NO_PROXY", "")
        service = golden.BroadcastService(
            endpoint="http://callfire.invalid/api/1.1/soap12/broadcast"
        )
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 7
        assert seen[0].path == "http://callfire.invalid/api/1.1/soap12/broadcast"
    with serve(lambda r: created(8)) as (url, seen):
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert (
            golden.BroadcastService(endpoint=url).CreateContactBatch(
                BroadcastId=1, ContactListId=2
            )
            == 8
        )
        assert seen[0].path == "/api/1.1/soap12/broadcast"


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS SOAP server on 127.0.0.1 with a self-signed certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            body = created(5).body
            self.send_response(200)
            self.send_header("Content-Type", "application/soap+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/soap", cert
    finally:
        server.shutdown()
        server.server_close()


def test_tls_is_verified_by_default_and_a_context_can_trust_a_cert(
    golden: ModuleType, tls_server: tuple[str, Path]
) -> None:
    url, cert = tls_server
    with pytest.raises(golden.TransportError, match="CERTIFICATE_VERIFY_FAILED"):
        client(golden, url, retries=0).CreateContactBatch(
            BroadcastId=1, ContactListId=2
        )
    trusting = ssl.create_default_context(cafile=str(cert))
    transport = golden.HttpTransport(ssl_context=trusting)
    service = client(golden, url, transport=transport)
    assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 5


def readme_transport_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- transport-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "the README's transport example is missing"
    return match.group(1)


def test_readme_requests_transport_works(golden: ModuleType) -> None:
    pytest.importorskip("requests")
    namespace: dict[str, Any] = {}
    exec(readme_transport_example(), namespace)  # noqa: S102 - the README's own code
    with serve(lambda r: created(11)) as (url, seen):
        service = client(golden, url, transport=namespace["RequestsTransport"]())
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 11
    assert seen[0].headers["Content-Type"].startswith("application/soap+xml")


# -- headers, hooks, logging -----------------------------------------------------------


def test_soap_headers_on_the_client_and_per_call(golden: ModuleType) -> None:
    token = etree.fromstring('<t:Token xmlns:t="urn:auth">abc</t:Token>')
    trace = etree.fromstring('<t:Trace xmlns:t="urn:auth">42</t:Trace>')
    with serve(lambda r: created(1)) as (url, seen):
        service = client(golden, url, soap_headers=[token])
        service.CreateContactBatch(BroadcastId=1, ContactListId=2, soap_headers=[trace])
        service.CreateContactBatch(
            golden.CreateContactBatch(BroadcastId=1, ContactListId=2)
        )
    first = etree.fromstring(seen[0].body).find(f"{SOAP12}Header")
    second = etree.fromstring(seen[1].body).find(f"{SOAP12}Header")
    assert [c.tag for c in first] == ["{urn:auth}Token", "{urn:auth}Trace"]
    assert [c.tag for c in second] == ["{urn:auth}Token"]


def test_build_envelope_sends_nothing_and_the_hook_sees_the_bytes(
    golden: ModuleType,
) -> None:
    seen_by_hook: list[tuple[bytes, Any]] = []
    with serve(lambda r: created(3)) as (url, seen):
        service = client(
            golden, url, on_exchange=lambda req, resp: seen_by_hook.append((req, resp))
        )
        request = golden.CreateContactBatch(BroadcastId=1, ContactListId=2)
        built = service.build_envelope(request)
        assert seen == [] and b"<ns0:ContactListId>2</ns0:ContactListId>" in built
        service.CreateContactBatch(request)
    assert seen_by_hook[0][0] == seen[0].body
    assert seen_by_hook[0][1].status == 200 and b"CreatedId" in seen_by_hook[0][1].body


def test_build_envelope_takes_any_global_elements_type_and_refuses_others(
    golden: ModuleType,
) -> None:
    """A global element's type no operation sends still gets an envelope, with
    the prefixes lxml picks; a type that is no element's is refused by name."""
    service = golden.BroadcastService("u", "p")
    created = service.build_envelope(golden.CreatedId(7))
    body = etree.fromstring(created)[-1]
    assert [(c.tag, c.text) for c in body] == [
        ("{http://api.callfire.com/service/xsd}CreatedId", "7")
    ]
    with pytest.raises(TypeError, match="ToNumber is not the type of a request"):
        service.build_envelope(golden.ToNumber("13105551216"))


def test_debug_log_never_shows_credentials(
    golden: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve(lambda r: Answer(503, b"busy", "text/plain")) as (url, _):
        service = client(golden, url, retries=1)
        with pytest.raises(golden.TransportError) as caught:
            service.GetContactBatch(Id=1)
    assert any("POST" in r.getMessage() for r in caplog.records)
    secret_token = base64.b64encode(b"user:s3cret").decode()
    for text in [caplog.text, str(caught.value), repr(service), str(service)]:
        assert "s3cret" not in text and secret_token not in text


def test_credentials_never_go_in_clear_text_to_another_machine(
    golden: ModuleType,
) -> None:
    for endpoint in [
        "http://callfire.example/soap",
        "HTTP://callfire.example/soap",
        " http://callfire.example/soap",  # urllib strips the space and sends
    ]:
        with pytest.raises(ValueError, match="in clear text to callfire.example"):
            golden.BroadcastService("u", "p", endpoint=endpoint)
    golden.BroadcastService(
        "u", "p", endpoint="http://callfire.example/soap", allow_insecure_http=True
    )
    golden.BroadcastService(
        endpoint="http://callfire.example/soap"
    )  # no credentials, no risk
    golden.BroadcastService("u", "p", endpoint="http://127.0.0.1:1/soap")


# -- retries ---------------------------------------------------------------------------


def test_a_dropped_answer_is_retried_and_creates_exactly_one_batch(
    golden: ModuleType,
) -> None:
    """The server processes the request, then the connection drops before it answers."""
    batches: dict[str, int] = {}
    lock = threading.Lock()

    def callfire(request: Request) -> Answer:
        request_id = batch_id_of(request)
        with lock:
            first_time = request_id not in batches
            if first_time:
                batches[request_id] = 1000 + len(batches)  # de-duplicated on RequestId
        if first_time:
            return Answer(0, b"", drop=True, reset=True)
        return created(batches[request_id])

    with serve(callfire) as (url, seen):
        batch = client(golden, url).CreateContactBatch(
            BroadcastId=3, ToNumber=["13105551216"]
        )
    assert len(seen) == 2 and len(batches) == 1
    assert batch == 1000
    ids = {batch_id_of(r) for r in seen}
    assert len(ids) == 1 and next(iter(ids)).startswith("urn:uuid:")


def test_the_callers_request_id_is_kept_and_their_object_left_alone(
    golden: ModuleType,
) -> None:
    request = golden.CreateContactBatch(BroadcastId=3, ContactListId=1)
    with serve(lambda r: created(1)) as (url, seen):
        client(golden, url).CreateContactBatch(request)
        client(golden, url).CreateContactBatch(request)
        mine = golden.CreateContactBatch(
            BroadcastId=3, ContactListId=1, RequestId="urn:uuid:mine"
        )
        client(golden, url).CreateContactBatch(mine)
    assert request.RequestId is None
    assert batch_id_of(seen[0]) != batch_id_of(seen[1])
    assert batch_id_of(seen[2]) == "urn:uuid:mine"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_reads_are_retried_on_gateway_errors(golden: ModuleType, status: int) -> None:
    answers = iter(
        [Answer(status, b"", "text/plain"), Answer(status, b"", "text/plain")]
    )
    batch = envelope(
        '<ContactBatch xmlns="http://api.callfire.com/data" id="4"><Name>n</Name>'
        "<Status>ACTIVE</Status><BroadcastId>3</BroadcastId><Created>2026-01-01T00:00:00Z</Created>"
        "</ContactBatch>"
    )
    with serve(lambda r: next(answers, Answer(200, batch))) as (url, seen):
        result = client(golden, url).GetContactBatch(Id=4)
    assert result.id == 4 and len(seen) == 3


def test_unsafe_calls_and_retries_0_are_not_retried(golden: ModuleType) -> None:
    with serve(lambda r: Answer(503, b"busy", "text/plain")) as (url, seen):
        with pytest.raises(golden.TransportError) as caught:
            client(golden, url).ControlContactBatch(Id=1, Enabled=False)
        assert caught.value.status == 503 and len(seen) == 1
        with pytest.raises(golden.TransportError):
            client(golden, url, retries=0).GetContactBatch(Id=1)
        assert len(seen) == 2


# -- errors for every injected fault ---------------------------------------------------

TYPED_DETAIL = (
    f'<ServiceFaultInfo xmlns="{SVC}"><FaultCode>BAD_REQUEST</FaultCode>'
    "<Message>BroadcastId 3 is archived</Message></ServiceFaultInfo>"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>
<CreatedId xmlns="http://api.callfire.com/service/xsd">&lol3;</CreatedId></soap:Body></soap:Envelope>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>
<CreatedId xmlns="http://api.callfire.com/service/xsd">&xxe;</CreatedId></soap:Body></soap:Envelope>"""

FAULTS = {
    "slow answer past the timeout": (
        Answer(200, created(1).body, delay=2.0),
        "TransportError",
        "timed out",
    ),
    "connection reset": (
        Answer(0, b"", drop=True, reset=True),
        "TransportError",
        "failed",
    ),
    "500 with an HTML body": (
        Answer(500, b"<html><body>Oops</body></html>", "text/html"),
        "TransportError",
        "HTTP 500",
    ),
    "401": (
        Answer(401, b"who are you", "text/plain"),
        "AuthenticationError",
        "HTTP 401",
    ),
    "200 with non-XML": (
        Answer(200, b"OK, done!", "text/plain"),
        "ResponseError",
        "not well-formed XML",
    ),
    "truncated XML": (
        Answer(200, created(1).body, truncate=60),
        "TransportError",
        "failed",
    ),
    "fault with typed detail": (
        Answer(500, fault12("soap:Sender", "Archived", TYPED_DETAIL)),
        "ServiceFault",
        "Archived",
    ),
    "fault without detail": (
        Answer(500, fault12("soap:Receiver", "Try later")),
        "Fault",
        "Try later",
    ),
    "wrong root element": (
        Answer(200, b'<Envelope xmlns="urn:other"/>'),
        "ResponseError",
        "expected a SOAP",
    ),
    "wrong body element": (
        Answer(200, envelope('<Other xmlns="urn:x"/>')),
        "ResponseError",
        "expected <{",
    ),
    "oversized body": (
        Answer(200, created(1).body + b" " * 5000),
        "TransportError",
        "exceeds 4096 bytes",
    ),
    "billion laughs": (Answer(200, BILLION_LAUGHS), "ResponseError", "DTD"),
    "external entity (XXE)": (Answer(200, XXE), "ResponseError", "DTD"),
}


@pytest.mark.parametrize("case", FAULTS)
def test_each_injected_fault_ends_in_its_documented_exception(
    golden: ModuleType, case: str
) -> None:
    answer, error_name, message = FAULTS[case]
    transport = golden.HttpTransport(max_response_bytes=4096)
    with serve(lambda r: answer) as (url, _):
        service = client(golden, url, timeout=0.5, retries=0, transport=transport)
        started = time.monotonic()
        with pytest.raises(golden.Error) as caught:
            service.CreateContactBatch(BroadcastId=1, ContactListId=2)
        assert time.monotonic() - started < 3
    assert type(caught.value).__name__ == error_name, repr(caught.value)
    assert message in str(caught.value)
    assert "s3cret" not in str(caught.value)
    if error_name == "ServiceFault":
        info = caught.value.info
        assert info.FaultCode is golden.FaultCode.BAD_REQUEST
        assert info.Message == "BroadcastId 3 is archived"
        assert caught.value.code == "soap:Sender"


# -- answers read without a call ------------------------------------------------------

QUERY_ANSWER = (
    f'<ContactBatchQueryResult xmlns="{SVC}" xmlns:d="http://api.callfire.com/data">'
    "<TotalResults>1</TotalResults><d:ContactBatch id='7'><d:Name>n</d:Name>"
    "<d:Status>ACTIVE</d:Status><d:BroadcastId>3</d:BroadcastId>"
    "<d:Created>2026-11-27T10:00:00Z</d:Created></d:ContactBatch>"
    "</ContactBatchQueryResult>"
)


def test_parse_response_reads_an_answer_as_the_client_does(golden: ModuleType) -> None:
    with serve(lambda r: Answer(200, envelope(QUERY_ANSWER))) as (url, _):
        called = client(golden, url).QueryContactBatches(BroadcastId=3)
    for env in [SOAP12[1:-1], "http://schemas.xmlsoap.org/soap/envelope/"]:
        data = envelope(QUERY_ANSWER, env)
        read = golden.parse_response(golden.ContactBatchQueryResult, data)
        assert read == called
        assert read.ContactBatch[0].Status is golden.BatchStatus.ACTIVE
    # Something after the Body (SOAP 1.1 allows it) does not hide it.
    trailer = envelope(QUERY_ANSWER).replace(
        b"</soap:Body>", b'</soap:Body><t:Trailer xmlns:t="urn:t"/>'
    )
    assert golden.parse_response(golden.ContactBatchQueryResult, trailer) == called


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (fault12("soap:Sender", "Archived", TYPED_DETAIL), "ServiceFault", "Archived"),
        (fault12("soap:Receiver", "Try later"), "Fault", "Try later"),
        (b"OK, done!", "ResponseError", "not well-formed XML"),
        (b'<Envelope xmlns="urn:other"/>', "ResponseError", "expected a SOAP"),
        (envelope('<Other xmlns="urn:x"/>'), "ResponseError", "expected <{"),
        (envelope(""), "ResponseError", "an empty Body"),
        (BILLION_LAUGHS, "ResponseError", "DTD"),
        (XXE, "ResponseError", "DTD"),
    ],
    ids=[
        "typed fault",
        "fault",
        "not XML",
        "not SOAP",
        "other element",
        "empty",
        "billion laughs",
        "XXE",
    ],
)
def test_parse_response_raises_what_a_call_would(
    golden: ModuleType, data: bytes, error: str, message: str
) -> None:
    with pytest.raises(golden.Error) as caught:
        golden.parse_response(golden.ContactBatchQueryResult, data)
    assert type(caught.value).__name__ == error, repr(caught.value)
    assert message in str(caught.value)


def test_parse_response_wants_the_class_of_a_global_element(golden: ModuleType) -> None:
    with pytest.raises(TypeError, match="RetryConfig is not the type of a global"):
        golden.parse_response(golden.RetryConfig, envelope(QUERY_ANSWER))


def test_threads_reading_answers_at_once_each_get_their_own(golden: ModuleType) -> None:
    answers = {
        t: envelope(QUERY_ANSWER.replace("<TotalResults>1<", f"<TotalResults>{t}<"))
        for t in range(4)
    }

    def totals(thread: int) -> set[tuple[int, int]]:
        read = (
            golden.parse_response(golden.ContactBatchQueryResult, answers[thread])
            for _ in range(300)
        )
        return {(r.TotalResults, r.ContactBatch[0].id) for r in read}

    with ThreadPoolExecutor(4) as pool:  # a worker's exception is raised here
        assert list(pool.map(totals, range(4))) == [{(t, 7)} for t in range(4)]


def readme_ntlm_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- ntlm-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "the README's NTLM example is missing"
    return match.group(1)


def test_readme_ntlm_auth_completes_a_handshake_with_a_real_ntlm_server(
    golden: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyspnego's server side checks the handshake as a Windows server would,
    with the credentials of a user file; each connection authenticates once."""
    spnego = pytest.importorskip("spnego")
    users = tmp_path / "users.txt"
    users.write_text("DOMAIN:ann:s3cret\n", encoding="utf-8")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    contexts: dict[int, Any] = {}
    authenticated: set[int] = set()

    def server(request: Request) -> Answer:
        port = request.client_port
        given = request.headers.get("Authorization", "")
        if port in authenticated:
            return created(8)
        if not given.startswith("NTLM "):
            return Answer(401, b"", headers=[("WWW-Authenticate", "NTLM")])
        context = contexts.setdefault(port, spnego.server(protocol="ntlm"))
        try:
            out = context.step(base64.b64decode(given[5:]))
        except spnego.exceptions.SpnegoError:
            return Answer(401, b"", headers=[("WWW-Authenticate", "NTLM")])
        if context.complete:
            authenticated.add(port)
            return created(8)
        token = base64.b64encode(out).decode()
        return Answer(401, b"", headers=[("WWW-Authenticate", f"NTLM {token}")])

    namespace: dict[str, Any] = {}
    code = readme_ntlm_example().replace("generated.callfire", golden.__name__)
    exec(code, namespace)  # noqa: S102 - the README's own code
    with serve(server) as (url, seen):
        auth = namespace["NtlmAuth"]("DOMAIN\\ann", "s3cret")
        service = golden.BroadcastService(endpoint=url, auth=auth)
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 8
        assert service.CreateContactBatch(BroadcastId=1, ContactListId=2) == 8
        wrong = golden.BroadcastService(
            endpoint=url, auth=namespace["NtlmAuth"]("DOMAIN\\ann", "nope")
        )
        with pytest.raises(golden.AuthenticationError, match="HTTP 401"):
            wrong.CreateContactBatch(BroadcastId=1, ContactListId=2)
    # none, negotiate, authenticate: one connection; then no header on it again
    assert [r.headers.get("Authorization", "")[:5] for r in seen[:4]] == [
        "",
        "NTLM ",
        "NTLM ",
        "",
    ]
    assert len({r.client_port for r in seen[:4]}) == 1
    assert "s3cret" not in str([r.headers for r in seen])
