"""Simple values at run time: each XML Schema built-in type checked and written
for the wire, and read back by XML Schema's lexical rules; the helpers that
make elements; and ``_Model``, the base of every generated type."""

from __future__ import annotations

import _thread
import datetime
import enum
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from lxml import etree

from .errors import ResponseError, ValidationError

if TYPE_CHECKING:
    import decimal

# Stand-ins for what the generated module defines itself.
_MODEL_PREFIXES: dict[str, str] = {}


# -- included in the generated module --


# -- values: checked and formatted for the wire, parsed back -------------------------

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_XSI_NIL = _XSI + "nil"
_M = TypeVar("_M")
# object.__new__, for readers that fill objects in directly, not through
# __init__: the values they read are already checked and their lists fresh, and
# a long answer makes one object an element (called through a class, __new__
# takes twice as long).
_new: Callable[[type[Any]], Any] = object.__new__


def _sub(parent: etree._Element, tag: str) -> etree._Element:
    """A new last child of ``parent``, named ``tag`` (Clark notation).

    A copy of a model element made once per tag: ``SubElement`` checks the
    name and the namespace again each time, and takes a fifth longer (1.2 µs
    against 1.0), mostly formatting an error it then drops, in its test of the
    name. Where the namespace is declared already, the copy's own declaration
    goes as lxml moves it in; elsewhere it stays, under the prefix
    ``_MODEL_PREFIXES`` gives, which no other namespace has. Models are only
    ever copied, so threads may share them.
    """
    model = _MODELS.get(tag)
    if model is None:
        namespace, _ = _split_tag(tag)
        prefix = _MODEL_PREFIXES.get(namespace)
        nsmap = {prefix: namespace} if prefix else None
        model = _MODELS[tag] = etree.Element(tag, nsmap=nsmap)
    child = _copy(model)
    parent.append(child)
    return child


def _split_tag(tag: str) -> tuple[str, str]:
    """``{namespace}local`` (Clark notation) as (namespace, local); "" if none."""
    if tag[:1] != "{":
        return "", tag
    namespace, _, local = tag[1:].partition("}")
    return namespace, local


_MODELS: dict[str, etree._Element] = {}
# _Element.__copy__ itself: copy.copy would look it up at each call, and lxml's
# type stubs do not declare it.
_copy: Callable[[etree._Element], etree._Element] = vars(etree._Element)["__copy__"]
_SPECIAL = re.compile("[&<>\r]")
_FRAGMENT_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)


def _append_texts(el: etree._Element, tag: str, texts: list[str]) -> None:
    """Append one ``tag`` child per text, in order.

    Many children are made by libxml2 from one string rather than one ``_sub``
    call each, which takes 1.7 times as long for 1,000; the bytes that reach the
    wire are the same.
    """
    if len(texts) < 32:
        for text in texts:
            _sub(el, tag).text = text
        return
    namespace, local = _split_tag(tag)
    joined = "\0".join(texts)  # NUL cannot be in XML, so it cannot be in a text
    if _SPECIAL.search(joined):
        joined = (
            joined.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\r", "&#13;")
        )
    name = f"w:{local}" if namespace else local
    items = joined.replace("\0", f"</{name}><{name}>")
    uri = namespace.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    xmlns = f' xmlns:w="{uri}"' if namespace else ""
    document = f"<all{xmlns}><{name}>{items}</{name}></all>"
    try:
        fragment = etree.fromstring(document, _FRAGMENT_PARSER)
    except etree.XMLSyntaxError:
        fragment = None
    if fragment is None or len(fragment) != len(texts):
        for text in texts:  # a text XML cannot hold: let lxml name it
            _sub(el, tag).text = text
        return
    el.extend(fragment)


def _invalid(path: str, name: str, rule: str) -> ValidationError:
    return ValidationError(f"{path}.{name}" if name else path, rule)


def _fmt_str(
    v: str,
    path: str,
    name: str,
    pattern: re.Pattern[str] | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
) -> str:
    if v.__class__ is str and pattern is None and min_length is max_length is None:
        return v  # the common case, first
    if not isinstance(v, str):
        raise _invalid(path, name, f"expected a string, got {type(v).__name__}")
    if pattern is not None and pattern.fullmatch(v) is None:
        raise _invalid(
            path, name, f"{v!r} does not match the pattern {pattern.pattern!r}"
        )
    if min_length is not None and len(v) < min_length:
        raise _invalid(path, name, f"{v!r} is shorter than {min_length} characters")
    if max_length is not None and len(v) > max_length:
        raise _invalid(path, name, f"{v!r} is longer than {max_length} characters")
    return v


