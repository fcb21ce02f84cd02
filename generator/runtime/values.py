"""Values at run time beyond the common ones: facets, wildcards, xs:anyType
values and the text of mixed content."""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from lxml import etree

from .codec import _CODECS, _READERS, _typed_sub
from .content import NIL, Nil
from .errors import ValidationError
from .scalars import (
    _BUILTIN_PARSERS,
    _FRAGMENT_PARSER,
    _XSI,
    _XSI_NIL,
    _facet_text,
    _fmt_base64,
    _fmt_bool,
    _fmt_date,
    _fmt_datetime,
    _fmt_decimal,
    _fmt_float,
    _fmt_int_any,
    _fmt_str,
    _fmt_time,
    _invalid,
    _split_tag,
    _sub,
)

# -- included in the generated module --


class _Facets(NamedTuple):
    """The facets a simple value is checked against before it is sent: the
    text's patterns and enumeration, the length (of a text, of bytes, or of a
    list's items), the value's bounds, and a decimal's digits."""

    patterns: tuple[re.Pattern[str], ...] = ()
    enumeration: frozenset[str] | None = None  # texts
    values: frozenset[Any] | None = None  # the same, for a type not text
    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    low: Any = None
    low_open: bool = False
    high: Any = None
    high_open: bool = False
    total_digits: int | None = None
    fraction_digits: int | None = None


def _fmt_faceted(
    v: Any,
    path: str,
    name: str,
    fmt: Callable[..., str],
    facets: _Facets,
    *extra: Any,
) -> str:
    """``v`` formatted by ``fmt``, once it is known to keep ``facets``."""
    formatted = fmt(v, path, name, *extra)
    # An MTOM marker stands in for a base64 value: facets see its text.
    text = _facet_text(formatted, v) if fmt is _fmt_base64 else formatted
    for pattern in facets.patterns:
        if pattern.fullmatch(text) is None:
            raise _invalid(
                path, name, f"{text!r} does not match the pattern {pattern.pattern!r}"
            )
    if facets.enumeration is not None and text not in facets.enumeration:
        allowed = ", ".join(sorted(facets.enumeration))
        raise _invalid(path, name, f"{text!r} is not one of: {allowed}")
    if facets.values is not None and v not in facets.values:
        allowed = ", ".join(sorted(str(x) for x in facets.values))
        raise _invalid(path, name, f"{text!r} is not one of: {allowed}")
    if isinstance(v, (str, bytes, bytearray, list, tuple)):
        size, unit = len(v), ("items" if isinstance(v, (list, tuple)) else "long")
        for bound, too in (
            (facets.length, size != facets.length),
            (
                facets.min_length,
                facets.min_length is not None and size < facets.min_length,
            ),
            (
                facets.max_length,
                facets.max_length is not None and size > facets.max_length,
            ),
        ):
            if bound is not None and too:
                raise _invalid(path, name, f"{size} {unit}: the schema allows {bound}")
    if facets.low is not None or facets.high is not None:
        _check_bounds(v, path, name, facets)
    if facets.total_digits is not None or facets.fraction_digits is not None:
        whole, _, fraction = text.lstrip("+-").partition(".")
        fraction = fraction.rstrip("0")
        digits = len(whole.lstrip("0")) + len(fraction)
        if facets.total_digits is not None and digits > facets.total_digits:
            raise _invalid(
                path, name, f"{text} has more than {facets.total_digits} digits"
            )
        if (
            facets.fraction_digits is not None
            and len(fraction) > facets.fraction_digits
        ):
            raise _invalid(
                path,
                name,
                f"{text} has more than {facets.fraction_digits} fraction digits",
            )
    return formatted


def _check_bounds(v: Any, path: str, name: str, facets: _Facets) -> None:
    try:
        low_bad = facets.low is not None and (
            v <= facets.low if facets.low_open else v < facets.low
        )
        high_bad = facets.high is not None and (
            v >= facets.high if facets.high_open else v > facets.high
        )
    except TypeError:  # a date with a time zone against one without: not comparable
        return
    if low_bad or high_bad:
        low = "(" if facets.low_open else "["
        high = ")" if facets.high_open else "]"
        allowed = f"{low}{facets.low}, {facets.high}{high}"
        raise _invalid(path, name, f"{v} is out of range {allowed}")


def _write_any(
    el: etree._Element,
    nodes: Sequence[etree._Element],
    path: str,
    name: str,
    allowed: frozenset[str] | None,
    excluded: frozenset[str],
) -> None:
    """Elements for a wildcard, each in a namespace it admits, copied in."""
    for node in nodes:
        if not isinstance(node, etree._Element) or not isinstance(node.tag, str):
            raise _invalid(
                path, name, f"expected XML elements, got {type(node).__name__}"
            )
        namespace = etree.QName(node).namespace or ""
        if not _admitted(namespace, allowed, excluded):
            raise _invalid(
                path, name, f"<{node.tag}> is not of a namespace the schema allows here"
            )
        el.append(_copied(node))


def _admitted(
    namespace: str, allowed: frozenset[str] | None, excluded: frozenset[str]
) -> bool:
    return namespace in allowed if allowed is not None else namespace not in excluded


def _copied(node: etree._Element) -> etree._Element:
    """A copy of ``node`` that declares every namespace in scope where it was:
    a QName in an attribute or text (xsi:type="x:T") may use any of them, and
    copy.deepcopy keeps only those element and attribute names use. (As UTF-8:
    in ASCII, lxml cannot write a name like ``Résumé``.)"""
    data = etree.tostring(node, with_tail=False, encoding="utf-8")
    return etree.fromstring(data, _FRAGMENT_PARSER)


