"""The default transport (generator/runtime/transport.py), against a real
server on 127.0.0.1."""

from __future__ import annotations

import io
from http import client as http_client

import pytest
from wsdlbind.runtime import transport
from wsdlbind.runtime.errors import TransportError, ValidationError
from wsdlbind.runtime.transport import (
    HttpTransport,
    _basic_credentials,
    _is_loopback,
    _proxy_for,
    _WholeHead,
    _xml_text_ok,
)

from tests.soap_server import Answer, serve

_TIMEOUTS = (5.0, 5.0)


def test_a_post_returns_the_whole_answer_and_keeps_the_connection() -> None:
    with serve(lambda r: Answer(200, b"<ok/>" + r.body)) as (url, seen):
        http = HttpTransport()
        first = http.post(url, b"<a/>", {"X-Test": "1"}, _TIMEOUTS)
        second = http.post(url, b"<b/>", {}, _TIMEOUTS)
        http.close()
    assert (first.status, first.body, second.body) == (200, b"<ok/><a/>", b"<ok/><b/>")
    assert first.headers["Content-Type"].startswith("application/soap+xml")
    assert seen[0].headers["X-Test"] == "1"
    assert seen[0].client_port == seen[1].client_port  # one kept-alive connection


def test_an_answer_over_the_limit_is_an_error_not_a_memory_spike() -> None:
    with serve(lambda r: Answer(200, b"x" * 10_000)) as (url, _):
        with pytest.raises(TransportError, match="exceeds 1000 bytes") as caught:
            HttpTransport(max_response_bytes=1000).post(url, b"", {}, _TIMEOUTS)
    assert caught.value.status == 200


def test_an_answer_cut_short_is_a_transport_failure() -> None:
    with serve(lambda r: Answer(200, b"x" * 1000, truncate=10)) as (url, _):
        with pytest.raises(TransportError) as caught:
            HttpTransport().post(url, b"", {}, _TIMEOUTS)
    assert caught.value.status is None  # no answer came: safe calls retry


def test_the_deadline_cuts_an_answer_that_is_slow_to_come() -> None:
    import time

    with serve(lambda r: Answer(200, b"late", delay=3.0)) as (url, _):
        with pytest.raises(TransportError, match="deadline passed"):
            HttpTransport().post(
                url, b"", {}, _TIMEOUTS, deadline=time.monotonic() + 0.2
            )


@pytest.mark.parametrize("value", ["a\r\nInjected: 1", "caf\u00e9", "a\0b"])
def test_headers_that_would_break_the_request_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="HTTP header X-Test"):
        HttpTransport().post("http://127.0.0.1:9/", b"", {"X-Test": value}, _TIMEOUTS)


def test_only_http_urls_are_posted_to() -> None:
    with pytest.raises(TransportError, match="not an http"):
        HttpTransport().post("file:///etc/passwd", b"", {}, _TIMEOUTS)


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.9.9.9", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.evil.example", False),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_loopback_is_decided_by_address(host: str, local: bool) -> None:
    assert _is_loopback(host) is local


def test_xml_cannot_carry_control_characters() -> None:
    assert _xml_text_ok("tab\tand\nnewline\r")
    assert not _xml_text_ok("bell\x07") and not _xml_text_ok("\ufffe")


def test_the_proxy_is_the_environments_unless_the_host_bypasses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", "http://user:p%40ss@proxy.example:3128")
    monkeypatch.setenv("no_proxy", "internal.example")
    proxy = _proxy_for("http", "api.example")
    assert proxy is not None and (proxy.hostname, proxy.port) == ("proxy.example", 3128)
    assert _basic_credentials(proxy) == transport._basic("user", "p@ss")
    assert _proxy_for("http", "internal.example") is None


class _Stream(io.BytesIO):
    pass


def test_a_head_cut_inside_its_lines_is_a_disconnection() -> None:
    whole = _WholeHead(_Stream(b"HTTP/1.1 200 OK\r\nContent-Le"))
    assert whole.readline() == b"HTTP/1.1 200 OK\r\n"
    with pytest.raises(http_client.RemoteDisconnected):
        whole.readline()