# The value ranges of XML Schema's integer types, (lowest, highest); None: unbounded.
_INTEGER = (None, None)
_LONG = (-(2**63), 2**63 - 1)
_INT = (-(2**31), 2**31 - 1)
_SHORT = (-(2**15), 2**15 - 1)
_BYTE = (-(2**7), 2**7 - 1)
_NON_NEGATIVE = (0, None)
_POSITIVE = (1, None)
_NON_POSITIVE = (None, 0)
_NEGATIVE = (None, -1)
_UNSIGNED_LONG = (0, 2**64 - 1)
_UNSIGNED_INT = (0, 2**32 - 1)
_UNSIGNED_SHORT = (0, 2**16 - 1)
_UNSIGNED_BYTE = (0, 2**8 - 1)


def _fmt_int(
    v: int, path: str, name: str, bounds: tuple[int | None, int | None]
) -> str:
    if v.__class__ is not int and (not isinstance(v, int) or isinstance(v, bool)):
        raise _invalid(path, name, f"expected an integer, got {type(v).__name__}")
    low, high = bounds
    if (low is not None and v < low) or (high is not None and v > high):
        raise _invalid(path, name, f"{v} is out of range [{low}, {high}]")
    return str(v)


def _fmt_bool(v: bool, path: str, name: str) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    raise _invalid(path, name, f"expected a bool, got {type(v).__name__}")


def _fmt_float(v: float, path: str, name: str) -> str:
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise _invalid(path, name, f"expected a float, got {type(v).__name__}")
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "INF" if v > 0 else "-INF"
    return repr(float(v))


def _fmt_decimal(v: decimal.Decimal, path: str, name: str) -> str:
    import decimal

    if not isinstance(v, (decimal.Decimal, int)) or isinstance(v, bool):
        raise _invalid(path, name, f"expected a Decimal, got {type(v).__name__}")
    return str(v) if isinstance(v, int) else format(v, "f")  # format(1, "f"): 1.000000


def _fmt_datetime(v: datetime.datetime, path: str, name: str) -> str:
    if not isinstance(v, datetime.datetime):
        raise _invalid(path, name, f"expected a datetime, got {type(v).__name__}")
    return _utc_as_z(v.isoformat(), v.utcoffset())


def _fmt_date(v: datetime.date, path: str, name: str) -> str:
    if not isinstance(v, datetime.date) or isinstance(v, datetime.datetime):
        raise _invalid(path, name, f"expected a date, got {type(v).__name__}")
    return v.isoformat()


def _fmt_time(v: datetime.time, path: str, name: str) -> str:
    if not isinstance(v, datetime.time):
        raise _invalid(path, name, f"expected a time, got {type(v).__name__}")
    return _utc_as_z(v.isoformat(), v.utcoffset())


def _utc_as_z(text: str, offset: datetime.timedelta | None) -> str:
    """XML Schema's usual spelling of UTC is ``Z`` (``+00:00`` means the same)."""
    return text[:-6] + "Z" if offset == datetime.timedelta(0) else text


#: While an MTOM request is written in this thread: its marker and the bytes
#: of the values it has put aside (see ``_fmt_base64``, ``_Port(mtom=True)``).
_mtom = _thread._local()


def _fmt_base64(v: bytes, path: str, name: str) -> str:
    if not isinstance(v, (bytes, bytearray)):
        raise _invalid(path, name, f"expected bytes, got {type(v).__name__}")
    parts: list[bytes] | None = getattr(_mtom, "parts", None)
    if parts is not None:  # an attachment: a marker takes the value's place
        parts.append(bytes(v))
        return f"{_mtom.marker}{len(parts) - 1}."
    import base64

    return base64.b64encode(v).decode("ascii")


def _facet_text(text: str, v: Any) -> str:
    """The text a value's facets are checked on: its base64 text where an MTOM
    marker stands in for it (a marker has a ``-``, which base64 never has)."""
    if text.startswith("wsdlbind-xop-") and isinstance(v, bytes | bytearray):
        import base64

        return base64.b64encode(v).decode("ascii")
    return text


def _fmt_hex(v: bytes, path: str, name: str) -> str:
    if not isinstance(v, (bytes, bytearray)):
        raise _invalid(path, name, f"expected bytes, got {type(v).__name__}")
    return v.hex().upper()


_E = TypeVar("_E", bound=enum.Enum)


