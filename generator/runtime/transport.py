"""The HTTP transport at run time: the ``Transport`` protocol, and
``HttpTransport``, its default implementation on ``http.client``, with its
guards (the size limit, whole heads, the deadline's watchdog) and proxies."""

from __future__ import annotations

import _thread
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from lxml import etree

from .errors import TransportError, ValidationError

if TYPE_CHECKING:
    import http.client
    import http.cookiejar
    import ssl
    import urllib.parse
    import urllib.request


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


#: The connection key: (scheme, host, port).
_Key = tuple[str, str, int | None]
#: A kept-alive connection, with whether it goes through an http proxy and the
#: Proxy-Authorization it then needs.
_Kept = tuple["http.client.HTTPConnection", bool, str | None]


class HttpTransport:
    """The default transport: ``http.client``, with a pool of kept-alive
    connections per host that threads share.

    HTTPS is verified with ``ssl_context`` (default: the system's trust store);
    ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` are honoured as urllib does.
    A body longer than ``max_response_bytes`` (after decompression: answers in
    gzip or deflate are asked for and read) is an error, not a memory spike.
    Up to ``pool_size`` idle connections per host are kept for the next calls;
    more calls at once each open their own. Cookies the server sets go into
    ``cookies`` (an ``http.cookiejar.CookieJar``; one of its own by default) and
    back with the next requests, as a browser would.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_response_bytes: int = 64 * 1024 * 1024,
        pool_size: int = 10,
        cookies: http.cookiejar.CookieJar | None = None,
    ) -> None:
        self.ssl_context = ssl_context  # None: the system's, made at the first https
        self.max_response_bytes = max_response_bytes
        self.pool_size = pool_size
        self._cookies = cookies
        self._idle: dict[_Key, list[_Kept]] = {}
        self._lock = _thread.allocate_lock()
        self._generation = 0  # how many times close() was called
        self._parked: set[http.client.HTTPConnection] = set()
        # The connection an answer asking for authentication came on, kept for
        # the same thread's next request: connection-bound schemes (NTLM,
        # Negotiate) must answer the challenge on it.
        self._challenged = _thread._local()

    @property
    def cookies(self) -> http.cookiejar.CookieJar:
        """The cookie jar (made at first use: http.cookiejar is imported then)."""
        if self._cookies is None:
            import http.cookiejar

            self._cookies = http.cookiejar.CookieJar()
        return self._cookies

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
        from urllib import request as url_request

        parts = url_parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"{url!r} is not an http(s) URL")
        try:
            parts.port  # noqa: B018 - it raises on a port that is not a number
        except ValueError:
            raise TransportError(f"{url!r} has a port that is not 0-65535") from None
        _check_headers(headers)
        headers = _merged({"Accept-Encoding": "gzip, deflate"}, headers)
        # The cookie jar decides on urllib's view of a request; only the Cookie
        # header it adds is taken from it.
        jar_view = url_request.Request(url, method="POST")
        self.cookies.add_cookie_header(jar_view)
        cookie = jar_view.get_header("Cookie")
        if cookie is not None and not any(k.lower() == "cookie" for k in headers):
            headers["Cookie"] = cookie  # unless the caller gave one
        key = (parts.scheme, parts.hostname, parts.port)
        generation = self._generation
        kept = self._take(key)
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
            # credentials), and the proxy's own go in Proxy-Authorization. What
            # is not ASCII in the path is sent percent-encoded, as browsers do.
            path = url_parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            path = url_parse.quote(path, safe=_URL_SAFE)
            target = path
            if proxied:
                target = url_parse.urlunsplit(
                    (parts.scheme, parts.netloc.rpartition("@")[2], path, "", "")
                )
                if proxy_auth is not None:
                    headers = _merged(headers, {"Proxy-Authorization": proxy_auth})
            connection.request("POST", target, body, headers)
            response = connection.getresponse()
            data = response.read(self.max_response_bytes + 1)
            declared = response.getheader("Content-Length", "")
            if declared.isdigit() and len(data) < min(
                int(declared), self.max_response_bytes
            ):
                raise http_client.IncompleteRead(data, int(declared) - len(data))
            if len(data) <= self.max_response_bytes:
                encoding = response.getheader("Content-Encoding", "").strip().lower()
                if encoding not in ("", "identity"):
                    data = _decompressed(
                        data, encoding, self.max_response_bytes, url, response.status
                    )
            answer = HttpResponse(response.status, _joined(response.getheaders()), data)
            self.cookies.extract_cookies(response, jar_view)
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
        except BaseException:
            if connection is not None:
                connection.close()
            raise
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
        elif answer.status in (401, 407):
            # Kept for this thread's next request (see __init__), and known to
            # close() until then.
            self._park(key, kept)
        else:
            self._give_back(key, kept, generation)
        return answer

    def _park(self, key: _Key, kept: _Kept) -> None:
        previous: tuple[_Key, _Kept] | None = getattr(self._challenged, "kept", None)
        if previous is not None:
            self._unpark(previous)[1][0].close()
        self._challenged.kept = (key, kept)
        with self._lock:
            self._parked.add(kept[0])

    def _unpark(self, parked: tuple[_Key, _Kept]) -> tuple[_Key, _Kept]:
        self._challenged.kept = None
        with self._lock:
            self._parked.discard(parked[1][0])
        return parked

    def _take(self, key: _Key) -> _Kept | None:
        """An idle connection to ``key``'s host that is still open, if any."""
        challenged: tuple[_Key, _Kept] | None = getattr(self._challenged, "kept", None)
        if challenged is not None:
            self._unpark(challenged)
            if challenged[0] == key and not _closed_by_peer(challenged[1][0]):
                return challenged[1]
            challenged[1][0].close()
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                kept = idle.pop()
            if not _closed_by_peer(kept[0]):
                return kept
            kept[0].close()

    def _give_back(self, key: _Key, kept: _Kept, generation: int) -> None:
        with self._lock:
            if generation != self._generation:  # close() came while it was in use
                idle = None
            else:
                idle = self._idle.setdefault(key, [])
            if idle is not None and len(idle) < self.pool_size:
                idle.append(kept)
                return
        kept[0].close()

    def _connection(
        self, parts: urllib.parse.SplitResult, timeout: tuple[float, float]
    ) -> _Kept:
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
        """Close the kept-alive connections; those in use close when their
        answer is in. The transport opens new ones if it is used again."""
        with self._lock:
            self._generation += 1
            connections = [kept[0] for pool in self._idle.values() for kept in pool]
            connections += self._parked
            self._idle.clear()
            self._parked.clear()
        for connection in connections:
            connection.close()