def _renamed(child: etree._Element, model: etree._Element) -> etree._Element:
    """``child`` made again with ``model``'s namespaces declared on it."""
    parent = child.getparent()
    assert parent is not None
    namespaces: dict[str | None, str] = {**child.nsmap, **model.nsmap}
    fresh = etree.Element(child.tag, nsmap=namespaces)  # type: ignore[arg-type]
    parent.replace(child, fresh)
    return fresh


def _admits_tag(
    tag: object, allowed: frozenset[str] | None, excluded: frozenset[str]
) -> bool:
    """Whether a child's tag is an element a wildcard admits (a comment is not)."""
    if not isinstance(tag, str):
        return False
    namespace = tag[1 : tag.find("}")] if tag[:1] == "{" else ""
    return _admitted(namespace, allowed, excluded)


def _wrong_type(path: str, expected: type[Any], got: object) -> ValidationError:
    return ValidationError(
        path, f"expected a {expected.__name__}, got {type(got).__name__}"
    )


def _write_anytype(parent: etree._Element, tag: str, v: Any, path: str) -> None:
    """An xs:anyType value: an object of a generated class (with its xsi:type),
    a plain value (announced with its XSD type; a string as plain text), NIL,
    or an element whose attributes, text and children are copied."""
    if isinstance(v, etree._Element):
        child = _sub(parent, tag)
        copied = _copied(v)
        for prefix, namespace in copied.nsmap.items():
            if prefix is not None and child.nsmap.get(prefix) != namespace:
                child = _renamed(child, copied)
                break
        for key, value in copied.attrib.items():
            child.set(key, value)
        child.text = copied.text
        child.extend(list(copied))
        return
    if isinstance(v, Nil):
        _sub(parent, tag).set(_XSI_NIL, "true")
        return
    entry = _CODECS.get(type(v))
    if entry is not None:
        writer, _, xsi_type = entry
        if xsi_type:
            namespace, local = _split_tag(xsi_type)
            writer(_typed_sub(parent, tag, namespace, local), v, path)
        else:
            writer(_sub(parent, tag), v, path)
        return
    if isinstance(v, str):
        _sub(parent, tag).text = _fmt_str(v, path, "")
        return
    if isinstance(v, enum.Enum):
        _sub(parent, tag).text = str(v.value)
        return
    import decimal  # only here: most programs never need it

    plain: tuple[tuple[type[Any], str, Callable[..., str]], ...] = (
        (bool, "boolean", _fmt_bool),  # before int: a bool is an int too
        (int, "int" if -(2**31) <= v < 2**31 else "long", _fmt_int_any),
        (float, "double", _fmt_float),
        (decimal.Decimal, "decimal", _fmt_decimal),
        (datetime.datetime, "dateTime", _fmt_datetime),
        (datetime.date, "date", _fmt_date),
        (datetime.time, "time", _fmt_time),
        (bytes, "base64Binary", _fmt_base64),
    )
    for kind, name, fmt in plain:
        if isinstance(v, kind):
            text = fmt(v, path, "")
            _typed_sub(
                parent, tag, "http://www.w3.org/2001/XMLSchema", name
            ).text = text
            return
    raise _invalid(path, "", f"cannot send a {type(v).__name__} as xs:anyType")


def _read_anytype(el: etree._Element, strict: bool) -> Any:
    """An xs:anyType value: read as the type its xsi:type names where the module
    knows it (a class, or a built-in), NIL if nil, otherwise the text, or the
    element itself where it holds more than text."""
    xsi_type = el.get(_XSI + "type")
    if xsi_type is not None:
        prefix, _, local = xsi_type.rpartition(":")
        namespace = el.nsmap.get(prefix or None) or ""
        reader = _READERS.get(f"{{{namespace}}}{local}" if namespace else local)
        if reader is not None:
            return reader(el, strict)
        parse = _BUILTIN_PARSERS.get(local)
        if namespace == "http://www.w3.org/2001/XMLSchema" and parse is not None:
            return parse(el.text)
        return el
    if el.get(_XSI_NIL) in ("true", "1"):
        return NIL
    if len(el) or any(not str(k).startswith(_XSI) for k in el.attrib):
        return el
    return el.text or ""


def _write_mixed(el: etree._Element, chunks: Sequence[str], path: str) -> None:
    """The text of mixed content: ``chunks[0]`` before the first child element,
    ``chunks[i]`` after the i-th."""
    if not chunks:
        return
    kids = list(el)
    if len(chunks) > len(kids) + 1:
        raise _invalid(
            path,
            "",
            f"{len(chunks)} pieces of text for {len(kids)} elements: "
            "at most one more than there are elements",
        )
    for text in chunks:
        if not isinstance(text, str):
            raise _invalid(path, "", f"mixed content text must be str, got {text!r}")
    el.text = chunks[0] or None
    for kid, text in zip(kids, chunks[1:], strict=False):
        kid.tail = text or None


def _read_mixed(el: etree._Element) -> list[str]:
    """The text of mixed content, as :func:`_write_mixed` takes it."""
    chunks = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            chunks.append(child.tail or "")
        else:  # a comment's or processing instruction's tail is text too
            chunks[-1] += child.tail or ""
    while chunks and not chunks[-1]:
        chunks.pop()
    return chunks
