"""``wsdlbind mock``: a stand-in service on 127.0.0.1 that answers every
operation of a WSDL with a sample answer the schema allows.

For tests in another process or language: point the client at the printed
address, and each call gets an answer of the declared type, with every
required part present and every value within its facets. The answers are
made once, when the server starts:

- the module is generated as ``wsdlbind generate`` would, and loaded;
- a sample object of each answer's class is built from the model (the
  fields the content model requires, values its facets allow, see
  :class:`Samples`);
- it is written by the module's own writer, which checks it against the
  schema as it checks a request: what it refuses is never served, and the
  operation answers a SOAP fault saying why instead.

Requests are told apart as a SOAP server tells them: by the envelope's
version and the body's first element, then by the SOAP action where
operations share a request element. Nothing but 127.0.0.1 is listened on.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import email.message
import email.parser
import email.policy
import functools
import hashlib
import http.server
import importlib
import inspect as pyinspect
import itertools
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from . import model, pipeline, xsd_types
from .errors import GenerationWarning, InternalError
from .model import ANY_TYPE, Check, ComplexType, EnumType, Field, QName, SimpleType
from .namespaces import SOAP11_ENV, SOAP12_ENV, XSD
from .render.decide import regex_problem
from .runtime import scalars

__all__ = ["Mock", "MockServer", "Samples", "Unsampled", "listen"]

#: How deep a sample's optional content goes before only what is required is
#: filled in; required content deeper than :data:`TOO_DEEP` is refused (a
#: schema that requires itself has no finite instance).
DEEP = 2
TOO_DEEP = 40

#: The most objects one answer's sample may be made of (trials included):
#: past it, the operation answers a fault rather than keep the start waiting.
BUDGET = 5_000

#: The largest request body read, in bytes.
MAX_REQUEST = 16 * 2**20


class Unsampled(Exception):
    """No sample value could be made: what, and why."""


# -- sample values -------------------------------------------------------------


@dataclass
class Samples:
    """Sample objects of the classes of a generated ``module``, built from the
    ``project`` it was generated from.

    Each sample has what its type requires and nothing more below
    :data:`DEEP` levels; above them, an optional part is given once where it
    can be made (one that cannot is left out), so an answer shows its shape.
    Choices take the branch that can be made whose instance nests the
    fewest levels (see :func:`_nesting`), abstract types their
    first concrete subtype, values the first candidate their facets allow
    (see :meth:`text`). Across one sample (see :meth:`element`) each xs:ID is
    new and each xs:IDREF names one of them.
    """

    project: model.Project
    module: types.ModuleType
    _ids: Iterator[int] = dataclasses.field(
        default_factory=lambda: itertools.count(1), repr=False
    )
    budget: int = BUDGET  # objects left for the sample being made
    given: list[str] = dataclasses.field(default_factory=list)  # its xs:IDs
    wanted: set[str] = dataclasses.field(default_factory=set)  # IDREFs to give
    _making: list[QName] = dataclasses.field(default_factory=list, repr=False)

    def element(self, wire: QName) -> etree._Element:
        """A sample of the global element ``wire``, written by the module (which
        checks it as a request): a new budget, and every IDREF resolved."""
        self.budget = BUDGET
        self.given.clear()
        self.wanted.clear()
        written = self._written(wire, 0, TOO_DEEP)
        if self.wanted:
            raise Unsampled(
                f"an xs:IDREF needs an xs:ID in the same answer, and {wire}"
                " has none the sample could give"
            )
        return written

    def instance(
        self,
        typedef: ComplexType,
        depth: int = 0,
        limit: int = TOO_DEEP,
        *,
        text: str | None = None,
        block: frozenset[str] = frozenset(),
    ) -> Any:
        """A sample object of ``typedef``'s class, ``depth`` levels down, with
        nothing deeper than ``limit`` (``text``: the fixed value of its simple
        content; ``block``: the derivations its element blocks)."""
        if depth > limit:
            raise Unsampled(f"{typedef.key} nests deeper than {limit} levels")
        self.budget -= 1
        if self.budget < 0:
            raise Unsampled(f"a sample would take more than {BUDGET:,} objects")
        if typedef.abstract:
            blocked = block | typedef.block
            concrete = [
                t
                for t in self.project.subtypes(typedef)
                if not model.derivations(self.project.types, t.key, typedef.key)
                & blocked
            ]
            if not concrete:
                raise Unsampled(
                    f"{typedef.key} is abstract, with no concrete subtype"
                    + (" its block allows" if blocked else "")
                )
            typedef = concrete[0]
        cls = getattr(self.module, typedef.py_name)
        takes = set(pyinspect.signature(cls).parameters)
        values: dict[str, Any] = {}
        if typedef.check is not None:
            self._fill(typedef.check, values, depth, limit)
        for f in typedef.all_fields:
            if f.kind == "attribute" and f.attribute is not None:
                use = f.attribute
                if use.fixed is not None:
                    values[f.py_name] = self.value(use.type, use.fixed)
                elif use.required:
                    values[f.py_name] = self.value(use.type)
                elif depth < DEEP:
                    make = functools.partial(self.value, use.type)
                    self._optional(make, f.py_name, values)
            elif f.kind == "text" and f.simple is not None:
                values[f.py_name] = self.value(f.simple, text)
        return cls(**{k: v for k, v in values.items() if k in takes})

    def _optional(
        self, make: Callable[[], Any], key: str, values: dict[str, Any]
    ) -> None:
        """``values[key] = make()``, unless it cannot be made: then nothing."""
        mark = self._mark()
        try:
            values[key] = make()
        except Unsampled:
            self._restore(mark)

    def _attempt(
        self, fill: Callable[[dict[str, Any]], None], values: dict[str, Any]
    ) -> bool:
        """Put in ``values`` what ``fill`` makes, if it can make all of it;
        if not, nothing, and the IDs and IDREFs are as they were."""
        trial: dict[str, Any] = {}
        mark = self._mark()
        try:
            fill(trial)
        except Unsampled:
            self._restore(mark)
            return False
        values.update(trial)
        return True

    def _mark(self) -> tuple[int, frozenset[str]]:
        """Where the IDs and IDREFs stand, to go back to (see :meth:`_restore`)."""
        return len(self.given), frozenset(self.wanted)

    def _restore(self, mark: tuple[int, frozenset[str]]) -> None:
        """Forget the IDs and IDREFs of a trial that failed."""
        del self.given[mark[0] :]
        self.wanted = set(mark[1])

    @functools.cached_property
    def _nesting(self) -> dict[QName, int]:
        """The fewest levels of elements of each complex type's instance."""
        return _nesting(self.project)

    def _fill(
        self, check: Check, values: dict[str, Any], depth: int, limit: int
    ) -> None:
        """Put in ``values`` what ``check`` requires (and, shallow, allows)."""
        if check.min == 0:
            if depth >= DEEP:
                return
            # Optional: left out if it cannot be made.
            self._attempt(
                functools.partial(self._fill_present, check, depth=depth, limit=limit),
                values,
            )
            return
        self._fill_present(check, values, depth, limit)

    def _fill_present(
        self, check: Check, values: dict[str, Any], depth: int, limit: int
    ) -> None:
        """:meth:`_fill` for a ``check`` that is to be met, optional or not."""
        if check.kind == "choice":
            # The branch with the shallowest instance first: a recursive one
            # could go on to the limit.
            nesting = self._nesting
            ordered = sorted(
                check.children, key=lambda b: _depth_or_deep(_check_depth(b, nesting))
            )
            for branch in ordered:
                fill = functools.partial(self._fill, branch, depth=depth, limit=limit)
                if self._attempt(fill, values):
                    return
            if check.children:
                raise Unsampled("no branch of a choice can be made")
            return
        if check.kind == "all":
            for child in check.children:
                self._fill(child, values, depth, limit)
            return
        f = check.field
        if f is None:
            return
        count = max(check.min, 1 if depth < DEEP else 0)
        if check.max is not None:
            count = min(count, check.max)
        if count == 0 or f.kind not in ("element", "group", "any"):
            return
        items = [self._item(f, depth, limit) for _ in range(count)]
        if f.repeated:
            values[f.py_name] = items
        else:
            values[f.py_name] = items[0]

    def _item(self, f: Field, depth: int, limit: int) -> Any:
        """One value of field ``f``."""
        if f.kind == "group" and f.group is not None:
            return self.instance(self.project.complex(f.group), depth + 1, limit)
        if f.kind == "any":
            return self._any(f, depth, limit)
        decl = f.element
        if decl is None:
            raise Unsampled(f"field {f.py_name} has no element")
        block = decl.block
        if decl.abstract:  # what its block allows is in its substitutes
            concrete = [d for d in decl.substitutes if not d.abstract]
            if not concrete:
                raise Unsampled(f"element {decl.name} is abstract")
            decl = concrete[0]
        kind = f.soap_array if f.soap_array is not None else decl.type
        if isinstance(kind, SimpleType):
            return self.value(kind, decl.fixed)
        if kind == ANY_TYPE:
            return self._text_element(decl.name, decl.fixed)
        found = self.project.type(kind)
        if isinstance(found, EnumType):
            chosen = decl.fixed if decl.fixed is not None else found.values[0]
            return getattr(self.module, found.py_name)(chosen)
        return self.instance(found, depth + 1, limit, text=decl.fixed, block=block)

    def _any(self, f: Field, depth: int, limit: int) -> Any:
        """An element a wildcard allows. For ``strict``, a global element of
        the schema in a namespace it admits (not one being made: that could
        only nest until the limit); otherwise an element the schema does not
        declare, holding a text."""
        wildcard = f.wildcard if f.wildcard is not None else model.Wildcard()
        if wildcard.process == "strict":
            for name, decl in sorted(self.project.elements.items()):
                if (
                    not wildcard.admits(name.namespace)
                    or decl.abstract
                    or name in self._making
                ):
                    continue
                mark = self._mark()
                try:
                    return self._written(name, depth + 1, limit)
                except Exception:  # noqa: BLE001 - the next element may do
                    self._restore(mark)
            raise Unsampled("no element of the schema fits a strict wildcard")
        for namespace in (*sorted(wildcard.allowed or ()), *_SAMPLE_NAMESPACES):
            name = QName(namespace, "sample")
            if wildcard.admits(namespace) and name not in self.project.elements:
                return self._text_element(name)
        raise Unsampled("no namespace a sample could use fits a wildcard")

    def _written(self, wire: QName, depth: int, limit: int) -> etree._Element:
        """The global element ``wire``, as the module writes it."""
        decl = self.project.elements.get(wire)
        self._making.append(wire)
        try:
            value = self.instance(
                self.project.element(wire),
                depth,
                limit,
                text=None if decl is None else decl.fixed,
            )
        finally:
            self._making.pop()
        written: etree._Element = self.module.serialize(value, str(wire))
        return written

    @staticmethod
    def _text_element(name: QName, text: str | None = None) -> etree._Element:
        """An element of ``xs:anyType``: just a text."""
        el = etree.Element(str(name))
        el.text = "sample" if text is None else text
        return el

    def value(self, s: SimpleType, given: str | None = None) -> Any:
        """A sample value of ``s`` as the module holds it (``given``: that
        text, a fixed value)."""
        if given is not None:
            _refuse_inexact(s, given)
            if s.variety == "atomic":
                self._note(s, given)
        text = given if given is not None else self.text(s)
        if s.variety == "list" and s.item is not None:
            item = s.item
            return [self.value(item, part) for part in text.split()]
        if s.variety == "union":
            return text
        enum = self.project.types.get(s.enum) if s.enum is not None else None
        if isinstance(enum, EnumType):
            return getattr(self.module, enum.py_name)(text)
        row = xsd_types.builtin(s.builtin)
        parse: Callable[..., Any] = getattr(scalars, row.parse)
        if row.parse == "_parse_int":
            return parse(text, (row.low, row.high))
        return parse(text)

    def text(self, s: SimpleType) -> str:
        """A lexical form of ``s`` its facets allow."""
        for pattern in s.facets.patterns:
            problem = regex_problem(pattern)
            if problem is not None:
                # No sample could be told to match it (XSD-only syntax such
                # as \p{Lu}), and the module does not check it.
                raise Unsampled(f"pattern {pattern!r} of {_describe(s)} {problem}")
        if s.builtin in ("ENTITY", "ENTITIES"):
            raise Unsampled(
                f"an xs:{s.builtin} value names an unparsed entity of a DTD,"
                " which a SOAP message cannot have"
            )
        if s.variety == "list" and s.item is not None:
            return self._list_text(s)
        if s.variety == "union":
            for member in s.members:
                mark = self._mark()
                try:
                    candidate = self.text(member)
                except Unsampled:
                    continue
                if _allows(s, candidate, counted=len(candidate)):
                    return candidate
                self._restore(mark)
            raise Unsampled("no member of a union has a value its facets allow")
        enum = self.project.types.get(s.enum) if s.enum is not None else None
        candidates = (
            iter(enum.values) if isinstance(enum, EnumType) else self._candidates(s)
        )
        listed = s.facets.enumeration or (
            enum.values if isinstance(enum, EnumType) else ()
        )
        if s.builtin in _QNAMES and listed:
            _refuse_inexact(s, listed[0])
        for candidate in candidates:
            if enum is not None or _allows(s, candidate, counted=_length(s, candidate)):
                self._note(s, candidate)
                return candidate
        raise Unsampled(f"no value of {_describe(s)} found that its facets allow")

    def _note(self, s: SimpleType, text: str) -> None:
        """Keep the xs:IDs given and the IDREFs that need one."""
        if s.builtin == "ID":
            self.given.append(text)
            self.wanted.discard(text)
        elif s.builtin in ("IDREF", "IDREFS"):
            self.wanted.update(t for t in text.split() if t not in self.given)

    def _list_text(self, s: SimpleType) -> str:
        """A list of as many items as its length facets ask for (or one)."""
        assert s.item is not None
        facets = s.facets
        count = facets.length or max(facets.min_length or 1, 1)
        if facets.max_length is not None:
            count = min(count, facets.max_length)
        for n in dict.fromkeys((count, 1, 2, 0)):
            mark = self._mark()
            candidate = " ".join(self.text(s.item) for _ in range(n))
            if _allows(s, candidate, counted=len(candidate.split())):
                return candidate
            self._restore(mark)
        raise Unsampled(f"no list of {_describe(s)} found that its facets allow")

    def _candidates(self, s: SimpleType) -> Iterator[str]:
        """Texts to try for ``s``, likeliest first; the caller checks each."""
        kind = s.builtin
        if kind == "ID":  # one an IDREF already names, then a new one
            taken = set(self.given)
            found = itertools.chain(sorted(self.wanted), self._lexical(s))
            return (c for c in found if c not in taken)
        if kind in ("IDREF", "IDREFS"):  # one given, else a new name
            return itertools.chain(list(self.given), self._lexical(s))
        return self._lexical(s)

    def _lexical(self, s: SimpleType) -> Iterator[str]:
        facets = s.facets
        if facets.enumeration:
            yield from facets.enumeration
            return
        for pattern in reversed(facets.patterns):
            yield from _regex_samples(pattern, facets)
        kind = s.builtin
        row = xsd_types.builtin(kind)
        if row.annotation in ("int", "decimal.Decimal", "float"):
            yield from _numbers(s, row)
            return
        if row.annotation == "bool":
            yield from ("true", "false", "1", "0")
            return
        if kind in ("base64Binary", "hexBinary"):
            for size in _sizes(facets, 3):
                data = bytes(size)
                yield (
                    base64.b64encode(data).decode()
                    if kind == "base64Binary"
                    else (data.hex())
                )
            return
        if kind in _FIXED:
            yield from _moments(kind, facets)
            return
        if kind in ("ID", "IDREF", "IDREFS"):
            base = f"id{next(self._ids)}"
        else:
            base = _STRINGS.get(kind, "sample")
        for size in _sizes(facets, len(base)):
            yield (base * (size // len(base) + 1))[:size] if size else ""


def _depth_or_deep(depth: int | None) -> int:
    """A branch's nesting for ordering: unknown (no finite instance found)
    counts as past the limit."""
    return TOO_DEEP + 1 if depth is None else depth


def _nesting(project: model.Project) -> dict[QName, int]:
    """How many levels of child elements the shallowest instance of each
    complex type has (a type with none is missing): the least fixpoint, as
    each pass can only lower a type's figure. The standard has no such
    measure; the mock needs it to take the branch of a choice that ends."""
    # An enumeration's element holds a text: -1, so that it counts as none.
    found = {k: -1 for k, t in project.types.items() if isinstance(t, EnumType)}
    typedefs = [t for t in project.types.values() if isinstance(t, ComplexType)]
    changed = True
    while changed:
        changed = False
        for t in typedefs:
            if t.abstract:
                depths = [found.get(s.key) for s in project.subtypes(t)]
                known = [d for d in depths if d is not None]
                depth = min(known) if known else None
            else:
                depth = 0 if t.check is None else _check_depth(t.check, found)
            if depth is not None and depth < found.get(t.key, TOO_DEEP + 1):
                found[t.key] = depth
                changed = True
    return found


def _check_depth(check: Check, found: dict[QName, int]) -> int | None:
    """The levels the least content meeting ``check`` nests (None: none is
    known yet), given the figures ``found`` so far."""
    if check.min == 0:
        return 0
    if check.kind == "choice":
        if not check.children:
            return 0
        known = [d for c in check.children if (d := _check_depth(c, found)) is not None]
        return min(known) if known else None
    if check.kind == "all":
        depths = [_check_depth(c, found) for c in check.children]
        if any(d is None for d in depths):
            return None
        return max((d for d in depths if d is not None), default=0)
    f = check.field
    if f is None or f.kind not in ("element", "group"):
        return 0
    if f.kind == "group":
        below = None if f.group is None else found.get(f.group)
        return None if below is None else below + 1
    decl = f.element
    if decl is None:
        return None
    kind = f.soap_array if f.soap_array is not None else decl.type
    if isinstance(kind, SimpleType) or kind == ANY_TYPE:
        return 0
    below = found.get(kind)
    return None if below is None else below + 1


#: Namespaces a lax or skip wildcard's sample may be in, if it admits one.
_SAMPLE_NAMESPACES = ("urn:wsdlbind:sample", "urn:wsdlbind:sample:other", "")

#: The types whose values are QNames: a prefix in one needs a declaration the
#: sample cannot make (the model keeps no schema's prefixes).
_QNAMES = frozenset(("QName", "NOTATION"))


def _refuse_inexact(s: SimpleType, text: str) -> None:
    """Refuse a given text (fixed, or the only ones allowed) the module would
    not write as it is: a QName's (its namespace comes from the schema's
    declarations, which the model does not keep), a date's time zone, a
    fraction of a second past microseconds, a boolean as 1 or 0."""
    why = None
    if s.builtin in _QNAMES:
        why = "its namespace comes from the schema's prefixes, which are not kept"
    elif s.builtin == "date" and _has_zone("date", text):
        why = "the module holds a date without its time zone"
    elif s.builtin in ("dateTime", "dateTimeStamp", "time") and re.search(
        r"\.\d{7}", text
    ):
        why = "the module holds seconds to the microsecond"
    elif s.builtin == "boolean" and text.strip() in ("0", "1"):
        why = "the module writes a boolean as true or false"
    if why is not None:
        raise Unsampled(f"{_describe(s)} is given as {text!r} by the schema, and {why}")


def _has_zone(kind: str, text: str) -> bool:
    found = _moment(kind, text)
    return found is not None and bool(found[1])


#: Sample values of the types whose form is fixed.
_FIXED = {
    "dateTime": "2001-01-01T00:00:00Z",
    "dateTimeStamp": "2001-01-01T00:00:00Z",
    "date": "2001-01-01",
    "time": "00:00:00",
    "duration": "P1D",
    "gYear": "2001",
    "gYearMonth": "2001-01",
    "gMonth": "--01",
    "gMonthDay": "--01-01",
    "gDay": "---01",
}
#: The seed of a string sample, repeated or cut to the length its facets give.
_STRINGS = {
    "anyURI": "http://example.com/",
    "language": "en",
    "NMTOKENS": "sample",
}


def _sizes(facets: model.Facets, natural: int) -> list[int]:
    """Lengths to try: the natural one, within the facets' bounds."""
    if facets.length is not None:
        return [facets.length]
    low = facets.min_length or 0
    high = facets.max_length
    size = max(natural, low)
    if high is not None:
        size = min(size, high)
    return list(dict.fromkeys((size, low, max(low, 1))))


def _numbers(s: SimpleType, row: xsd_types.Builtin) -> Iterator[str]:
    """Numbers to try: small ones, then the facets' and the type's bounds and
    their neighbours."""
    facets = s.facets
    yield from ("0", "1", "-1")
    step = decimal.Decimal(1).scaleb(-(facets.fraction_digits or 0))
    if row.annotation == "int":
        step = decimal.Decimal(1)
    for bound, direction in (
        (facets.min_inclusive, 0),
        (facets.max_inclusive, 0),
        (facets.min_exclusive, 1),
        (facets.max_exclusive, -1),
        (None if row.low is None else str(row.low), 0),
        (None if row.high is None else str(row.high), 0),
    ):
        if bound is None:
            continue
        try:
            number = decimal.Decimal(bound)
        except decimal.InvalidOperation:
            continue
        if not number.is_finite():
            continue
        for offset in (direction, direction * 10, 1, -1):
            yield _plain(number + offset * step)


def _moments(kind: str, facets: model.Facets) -> Iterator[str]:
    """Dates, times, durations and g-type values to try: the usual sample,
    the inclusive bounds, then a step beside each exclusive bound."""
    yield _FIXED[kind]
    yield from (b for b in (facets.min_inclusive, facets.max_inclusive) if b)
    for bound, step in ((facets.min_exclusive, 1), (facets.max_exclusive, -1)):
        if bound:
            beside = _step(kind, bound, step)
            if beside is not None:
                yield beside


#: The lexical forms of the ordered date and time types, as a pattern with
#: named parts (y, m, d, H, M, S) and an optional time zone (z).
_MOMENT_FORMS = {
    "dateTime": r"(?P<y>-?\d{4,})-(?P<m>\d\d)-(?P<d>\d\d)"
    r"T(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d(?:\.\d+)?)",
    "date": r"(?P<y>-?\d{4,})-(?P<m>\d\d)-(?P<d>\d\d)",
    "time": r"(?P<H>\d\d):(?P<M>\d\d):(?P<S>\d\d(?:\.\d+)?)",
    "gYear": r"(?P<y>-?\d{4,})",
    "gYearMonth": r"(?P<y>-?\d{4,})-(?P<m>\d\d)",
    "gMonth": r"--(?P<m>\d\d)",
    "gMonthDay": r"--(?P<m>\d\d)-(?P<d>\d\d)",
    "gDay": r"---(?P<d>\d\d)",
}
_MOMENT_FORMS["dateTimeStamp"] = _MOMENT_FORMS["dateTime"]
_ZONE = r"(?P<z>Z|[+-]\d\d:\d\d)?"
_DURATION = re.compile(
    r"(?P<sign>-?)P(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+(?:\.\d+)?)S)?)?"
)


def _moment(kind: str, text: str) -> tuple[datetime.datetime, str] | None:
    """``text`` of a date or time type as a point in time (the day of a time
    is 2000-01-01, a g-type's missing parts the first of each) and its zone
    text; None if it is not one Python's datetime can hold."""
    form = _MOMENT_FORMS.get(kind)
    found = None if form is None else re.fullmatch(form + _ZONE, text.strip())
    if found is None:
        return None
    part = found.groupdict()
    seconds = decimal.Decimal(part.get("S") or 0)
    hour = int(part.get("H") or 0)
    try:
        point = datetime.datetime(
            int(part.get("y") or 2000),
            int(part.get("m") or 1),
            int(part.get("d") or 1),
            0,
            int(part.get("M") or 0),
            int(seconds),
            int(seconds % 1 * 1_000_000),
        ) + datetime.timedelta(hours=hour)
    except (ValueError, OverflowError):
        return None
    zone = part["z"] or ""
    if zone == "Z":
        point = point.replace(tzinfo=datetime.UTC)
    elif zone:
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        sign = -1 if zone.startswith("-") else 1
        point = point.replace(tzinfo=datetime.timezone(sign * offset))
    return point, zone


def _step(kind: str, bound: str, step: int) -> str | None:
    """The value one step (its smallest part: a second, a day, a month, a
    year) after ``bound`` (before it: ``step`` -1), written as ``kind``."""
    if kind == "duration":
        order = _duration(bound)
        if order is None:
            return None
        months, seconds = order
        for nearby in ((months, seconds + step), (months + step, seconds)):
            text = _duration_text(*nearby)
            if text is not None:
                return text
        return None
    found = _moment(kind, bound)
    if found is None:
        return None
    point, zone = found
    try:
        if kind in ("gYear",):
            point = point.replace(year=point.year + step)
        elif kind in ("gYearMonth", "gMonth"):
            month = point.month - 1 + step
            point = point.replace(year=point.year + month // 12, month=month % 12 + 1)
        elif kind in ("date", "gMonthDay", "gDay"):
            point += datetime.timedelta(days=step)
        else:
            point += datetime.timedelta(seconds=step)
    except (ValueError, OverflowError):
        return None
    written = {
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "gYear": "%Y",
        "gYearMonth": "%Y-%m",
        "gMonth": "--%m",
        "gMonthDay": "--%m-%d",
        "gDay": "---%d",
    }.get(kind, "%Y-%m-%dT%H:%M:%S")
    if "%Y" not in written and (
        point.year != 2000 or (kind == "gDay" and point.month != 1)
    ):
        return None  # past the last month, or day, there is
    return _with_year(point, written) + zone


def _with_year(point: datetime.datetime, written: str) -> str:
    """``strftime``, with the year always written in four digits."""
    return point.strftime(written.replace("%Y", f"{point.year:04d}"))


def _duration(text: str) -> tuple[int, decimal.Decimal] | None:
    """A duration as (months, seconds), each signed; None: not a duration."""
    found = _DURATION.fullmatch(text.strip())
    if found is None or text.strip() in ("P", "-P") or text.strip().endswith("T"):
        return None
    part = {k: v or "0" for k, v in found.groupdict().items()}
    sign = -1 if found["sign"] else 1
    months = int(part["Y"]) * 12 + int(part["Mo"])
    seconds = (
        int(part["D"]) * 86_400
        + int(part["H"]) * 3_600
        + int(part["Mi"]) * 60
        + decimal.Decimal(part["S"])
    )
    return sign * months, sign * seconds


def _duration_text(months: int, seconds: decimal.Decimal) -> str | None:
    """A duration written from (months, seconds) of the same sign."""
    if months * seconds < 0:
        return None
    sign = "-" if months < 0 or seconds < 0 else ""
    return f"{sign}P{abs(months)}MT{_plain(abs(seconds))}S"


def _compare(kind: str, a: str, b: str) -> int | None:
    """-1, 0 or 1 as ``a`` is before, at or after ``b`` in the order of
    ``kind``; None where the order does not tell (one has a time zone and the
    other not; durations whose months and seconds disagree)."""
    if kind == "duration":
        x, y = _duration(a), _duration(b)
        if x is None or y is None:
            return None
        signs = {(x[0] > y[0]) - (x[0] < y[0]), (x[1] > y[1]) - (x[1] < y[1])}
        signs.discard(0)
        if len(signs) > 1:
            return None
        return signs.pop() if signs else 0
    p, q = _moment(kind, a), _moment(kind, b)
    if p is None or q is None or bool(p[1]) != bool(q[1]):
        return None
    return (p[0] > q[0]) - (p[0] < q[0])


def _in_order(kind: str, text: str, facets: model.Facets) -> bool:
    """Whether ``text`` is within the range facets of a date, time, duration
    or g-type (where the order cannot tell, it is not taken)."""
    for bound, wanted in (
        (facets.min_inclusive, (0, 1)),
        (facets.max_inclusive, (-1, 0)),
        (facets.min_exclusive, (1,)),
        (facets.max_exclusive, (-1,)),
    ):
        if bound is not None and _compare(kind, text, bound) not in wanted:
            return False
    return True


def _plain(number: decimal.Decimal) -> str:
    """A decimal as XML Schema writes one: no exponent, no trailing zeros."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _length(s: SimpleType, text: str) -> int:
    """What the length facets count in ``text``: octets for binary types."""
    if s.builtin == "base64Binary":
        return len(base64.b64decode(text))
    if s.builtin == "hexBinary":
        return len(text) // 2
    return len(text)


def _describe(s: SimpleType) -> str:
    """How a message names ``s``: its schema name, or what it restricts."""
    if s.name is None:
        return f"an anonymous {s.builtin}"
    if s.name.namespace == XSD:
        return f"xs:{s.name.local}"
    return str(s.name)


def _allows(s: SimpleType, text: str, *, counted: int) -> bool:
    """Whether ``text`` satisfies the facets of ``s`` (those a sample needs to:
    enumeration, lengths, patterns Python can read, the value's bounds and
    digits) and the lexical form of its built-in type."""
    facets = s.facets
    if facets.enumeration is not None and text not in facets.enumeration:
        return False
    if facets.length is not None and counted != facets.length:
        return False
    if facets.min_length is not None and counted < facets.min_length:
        return False
    if facets.max_length is not None and counted > facets.max_length:
        return False
    if any(re.fullmatch(pattern, text) is None for pattern in facets.patterns):
        return False
    if s.variety != "atomic":
        return True
    row = xsd_types.builtin(s.builtin)
    try:
        value = getattr(scalars, row.parse)(text)
    except (ValueError, TypeError, ArithmeticError):
        return False
    if row.annotation in ("int", "decimal.Decimal", "float"):
        return _in_bounds(decimal.Decimal(text), facets, row)
    if s.builtin == "duration":
        return _duration(text) is not None and _in_order(s.builtin, text, facets)
    if s.builtin in _MOMENT_FORMS:
        try:
            _refuse_inexact(s, text)  # what the module would write otherwise
        except Unsampled:
            return False
        return _moment(s.builtin, text) is not None and _in_order(
            s.builtin, text, facets
        )
    return value is not None


def _in_bounds(
    number: decimal.Decimal, facets: model.Facets, row: xsd_types.Builtin
) -> bool:
    def bound(text: str | None) -> decimal.Decimal | None:
        try:
            return None if text is None else decimal.Decimal(text)
        except decimal.InvalidOperation:
            return None

    low, high = bound(facets.min_inclusive), bound(facets.max_inclusive)
    above, below = bound(facets.min_exclusive), bound(facets.max_exclusive)
    if (low is not None and number < low) or (high is not None and number > high):
        return False
    if (above is not None and number <= above) or (
        below is not None and number >= below
    ):
        return False
    if (row.low is not None and number < row.low) or (
        row.high is not None and number > row.high
    ):
        return False
    if row.annotation == "int" and number != number.to_integral_value():
        return False
    digits = number.normalize().as_tuple()
    exponent = digits.exponent if isinstance(digits.exponent, int) else 0
    fraction = max(-exponent, 0)
    if facets.fraction_digits is not None and fraction > facets.fraction_digits:
        return False
    whole = max(len(digits.digits) + exponent, 0) + fraction
    return facets.total_digits is None or max(whole, 1) <= facets.total_digits


# -- strings a pattern matches ---------------------------------------------------------

# re's own parser: typeshed has no stubs for it (it is internal, and stable
# since 3.11 under these names).
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")

#: Characters tried, in order, for a class or a wildcard ``.``.
_CHARACTERS = "a0A_-. zZ9"


def _regex_samples(pattern: str, facets: model.Facets) -> Iterator[str]:
    """Strings ``pattern`` may match, shortest first and then with repeats
    stretched (for a minimum length). The standard library has no generator
    of matches, and hypothesis's is a test dependency, not one of the
    generator: this walks the parsed pattern (``re``'s own parser), and every
    result is checked with :func:`re.fullmatch` by the caller."""
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return
    wanted = facets.length or facets.min_length or 0
    for stretch in (0, 1, 2, 4, 8, 16, 64, 256):
        try:
            text = _walk(parsed, stretch, {})
        except (_NoSample, RecursionError):
            return
        yield text
        if len(text) >= wanted and stretch:
            return


class _NoSample(Exception):
    """A part of a pattern the walk makes no text for (the pattern is skipped)."""


def _walk(items: Any, stretch: int, groups: dict[int, str]) -> str:
    """A text the parsed pattern ``items`` may match: each repeat ``stretch``
    times past its minimum (within its maximum); ``groups``: the texts of the
    groups met so far."""
    out = []
    for op, av in items:
        if op is _sre.LITERAL:
            out.append(chr(av))
        elif op is _sre.NOT_LITERAL:
            out.append(next(c for c in _CHARACTERS if ord(c) != av))
        elif op is _sre.ANY:
            out.append("a")
        elif op is _sre.IN:
            out.append(_in_class(av))
        elif op is _sre.BRANCH:
            out.append(_walk(av[1][0], stretch, groups))
        elif op is _sre.SUBPATTERN:
            group, _, _, inner = av
            text = _walk(inner, stretch, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _POSSESSIVE):
            low, high, inner = av
            count = low + stretch
            if high is not _sre.MAXREPEAT:
                count = min(count, high)
            out.append("".join(_walk(inner, stretch, groups) for _ in range(count)))
        elif op is _sre.GROUPREF:
            out.append(groups.get(av, ""))
        elif op is _ATOMIC:
            out.append(_walk(av, stretch, groups))
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # an anchor or a look-around: the check decides
        else:
            raise _NoSample(str(op))
    return "".join(out)


_POSSESSIVE = getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: "0",
    _sre.CATEGORY_NOT_DIGIT: "a",
    _sre.CATEGORY_SPACE: " ",
    _sre.CATEGORY_NOT_SPACE: "a",
    _sre.CATEGORY_WORD: "a",
    _sre.CATEGORY_NOT_WORD: "-",
}


def _in_class(items: list[tuple[Any, Any]]) -> str:
    """A character of a class ``[...]``: its first literal or range, or for a
    negated class the first of :data:`_CHARACTERS` it does not hold."""
    negated = bool(items) and items[0][0] is _sre.NEGATE
    members = items[1:] if negated else items

    def holds(c: str) -> bool:
        for op, av in members:
            if op is _sre.LITERAL and ord(c) == av:
                return True
            if op is _sre.RANGE and av[0] <= ord(c) <= av[1]:
                return True
            if op is _sre.CATEGORY and _category_holds(av, c):
                return True
        return False

    if not negated:
        for op, av in members:
            if op is _sre.LITERAL:
                return chr(av)
            if op is _sre.RANGE:
                return chr(av[0])
            if op is _sre.CATEGORY and av in _CATEGORIES:
                return _CATEGORIES[av]
    for c in _CHARACTERS:
        if holds(c) != negated:
            return c
    raise _NoSample("class")


def _category_holds(category: Any, c: str) -> bool:
    """Whether ``c`` is in a class escape such as ``\\d`` or ``\\S``."""
    tests: dict[Any, Callable[[str], bool]] = {
        _sre.CATEGORY_DIGIT: str.isdigit,
        _sre.CATEGORY_NOT_DIGIT: lambda x: not x.isdigit(),
        _sre.CATEGORY_SPACE: str.isspace,
        _sre.CATEGORY_NOT_SPACE: lambda x: not x.isspace(),
        _sre.CATEGORY_WORD: lambda x: x.isalnum() or x == "_",
        _sre.CATEGORY_NOT_WORD: lambda x: not (x.isalnum() or x == "_"),
    }
    test = tests.get(category)
    return test is not None and test(c)


# -- the service -------------------------------------------------------------


@dataclass(frozen=True)
class Canned:
    """What an operation answers: HTTP status, content type and body."""

    operation: str
    status: int
    content_type: str
    body: bytes


@dataclass
class Mock:
    """The answers of every operation of a WSDL, and the server that gives
    them (see the module's docstring)."""

    source: str
    answers: dict[tuple[str, str], list[Canned]]  # (envelope ns, body tag)
    by_action: dict[tuple[str, str], Canned]  # (envelope ns, SOAP action)
    operations: int
    warnings: list[GenerationWarning]

    @classmethod
    def build(cls, source: str, *, offline: bool = False) -> Mock:
        generated = pipeline.generate(source, offline=offline)
        project = generated.project
        # Named by its code: building the same mock again replaces its module
        # (dataclasses and typing look classes up in sys.modules).
        digest = hashlib.sha256(generated.code.encode()).hexdigest()[:16]
        name = f"_wsdlbind_mock_client_{digest}"
        module = types.ModuleType(name)
        module.__file__ = f"<{name}>"
        sys.modules[name] = module
        with InternalError.guard(f"loading the client generated from {source}"):
            exec(compile(generated.code, module.__file__, "exec"), module.__dict__)  # noqa: S102 - the code wsdlbind just generated
        samples = Samples(project, module)
        answers: dict[tuple[str, str], list[Canned]] = {}
        by_action: dict[tuple[str, str], Canned] = {}
        warnings: list[GenerationWarning] = []
        count = 0
        for port in project.ports:
            for op in port.operations:
                count += 1
                canned = _answer(samples, port, op, warnings)
                tag = str(op.input.element) if op.input.element else ""
                answers.setdefault((port.envelope_ns, tag), []).append(canned)
                if op.soap_action:
                    by_action.setdefault((port.envelope_ns, op.soap_action), canned)
        return cls(source, answers, by_action, count, warnings)

    def answer(self, body: bytes, headers: dict[str, str]) -> Canned:
        """The answer to a request: its HTTP ``body`` and ``headers``
        (lower-cased names); an MTOM request is read from its root part."""
        kind = _header_params(headers.get("content-type", ""))
        action = headers.get("soapaction", "").strip().strip('"')
        action = action or str(kind.get_param("action") or "")
        if kind.get_content_type() == "multipart/related":
            root_part = _root_part(kind, body)
            if root_part is None:
                return _fault(
                    SOAP11_ENV, "Client", "a multipart request without its root part"
                )
            kind, body = root_part
            action = action or str(kind.get_param("action") or "")
        try:
            root = etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError as exc:
            # The envelope's version can only be guessed: from the media type.
            soap12 = kind.get_content_type() in ("application/soap+xml",) or (
                "soap+xml" in str(kind.get_param("type") or "")
            )
            return _fault(
                SOAP12_ENV if soap12 else SOAP11_ENV,
                "Sender" if soap12 else "Client",
                f"the request is not XML: {exc}",
            )
        envelope_ns = etree.QName(root).namespace or ""
        if envelope_ns not in (SOAP11_ENV, SOAP12_ENV):
            return _fault(SOAP11_ENV, "VersionMismatch", "not a SOAP envelope")
        body_el = root.find(f"{{{envelope_ns}}}Body")
        first = (
            None if body_el is None else next(body_el.iterchildren(etree.Element), None)
        )
        tag = "" if first is None else first.tag
        candidates = self.answers.get((envelope_ns, str(tag)), [])
        if len(candidates) == 1:
            return candidates[0]
        chosen = self.by_action.get((envelope_ns, action))
        if chosen is not None and (not candidates or chosen in candidates):
            return chosen
        if candidates:
            return candidates[0]
        code = "Client" if envelope_ns == SOAP11_ENV else "Sender"
        return _fault(
            envelope_ns,
            code,
            f"no operation of {self.source} takes a {tag or 'empty'} body"
            + (f" with SOAP action {action!r}" if action else ""),
        )

    def server(self, port: int) -> MockServer:
        """A server on 127.0.0.1:``port`` (0: any free port) that gives the
        answers; the caller runs ``serve_forever()``."""
        server = listen(port)
        server.mock = self
        return server


class MockServer(http.server.ThreadingHTTPServer):
    """The mock's HTTP server; until its ``mock`` is set (the answers are
    being made), every request gets 503."""

    mock: Mock | None = None


def listen(port: int) -> MockServer:
    """A :class:`MockServer` listening on 127.0.0.1:``port`` (0: a free one):
    opened before the answers are made, so a port in use is said at once."""
    return MockServer(("127.0.0.1", port), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    """POST: the answer to a SOAP request; GET: what is served."""

    server: MockServer
    server_version = "wsdlbind-mock"

    def do_POST(self) -> None:
        """Read the request (with a Content-Length, or chunked) and answer it."""
        mock = self.server.mock
        body = self._body()
        if body is None:
            return
        if mock is None:
            self._send(503, "text/plain; charset=utf-8", b"starting: try again\n")
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        canned = mock.answer(body, headers)
        self._send(canned.status, canned.content_type, canned.body)

    def do_GET(self) -> None:
        """A line that says what is served here."""
        mock = self.server.mock
        what = (
            "starting"
            if mock is None
            else (f"wsdlbind mock of {mock.source}: {mock.operations} operations")
        )
        text = f"{what}; POST SOAP requests here.\n".encode()
        self._send(200, "text/plain; charset=utf-8", text)

    def _body(self) -> bytes | None:
        """The request's body; None once an error has been answered."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            try:
                return _chunked(self.rfile)
            except ValueError as exc:
                self.send_error(400, f"bad chunked body: {exc}")
                return None
        try:
            size = int(self.headers.get("Content-Length") or "")
        except ValueError:
            size = -1
        if size < 0:
            self.send_error(411, "a request needs a valid Content-Length")
            return None
        if size > MAX_REQUEST:
            self.send_error(413, "request too large")
            return None
        return self.rfile.read(size)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        """Answer with ``body``, of that status and media type."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Nothing: the mock is quiet, a test's output is its own."""


def _chunked(stream: Any) -> bytes:
    """A body sent with chunked transfer coding (RFC 9112, 7.1), which
    http.server leaves to its handlers; at most :data:`MAX_REQUEST` bytes."""
    body = bytearray()
    while True:
        line = stream.readline(1024)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ValueError(f"chunk size {line[:40]!r}") from None
        if size < 0 or len(body) + size > MAX_REQUEST:
            raise ValueError("too large")
        if size == 0:
            break
        body += stream.read(size)
        if stream.readline(3).strip():
            raise ValueError("a chunk longer than its size")
    while stream.readline(8192).strip():  # trailer fields: not used
        pass
    return bytes(body)


def _header_params(value: str) -> email.message.Message:
    """A header with parameters (Content-Type), read as email reads one:
    parameter names in any case, quoted values."""
    holder = email.message.Message()
    holder["Content-Type"] = value or "text/xml"
    return holder


def _root_part(
    kind: email.message.Message, body: bytes
) -> tuple[email.message.Message, bytes] | None:
    """The root part of a multipart/related (MTOM, XOP) request: the one
    its ``start`` parameter names, else the first; with the media type of
    the SOAP envelope it holds (XOP's ``type`` parameter of the part)."""
    head = f"Content-Type: {kind['Content-Type']}\r\n\r\n".encode()
    whole = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
        head + body
    )
    payloads = whole.get_payload() if whole.is_multipart() else []
    parts = [p for p in payloads if isinstance(p, email.message.Message)]
    if not parts:
        return None
    start = str(kind.get_param("start") or "").strip("<>")
    root = next(
        (p for p in parts if str(p.get("Content-ID", "")).strip("<> ") == start),
        parts[0],
    )
    payload = root.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    return _header_params(root.get("Content-Type", "")), payload


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _answer(
    samples: Samples,
    port: model.Port,
    op: model.Operation,
    warnings: list[GenerationWarning],
) -> Canned:
    """The canned answer of ``op``: its output element's sample in an
    envelope; a fault saying why where none could be made."""
    if op.output is None:
        return Canned(op.name, 202, "text/xml; charset=utf-8", b"")
    envelope_ns = port.envelope_ns
    wire = op.output.element
    content = b""
    if wire is not None:
        try:
            sample = samples.element(wire)
        except Exception as exc:  # noqa: BLE001 - one operation's, said in its fault
            why = f"no sample answer: {exc}"
            warnings.append(GenerationWarning(f"operation {op.name}", why))
            code = "Server" if envelope_ns == SOAP11_ENV else "Receiver"
            return dataclasses.replace(
                _fault(envelope_ns, code, f"{op.name}: {why}"), operation=op.name
            )
        # Written on its own and put in as text, as the client sends its
        # requests: appended to the envelope's tree, lxml would drop the
        # declaration of a prefix only an xsi:type value uses, where the
        # envelope declares the same namespace under another prefix.
        content = etree.tostring(sample, encoding="utf-8")
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<soap:Envelope xmlns:soap="{envelope_ns}"><soap:Body>'
    ).encode()
    text = head + content + b"</soap:Body></soap:Envelope>"
    return Canned(op.name, 200, _content_type(envelope_ns), text)


def _fault(envelope_ns: str, code: str, text: str) -> Canned:
    """A SOAP fault of the envelope's version: ``code`` (a local name of the
    envelope's namespace) and ``text`` its reason."""
    envelope = etree.Element(f"{{{envelope_ns}}}Envelope", nsmap={"soap": envelope_ns})
    body = etree.SubElement(envelope, f"{{{envelope_ns}}}Body")
    fault = etree.SubElement(body, f"{{{envelope_ns}}}Fault")
    if envelope_ns == SOAP12_ENV:
        code_el = etree.SubElement(fault, f"{{{envelope_ns}}}Code")
        etree.SubElement(code_el, f"{{{envelope_ns}}}Value").text = f"soap:{code}"
        reason = etree.SubElement(fault, f"{{{envelope_ns}}}Reason")
        text_el = etree.SubElement(reason, f"{{{envelope_ns}}}Text")
        text_el.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        text_el.text = text
    else:
        etree.SubElement(fault, "faultcode").text = f"soap:{code}"
        etree.SubElement(fault, "faultstring").text = text
    # SOAP 1.2's HTTP binding answers a Sender fault with 400 (SOAP 1.1:
    # every fault with 500).
    status = 400 if code == "Sender" else 500
    return Canned("", status, _content_type(envelope_ns), _bytes(envelope))


def _content_type(envelope_ns: str) -> str:
    """The media type of an envelope of that version."""
    if envelope_ns == SOAP12_ENV:
        return "application/soap+xml; charset=utf-8"
    return "text/xml; charset=utf-8"


def _bytes(envelope: etree._Element) -> bytes:
    """An envelope as sent: UTF-8, with its declaration."""
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
