"""The async transport at run time: the ``AsyncTransport`` protocol, and
``HttpxTransport``, its default implementation on httpx (imported only when an
async client is made without a transport of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .errors import TransportError
from .transport import (
    HttpResponse,
    _check_headers,
    _decompressed,
    _joined,
    _merged,
)

if TYPE_CHECKING:
    import ssl

# -- included in the generated module --


# -- async transport ------------------------------------------------------------------


class AsyncTransport(Protocol):
    """The async clients' override point for the HTTP stack: ``Transport``'s
    ``post``, as a coroutine. It raises ``TransportError`` (``status=None``)
    when no answer came."""

    async def post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
    ) -> HttpResponse: ...


class HttpxTransport:
    """The async clients' default transport: an ``httpx.AsyncClient`` with a pool
    of kept-alive connections per host (``pool_size`` idle ones kept), TLS
    verified with ``ssl_context`` (default: the system's trust store), the
    environment's proxies, cookies, and gzip/deflate answers read within
    ``max_response_bytes`` once decompressed. Redirects are not followed.

    httpx is imported here, when the first one is made: ``pip install httpx``
    (or ``wsdlbind[async]``) where async clients are used. The httpx client
    is made in the event loop that first uses it, and made again for another
    loop (a later ``asyncio.run``) or after ``aclose``; pass ``client=`` to
    use your own ``httpx.AsyncClient`` instead.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_response_bytes: int = 64 * 1024 * 1024,
        pool_size: int = 10,
        client: Any = None,
    ) -> None:
        try:
            httpx = _httpx()
        except ImportError:
            raise ImportError(
                "an async client without transport= uses httpx, which is not"
                " installed: pip install httpx (or wsdlbind[async])"
            ) from None
        self.max_response_bytes = max_response_bytes
        self.ssl_context = ssl_context
        self.pool_size = pool_size
        self._given = client
        self._client: Any = None
        self._loop: Any = None
        self._httpx = httpx

    @property
    def client(self) -> Any:
        """The ``httpx.AsyncClient`` of the running event loop."""
        import asyncio

        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop or self._client.is_closed:
            httpx = self._httpx
            self._client = httpx.AsyncClient(
                verify=self.ssl_context if self.ssl_context is not None else True,
                limits=httpx.Limits(
                    max_connections=None, max_keepalive_connections=self.pool_size
                ),
                follow_redirects=False,
                trust_env=True,
            )
            self._loop = loop
        return self._client

    async def post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
    ) -> HttpResponse:
        httpx = self._httpx
        _check_headers(headers)
        # Only what this module decompresses itself, within the size limit:
        # httpx would decompress each chunk whole, and ask for br and zstd.
        headers = _merged({"Accept-Encoding": "gzip, deflate"}, headers)
        limits = httpx.Timeout(timeout[1], connect=timeout[0])
        try:
            async with self.client.stream(
                "POST", url, content=body, headers=headers, timeout=limits
            ) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise TransportError(
                            f"the response from {url} exceeds"
                            f" {self.max_response_bytes} bytes",
                            status=response.status_code,
                        )
                    chunks.append(chunk)
                data = b"".join(chunks)
                encoding = response.headers.get("Content-Encoding", "").strip().lower()
                if encoding not in ("", "identity"):
                    data = _decompressed(
                        data,
                        encoding,
                        self.max_response_bytes,
                        url,
                        response.status_code,
                    )
                return HttpResponse(
                    response.status_code,
                    _joined(response.headers.multi_items()),
                    data,
                )
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            raise TransportError(f"POST {url} failed: {reason}") from exc

    async def aclose(self) -> None:
        """Close the kept-alive connections (the next request opens new ones)."""
        import asyncio

        if self._given is not None:
            await self._given.aclose()
            return
        client, self._client = self._client, None
        # One of another event loop cannot be closed from this one; its loop's
        # end closed its connections.
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()


def _httpx() -> Any:
    """The httpx module, imported at first use. Typed as Any: the generated
    module type-checks whether httpx is installed or not."""
    import importlib

    return importlib.import_module("httpx")
