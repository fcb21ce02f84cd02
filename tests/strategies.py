"""Hypothesis strategies for any generated module, built from wsdlbind's own model.

``Values(project, module)`` walks each class's fields and the check the shape
stage made of its content model (choices, optional groups, counts), its
facets and subtypes, and draws instances of the generated classes that are
valid for the schema. ``to_zeep`` turns such an instance into what zeep takes
for the same values, so zeep can serve as an independent oracle.
"""

from __future__ import annotations

import datetime
import decimal
import enum
from types import ModuleType
from typing import Any

from hypothesis import strategies as st
from lxml import etree
from wsdlbind import shape
from wsdlbind.model import (
    ANY_TYPE,
    Check,
    ComplexType,
    EnumType,
    Facets,
    Field,
    Project,
    QName,
    SimpleType,
)
from wsdlbind.namespaces import SOAP11_ENV, SOAP12_ENV
from wsdlbind.runtime import scalars
from wsdlbind.xsd_types import builtin as builtin_row

_ZONES = st.sampled_from(
    [
        datetime.UTC,
        datetime.timezone(datetime.timedelta(hours=-8)),
        datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
    ]
)
_XML_TEXT = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
)
_INTEGER = {
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
}


def _xml_safe(text: str) -> bool:
    return all(
        c in "\t\n"
        or (" " <= c and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff")
        for c in text
    )


class Values:
    """Draws valid instances of a generated module's classes."""

    def __init__(
        self, project: Project, module: ModuleType, *, zeep_safe: bool = False
    ) -> None:
        self.project = project
        self.module = module
        # zeep writes some values differently (floats with exponents as "1E+16",
        # extra attributes under names of its own) and leaves out a choice
        # member whose value is falsy ("", 0, False: an invalid envelope when the
        # choice is required). Keep to values both write alike when zeep is the oracle.
        self.zeep_safe = zeep_safe

    def cls(self, typedef: ComplexType | EnumType) -> Any:
        return getattr(self.module, typedef.py_name)

    def instance(
        self, typedef: ComplexType, depth: int = 0, *, eager: bool = False
    ) -> st.SearchStrategy[Any]:
        """Valid instances of ``typedef``; ``eager`` ones hold all they may."""
        return st.deferred(lambda: self._instance(typedef, depth, eager))

    def _instance(
        self, typedef: ComplexType, depth: int, eager: bool
    ) -> st.SearchStrategy[Any]:
        @st.composite
        def build(draw: st.DrawFn) -> Any:
            values: dict[int, Any] = {}
            if typedef.check is not None:
                self._content(draw, typedef.check, True, values, depth, eager)
            kwargs: dict[str, Any] = {}
            positional: list[Any] = []
            for f in typedef.all_fields:
                if f.kind in ("element", "group", "any"):
                    kwargs[f.py_name] = values.get(id(f), [] if f.repeated else None)
                elif f.kind == "text":
                    assert f.simple is not None
                    positional.append(draw(self.simple(f.simple, depth)))
                elif f.kind == "attribute":
                    kwargs[f.py_name] = draw(self.attribute(f, depth))
                elif f.kind == "any_attribute":
                    kwargs[f.py_name] = draw(self.any_attributes())
                elif f.kind == "mixed":
                    kwargs[f.py_name] = draw(self.mixed_text())
            return self.cls(typedef)(*positional, **kwargs)

        return build()

    def _content(
        self,
        draw: st.DrawFn,
        check: Check,
        required: bool,
        values: dict[int, Any],
        depth: int,
        eager: bool = False,
    ) -> None:
        """Values for the fields under ``check``, which must be there where
        ``required``; ``eager`` takes every optional part, so that something
        is given (a choice's branch must show)."""
        if check.kind == "field":
            assert check.field is not None
            if required or eager or draw(st.booleans()):
                values[id(check.field)] = draw(
                    self.field(check.field, check.min, check.max, depth, force=eager)
                )
            return
        if check.kind == "all":
            if not (required or eager or draw(st.booleans())):
                return
            for child in check.children:
                self._content(draw, child, child.min >= 1, values, depth, eager)
            return
        if not check.children:
            return
        if not (required or eager) and draw(st.booleans()):
            return
        branch = check.children[draw(st.integers(0, len(check.children) - 1))]
        drawn: dict[int, Any] = {}
        self._content(draw, branch, True, drawn, depth, eager)
        if not any(_given(v) for v in drawn.values()):
            drawn.clear()  # it must show: take everything it may hold
            self._content(draw, branch, True, drawn, depth, eager=True)
        values.update(drawn)

    def field(
        self,
        f: Field,
        low: int,
        high: int | None,
        depth: int,
        *,
        force: bool = False,
    ) -> st.SearchStrategy[Any]:
        """A value (or list) for an element, group or wildcard field that is there."""
        if f.kind == "any":
            assert f.wildcard is not None
            count = max(low, 1 if force else 0)
            tag = _wildcard_tag(f.wildcard.allowed, f.wildcard.excluded)
            return st.builds(lambda: [etree.Element(tag) for _ in range(count)])
        if f.kind == "group":
            assert f.group is not None
            group = self.project.complex(f.group)
            one = self._occurrence(group, depth + 1)
        else:
            assert f.element is not None
            one = self.element_value(f, depth)
        if self.zeep_safe and f.guarded:
            one = one.filter(bool)  # zeep leaves out a falsy choice member
        if f.soap_array is not None:
            return st.lists(one, max_size=0 if depth > 2 else 3)
        if f.repeated:
            least = max(low, 1 if force else 0)
            most = least + (0 if depth > 2 else 2)
            if high is not None:
                most = min(most, high)
            return st.lists(one, min_size=least, max_size=max(least, most))
        return one

    def _occurrence(self, group: ComplexType, depth: int) -> st.SearchStrategy[Any]:
        """One occurrence of a repeated group, holding something (an empty one
        leaves no trace on the wire)."""

        @st.composite
        def build(draw: st.DrawFn) -> Any:
            found = draw(self.instance(group, depth))
            if not _writes_something(found):
                found = draw(self.instance(group, depth, eager=True))
            return found

        return build()

    def element_value(self, f: Field, depth: int) -> st.SearchStrategy[Any]:
        decl = f.element
        assert decl is not None
        if decl.fixed is not None and isinstance(decl.type, SimpleType):
            one = st.just(self.lexical(decl.type, decl.fixed))
        elif isinstance(decl.type, SimpleType):
            one = self.simple(decl.type, depth)
            if decl.default is not None:
                # An empty element has the schema's default: "" reads back as it.
                one = one.filter(
                    lambda v: not (isinstance(v, str | bytes | list) and not v)
                )
        elif decl.type == ANY_TYPE:
            one = st.sampled_from(["any text", "x"])
        else:
            target = self.project.complex(decl.type)
            options = [
                t for t in (target, *self.project.subtypes(target)) if not t.abstract
            ]
            one = st.one_of([self.instance(t, depth + 1) for t in options])
        if shape.nillable(self.project, decl) and not self.zeep_safe:
            nil = self.module.NIL if (f.repeated or f.optional) else None
            return st.just(nil) | one
        return one

    def attribute(self, f: Field, depth: int) -> st.SearchStrategy[Any]:
        use = f.attribute
        assert use is not None
        if use.fixed is not None:
            one: st.SearchStrategy[Any] = st.just(self.lexical(use.type, use.fixed))
        else:
            one = self.simple(use.type, depth)
        if not use.required:
            if self.zeep_safe and use.default is not None:
                return one  # zeep writes an absent attribute's default
            return st.none() | one
        return one

    def any_attributes(self) -> st.SearchStrategy[dict[str, str]]:
        if self.zeep_safe:
            return st.just({})
        return st.dictionaries(
            st.sampled_from(["{urn:wsdlbind:extra}note", "{urn:wsdlbind:extra}tag"]),
            st.text(_XML_TEXT, max_size=5).filter(_xml_safe),
            max_size=2,
        )

    def mixed_text(self) -> st.SearchStrategy[list[str]]:
        # One piece of text, before the first child: valid whatever follows.
        return st.just([]) | st.builds(
            lambda t: [t], st.text("abc xyz", min_size=1, max_size=5)
        )

    def lexical(self, s: SimpleType, text: str) -> Any:
        """The Python value of a schema literal (a fixed value)."""
        if s.enum is not None:
            enum_type = self.project.type(s.enum)
            assert isinstance(enum_type, EnumType)
            return self.cls(enum_type)(text)
        if s.variety != "atomic":
            return text
        # The runtime's parser (the module's own, when it uses it): what the
        # class holds for that text.
        return getattr(scalars, builtin_row(s.builtin).parse)(text)

    def simple(self, s: SimpleType, depth: int) -> st.SearchStrategy[Any]:
        facets = s.facets
        if s.variety == "list" and s.item is not None:
            item = self.simple(s.item, depth).filter(
                lambda x: (
                    not isinstance(x, str) or (x and not any(c.isspace() for c in x))
                )
            )
            low = (
                facets.length if facets.length is not None else (facets.min_length or 1)
            )
            high = (
                facets.length
                if facets.length is not None
                else min(facets.max_length or 3, 3)
            )
            return st.lists(item, min_size=low, max_size=max(low, high))
        if s.variety == "union":
            member = next(
                (m for m in s.members if m.variety == "atomic" and m.enum is None), None
            )
            if facets.enumeration:
                return st.sampled_from(list(facets.enumeration))
            if member is not None and builtin_row(member.builtin).annotation == "str":
                return self.simple(member, depth)
            if member is not None:
                return self.simple(member, depth).map(lambda v: _lexical_text(v))
            return st.just("0")
        if s.enum is not None:
            enum_type = self.project.type(s.enum)
            assert isinstance(enum_type, EnumType)
            members = list(self.cls(enum_type))
            if facets.enumeration is not None:
                members = [
                    m for m in members if m.value in facets.enumeration
                ] or members
            return st.sampled_from(members)
        if facets.enumeration is not None:
            return st.sampled_from([self.lexical(s, v) for v in facets.enumeration])
        return self.builtin(s.builtin, facets)

    def builtin(self, name: str, facets: Facets) -> st.SearchStrategy[Any]:
        if name in _INTEGER:
            row = builtin_row(name)
            low, high = row.low, row.high
            if facets.min_inclusive is not None:
                low = _max(low, int(decimal.Decimal(facets.min_inclusive)))
            if facets.max_inclusive is not None:
                high = _min(high, int(decimal.Decimal(facets.max_inclusive)))
            if facets.min_exclusive is not None:
                low = _max(low, int(decimal.Decimal(facets.min_exclusive)) + 1)
            if facets.max_exclusive is not None:
                high = _min(high, int(decimal.Decimal(facets.max_exclusive)) - 1)
            if facets.total_digits is not None:
                bound = 10**facets.total_digits - 1
                low, high = _max(low, -bound), _min(high, bound)
            return st.integers(
                low if low is not None else -(10**20),
                high if high is not None else 10**20,
            )
        if name == "boolean":
            return st.booleans()
        if name in ("float", "double"):
            if self.zeep_safe:
                return (
                    st.floats(min_value=-1e12, max_value=1e12)
                    .filter(lambda x: x == 0 or abs(x) > 1e-4)
                    .map(lambda x: round(x, 3))
                )
            return st.floats(
                allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30
            )
        if name == "decimal":
            return st.decimals(
                allow_nan=False,
                allow_infinity=False,
                places=min(
                    3,
                    facets.fraction_digits if facets.fraction_digits is not None else 3,
                ),
                min_value=-(10**5),
                max_value=10**5,
            ).map(lambda d: d.normalize() + decimal.Decimal(0))
        if name in ("dateTime", "dateTimeStamp"):
            return st.datetimes(
                min_value=datetime.datetime(1970, 1, 1),
                max_value=datetime.datetime(2100, 1, 1),
                timezones=_ZONES,
            )
        if name == "date":
            return st.dates(
                min_value=datetime.date(1970, 1, 1), max_value=datetime.date(2100, 1, 1)
            )
        if name == "time":
            return st.times(timezones=_ZONES)
        if name in ("base64Binary", "hexBinary"):
            if facets.length is not None:
                return st.binary(min_size=facets.length, max_size=facets.length)
            return st.binary(
                min_size=facets.min_length or 0,
                max_size=min(facets.max_length or 24, 24),
            )
        if name == "duration":
            if self.zeep_safe:  # zeep rewrites durations it reads: PT0S becomes P0D
                return st.sampled_from(["P1D", "PT30S"])
            return st.sampled_from(["P1D", "PT30S", "-P1Y2M3DT4H5M6.5S", "PT0S"])
        calendar = {
            "gYearMonth": "[12][0-9]{3}-(0[1-9]|1[0-2])",
            "gYear": "[12][0-9]{3}",
            "gMonth": "--(0[1-9]|1[0-2])",
            "gMonthDay": "--(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
            "gDay": "---(0[1-9]|1[0-9]|2[0-8])",
        }
        if name in calendar:
            return st.from_regex(calendar[name], fullmatch=True)
        if name == "anyURI":
            return st.uuids().map(lambda u: f"urn:uuid:{u}")
        if name == "QName":
            return st.just("xml:lang")
        if facets.patterns:
            # ASCII only: libxml2's \\d and \\w know older Unicode tables than Python's
            text = st.from_regex(
                facets.patterns[0],
                fullmatch=True,
                alphabet=st.characters(codec="ascii"),
            ).filter(_xml_safe)
            for pattern in facets.patterns[1:]:
                import re

                compiled = re.compile(pattern)
                text = text.filter(lambda t, c=compiled: c.fullmatch(t) is not None)
            return text
        low = facets.length if facets.length is not None else (facets.min_length or 0)
        high = (
            facets.length
            if facets.length is not None
            else min(facets.max_length if facets.max_length is not None else 20, 20)
        )
        if name == "language":
            return st.from_regex(r"[a-z]{2}(-[A-Z]{2})?", fullmatch=True)
        if name in ("token", "NMTOKEN", "Name", "NCName", "ID", "IDREF", "ENTITY"):
            if low or high < 20:
                return st.from_regex(
                    f"[a-zA-Z]{{{max(low, 1)},{max(low, 1, high)}}}", fullmatch=True
                )
            return st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,10}", fullmatch=True)
        # With a length facet, no whitespace: a schema type derived from
        # xs:token collapses it before counting, a Python len() does not.
        alphabet = (
            _XML_TEXT.filter(lambda c: not c.isspace())
            if low or high < 20
            else _XML_TEXT
        )
        if name in ("normalizedString",):
            alphabet = alphabet.filter(lambda c: c not in "\t\n\r")
        return st.text(alphabet, min_size=low, max_size=max(low, high)).filter(
            _xml_safe
        )