#: What a request target keeps as it is when it is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def _merged(base: dict[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``extra``'s headers, which win; header names are compared
    without case, so that two of one name are never sent."""
    merged = dict(base)
    for name, value in extra.items():
        for old in [k for k in merged if k.lower() == name.lower()]:
            del merged[old]
        merged[name] = value
    return merged


def _joined(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Headers by name, a repeated one's values joined by commas (RFC 9110,
    5.3: what a list-valued header means; cookies are read before this)."""
    joined: dict[str, str] = {}
    for name, value in headers:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def _check_headers(headers: dict[str, str]) -> None:
    """Refuse a header that would break the request (or change it): a name that
    is not a token, a value with a line break or a non-ASCII character."""
    for name, value in headers.items():
        if not _is_token(name):
            raise ValidationError(
                f"HTTP header name {name!r}",
                "is not a name: letters, digits and !#$%&'*+-.^_`|~ only",
            )
        if any(c in value for c in "\r\n\0") or not value.isascii():
            raise ValidationError(
                f"HTTP header {name}", "holds a line break or a non-ASCII character"
            )


def _is_token(name: str) -> bool:
    """Whether ``name`` is an HTTP header name (RFC 9110's token)."""
    return bool(name) and all(
        c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~") for c in name
    )


def _decompressed(
    data: bytes, encoding: str, limit: int, url: str, status: int | None = None
) -> bytes:
    """An answer's body in gzip or deflate, decompressed to at most ``limit``
    bytes: a small body that would expand past it (a "zip bomb") is refused
    after ``limit`` bytes of output, not after all of them."""
    import zlib

    if encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        # RFC 9110's deflate is zlib's format; some servers send it raw.
        raw = len(data) < 2 or (data[0] & 0x0F != 8) or (data[0] << 8 | data[1]) % 31
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    else:
        raise TransportError(
            f"the response from {url} is in the content encoding {encoding!r},"
            " which this client does not read",
            status=status,
        )
    try:
        out = decompressor.decompress(data, limit + 1)
        if len(out) <= limit and not decompressor.eof:
            out += decompressor.flush()
    except zlib.error as exc:
        raise TransportError(
            f"the {encoding} response from {url} cannot be decompressed: {exc}",
            status=status,
        ) from None
    if len(out) > limit:
        raise TransportError(
            f"the response from {url} exceeds {limit} bytes once decompressed",
            status=status,
        )
    return out


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
        self.cancelled = False
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
            self.cancelled = True  # one about to start does nothing

    def _cut(self) -> None:
        import socket

        with self._lock:
            if self.cancelled:
                return
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


def _proxy_for(
    scheme: str, host: str, *, all_proxy: bool = False
) -> urllib.parse.SplitResult | None:
    """The proxy urllib would use for ``host`` (from the environment), if any;
    with ``all_proxy``, also ``ALL_PROXY``, which httpx (and curl) honour."""
    from urllib import parse as url_parse
    from urllib import request as url_request

    proxies = url_request.getproxies_environment()
    proxy = proxies.get(scheme) or (proxies.get("all") if all_proxy else None)
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


def _xml_parser(huge_tree: bool = False) -> etree.XMLParser:
    """A parser that never resolves entities, loads a DTD or touches the network;
    with ``huge_tree``, libxml2's limits on text size and depth are lifted."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=huge_tree,
        collect_ids=False,  # no index of xml:id attributes: 5-10% less time
    )