def _fmt_enum(v: _E | str, path: str, name: str, cls: type[_E]) -> str:
    if isinstance(v, cls):
        return str(v.value)
    try:
        return str(cls(v).value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise _invalid(path, name, f"{v!r} is not one of: {allowed}") from None


def _fmt_list(
    values: Sequence[Any], path: str, name: str, item: Callable[..., str], *extra: Any
) -> str:
    """An xs:list: its items, formatted by ``item``, separated by spaces."""
    texts = [item(v, path, name, *extra) for v in values]
    for text in texts:
        if not text or any(c.isspace() for c in text):
            raise _invalid(
                path, name, f"{text!r}: a list item must be non-empty, without spaces"
            )
    return " ".join(texts)


def _parse_list(t: str | None, item: Callable[..., Any], *extra: Any) -> list[Any]:
    return [item(x, *extra) for x in (t or "").split()]


def _parse_str(t: str | None) -> str:
    return t or ""


def _parse_int(
    t: str | None, bounds: tuple[int | None, int | None] = (None, None)
) -> int:
    """An integer by XML Schema's lexical rules: an optional sign and ASCII
    digits, white space around them; in the type's range. (``int()`` alone
    takes ``1_000`` and other scripts' digits.)"""
    text = (t or "").strip(" \t\n\r")
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not (digits.isdigit() and digits.isascii()):
        raise ValueError(f"{t!r} is not an integer")
    value = int(text)
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{value} is out of range [{low}, {high}]")
    return value


def _parse_bool(t: str | None) -> bool:
    text = (t or "").strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"{text!r} is not an xs:boolean")


# float() and Decimal() also take "1_000", "infinity", "nan" and other scripts' digits.
_DECIMAL_TEXT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_FLOAT_TEXT = _DECIMAL_TEXT + r"([eE][+-]?[0-9]+)?"
_FLOAT_WORDS = {"INF": math.inf, "+INF": math.inf, "-INF": -math.inf, "NaN": math.nan}


def _parse_float(t: str | None) -> float:
    text = (t or "").strip(" \t\n\r")
    word = _FLOAT_WORDS.get(text)
    if word is not None:
        return word
    if re.fullmatch(_FLOAT_TEXT, text) is None:
        raise ValueError(f"{t!r} is not an xs:double")
    return float(text)


def _parse_decimal(t: str | None) -> decimal.Decimal:
    import decimal

    text = (t or "").strip(" \t\n\r")
    if re.fullmatch(_DECIMAL_TEXT, text) is None:
        raise ValueError(f"{t!r} is not an xs:decimal")
    return decimal.Decimal(text)


# XML Schema's lexical forms (fromisoformat also takes ISO 8601's basic
# format, a space for the T, hours alone, a comma before the fraction...).
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_DATE = r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]"
# Patterns, not compiled ones: re compiles (and caches) one at its first use,
# on the checked path, so that importing the module stays cheap.
_DATETIME_TEXT = _DATE + "T" + _TIME + _TZ
_DATE_TEXT = _DATE + _TZ
_TIME_TEXT = _TIME + _TZ


#: The characters at 4, 7, 10... of a dateTime in its usual forms (see readers).
_DATETIME_SEPARATORS = frozenset({"--T::", "--T::Z"})


def _lexical(t: str | None, form: str, kind: str) -> str:
    text = (t or "").strip(" \t\n\r")
    if re.fullmatch(form, text) is None:
        raise ValueError(f"{t!r} is not an xs:{kind}")
    return text


def _parse_datetime(t: str | None) -> datetime.datetime:
    # Readers of child elements check the usual shape and call fromisoformat
    # inline, and come here for anything else: white space, or not a dateTime.
    text = _lexical(t, _DATETIME_TEXT, "dateTime")
    if text[11:13] == "24":  # 24:00:00: the first moment of the next day
        moment = datetime.datetime.fromisoformat(f"{text[:11]}00{text[13:]}")
        return moment + datetime.timedelta(days=1)
    return datetime.datetime.fromisoformat(text)


def _parse_date(t: str | None) -> datetime.date:
    return datetime.date.fromisoformat(_lexical(t, _DATE_TEXT, "date")[:10])


def _parse_time(t: str | None) -> datetime.time:
    text = _lexical(t, _TIME_TEXT, "time")
    if text[:2] == "24":  # 24:00:00 is midnight, as 00:00:00 is
        text = "00" + text[2:]
    return datetime.time.fromisoformat(text)


