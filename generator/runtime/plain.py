"""Plain data: generated objects as nested dicts and lists, and back.

For JSON, logs and dataframes. Keys are the fields' Python names, in schema
order; datetimes, decimals and bytes stay typed, and ``json_default`` turns
them (and enums, and wildcard elements) into text for :func:`json.dumps`.
``from_dict`` reads the types back from each class's ``__init__``
annotations, so it takes both typed values and that text.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from typing import Any

from lxml import etree

from .content import NIL, Nil
from .errors import ValidationError
from .scalars import _FRAGMENT_PARSER, _M, _Model

# -- included in the generated module --


def to_dict(obj: _Model, *, keep_none: bool = False) -> dict[str, Any]:
    """``obj`` as nested dicts and lists: each field by its Python name, in
    schema order, and ``None`` left out where it is the field's default
    (unless ``keep_none``), so that :func:`from_dict` gives ``obj`` back. Enums
    become their
    values; datetimes, decimals, bytes, ``NIL`` and wildcard elements stay as
    they are (``json.dumps(d, default=json_default)`` writes them as text)."""
    if not isinstance(obj, _Model):
        raise TypeError(f"to_dict takes a generated object, not {type(obj).__name__}")
    out: dict[str, Any] = _plain_out(obj, keep_none)
    return out


def _plain_out(v: Any, keep_none: bool) -> Any:
    if isinstance(v, _Model):
        left_out = () if keep_none else _none_by_default(type(v))
        return {
            name: _plain_out(value, keep_none)
            for name in v._fields
            if (value := getattr(v, name)) is not None or name not in left_out
        }
    if isinstance(v, list | tuple):
        return [_plain_out(item, keep_none) for item in v]
    if isinstance(v, dict):
        return {key: _plain_out(item, keep_none) for key, item in v.items()}
    if isinstance(v, enum.Enum):
        return v.value
    return v


_NONE_BY_DEFAULT: dict[type[Any], frozenset[str]] = {}


def _none_by_default(cls: type[Any]) -> frozenset[str]:
    """The fields of ``cls`` whose default is ``None``: where ``None`` may be
    left out (elsewhere it is a value: a default overridden, or a nil)."""
    names = _NONE_BY_DEFAULT.get(cls)
    if names is None:
        defaults = getattr(cls.__init__, "__kwdefaults__", None) or {}
        names = frozenset(k for k, v in defaults.items() if v is None)
        _NONE_BY_DEFAULT[cls] = names
    return names


def json_default(v: Any) -> Any:
    """For ``json.dumps(..., default=json_default)``: a datetime, date or time
    in ISO 8601, a decimal as its exact text, bytes in base64, an enum as its
    value, ``NIL`` as null (read back as ``NIL`` in a list, as ``None``
    elsewhere), an element as its XML, a generated object as
    :func:`to_dict` gives it. Anything else is a ``TypeError``, as
    :mod:`json` asks."""
    import base64
    from decimal import Decimal  # (the module's own ``decimal`` is for typing)

    if isinstance(v, datetime.date | datetime.time):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, bytes):
        return base64.b64encode(v).decode("ascii")
    if isinstance(v, enum.Enum):
        return v.value
    if v is NIL:
        return None
    if isinstance(v, etree._Element):
        return etree.tostring(v, encoding="unicode")
    if isinstance(v, _Model):
        return to_dict(v)
    raise TypeError(f"{type(v).__name__} is not JSON serializable")


def from_dict(cls: type[_M], data: Mapping[str, Any]) -> _M:
    """An object of the generated class ``cls`` from plain data, as
    :func:`to_dict` (or ``json.loads`` of what ``json_default`` wrote) gives
    it: nested dicts become the classes the fields are declared with, and
    text becomes the datetime, decimal, bytes, enum or element a field
    holds. Raises ``ValidationError`` for a key ``cls`` has no field for, or
    a value that fits none of a field's types; the request's own checks run
    when it is sent, as for any object."""
    return _from_plain(cls, data, cls.__name__)


def _from_plain(cls: type[_M], data: Any, path: str) -> _M:
    if not isinstance(data, Mapping):
        raise ValidationError(path, f"expected a dict for {cls.__name__}, got {data!r}")
    hints = _plain_hints(cls)
    unknown = [key for key in data if key not in hints]
    if unknown:
        raise ValidationError(path, f"{cls.__name__} has no field {unknown[0]!r}")
    values = {
        key: _plain_in(hints[key], value, f"{path}.{key}")
        for key, value in data.items()
    }
    try:
        return cls(**values)
    except TypeError as exc:  # a required field missing
        raise ValidationError(path, str(exc).replace(".__init__()", "")) from None


_PLAIN_HINTS: dict[type[Any], dict[str, Any]] = {}


def _plain_hints(cls: type[Any]) -> dict[str, Any]:
    """The types of ``cls``'s fields, from its ``__init__``'s annotations
    (resolved once). Names the module imports for type checkers only, or
    that another module of a package defines, are looked up where they are."""
    hints = _PLAIN_HINTS.get(cls)
    if hints is None:
        import sys
        import typing

        module = sys.modules[cls.__module__]
        names = _PlainNames(vars(module), module.__package__ or "")
        hints = typing.get_type_hints(cls.__init__, localns=names)
        hints.pop("return", None)
        _PLAIN_HINTS[cls] = hints
    return hints


class _PlainNames(dict[str, Any]):
    """A module's names, and those it imports for type checkers alone."""

    def __init__(self, names: Mapping[str, Any], package: str) -> None:
        super().__init__(names)
        self.package = package

    def __missing__(self, name: str) -> Any:
        import builtins
        import importlib

        if hasattr(builtins, name):
            return getattr(builtins, name)
        if self.package and name[:1] != "_":
            try:
                return getattr(importlib.import_module(self.package), name)
            except AttributeError:
                pass
        return importlib.import_module(name)  # decimal, ssl...


