"""Random but valid WSDL 1.1 + XML Schema documents, for the schema fuzzer.

A hypothesis strategy draws a small schema from a grammar of the constructs
real services use: nested sequence, choice and all with occurrences on every
level, group and attribute group references, element references, named and
anonymous types, extension (complex and simple content), simpleContent
restriction, mixed content, wildcards, substitution groups, abstract types,
nillable elements, defaults and fixed values, enumerations, facets, lists and
unions; names that clash with Python's and with the generated module's own,
and with each other in case only. :class:`Case` renders it as a WSDL with one
document/literal (or rpc/literal) operation per request element.

Validity is kept by construction: every element name in a type's content is
distinct (so every content model is deterministic, as the Unique Particle
Attribution rule asks), a wildcard only admits other namespaces than the
schema's own, xs:all holds only elements that occur at most once and is
never extended, default and fixed values are values of their types.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape

from hypothesis import strategies as st

TNS = "urn:fuzz"
OTHER = "urn:fuzz:other"

#: Names that a generator could trip over: Python keywords and builtins, the
#: generated module's own names and helpers' locals, case twins, non-ASCII.
NAMES = [
    "A",
    "Item",
    "list",
    "el",
    "tag",
    "self",
    "path",
    "obj",
    "class",
    "None",
    "Error",
    "ValidationError",
    "parse",
    "serialize",
    "_request",
    "sub",
    "value",
    "text",
    "choice",
    "sequence",
    "any",
    "Foo",
    "foo",
    "FOO",
    "len",
    "type",
    "id",
    "lambda",
    "x1",
    "Résumé",
    "data-point",
    "a.b",
    "retries",
    "transport",
    "build_envelope",
    "strict",
]

BUILTINS = [
    "xs:string",
    "xs:int",
    "xs:boolean",
    "xs:decimal",
    "xs:dateTime",
    "xs:date",
    "xs:long",
    "xs:token",
    "xs:base64Binary",
    "xs:double",
]
#: A valid literal of each built-in, for defaults and fixed values.
LITERALS = {
    "xs:string": "x",
    "xs:int": "7",
    "xs:boolean": "true",
    "xs:decimal": "1.5",
    "xs:dateTime": "2020-01-02T03:04:05Z",
    "xs:date": "2020-01-02",
    "xs:long": "9",
    "xs:token": "tok",
    "xs:base64Binary": "AAEC",
    "xs:double": "2.5",
}


@dataclass
class Simple:
    name: str
    base: str
    kind: str  # "enum", "pattern", "length", "range", "list", "union"

    def literal(self) -> str:
        return {
            "enum": "red",
            "pattern": "AB1",
            "length": "abc",
            "range": "5",
            "list": "1 2",
            "union": "auto",
        }[self.kind]

    def xsd(self) -> str:
        if self.kind == "enum":
            body = '<xs:restriction base="xs:string"><xs:enumeration value="red"/><xs:enumeration value="green"/><xs:enumeration value="blue-ish"/></xs:restriction>'
        elif self.kind == "pattern":
            body = '<xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}[0-9]"/></xs:restriction>'
        elif self.kind == "length":
            body = '<xs:restriction base="xs:string"><xs:minLength value="2"/><xs:maxLength value="5"/></xs:restriction>'
        elif self.kind == "range":
            body = '<xs:restriction base="xs:int"><xs:minInclusive value="1"/><xs:maxExclusive value="100"/></xs:restriction>'
        elif self.kind == "list":
            body = '<xs:list itemType="xs:int"/>'
        else:
            body = '<xs:union memberTypes="xs:int"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="auto"/></xs:restriction></xs:simpleType></xs:union>'
        return f'<xs:simpleType name="{self.name}">{body}</xs:simpleType>'


@dataclass
class Element:
    name: str
    type: str | Complex  # "xs:..", "t:Name", or an anonymous complex type
    min: int = 1
    max: int | None = 1
    nillable: bool = False
    default: str | None = None
    fixed: str | None = None
    ref: bool = False  # a reference to the global element of this name

    def xsd(self) -> str:
        occurs = _occurs(self.min, self.max)
        if self.ref:
            return f'<xs:element ref="t:{self.name}"{occurs}/>'
        extra = ' nillable="true"' if self.nillable else ""
        if self.default is not None:
            extra += f' default="{escape(self.default)}"'
        if self.fixed is not None:
            extra += f' fixed="{escape(self.fixed)}"'
        if isinstance(self.type, Complex):
            return f'<xs:element name="{self.name}"{occurs}{extra}>{self.type.xsd()}</xs:element>'
        if not self.type:  # no type: the ur-type, anything goes
            return f'<xs:element name="{self.name}"{occurs}{extra}/>'
        return f'<xs:element name="{self.name}" type="{self.type}"{occurs}{extra}/>'


@dataclass
class Wildcard:
    min: int = 0
    max: int | None = None
    namespace: str = OTHER  # "##other" only where elements are qualified

    def xsd(self) -> str:
        occurs = _occurs(self.min, self.max)
        return f'<xs:any namespace="{self.namespace}" processContents="lax"{occurs}/>'


@dataclass
class Group:
    kind: str  # sequence, choice, all
    particles: list[Element | Wildcard | Group | GroupRef]
    min: int = 1
    max: int | None = 1

    def xsd(self) -> str:
        inner = "".join(p.xsd() for p in self.particles)
        return f"<xs:{self.kind}{_occurs(self.min, self.max)}>{inner}</xs:{self.kind}>"


@dataclass
class GroupRef:
    name: str
    min: int = 1
    max: int | None = 1

    def xsd(self) -> str:
        return f'<xs:group ref="t:{self.name}"{_occurs(self.min, self.max)}/>'


@dataclass
class Attribute:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    fixed: str | None = None

    def xsd(self) -> str:
        extra = ' use="required"' if self.required else ""
        if self.default is not None:
            extra += f' default="{escape(self.default)}"'
        if self.fixed is not None:
            extra += f' fixed="{escape(self.fixed)}"'
        return f'<xs:attribute name="{self.name}" type="{self.type}"{extra}/>'


@dataclass
class Complex:
    name: str | None
    content: Group | None = None
    attributes: list[Attribute] = field(default_factory=list)
    mixed: bool = False
    base: str | None = None  # complexContent derivation from this named type
    simple: str | None = None  # simpleContent derivation from this type
    abstract: bool = False
    any_attribute: bool = False
    restriction: bool = False  # of ``base`` (complexContent), or narrowing ``simple``
    attribute_group: str | None = None

    def xsd(self) -> str:
        name = f' name="{self.name}"' if self.name else ""
        flags = ' mixed="true"' if self.mixed else ""
        flags += ' abstract="true"' if self.abstract else ""
        attrs = "".join(a.xsd() for a in self.attributes)
        if self.attribute_group:
            attrs += f'<xs:attributeGroup ref="t:{self.attribute_group}"/>'
        if self.any_attribute:
            attrs += '<xs:anyAttribute namespace="##other" processContents="lax"/>'
        if self.simple is not None and self.restriction:
            return (
                f"<xs:complexType{name}{flags}><xs:simpleContent>"
                f'<xs:restriction base="{self.simple}"><xs:maxLength value="5"/>'
                f"{attrs}</xs:restriction></xs:simpleContent></xs:complexType>"
            )
        if self.simple is not None:
            return (
                f"<xs:complexType{name}{flags}><xs:simpleContent>"
                f'<xs:extension base="{self.simple}">{attrs}</xs:extension>'
                "</xs:simpleContent></xs:complexType>"
            )
        content = self.content.xsd() if self.content is not None else ""
        if self.base is not None:
            how = "restriction" if self.restriction else "extension"
            return (
                f"<xs:complexType{name}{flags}><xs:complexContent>"
                f'<xs:{how} base="t:{self.base}">{content}{attrs}</xs:{how}>'
                "</xs:complexContent></xs:complexType>"
            )
        return f"<xs:complexType{name}{flags}>{content}{attrs}</xs:complexType>"


@dataclass
class Case:
    """One drawn schema: its components, and the request elements to send."""

    simples: list[Simple]
    types: list[Complex]
    groups: list[tuple[str, Group]]
    elements: list[
        tuple[str, str | Complex, str | None, bool]
    ]  # name, type, head, abstract
    requests: list[str]
    qualified: bool
    rpc: bool
    attribute_groups: list[tuple[str, list[Attribute]]] = field(default_factory=list)

    def schema(self) -> str:
        parts = [s.xsd() for s in self.simples]
        parts += [t.xsd() for t in self.types]
        parts += [f'<xs:group name="{n}">{g.xsd()}</xs:group>' for n, g in self.groups]
        parts += [
            f'<xs:attributeGroup name="{n}">{"".join(a.xsd() for a in attrs)}'
            "</xs:attributeGroup>"
            for n, attrs in self.attribute_groups
        ]
        for name, type_, head, abstract in self.elements:
            extra = f' substitutionGroup="t:{head}"' if head else ""
            extra += ' abstract="true"' if abstract else ""
            if isinstance(type_, Complex):
                parts.append(
                    f'<xs:element name="{name}"{extra}>{type_.xsd()}</xs:element>'
                )
            else:
                parts.append(f'<xs:element name="{name}" type="{type_}"{extra}/>')
        return "\n".join(parts)

    def wsdl(self) -> str:
        form = "qualified" if self.qualified else "unqualified"
        messages, port_ops, binding_ops = [], [], []
        style = "rpc" if self.rpc else "document"
        for number, request in enumerate(self.requests):
            op = f"Op{number}"
            if self.rpc:
                messages.append(
                    f'<message name="{op}In"><part name="body" element="t:{request}"/></message>'
                )
            else:
                messages.append(
                    f'<message name="{op}In"><part name="p" element="t:{request}"/></message>'
                )
            messages.append(f'<message name="{op}Out"/>')
            port_ops.append(
                f'<operation name="{op}"><input message="t:{op}In"/>'
                f'<output message="t:{op}Out"/></operation>'
            )
            namespace = f' namespace="{TNS}"' if self.rpc else ""
            binding_ops.append(
                f'<operation name="{op}"><soap:operation soapAction="urn:fuzz/{op}" style="{style}"/>'
                f'<input><soap:body use="literal"{namespace}/></input>'
                f'<output><soap:body use="literal"{namespace}/></output></operation>'
            )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:t="{TNS}" targetNamespace="{TNS}">
  <types>
    <xs:schema targetNamespace="{TNS}" elementFormDefault="{form}">
{self.schema()}
    </xs:schema>
  </types>
  {"".join(messages)}
  <portType name="FuzzPortType">{"".join(port_ops)}</portType>
  <binding name="FuzzBinding" type="t:FuzzPortType">
    <soap:binding style="{style}" transport="http://schemas.xmlsoap.org/soap/http"/>
    {"".join(binding_ops)}
  </binding>
  <service name="FuzzService">
    <port name="FuzzPort" binding="t:FuzzBinding">
      <soap:address location="http://127.0.0.1:9/fuzz"/></port>
  </service>
</definitions>
"""