def _max(a: int | None, b: int) -> int:
    return b if a is None else max(a, b)


def _min(a: int | None, b: int) -> int:
    return b if a is None else min(a, b)


def _lexical_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _given(value: Any) -> bool:
    return value is not None and value != []


def _writes_something(instance: Any) -> bool:
    """A group occurrence that holds anything (an empty one leaves no trace)."""
    return any(_given(getattr(instance, name)) for name in type(instance)._fields)


def _wildcard_tag(allowed: frozenset[str] | None, excluded: frozenset[str]) -> str:
    """A name no schema declares, of a namespace the wildcard admits."""
    if allowed is not None:
        namespace = sorted(allowed)[0]
    else:
        namespace = next(
            ns
            for ns in ("urn:wsdlbind:extra", "urn:wsdlbind:other")
            if ns not in excluded
        )
    return f"{{{namespace}}}Extra" if namespace else "Extra"


def to_zeep(client: Any, value: Any, project: Project, declared: QName | None) -> Any:
    """The same value as zeep takes it: dicts by XML name, typed where xsi:type is due."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [to_zeep(client, v, project, declared) for v in value]
    fields = getattr(type(value), "_fields", None)
    if fields is None:
        return value
    typedef = next(
        t
        for t in project.types.values()
        if isinstance(t, ComplexType) and t.py_name == type(value).__name__
    )
    if typedef.is_simple_value and typedef.text_field is not None:
        # a simple type zeep holds as the value itself (Bing's xs:list flags)
        text = getattr(value, typedef.text_field.py_name)
        return to_zeep(client, text, project, None)
    data: dict[str, Any] = {}
    groups = 0
    for f in typedef.all_fields:
        item = getattr(value, f.py_name)
        if f.kind == "group":
            # zeep holds a repeated group as one list of dicts, one per occurrence.
            groups += 1
            key = f"_value_{groups}"
            data[key] = to_zeep(client, item if item is not None else [], project, None)
            continue
        if f.kind in ("any_attribute", "mixed") or item is None or item == []:
            continue  # absent; zeep's choices go by which names are passed
        if f.xml_name == "encodingStyle" and f.qname.namespace in (
            SOAP11_ENV,
            SOAP12_ENV,
        ):
            continue  # rpc/encoded: zeep leaves it out
        key = "_value_1" if f.kind in ("text", "any") else f.xml_name
        element_type = f.element.type if f.element is not None else None
        target = element_type if isinstance(element_type, QName) else None
        data[key] = to_zeep(client, item, project, target)
    if (
        declared is not None
        and declared != typedef.key
        and typedef.type_name is not None
    ):
        return client.get_type(str(typedef.type_name))(**data)
    return data