def _plain_in(hint: Any, v: Any, path: str) -> Any:
    """``v`` as a field of type ``hint`` holds it."""
    import types
    import typing

    if v is None or v is NIL:
        return v
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:  # X | None: X's own error says more
            return _plain_in(options[0], v, path)
        for option in options:  # already one of them
            if isinstance(option, type) and isinstance(v, option):
                return v
        for option in options:  # else the first that takes it
            try:
                return _plain_in(option, v, path)
            except ValidationError:
                continue
        raise ValidationError(path, f"{v!r} fits none of {hint}")
    if origin is not None:
        args = typing.get_args(hint)
        if isinstance(origin, type) and issubclass(origin, Mapping):
            return {key: _plain_in(args[1], item, path) for key, item in v.items()}
        if isinstance(v, str | bytes | Mapping) or not hasattr(v, "__iter__"):
            raise ValidationError(path, f"expected a list, got {v!r}")
        # A list holds no None: a null item is a nil one (json_default's NIL).
        nil = NIL if Nil in typing.get_args(args[0]) else None
        return [
            nil if item is None else _plain_in(args[0], item, f"{path}[{i}]")
            for i, item in enumerate(v)
        ]
    if hint is Any or not isinstance(hint, type) or isinstance(v, hint):
        return v  # Any (a class on Python 3.11+), or a value of the type already
    try:
        return _plain_value(hint, v, path)
    except ValidationError:
        raise
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise ValidationError(path, f"{v!r} is not a {hint.__name__}: {exc}") from None


def _plain_value(hint: type[Any], v: Any, path: str) -> Any:
    """``v`` (text, a number or a dict) as a value of the class ``hint``."""
    import base64
    import binascii
    from decimal import Decimal, InvalidOperation

    if issubclass(hint, _Model):
        return _from_plain(hint, v, path)
    if issubclass(hint, enum.Enum):
        return hint(v)
    if hint is float and isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        if hint is datetime.datetime:
            return datetime.datetime.fromisoformat(v)
        if hint is datetime.date:
            return datetime.date.fromisoformat(v)
        if hint is datetime.time:
            return datetime.time.fromisoformat(v)
        if hint is Decimal:
            try:
                return Decimal(v)
            except InvalidOperation:
                raise ValueError(f"{v!r} is not a decimal") from None
        if hint is bytes:
            try:
                return base64.b64decode(v, validate=True)
            except binascii.Error:
                raise ValueError(f"{v!r} is not base64") from None
        if hint is etree._Element:
            return etree.fromstring(v, _FRAGMENT_PARSER)
    if hint is Decimal and isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    raise ValidationError(path, f"expected {hint.__name__}, got {v!r}")