def _plain(p: Group) -> bool:
    """Whether a content model names only named types (restricting it again is
    then valid: an anonymous type is a new type each time it is declared)."""
    for q in p.particles:
        if isinstance(q, Element) and isinstance(q.type, Complex):
            return False
        if isinstance(q, Group) and not _plain(q):
            return False
    return True


def _occurs(low: int, high: int | None) -> str:
    text = "" if low == 1 else f' minOccurs="{low}"'
    if high != 1:
        text += f' maxOccurs="{"unbounded" if high is None else high}"'
    return text


_OCCURS = st.sampled_from([(1, 1), (0, 1), (0, None), (1, None), (2, 4), (0, 3)])


@st.composite
def cases(draw: st.DrawFn) -> Case:
    counter = itertools.count()
    used: set[str] = set()
    qualified = draw(st.booleans())

    def fresh(pool: list[str] = NAMES) -> str:
        """A name never used before in this case (so content models stay
        deterministic), picked from words that clash with Python's."""
        word = draw(st.sampled_from(pool))
        name = word
        while name in used:
            name = f"{word}{next(counter)}"
        used.add(name)
        return name

    simples = [
        Simple(fresh(), "xs:string", kind)
        for kind in draw(
            st.lists(
                st.sampled_from(
                    ["enum", "pattern", "length", "range", "list", "union"]
                ),
                max_size=3,
                unique=True,
            )
        )
    ]
    simple_names = [f"t:{s.name}" for s in simples]
    types: list[Complex] = []
    groups: list[tuple[str, Group]] = []
    once: set[str] = set()  # a group, or the wildcard: used once per case
    attribute_groups: list[tuple[str, list[Attribute]]] = []
    globals_: list[tuple[str, str | Complex, str | None, bool]] = []

    def literal(type_: str) -> str | None:
        if type_ in LITERALS:
            return LITERALS[type_]
        for s in simples:
            if type_ == f"t:{s.name}" and s.kind not in ("list",):
                return s.literal()
        return None

    def simple_type() -> str:
        return draw(st.sampled_from(BUILTINS + simple_names))

    def element(depth: int, in_all: bool = False) -> Element:
        low, high = draw(st.sampled_from([(1, 1), (0, 1)])) if in_all else draw(_OCCURS)
        name = fresh()
        choice = draw(st.integers(0, 9))
        type_: str | Complex
        if choice == 0 and not in_all and draw(st.booleans()):
            type_ = draw(st.sampled_from(["xs:anyType", ""]))  # the ur-type
            return Element(name, type_, low, high)
        if choice < 5 or depth >= 2:
            type_ = simple_type()
        elif choice < 7 and types:
            type_ = f"t:{draw(st.sampled_from([t.name for t in types if t.name]))}"
        else:
            type_ = complex_type(None, depth + 1)
        e = Element(name, type_, low, high)
        if isinstance(type_, str):
            e.nillable = draw(st.booleans()) and draw(st.booleans())
            value = literal(type_)
            if value is not None and not e.nillable and draw(st.integers(0, 5)) == 0:
                if draw(st.booleans()):
                    e.default = value
                elif high == 1:
                    e.fixed = value
        elif type_ != "" and draw(st.integers(0, 6)) == 0:
            e.nillable = True
        return e

    def particle(depth: int) -> Element | Wildcard | Group | GroupRef:
        choice = draw(st.integers(0, 9))
        if depth >= 2 or choice < 5:
            return element(depth)
        if choice == 8 and draw(st.integers(0, 5)) == 0:  # a group of nothing
            low, high = draw(_OCCURS)
            kind = draw(st.sampled_from(["sequence", "choice"]))
            if kind == "choice":
                # A required choice of nothing: the specification's emptiable
                # rule calls it empty and its validation rule lets nothing match
                # it; xmlschema reads the first, libxml2 the second.
                low = 0
            return Group(kind, [], low, high)
        if choice == 9 and groups and groups[0][0] not in once:
            name, _ = groups[0]
            once.add(name)
            low, high = draw(_OCCURS)
            return GroupRef(name, low, high)
        return group(depth + 1)

    def group(depth: int, top: bool = False) -> Group:
        kind = draw(
            st.sampled_from(
                ["sequence", "choice", "all"] if top else ["sequence", "choice"]
            )
        )
        if kind == "all":
            members = [
                element(depth, in_all=True) for _ in range(draw(st.integers(1, 3)))
            ]
            return Group("all", list(members), draw(st.sampled_from([0, 1])), 1)
        members: list[Element | Wildcard | Group | GroupRef] = [
            particle(depth) for _ in range(draw(st.integers(1, 3)))
        ]
        if kind == "sequence" and draw(st.integers(0, 7)) == 0:
            # A name used twice, a required element between: still deterministic.
            first = element(2)
            middle = element(2)
            middle.min, middle.max = 1, 1
            again = Element(first.name, first.type)  # once: a repeated group around
            # it could otherwise take it for the first of the next occurrence
            members += [first, middle, again]
        low, high = (1, 1) if top and draw(st.booleans()) else draw(_OCCURS)
        return Group(kind, members, low, high)

    def complex_type(
        name: str | None, depth: int, *, base: Complex | None = None
    ) -> Complex:
        ct = Complex(name)
        form = draw(st.integers(0, 9))
        if base is not None:
            ct.base = base.name
            ct.mixed = base.mixed
            if draw(st.booleans()):
                ct.content = group(depth)
        elif form == 0:
            ct.simple = simple_type()
        else:
            ct.content = group(depth, top=True) if draw(st.integers(0, 5)) else None
            ct.mixed = draw(st.integers(0, 6)) == 0
        if (
            ct.content is not None
            and ct.content.kind != "all"
            and "any" not in once
            and draw(st.integers(0, 5)) == 0
        ):
            once.add("any")  # two ##other wildcards in one model could be ambiguous
            low, high = draw(st.sampled_from([(0, 1), (0, None), (1, 2)]))
            others = ["##other", OTHER] if qualified else [OTHER]
            ct.content.particles.append(
                Wildcard(low, high, draw(st.sampled_from(others)))
            )
        for _ in range(draw(st.integers(0, 2))):
            type_ = draw(
                st.sampled_from(["xs:string", "xs:int", "xs:boolean"] + simple_names)
            )
            a = Attribute(fresh(), type_, required=draw(st.booleans()))
            value = literal(type_)
            if value is not None and not a.required and draw(st.integers(0, 3)) == 0:
                if draw(st.booleans()):
                    a.default = value
                else:
                    a.fixed = value
            ct.attributes.append(a)
        ct.any_attribute = draw(st.integers(0, 8)) == 0
        if attribute_groups and base is None and draw(st.integers(0, 3)) == 0:
            ct.attribute_group = attribute_groups[0][0]  # once in a lineage
        return ct

    if draw(st.booleans()):
        members = [Attribute(fresh(), "xs:int", draw(st.booleans()))]
        members.append(Attribute(fresh(), "xs:string"))
        attribute_groups.append((fresh(), members))
    for _ in range(draw(st.integers(0, 1))):
        definition = group(1)
        definition.min = definition.max = 1  # a named group's own has no occurrences
        groups.append((fresh(), definition))
    for _ in range(draw(st.integers(1, 3))):
        bases = [
            t
            for t in types
            if t.name
            and t.simple is None
            and not t.restriction
            and not (t.content and t.content.kind == "all")
        ]
        how = draw(st.integers(0, 5))
        restrictable = [
            t
            for t in bases
            if t.content is not None
            and t.content.kind == "sequence"
            and _plain(t.content)
        ]
        texts = [
            t
            for t in types
            if t.name and t.simple in ("xs:string", "xs:token") and not t.restriction
        ]
        if bases and how == 0:
            base = draw(st.sampled_from(bases))
            types.append(complex_type(fresh(), 1, base=base))
        elif restrictable and how == 1:
            # The base's content again, less some optional elements: a restriction.
            base = draw(st.sampled_from(restrictable))
            assert base.content is not None
            kept = [
                p
                for p in base.content.particles
                if not (isinstance(p, Element) and p.min == 0 and draw(st.booleans()))
            ]
            content = Group("sequence", kept, base.content.min, base.content.max)
            types.append(
                Complex(
                    fresh(), content, mixed=base.mixed, base=base.name, restriction=True
                )
            )
        elif texts and how == 2:
            base = draw(st.sampled_from(texts))
            types.append(Complex(fresh(), simple=f"t:{base.name}", restriction=True))
        elif how == 3:
            abstract = complex_type(fresh(), 1)
            if abstract.simple is None and not (
                abstract.content and abstract.content.kind == "all"
            ):
                abstract.abstract = True
                types.append(abstract)
                types.append(complex_type(fresh(), 1, base=abstract))
            else:
                types.append(abstract)
        else:
            types.append(complex_type(fresh(), 1))
    # Substitution groups: a head of a named type, members of derived types.
    named = [t for t in types if t.name]
    if named and draw(st.booleans()):
        head_type = draw(st.sampled_from(named))
        head = fresh()
        globals_.append((head, f"t:{head_type.name}", None, draw(st.booleans())))
        derived = [t for t in types if t.base == head_type.name] + [head_type]
        for _ in range(draw(st.integers(1, 2))):
            member_type = draw(st.sampled_from(derived))
            globals_.append((fresh(), f"t:{member_type.name}", head, False))
    requests = []
    for _ in range(draw(st.integers(1, 2))):
        name = fresh()
        content = group(0, top=True)
        heads = [g for g in globals_ if g[2] is None]
        if heads and draw(st.booleans()):
            low, high = draw(_OCCURS)
            content.particles.append(Element(heads[0][0], "", low, high, ref=True))
            content.kind = "sequence" if content.kind == "all" else content.kind
        globals_.append(
            (
                name,
                Complex(None, content, mixed=draw(st.integers(0, 8)) == 0),
                None,
                False,
            )
        )
        requests.append(name)
    return Case(
        simples=simples,
        types=types,
        groups=groups,
        elements=globals_,
        requests=requests,
        attribute_groups=attribute_groups,
        qualified=qualified,
        rpc=False,
    )