def test_a_body_may_end_without_a_line_end_once_the_head_is_whole() -> None:
    whole = _WholeHead(
        _Stream(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody")
    )
    lines = [whole.readline() for _ in range(5)]
    assert lines[-1] == b"body"


# -- the pool, cookies, compression ---------------------------------------------------


def test_threads_share_a_pool_of_kept_alive_connections() -> None:
    import threading

    with serve(lambda r: Answer(200, b"<ok/>")) as (url, seen):
        http = HttpTransport()

        def calls() -> None:
            for _ in range(250):
                assert http.post(url, b"<a/>", {}, _TIMEOUTS).status == 200

        threads = [threading.Thread(target=calls) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        http.close()
    assert len(seen) == 2000
    # One connection a thread, give or take one opened while another went back.
    assert len({r.client_port for r in seen}) <= 10


def test_idle_connections_beyond_the_pool_size_are_closed() -> None:
    import threading

    barrier = threading.Barrier(4)
    with serve(lambda r: Answer(200, b"<ok/>", delay=0.2)) as (url, seen):
        http = HttpTransport(pool_size=2)

        def call() -> None:
            barrier.wait()
            http.post(url, b"<a/>", {}, _TIMEOUTS)

        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({r.client_port for r in seen}) == 4  # four at once: four opened
        assert sum(len(idle) for idle in http._idle.values()) == 2
        http.close()
    assert http._idle == {}


def test_cookies_the_server_sets_go_back_with_the_next_requests() -> None:
    def answer(request: object) -> Answer:
        return Answer(200, b"<ok/>", headers=[("Set-Cookie", "session=abc; Path=/")])

    with serve(answer) as (url, seen):
        http = HttpTransport()
        http.post(url, b"", {}, _TIMEOUTS)
        http.post(url, b"", {}, _TIMEOUTS)
    assert "Cookie" not in seen[0].headers
    assert seen[1].headers["Cookie"] == "session=abc"
    assert [c.name for c in http.cookies] == ["session"]


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=1)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw deflate"])
def test_compressed_answers_are_asked_for_and_read(encoding: str) -> None:
    import zlib

    body = b"<ok>" + b"x" * 10_000 + b"</ok>"
    packed = {
        "gzip": _gzip(body),
        "deflate": zlib.compress(body),
        "raw deflate": zlib.compress(body)[2:-4],
    }[encoding]
    header = [("Content-Encoding", encoding.split()[-1])]
    with serve(lambda r: Answer(200, packed, headers=header)) as (url, seen):
        answer = HttpTransport().post(url, b"", {}, _TIMEOUTS)
    assert answer.body == body
    assert seen[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_a_gzip_bomb_is_refused_at_the_size_limit() -> None:
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    bomb = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()
    assert len(bomb) < 1024 * 1024  # 200 MB in under 1 MB
    header = [("Content-Encoding", "gzip")]
    with serve(lambda r: Answer(200, bomb, headers=header)) as (url, _):
        with pytest.raises(TransportError, match="exceeds 67108864 bytes once"):
            HttpTransport().post(url, b"", {}, _TIMEOUTS)


def test_an_answer_in_an_unknown_encoding_is_a_clear_error() -> None:
    header = [("Content-Encoding", "br")]
    with serve(lambda r: Answer(200, b"\x00", headers=header)) as (url, _):
        with pytest.raises(TransportError, match="content encoding 'br'"):
            HttpTransport().post(url, b"", {}, _TIMEOUTS)


def test_repeated_headers_are_joined_as_one_list() -> None:
    header = [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "Basic a=b")]
    with serve(lambda r: Answer(401, b"", headers=header)) as (url, _):
        answer = HttpTransport().post(url, b"", {}, _TIMEOUTS)
    assert answer.headers["WWW-Authenticate"] == "Negotiate, Basic a=b"


def test_after_a_401_the_same_thread_goes_on_on_the_same_connection() -> None:
    answers = iter([Answer(401, b""), Answer(200, b"<ok/>")])
    with serve(lambda r: next(answers)) as (url, seen):
        http = HttpTransport()
        assert http.post(url, b"", {}, _TIMEOUTS).status == 401
        assert http.post(url, b"", {}, _TIMEOUTS).status == 200
    assert seen[0].client_port == seen[1].client_port


def test_close_also_closes_the_connection_a_401_came_on() -> None:
    with serve(lambda r: Answer(401, b"")) as (url, _):
        http = HttpTransport()
        http.post(url, b"", {}, _TIMEOUTS)
        (parked,) = http._parked
        http.close()
    assert http._parked == set() and parked.sock is None


def test_a_connection_in_use_during_close_is_not_kept() -> None:
    import threading

    started = threading.Event()

    def answer(request: object) -> Answer:
        started.set()
        return Answer(200, b"<ok/>", delay=0.3)

    with serve(answer) as (url, _):
        http = HttpTransport()
        call = threading.Thread(target=lambda: http.post(url, b"", {}, _TIMEOUTS))
        call.start()
        started.wait(5)
        http.close()
        call.join()
    assert http._idle == {}


def test_a_cut_that_comes_after_cancel_does_nothing() -> None:
    import time

    class Connection:
        sock = None

    watchdog = transport._Watchdog(time.monotonic() + 60, Connection())  # type: ignore[arg-type]
    watchdog.cancel()
    watchdog._cut()  # as a timer already started would
    assert not watchdog.fired


def test_header_names_are_merged_without_case() -> None:
    merged = transport._merged({"User-Agent": "a", "X": "1"}, {"user-agent": "b"})
    assert merged == {"X": "1", "user-agent": "b"}


def test_a_bad_compressed_body_is_an_answer_with_its_status() -> None:
    header = [("Content-Encoding", "gzip")]
    with serve(lambda r: Answer(200, b"not gzip", headers=header)) as (url, _):
        with pytest.raises(TransportError, match="cannot be decompressed") as caught:
            HttpTransport().post(url, b"", {}, _TIMEOUTS)
    assert caught.value.status == 200  # an answer came: not retried as none


def test_a_path_that_is_not_ascii_is_sent_percent_encoded() -> None:
    with serve(lambda r: Answer(200, b"<ok/>")) as (url, seen):
        HttpTransport().post(url + "/café", b"", {}, _TIMEOUTS)
        with pytest.raises(TransportError, match="port that is not 0-65535"):
            HttpTransport().post("http://127.0.0.1:99999/x", b"", {}, _TIMEOUTS)
    assert seen[0].path.endswith("/caf%C3%A9")
