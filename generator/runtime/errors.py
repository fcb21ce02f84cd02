"""The exceptions the generated module raises: ``Error`` at the root, and one
class for each way a call can fail (a request the schema refuses, no answer,
an answer that is not what the operation declares, a SOAP Fault)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

# -- included in the generated module --


# -- errors --------------------------------------------------------------------------


class Error(Exception):
    """The root of every exception this module raises."""


class ValidationError(Error, ValueError):
    """A request value breaks a rule of the schema; nothing was sent.

    ``field`` is the dotted path to the value, such as
    ``CreateContactBatch.BroadcastId``; ``rule`` says what is wrong.
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class TransportError(Error):
    """The HTTP exchange failed: no connection, a timeout, or an HTTP error status."""

    def __init__(
        self, message: str, *, status: int | None = None, body: bytes = b""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class AuthenticationError(TransportError):
    """The server refused the credentials (HTTP 401 or 403)."""


class ResponseError(Error):
    """The server's answer is not the XML the operation declares."""


class Fault(Error):
    """The server answered with a SOAP Fault.

    ``code`` is the fault code (``soap:Sender``...), ``subcodes`` the SOAP 1.2
    subcodes, ``reason`` the human-readable text and ``detail`` the fault's
    detail element, if any.
    """

    def __init__(
        self,
        reason: str,
        *,
        code: str,
        subcodes: Sequence[str] = (),
        detail: etree._Element | None = None,
    ) -> None:
        super().__init__(f"{code}: {reason}")
        self.reason = reason
        self.code = code
        self.subcodes = list(subcodes)
        self.detail = detail
