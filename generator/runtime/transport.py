"""The HTTP transport at run time: the ``Transport`` protocol, and
``HttpTransport``, its default implementation on ``http.client``, with its
guards (the size limit, whole heads, the deadline's watchdog) and proxies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from lxml import etree

from generator.runtime.errors import TransportError, ValidationError

if TYPE_CHECKING:
    import http.client
    import ssl
    import urllib.parse


# -- included in the generated module --


# -- transport -----------------------------------------------------------------------

# http.client, ssl, urllib and select are imported where they are used: a program
# that imports this module pays for them only when it first sends a request.


def _debug(message: str, *args: object) -> None:
    """Log at DEBUG on this module's logger (never with credentials in it)."""
    import logging

    logger = logging.getLogger(__name__)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(message, *args)


class HttpResponse(NamedTuple):
    """What a transport returns: the status, the headers and the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes


class Transport(Protocol):
    """The one override point for the HTTP stack (see the README for a requests one).

    ``post`` sends one request and returns the answer, whatever its status. It
    raises ``TransportError`` (with ``status=None``) when no answer came: the
    connection failed, was cut, or a timeout passed. ``timeout`` is
    ``(connect, read)`` in seconds.
    """

    def post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
    ) -> HttpResponse: ...


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine: by address, never by a name's prefix
    (``127.evil.example`` is a remote name)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _xml_text_ok(text: str) -> bool:
    """Whether XML 1.0 can carry ``text`` (no control characters but tab, CR, LF)."""
    return not any(
        (ord(c) < 32 and c not in "\t\n\r")
        or 0xD800 <= ord(c) <= 0xDFFF
        or ord(c) in (0xFFFE, 0xFFFF)
        for c in text
    )


class HttpTransport:
    """The default transport: ``http.client``, one kept-alive connection per host.

    HTTPS is verified with ``ssl_context`` (default: the system's trust store);
    ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` are honoured as urllib does.
    A body longer than ``max_response_bytes`` is an error, not a memory spike.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_response_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.ssl_context = ssl_context  # None: the system's, made at the first https
        self.max_response_bytes = max_response_bytes
        # Kept-alive connections by (scheme, host, port), each with whether it
        # goes through an http proxy and the Proxy-Authorization it then needs.
        self._connections: dict[
            tuple[str, str, int | None],
            tuple[http.client.HTTPConnection, bool, str | None],
        ] = {}

    def post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
        *,
        deadline: float | None = None,
    ) -> HttpResponse:
        """Send one request; with ``deadline`` (a ``time.monotonic()`` time), the
        exchange is cut when it comes, however the server drips its answer."""
        from http import client as http_client
        from urllib import parse as url_parse

        parts = url_parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"{url!r} is not an http(s) URL")
        for name, value in headers.items():
            if any(c in value for c in "\r\n\0") or not value.isascii():
                raise ValidationError(
                    f"HTTP header {name}", "holds a line break or a non-ASCII character"
                )
        key = (parts.scheme, parts.hostname, parts.port)
        kept = self._connections.pop(key, None)
        if kept is not None and _closed_by_peer(kept[0]):
            kept[0].close()
            kept = None
        connection = None
        watchdog = None
        try:
            fresh = kept is None
            if kept is None:
                kept = self._connection(parts, timeout)
            connection, proxied, proxy_auth = kept
            if deadline is not None:  # from before connecting: a tunnel, TLS...
                watchdog = _Watchdog(deadline, connection)
            if fresh:
                connection.connect()
            if watchdog is not None:
                # Kept by the watchdog: http.client drops its own reference when
                # an answer ends by closing, while the body is still being read.
                watchdog.hold(connection.sock)
            # This request's own timeouts, whoever opened the connection.
            connection.timeout = timeout[0]
            if connection.sock is not None:
                connection.sock.settimeout(timeout[1])
            # Through an http proxy the request line names the whole URL (without
            # credentials), and the proxy's own go in Proxy-Authorization.
            path = url_parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            target = path
            if proxied:
                target = url_parse.urlunsplit(
                    (parts.scheme, parts.netloc.rpartition("@")[2], path, "", "")
                )
                if proxy_auth is not None:
                    headers = {**headers, "Proxy-Authorization": proxy_auth}
            connection.request("POST", target, body, headers)
            response = connection.getresponse()
            data = response.read(self.max_response_bytes + 1)
            declared = response.getheader("Content-Length", "")
            if declared.isdigit() and len(data) < min(
                int(declared), self.max_response_bytes
            ):
                raise http_client.IncompleteRead(data, int(declared) - len(data))
            answer = HttpResponse(response.status, dict(response.getheaders()), data)
        except (OSError, http_client.HTTPException) as exc:
            if connection is not None:
                connection.close()
            reason = (
                "timed out"
                if isinstance(exc, TimeoutError)
                else str(exc) or type(exc).__name__
            )
            if watchdog is not None and watchdog.fired:
                reason = "the call's deadline passed"
            raise TransportError(f"POST {url} failed: {reason}") from exc
        finally:
            if watchdog is not None:
                watchdog.cancel()
        if watchdog is not None and watchdog.fired:  # it came as the answer did
            connection.close()
            raise TransportError(f"POST {url} failed: the call's deadline passed")
        if len(data) > self.max_response_bytes:
            connection.close()
            raise TransportError(
                f"the response from {url} exceeds {self.max_response_bytes} bytes",
                status=answer.status,
            )
        if response.will_close:
            connection.close()
        else:
            self._connections[key] = kept
        return answer

    def _connection(
        self, parts: urllib.parse.SplitResult, timeout: tuple[float, float]
    ) -> tuple[http.client.HTTPConnection, bool, str | None]:
        """A connection (not yet connected) to ``parts``' host or its proxy."""
        from http import client as http_client

        host, port = parts.hostname or "", parts.port
        proxy = _proxy_for(parts.scheme, host)
        proxy_auth = _basic_credentials(proxy) if proxy is not None else None
        connection: http.client.HTTPConnection
        if parts.scheme == "https" and self.ssl_context is None:
            import ssl

            self.ssl_context = ssl.create_default_context()
        if parts.scheme == "https":
            if proxy:
                connection = http_client.HTTPSConnection(
                    proxy.hostname or "",
                    proxy.port,
                    timeout=timeout[0],
                    context=self.ssl_context,
                )
                tunnel = {"Proxy-Authorization": proxy_auth} if proxy_auth else None
                connection.set_tunnel(host, port, headers=tunnel)
            else:
                connection = http_client.HTTPSConnection(
                    host, port, timeout=timeout[0], context=self.ssl_context
                )
        elif proxy:
            connection = http_client.HTTPConnection(
                proxy.hostname or "", proxy.port, timeout=timeout[0]
            )
        else:
            connection = http_client.HTTPConnection(host, port, timeout=timeout[0])
        connection.response_class = _whole_head_response()
        proxied = proxy is not None and parts.scheme == "http"
        return connection, proxied, proxy_auth if proxied else None

    def close(self) -> None:
        """Close the kept-alive connections."""
        for connection, _, _ in self._connections.values():
            connection.close()
        self._connections.clear()


class _Watchdog:
    """Shuts a connection's socket at ``deadline`` (a ``time.monotonic()`` time):
    a blocked connect, handshake or read then fails at once, however slowly
    the server was sending."""

    def __init__(self, deadline: float, connection: http.client.HTTPConnection) -> None:
        import threading
        import time

        self.connection = connection
        self.sockets: list[Any] = []
        self.fired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def hold(self, sock: Any) -> None:
        if sock is not None:
            self.sockets.append(sock)

    def cancel(self) -> None:
        with self._lock:  # a cut under way ends before the call goes on
            self._timer.cancel()

    def _cut(self) -> None:
        import socket

        with self._lock:
            self.fired = True
            for sock in [self.connection.sock, *self.sockets]:
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


class _WholeHead:
    """A response's stream that raises if it ends inside the status line or the
    headers: ``http.client`` takes such a cut answer for a whole one with no
    body, which would read as a malformed answer instead of a failed exchange."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._in_head = True

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._stream.readline(limit)
        if line.startswith(b"HTTP/"):
            self._in_head = True  # a final answer's head after a 1xx one
        if self._in_head:
            if line in (b"\r\n", b"\n"):
                self._in_head = False  # a 1xx answer's head ends the same way
            elif not line.endswith(b"\n"):
                from http import client as http_client

                raise http_client.RemoteDisconnected(
                    "the connection closed inside the answer's status line or headers"
                )
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_WHOLE_HEAD_RESPONSE: list[type[http.client.HTTPResponse]] = []


def _whole_head_response() -> type[http.client.HTTPResponse]:
    """``http.client.HTTPResponse`` reading through ``_WholeHead`` (made at the
    first request, as http.client is imported only then)."""
    if not _WHOLE_HEAD_RESPONSE:
        from http import client as http_client

        class WholeHeadResponse(http_client.HTTPResponse):
            def begin(self) -> None:
                self.fp = _WholeHead(self.fp)  # type: ignore[assignment]
                super().begin()
                self.fp = (
                    self.fp._stream if isinstance(self.fp, _WholeHead) else self.fp
                )

        _WHOLE_HEAD_RESPONSE.append(WholeHeadResponse)
    return _WHOLE_HEAD_RESPONSE[0]


def _basic(username: str, password: str) -> str:
    """The value of an ``Authorization`` (or ``Proxy-Authorization``) header."""
    import base64

    token = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def _basic_credentials(url: urllib.parse.SplitResult) -> str | None:
    """``Basic ...`` for the user and password in a URL (a proxy's), if any."""
    if url.username is None and url.password is None:
        return None
    from urllib import parse as url_parse

    return _basic(
        url_parse.unquote(url.username or ""), url_parse.unquote(url.password or "")
    )


def _proxy_for(scheme: str, host: str) -> urllib.parse.SplitResult | None:
    """The proxy urllib would use for ``host`` (from the environment), if any."""
    from urllib import parse as url_parse
    from urllib import request as url_request

    proxy = url_request.getproxies_environment().get(scheme)
    if not proxy or url_request.proxy_bypass(host):
        return None
    return url_parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """Whether the server closed an idle kept-alive connection (it reads as EOF)."""
    import select

    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _xml_parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        collect_ids=False,  # no index of xml:id attributes: 5-10% less time
    )
