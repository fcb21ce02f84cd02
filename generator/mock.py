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
import decimal
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
from .namespaces import SOAP11_ENV, SOAP12_ENV
from .render.decide import reads_as_python
from .runtime import scalars

__all__ = ["Mock", "Samples", "Unsampled"]

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
    :data:`DEEP` levels; above them, an optional element is given once, so an
    answer shows its shape. Choices take their first branch that can be made,
    abstract types their first concrete subtype, values the first candidate
    their facets allow (see :meth:`text`).
    """

    project: model.Project
    module: types.ModuleType
    _ids: Iterator[int] = dataclasses.field(
        default_factory=lambda: itertools.count(1), repr=False
    )
    budget: int = BUDGET  # objects left for the sample being made

    def instance(
        self, typedef: ComplexType, depth: int = 0, limit: int = TOO_DEEP
    ) -> Any:
        """A sample object of ``typedef``'s class, ``depth`` levels down, with
        nothing deeper than ``limit``."""
        if depth > limit:
            raise Unsampled(f"{typedef.key} nests deeper than {limit} levels")
        self.budget -= 1
        if self.budget < 0:
            raise Unsampled(f"a sample would take more than {BUDGET:,} objects")
        if typedef.abstract:
            concrete = self.project.subtypes(typedef)
            if not concrete:
                raise Unsampled(f"{typedef.key} is abstract, with no concrete subtype")
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
                elif use.required or depth < DEEP:
                    values[f.py_name] = self.value(use.type)
            elif f.kind == "text" and f.simple is not None:
                values[f.py_name] = self.value(f.simple)
        return cls(**{k: v for k, v in values.items() if k in takes})

    def _fill(
        self, check: Check, values: dict[str, Any], depth: int, limit: int
    ) -> None:
        """Put in ``values`` what ``check`` requires (and, shallow, allows)."""
        optional = check.min == 0
        if optional and depth >= DEEP:
            return
        if check.kind == "choice":
            # A branch that ends soon first (a recursive one could go on to
            # the limit), then any.
            bounds = dict.fromkeys((min(limit, depth + DEEP), limit))
            for bound, branch in itertools.product(bounds, check.children):
                try:
                    trial: dict[str, Any] = {}
                    self._fill(branch, trial, depth, bound)
                except Unsampled:
                    continue
                values.update(trial)
                return
            if check.children and not optional:
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
        if decl.abstract:
            concrete = [d for d in decl.substitutes if not d.abstract]
            if not concrete:
                raise Unsampled(f"element {decl.name} is abstract")
            decl = concrete[0]
        kind = f.soap_array if f.soap_array is not None else decl.type
        if isinstance(kind, SimpleType):
            fixed = decl.fixed if decl.fixed is not None else None
            return self.value(kind, fixed)
        if kind == ANY_TYPE:
            return self._text_element(decl.name)
        found = self.project.type(kind)
        if isinstance(found, EnumType):
            return getattr(self.module, found.py_name)(found.values[0])
        return self.instance(found, depth + 1, limit)

    def _any(self, f: Field, depth: int, limit: int) -> Any:
        """An element a wildcard allows: a global element of the schema in a
        namespace it admits (what ``strict`` needs), else one of its own."""
        wildcard = f.wildcard
        allowed = wildcard.allowed if wildcard is not None else None
        excluded = wildcard.excluded if wildcard is not None else frozenset()

        def admits(namespace: str) -> bool:
            if namespace in excluded:
                return False
            return allowed is None or namespace in allowed

        for name, decl in sorted(self.project.elements.items()):
            if not admits(name.namespace) or decl.abstract:
                continue
            try:
                typedef = self.project.element(name)
                return self.module.serialize(
                    self.instance(typedef, depth + 1, limit), str(name)
                )
            except Exception:  # noqa: BLE001, S112 - the next element may do
                continue
        if wildcard is not None and wildcard.process == "strict":
            raise Unsampled("no element of the schema fits a strict wildcard")
        namespace = next(iter(sorted(allowed))) if allowed else "urn:wsdlbind:sample"
        return self._text_element(QName(namespace, "sample"))

    @staticmethod
    def _text_element(name: QName) -> etree._Element:
        el = etree.Element(str(name))
        el.text = "sample"
        return el

    def value(self, s: SimpleType, given: str | None = None) -> Any:
        """A sample value of ``s`` as the module holds it (``given``: that
        text, a fixed value)."""
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
            if not reads_as_python(pattern):
                # XSD-only syntax (\p{Lu}, \i, class subtraction): no sample
                # could be told to match it, and the module does not check it.
                raise Unsampled(
                    f"pattern {pattern!r} of {_describe(s)} is not one Python reads"
                )
        if s.variety == "list" and s.item is not None:
            return self._list_text(s)
        if s.variety == "union":
            for member in s.members:
                try:
                    candidate = self.text(member)
                except Unsampled:
                    continue
                if _allows(s, candidate, counted=len(candidate)):
                    return candidate
            raise Unsampled("no member of a union has a value its facets allow")
        enum = self.project.types.get(s.enum) if s.enum is not None else None
        if isinstance(enum, EnumType):
            return enum.values[0]
        for candidate in self._candidates(s):
            if _allows(s, candidate, counted=_length(s, candidate)):
                return candidate
        raise Unsampled(f"no value of {_describe(s)} found that its facets allow")

    def _list_text(self, s: SimpleType) -> str:
        assert s.item is not None
        facets = s.facets
        count = facets.length or max(facets.min_length or 1, 1)
        if facets.max_length is not None:
            count = min(count, facets.max_length)
        for candidate in (
            " ".join(self.text(s.item) for _ in range(n))
            for n in dict.fromkeys((count, 1, 2, 0))
        ):
            if _allows(s, candidate, counted=len(candidate.split())):
                return candidate
        raise Unsampled(f"no list of {_describe(s)} found that its facets allow")

    def _candidates(self, s: SimpleType) -> Iterator[str]:
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
        fixed = _FIXED.get(kind)
        if fixed is not None:
            yield from (facets.min_inclusive or fixed, facets.max_inclusive or fixed)
            yield fixed
            return
        if kind in ("ID", "IDREF", "ENTITY"):
            base = f"id{next(self._ids)}"
        else:
            base = _STRINGS.get(kind, "sample")
        for size in _sizes(facets, len(base)):
            yield (base * (size // len(base) + 1))[:size] if size else ""


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
    "IDREFS": "id1",
    "ENTITIES": "sample",
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
    name = s.name if s.name is not None else f"an anonymous {s.builtin}"
    return str(name)


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
    pass


def _walk(items: Any, stretch: int, groups: dict[int, str]) -> str:
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
        name = f"_wsdlbind_mock_client_{next(_BUILT)}"
        module = types.ModuleType(name)
        module.__file__ = f"<{name}>"
        sys.modules[name] = module  # dataclasses and typing look classes up
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
        """The answer to a request: its envelope's ``body`` and HTTP ``headers``
        (lower-cased names)."""
        action = headers.get("soapaction", "").strip().strip('"')
        kind = headers.get("content-type", "")
        if not action and "action=" in kind:
            action = kind.split("action=", 1)[1].split(";")[0].strip().strip('"')
        try:
            root = etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError as exc:
            return _fault(SOAP11_ENV, "Client", f"the request is not XML: {exc}")
        envelope_ns = etree.QName(root).namespace or ""
        if envelope_ns not in (SOAP11_ENV, SOAP12_ENV):
            return _fault(SOAP11_ENV, "VersionMismatch", "not a SOAP envelope")
        body_el = root.find(f"{{{envelope_ns}}}Body")
        first = None if body_el is None else next(iter(body_el), None)
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

    def server(self, port: int) -> http.server.ThreadingHTTPServer:
        """A server on 127.0.0.1:``port`` (0: any free port) that gives the
        answers; the caller runs ``serve_forever()``."""
        mock = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server_version = "wsdlbind-mock"

            def do_POST(self) -> None:
                try:
                    size = int(self.headers.get("Content-Length") or "")
                except ValueError:
                    size = -1
                if size < 0:
                    self.send_error(411, "a request needs a valid Content-Length")
                    return
                if size > MAX_REQUEST:
                    self.send_error(413, "request too large")
                    return
                body = self.rfile.read(size)
                headers = {k.lower(): v for k, v in self.headers.items()}
                canned = mock.answer(body, headers)
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
                self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

            def do_GET(self) -> None:
                text = (
                    f"wsdlbind mock of {mock.source}: {mock.operations} operations;"
                    " POST SOAP requests here.\n"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # the mock is quiet: a test's output is its own

        return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)


_BUILT = itertools.count()  # each mock's module has a name of its own
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
        samples.budget = BUDGET
        try:
            typedef = samples.project.element(wire)
            sample = samples.module.serialize(samples.instance(typedef), str(wire))
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
    return Canned("", 500, _content_type(envelope_ns), _bytes(envelope))


def _content_type(envelope_ns: str) -> str:
    if envelope_ns == SOAP12_ENV:
        return "application/soap+xml; charset=utf-8"
    return "text/xml; charset=utf-8"


def _bytes(envelope: etree._Element) -> bytes:
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