def _parse_base64(t: str | None) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode((t or "").strip(), validate=False)
    except binascii.Error:
        raise ValueError(f"{t!r} is not xs:base64Binary") from None


def _parse_hex(t: str | None) -> bytes:
    return bytes.fromhex((t or "").strip())


def _fmt_int_any(v: int, path: str, name: str) -> str:
    return _fmt_int(v, path, name, _LONG)


# How an xs:anyType value that names a built-in type with xsi:type is read.
_BUILTIN_PARSERS: dict[str, Callable[[str | None], Any]] = {
    "boolean": _parse_bool,
    **dict.fromkeys(("float", "double"), _parse_float),
    "decimal": _parse_decimal,
    "dateTime": _parse_datetime,
    "date": _parse_date,
    "time": _parse_time,
    "base64Binary": _parse_base64,
    "hexBinary": _parse_hex,
    **dict.fromkeys(
        (
            "integer",
            "long",
            "int",
            "short",
            "byte",
            "nonNegativeInteger",
            "positiveInteger",
            "nonPositiveInteger",
            "negativeInteger",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
        ),
        _parse_int,
    ),
    **dict.fromkeys(("string", "token", "normalizedString", "anyURI"), _parse_str),
}


def _value_map(cls: type[_E]) -> dict[str | None, _E]:
    """Members by value: the readers' first, cheapest try."""
    return {member.value: member for member in cls}


def _parse_enum(t: str | None, cls: type[_E]) -> _E:
    member = cls._value2member_map_.get(t)  # the common case, without Enum's __call__
    if isinstance(member, cls):
        return member
    return cls((t or "").strip())


def _other_attributes(el: etree._Element, declared: tuple[str, ...]) -> dict[str, str]:
    """The attributes of ``el`` its type does not declare (for xs:anyAttribute)."""
    return {
        str(k): str(v)
        for k, v in el.attrib.items()
        if k not in declared and not str(k).startswith(_XSI)
    }


def _unknown(el: etree._Element, child: etree._Element) -> ResponseError:
    return ResponseError(
        f"<{etree.QName(el).localname}> holds <{child.tag}>, which the schema does not declare"
    )


def _foreign(
    el: etree._Element,
    child: etree._Element,
    strict: bool,
    declared: tuple[str, ...],
) -> bool:
    """What a reader does at the first child of ``el`` its type does not declare,
    ``child``: raise (``strict``), or look at all of them once. Those whose
    local name is that of a declared child ``el`` lacks in its own namespace
    (servers that put every element in one namespace) are renamed in place,
    with one WARNING per name, and True says to read ``el`` again; the rest
    are skipped. A declared child present as declared is never replaced by a
    namesake from another namespace. One pass over the children, whatever
    their number: readers call this once per reading."""
    if strict:
        raise _unknown(el, child)
    present = {item.tag for item in el}
    by_local = {tag.rpartition("}")[2]: tag for tag in declared if tag not in present}
    renamed = False
    for item in el if by_local else ():
        found = item.tag
        if not isinstance(found, str) or found in declared:
            continue
        tag = by_local.get(found.rpartition("}")[2])
        if tag is None:
            continue
        if (found, tag) not in _FOREIGN_SEEN and len(_FOREIGN_SEEN) < 1000:
            _FOREIGN_SEEN.add((found, tag))
            import logging

            logging.getLogger(__name__).warning(
                "read <%s> as <%s>: the answer puts it in another namespace",
                found,
                tag,
            )
        item.tag = tag
        renamed = True
    return renamed


#: (found, declared) element names already warned about: at most 1,000 pairs
#: are remembered (and warned about), whatever names answers bring.
_FOREIGN_SEEN: set[tuple[str, str]] = set()


def _missing(el: etree._Element, name: str) -> ResponseError:
    return ResponseError(f"<{etree.QName(el).localname}> lacks its required {name}")


def _same(a: object, b: object) -> bool:
    """Equal values; XML elements (from wildcards) are equal when their canonical
    forms are, as lxml compares elements by identity."""
    if a == b:
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, etree._Element) and isinstance(b, etree._Element):
        return _canonical(a) == _canonical(b)
    return False


def _canonical(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True, with_tail=False)


class _Model:
    """Equality and repr for every generated type, driven by ``_fields``.

    Generated types are plain classes with ``__slots__`` and an explicit
    ``__init__`` instead of ``@dataclass``: the same keyword construction,
    equality and repr, without the decorator's cost at import time.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(_same(getattr(self, n), getattr(other, n)) for n in self._fields)

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({args})"
