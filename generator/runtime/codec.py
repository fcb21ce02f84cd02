"""Serialization and parsing at run time: the public ``serialize`` and
``parse``, xsi:type polymorphism, and the bytes of a request's element.

The writers (``_write_*``) and readers (``_read_*``) of each type are
generated; what they share is here, driven by the tables the generated module
defines (``_CODECS``, ``_ELEMENTS``, ``_ROOTS``, ``_READERS``).
"""

from __future__ import annotations

import _thread
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from .content import _Reader
from .errors import ResponseError, ValidationError
from .scalars import _M, _XSI, _invalid, _split_tag, _sub

# Stand-ins for what the generated module defines itself.
_CODECS: dict[type[Any], tuple[_Writer, _Reader, str]] = {}
_READERS: dict[str, _Reader] = {}
_ELEMENTS: dict[type[Any], str] = {}
_ROOTS: dict[type[Any], tuple[_Writer, str, dict[str, str]]] = {}


# -- included in the generated module --

# What serialize(), parse() and xsi:type polymorphism need to know of each
# type (see _CODECS): its writer, its reader, and its schema name.
_Writer = Callable[[etree._Element, Any, str], None]


def _write_poly(
    parent: etree._Element, tag: str, v: Any, declared: type[Any], path: str
) -> None:
    """Write ``v``, a ``declared`` or a subclass; a subclass is named with xsi:type."""
    entry = _CODECS.get(type(v))
    if entry is None or not isinstance(v, declared):
        raise _invalid(
            path, "", f"expected a {declared.__name__}, got {type(v).__name__}"
        )
    writer, _, xsi_type = entry
    if type(v) is declared:
        writer(_sub(parent, tag), v, path)
        return
    if not xsi_type:
        raise _invalid(
            path,
            "",
            f"a {type(v).__name__} (an element's own type) cannot stand in for"
            f" {declared.__name__}: xsi:type has no name to give it",
        )
    namespace, local = _split_tag(xsi_type)
    writer(_typed_sub(parent, tag, namespace, local), v, path)


def _typed_sub(
    parent: etree._Element, tag: str, namespace: str, name: str
) -> etree._Element:
    """A child announcing its type with xsi:type: a subclass standing in for its
    base, or any value in SOAP encoding (rpc/encoded). A type of no namespace
    is named without a prefix (no default namespace is ever declared here)."""
    if not namespace:
        el = _sub(parent, tag)
        el.set(_XSI + "type", name)
        return el
    el = etree.SubElement(parent, tag, nsmap={"xt": namespace})
    el.set(_XSI + "type", f"xt:{name}")
    return el


def _read_poly(
    el: etree._Element, fallback: Callable[[etree._Element, bool], _M], strict: bool
) -> _M:
    """Read ``el`` as the type its xsi:type names, else with ``fallback``."""
    xsi_type = el.get(_XSI + "type")
    if xsi_type is not None:
        prefix, _, local = xsi_type.rpartition(":")
        namespace = el.nsmap.get(prefix or None) or ""
        reader = _READERS.get("{" + namespace + "}" + local if namespace else local)
        if reader is not None:
            value: _M = reader(el, strict)
            return value
        if strict:
            raise ResponseError(
                f"<{etree.QName(el).localname}> has an unknown xsi:type {xsi_type}"
            )
    return fallback(el, strict)


def serialize(obj: Any, tag: str | None = None) -> etree._Element:
    """The XML element for ``obj``, named ``tag`` (Clark notation, ``{ns}name``).

    ``tag`` may be left out for types generated from a global element (every
    request type). Raises ``ValidationError`` naming the field if a value
    breaks the schema.
    """
    entry = _CODECS.get(type(obj))
    tag = tag or _ELEMENTS.get(type(obj))
    if entry is None or tag is None:
        raise TypeError(
            f"{type(obj).__name__} is not a global element's type; pass tag="
        )
    el = etree.Element(tag)
    _written(entry[0], el, obj)
    return el


