"""A real SOAP-over-HTTP server on 127.0.0.1 for the tests.

Each test passes a function that sees the recorded request and returns the
answer: a status, content type and body, or a fault to inject (a delay, a
dropped or reset connection, a body cut short). The server records every
request so the test can assert on what went over the wire. It speaks HTTP/1.1,
so clients can keep connections alive.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "application/soap+xml; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without answering
    reset: bool = False  # ... and make the close a TCP reset
    truncate: int | None = None  # send only this many bytes of the body, then close
    headers: list[tuple[str, str]] = field(default_factory=list)  # more, repeatable


Handler = Callable[[Request], Answer]


def envelope(body_xml: str, env: str = SOAP12_ENV) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{env}"><soap:Body>{body_xml}</soap:Body></soap:Envelope>'
    ).encode()


def fault12(
    code: str, reason: str, detail_xml: str = "", subcode: str | None = None
) -> bytes:
    sub = (
        f"<soap:Subcode><soap:Value>{subcode}</soap:Value></soap:Subcode>"
        if subcode
        else ""
    )
    detail = f"<soap:Detail>{detail_xml}</soap:Detail>" if detail_xml else ""
    return envelope(
        f"<soap:Fault><soap:Code><soap:Value>{code}</soap:Value>{sub}</soap:Code>"
        f'<soap:Reason><soap:Text xml:lang="en">{reason}</soap:Text></soap:Reason>'
        f"{detail}</soap:Fault>"
    )


@contextmanager
def serve(
    handler: Handler, *, idle_timeout: float | None = None
) -> Iterator[tuple[str, list[Request]]]:
    """Run a server answering with ``handler``; yield its URL and the requests seen.

    With ``idle_timeout``, the server closes a kept-alive connection idle that long.
    """
    seen: list[Request] = []

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = idle_timeout
        # The head and the body go out in two writes: with Nagle's algorithm
        # the second waits for the client's delayed ACK (40 ms a call).
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", "0"))
            request = Request(
                self.path,
                dict(self.headers.items()),
                self.rfile.read(length),
                self.client_address[1],
            )
            seen.append(request)
            answer = handler(request)
            if answer.delay:
                time.sleep(answer.delay)
            if answer.drop:
                if answer.reset:
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            if answer.truncate is not None:
                self.wfile.write(answer.body[: answer.truncate])
                self.wfile.flush()
                self.close_connection = True
                self.connection.close()
                return
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    class _Server(ThreadingHTTPServer):
        request_queue_size = 256  # 100 clients connecting at once, not 5

    server = _Server(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield (
            f"http://127.0.0.1:{server.server_address[1]}/api/1.1/soap12/broadcast",
            seen,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
