"""The async transport at run time: the ``AsyncTransport`` protocol, and
``HttpxTransport``, its default implementation on httpx (imported only when an
async client is made without a transport of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from generator.runtime.errors import TransportError
from generator.runtime.transport import HttpResponse, _check_headers, _joined

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
    (or ``wsdlbind[async]``) where async clients are used.
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
        self.client = client or httpx.AsyncClient(
            verify=ssl_context if ssl_context is not None else True,
            limits=httpx.Limits(
                max_connections=None, max_keepalive_connections=pool_size
            ),
            follow_redirects=False,
            trust_env=True,
        )

    async def post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        timeout: tuple[float, float],
    ) -> HttpResponse:
        httpx = _httpx()
        _check_headers(headers)
        limits = httpx.Timeout(timeout[1], connect=timeout[0])
        try:
            async with self.client.stream(
                "POST", url, content=body, headers=headers, timeout=limits
            ) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise TransportError(
                            f"the response from {url} exceeds"
                            f" {self.max_response_bytes} bytes",
                            status=response.status_code,
                        )
                    chunks.append(chunk)
                return HttpResponse(
                    response.status_code,
                    _joined(response.headers.multi_items()),
                    b"".join(chunks),
                )
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            raise TransportError(f"POST {url} failed: {reason}") from exc

    async def aclose(self) -> None:
        """Close the kept-alive connections."""
        await self.client.aclose()


def _httpx() -> Any:
    """The httpx module, imported at first use. Typed as Any: the generated
    module type-checks whether httpx is installed or not."""
    import importlib

    return importlib.import_module("httpx")
