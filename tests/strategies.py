"""Hypothesis strategies for any generated module, built from wsdlbind's own model.

``Values(project, module)`` walks the model (fields, occurrences, choices,
facets, subtypes) and draws instances of the generated classes that are valid
for the schema. ``to_zeep`` turns such an instance into what zeep takes for the
same values, so zeep can serve as an independent oracle.
"""

from __future__ import annotations

import datetime
import decimal
import enum
from types import ModuleType
from typing import Any

from hypothesis import strategies as st
from lxml import etree

from generator.model import SOAP11_ENV, SOAP12_ENV, XSD, Field, Project, QName, TypeDef

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

    def cls(self, typedef: TypeDef) -> Any:
        return getattr(self.module, typedef.py_name)

    def instance(self, typedef: TypeDef, depth: int = 0) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: self._instance(typedef, depth))

    def _instance(self, typedef: TypeDef, depth: int) -> st.SearchStrategy[Any]:
        if typedef.kind == "enum":
            return st.sampled_from(list(self.cls(typedef)))
        fields = self.project.all_fields(typedef)
        # choice id -> branch id -> fields of that branch
        groups: dict[int, dict[int, list[Field]]] = {}
        for f in fields:
            if f.choice is not None:
                groups.setdefault(f.choice.id, {}).setdefault(
                    f.choice.branch, []
                ).append(f)

        @st.composite
        def build(draw: st.DrawFn) -> Any:
            chosen: set[int] = set()
            for branches in groups.values():
                first = next(iter(branches.values()))[0].choice
                assert first is not None
                if first.required or draw(st.booleans()):
                    chosen |= {
                        id(f) for f in draw(st.sampled_from(list(branches.values())))
                    }
            kwargs: dict[str, Any] = {}
            value_first: list[Any] = []
            for f in fields:
                if f.choice is not None:
                    if id(f) not in chosen:
                        kwargs[f.py_name] = None
                        continue
                    if not f.choice.needed:
                        kwargs[f.py_name] = draw(self.field(f, depth))
                        continue
                    member = self.field(f, depth, force=True)
                    if self.zeep_safe:  # zeep drops a falsy choice member (0, False)
                        member = member.filter(bool)
                    kwargs[f.py_name] = draw(member)
                    continue
                value = draw(self.field(f, depth))
                if f.kind == "text":
                    value_first.append(value)
                else:
                    kwargs[f.py_name] = value
            return self.cls(typedef)(*value_first, **kwargs)

        return build()

    def field(
        self, f: Field, depth: int, *, force: bool = False
    ) -> st.SearchStrategy[Any]:
        if f.kind == "any":
            if f.optional or f.min_occurs == 0 or f.mixed:
                return st.just([])
            # A required wildcard: elements its namespace constraint admits, of a
            # name no schema declares (real schemas' wildcards are lax).
            allowed = f.namespace.split()
            if "##local" in allowed:
                tag = "Extra"
            elif allowed[0].startswith("##"):  # ##any, ##other
                tag = "{urn:wsdlbind:extra}Extra"
            else:
                tag = f"{{{allowed[0]}}}Extra"
            return st.builds(lambda: [etree.Element(tag) for _ in range(f.min_occurs)])
        if f.kind == "any_attribute":
            if self.zeep_safe:
                return st.just({})
            return st.dictionaries(
                st.sampled_from(
                    ["{urn:wsdlbind:extra}note", "{urn:wsdlbind:extra}tag"]
                ),
                st.text(_XML_TEXT, max_size=5),
                max_size=2,
            )
        one = self.value(f, depth)
        if f.fixed is not None and not f.repeated:
            one = st.just(self.fixed(f))
        if f.nillable and not f.repeated and not f.optional and f.kind == "element":
            return st.none() | one  # sent as xsi:nil="true"
        if f.repeated and f.kind == "element":
            low = max(f.min_occurs, 1 if force else 0)
            high = low + (0 if depth > 2 else 3)
            return st.lists(one, min_size=low, max_size=high)
        if f.optional and not force:
            if self.zeep_safe and f.kind == "attribute" and f.default is not None:
                return one  # zeep writes an absent attribute's default
            return st.none() | one
        return one

    def fixed(self, f: Field) -> Any:
        """The value the schema fixes ``f`` to, as the generated class holds it."""
        assert f.fixed is not None
        if f.type.namespace != XSD:
            return self.cls(self.project.type(f.type))(f.fixed)
        if f.type.local in _INTEGER:
            return int(f.fixed)
        if f.type.local == "boolean":
            return f.fixed.strip() in ("true", "1")
        if f.type.local in ("float", "double"):
            return float(f.fixed)
        return f.fixed

    def value(self, f: Field, depth: int) -> st.SearchStrategy[Any]:
        if f.type.namespace == XSD:
            item = self.builtin(f)
        else:
            target = self.project.type(f.type)
            if target.kind == "enum":
                item = st.sampled_from(list(self.cls(target)))
            else:
                options = [
                    t
                    for t in (target, *self.project.subtypes(target))
                    if not t.abstract
                ]
                item = st.one_of([self.instance(t, depth + 1) for t in options])
        if (
            f.tokens
        ):  # list items are separated by spaces: none may be empty or hold one
            item = item.filter(
                lambda x: (
                    not isinstance(x, str) or (x and not any(c.isspace() for c in x))
                )
            )
            return st.lists(item, min_size=1, max_size=3)
        return item

    def builtin(self, f: Field) -> st.SearchStrategy[Any]:
        name = f.type.local
        facets = f.facets
        if name in _INTEGER:
            from generator.xsd_types import builtin

            row = builtin(name)
            low, high = row.low, row.high
            if facets.min_inclusive is not None:
                low = int(facets.min_inclusive)
            if facets.max_inclusive is not None:
                high = int(facets.max_inclusive)
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
            return st.floats(allow_nan=False, allow_infinity=False, width=32)
        if name == "decimal":
            return st.decimals(
                allow_nan=False,
                allow_infinity=False,
                places=3,
                min_value=-(10**9),
                max_value=10**9,
            ).map(lambda d: d.normalize() + decimal.Decimal(0))
        if name == "dateTime":
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
            return st.binary(max_size=24)
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
        if facets.pattern:
            # ASCII only: libxml2's \\d and \\w know older Unicode tables than Python's
            return st.from_regex(
                facets.pattern, fullmatch=True, alphabet=st.characters(codec="ascii")
            ).filter(_xml_safe)
        low = facets.length if facets.length is not None else (facets.min_length or 0)
        high = (
            facets.length
            if facets.length is not None
            else min(facets.max_length or 20, 20)
        )
        # With a length facet, no whitespace: a schema type derived from
        # xs:token collapses it before counting, a Python len() does not.
        alphabet = (
            _XML_TEXT.filter(lambda c: not c.isspace())
            if low or high < 20
            else _XML_TEXT
        )
        text = st.text(alphabet, min_size=low, max_size=max(low, high))
        if name == "language":
            return st.from_regex(r"[a-z]{2}(-[A-Z]{2})?", fullmatch=True)
        if name in ("token", "NMTOKEN", "Name", "NCName"):
            return st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,10}", fullmatch=True)
        return text


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
        t for t in project.types.values() if t.py_name == type(value).__name__
    )
    if typedef.is_simple_value and typedef.text_field is not None:
        # a simple type zeep holds as the value itself (Bing's xs:list flags)
        text = getattr(value, typedef.text_field.py_name)
        return to_zeep(client, text, project, None)
    data: dict[str, Any] = {}
    for f in project.all_fields(typedef):
        item = getattr(value, f.py_name)
        if f.choice is not None and f.choice.repeats:
            # zeep holds a repeated choice as one list of {name: value} items.
            data.setdefault("_value_1", []).extend(
                {f.xml_name: to_zeep(client, v, project, f.type)} for v in item
            )
            continue
        if f.kind == "any_attribute" or item is None or item == []:
            continue  # absent; zeep's choices go by which names are passed
        if f.xml_name == "encodingStyle" and f.namespace in (SOAP11_ENV, SOAP12_ENV):
            continue  # rpc/encoded: zeep leaves it out
        key = "_value_1" if f.kind in ("text", "any") else f.xml_name
        data[key] = to_zeep(client, item, project, f.type)
    if declared is not None and declared != typedef.qname:
        return client.get_type(str(typedef.type_name))(**data)
    return data