def _element_bytes(obj: Any) -> bytes:
    """Request object ``obj`` as the bytes of its element, for an envelope."""
    root = _ROOTS.get(type(obj))
    xsi_type = ""
    if root is None:  # a subtype standing in for a request's type (xsi:type)
        declared = next((c for c in type(obj).__mro__ if c in _ROOTS), None)
        entry = _CODECS.get(type(obj))
        if declared is None or entry is None:
            if type(obj) not in _ELEMENTS:
                raise TypeError(
                    f"{type(obj).__name__} is not the type of a request or header"
                )
            return _utf8(serialize(obj))
        _, tag, nsmap = _ROOTS[declared]
        writer, _, xsi_type = entry
        if not xsi_type:
            raise ValidationError(
                type(obj).__name__,
                "an element's own type cannot stand in for another: it has no name",
            )
    else:
        writer, tag, nsmap = root
    # A root element is kept per thread and type, and reused once cleared:
    # making and freeing an lxml document is about a seventh of the time of a
    # small request. It declares the namespaces the schema lets its content
    # use. If lxml still had to make up a prefix (ns1, ns2... numbered per
    # document), the root is dropped, so that no request's bytes depend on
    # the requests before it. A root is out of the cache while in use.
    try:
        roots: dict[str, etree._Element] = _kept.roots
    except AttributeError:  # this thread's first request
        roots = _kept.roots = {}
    if xsi_type:
        namespace, local = _split_tag(xsi_type)
        el = etree.Element(
            tag, nsmap={**nsmap, "xt": namespace} if namespace else nsmap
        )
        el.set(_XSI + "type", f"xt:{local}" if namespace else local)
        _written(writer, el, obj)
        return _utf8(el)
    kept: etree._Element | None = roots.pop(tag, None)
    el = etree.Element(tag, nsmap=nsmap) if kept is None else kept
    _written(writer, el, obj)
    data = _utf8(el)
    el.clear()
    if data.count(b" xmlns:ns") == len(nsmap):  # no prefix was made up
        roots[tag] = el
    return data


def _utf8(el: etree._Element) -> bytes:
    """``el`` (without what may follow it) as UTF-8, the envelope's encoding.

    Through a str: lxml writes text and CPython encodes it in less time than
    lxml takes to write UTF-8 bytes itself (a fifth less for 100,000
    numbers, and for one), and its default, ASCII with character references
    for the rest, is slower still.
    """
    return etree.tostring(el, encoding="unicode", with_tail=False).encode()


# What each thread keeps from one call to the next: ``roots``, its request
# elements by tag (see _element_bytes), and ``parser``, its parser for answers
# (see _answer_root). This is threading.local itself, from the module the
# interpreter has loaded already: importing threading would add to every start.
_kept = _thread._local()


def _written(writer: _Writer, el: etree._Element, obj: Any) -> None:
    """Run ``writer``; a text lxml refuses (a control character) is named."""
    try:
        writer(el, obj, type(obj).__name__)
    except ValidationError:
        raise
    except ValueError as exc:  # lxml: "All strings must be XML compatible"
        raise ValidationError(type(obj).__name__, f"not valid in XML: {exc}") from None


def parse(cls: type[_M], el: etree._Element, *, strict: bool = False) -> _M:
    """Read ``el`` into a ``cls`` instance (the inverse of :func:`serialize`).

    Elements the schema does not declare are skipped, unless ``strict``: then
    they raise ``ResponseError``, as do missing required elements either way.
    """
    entry = _CODECS.get(cls)
    if entry is None:
        raise TypeError(f"{cls.__name__} is not a generated type")
    reader = entry[1]
    try:
        result: _M = reader(el, strict)
    except (ValueError, TypeError) as exc:
        raise ResponseError(
            f"cannot read <{etree.QName(el).localname}>: {exc}"
        ) from exc
    return result


_V = TypeVar("_V")


class _LazyTable(dict[str, _V]):
    """A table keyed by name whose entries the modules of a generated package
    add as they are imported: looking up a name whose module is not loaded
    yet loads it (``modules``: each name's module, a sibling of the module
    named ``sibling``).

    Tables keyed by class need none of this: a class's module is loaded when
    there is an instance of it. Names come from answers (xsi:type, a fault's
    detail), which may name a type nothing has imported yet.
    """

    def __init__(self, modules: dict[str, str], sibling: str) -> None:
        super().__init__()
        self._modules = modules
        self._package = sibling.rpartition(".")[0]

    def get(self, key: str, default: Any = None, /) -> Any:
        if key not in self:
            module = self._modules.get(key)
            if module is not None:
                import importlib  # only a package's tables get here

                importlib.import_module(f"{self._package}.{module}")
        return super().get(key, default)


def _poly_reader(fallback: _Reader) -> _Reader:
    """A content model's reader of a value that may be a subtype (xsi:type)."""

    def read(el: etree._Element, strict: bool) -> Any:
        return _read_poly(el, fallback, strict)

    return read
