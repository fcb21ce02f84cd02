"""The generated module's exceptions (generator/runtime/errors.py)."""

from __future__ import annotations

from lxml import etree
from wsdlbind.runtime.errors import (
    AuthenticationError,
    Error,
    Fault,
    ResponseError,
    TransportError,
    ValidationError,
)


def test_every_error_is_caught_as_error_and_validation_as_value_error() -> None:
    for cls in (ValidationError, TransportError, ResponseError, Fault):
        assert issubclass(cls, Error)
    assert issubclass(ValidationError, ValueError)
    assert issubclass(AuthenticationError, TransportError)
    assert not issubclass(ResponseError, ValueError)  # never taken for bad input


def test_errors_keep_what_a_caller_acts_on() -> None:
    invalid = ValidationError("Request.Id", "is required")
    assert (str(invalid), invalid.field, invalid.rule) == (
        "Request.Id: is required",
        "Request.Id",
        "is required",
    )
    failed = TransportError("HTTP 503", status=503, body=b"busy")
    assert (failed.status, failed.body) == (503, b"busy")
    detail = etree.Element("detail")
    fault = Fault("no such id", code="soap:Sender", subcodes=("a:b",), detail=detail)
    assert str(fault) == "soap:Sender: no such id"
    assert fault.subcodes == ["a:b"] and fault.detail is detail
