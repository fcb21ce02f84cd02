"""wsdlbind's own intermediate model: what a WSDL describes, with nothing of
xsdata's left in it.

The tree::

    Project                          one generated module
    ├── ports: [Port]                one client class each (a WSDL service/port)
    │   └── operations: [Operation]
    │       ├── input:  Message      element: QName of the body's root element
    │       ├── output: Message | None
    │       ├── faults: [Message]
    │       └── headers: [Message]   soap:header elements of the input
    ├── elements: {QName: ElementDecl}   every global element
    ├── types: {QName: ComplexType | EnumType}   every class the module may hold
    │   └── ComplexType
    │       ├── content: Particle    the particle tree, as the schema gives it
    │       │     ModelGroup (sequence | choice | all, occurs, particles)
    │       │     ElementParticle (ElementDecl, occurs)
    │       │     WildcardParticle (namespace constraint, occurs)
    │       ├── simple: SimpleType   the text of simple content
    │       ├── attributes: [AttributeUse], any_attribute: Wildcard
    │       └── fields, check        what the shape stage decided (generator.shape)
    └── warnings: [GenerationWarning]

The adapter (:mod:`generator.xsd`) fills this tree from the loaded documents
as the XML Schema specification defines its components: a complex type's
``content`` is the particle tree of its own declaration (for an extension,
the particles it adds to its base's). :mod:`generator.shape` then decides,
once, each type's Python fields and the checks a request must pass;
:mod:`generator.naming` names everything.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from . import xsd_types
from .errors import GenerationWarning, ModelError
from .namespaces import SOAP11_ENV, SOAP12_ENV, XSD

#: A schema-given maximum above this is treated as unbounded.
UNBOUNDED_ABOVE = 2**31 - 1


@dataclass(frozen=True, order=True)
class QName:
    """A namespace-qualified XML name."""

    namespace: str
    local: str

    def __str__(self) -> str:
        return f"{{{self.namespace}}}{self.local}" if self.namespace else self.local

    @classmethod
    def parse(cls, text: str) -> QName:
        """Read Clark notation (``{ns}local``) or a bare local name."""
        if text.startswith("{"):
            ns, _, local = text[1:].partition("}")
            return cls(ns, local)
        return cls("", text)


ANY_TYPE = QName(XSD, "anyType")


@dataclass(frozen=True)
class Facets:
    """The constraining facets of a simple type, as its derivation chain sums them.

    Each entry of ``patterns`` must match (one per derivation step; the
    patterns of one step are joined as alternatives). The others hold the
    narrowest value any step gave.
    """

    patterns: tuple[str, ...] = ()
    enumeration: tuple[str, ...] | None = None
    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_inclusive: str | None = None
    max_inclusive: str | None = None
    min_exclusive: str | None = None
    max_exclusive: str | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None
    white_space: str | None = None

    def narrowed(self, other: Facets) -> Facets:
        """These facets restricted further by ``other`` (a derivation step)."""
        changes: dict[str, object] = {
            k: v for k, v in vars(other).items() if v is not None and k != "patterns"
        }
        changes["patterns"] = self.patterns + other.patterns
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @property
    def empty(self) -> bool:
        return self == Facets()


@dataclass(frozen=True, eq=False)
class SimpleType:
    """What a simple type allows of a text.

    ``builtin`` is the local name of the XSD built-in the atomic type derives
    from (``int``, ``token``...); a list has ``item``, a union ``members``.
    ``enum`` names the EnumType whose members are the allowed values, when the
    module gives them a class; otherwise an enumeration is checked as a facet.
    """

    builtin: str
    facets: Facets = Facets()
    variety: Literal["atomic", "list", "union"] = "atomic"
    item: SimpleType | None = None
    members: tuple[SimpleType, ...] = ()
    enum: QName | None = None
    name: QName | None = None  # the schema's name, for xsi:type; None: anonymous

    def restricted(self, facets: Facets, name: QName | None = None) -> SimpleType:
        return dataclasses.replace(
            self, facets=self.facets.narrowed(facets), enum=None, name=name
        )


#: The type of a value: a ComplexType's key (or ANY_TYPE), or a simple type.
TypeRef = QName | SimpleType


@dataclass(eq=False)
class ElementDecl:
    """An element declaration: global, or local to a content model."""

    name: QName  # as on the wire
    type: TypeRef
    nillable: bool = False
    default: str | None = None
    fixed: str | None = None
    abstract: bool = False
    is_global: bool = False
    head: QName | None = None  # the substitution group it belongs to
    doc: str = ""
    #: Global elements that may stand in for this one (its substitution group,
    #: transitively), filled in once every element is known.
    substitutes: list[ElementDecl] = field(default_factory=list)
    #: rpc/encoded: the type announced with xsi:type on the wire
    xsi_type: QName | None = None
    #: What may not stand in for it (``block``, or the schema's
    #: ``blockDefault``): "extension", "restriction", "substitution".
    block: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Wildcard:
    """A namespace constraint (``xs:any``/``xs:anyAttribute``).

    ``allowed`` None admits every namespace but ``excluded``; otherwise just
    those listed ("" for no namespace).
    """

    allowed: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()
    process: str = "strict"

    def admits(self, namespace: str) -> bool:
        if self.allowed is not None:
            return namespace in self.allowed
        return namespace not in self.excluded


@dataclass(eq=False)
class ElementParticle:
    decl: ElementDecl
    min: int = 1
    max: int | None = 1  # None: unbounded
    field: Field | None = None  # where the shape stage keeps its values


@dataclass(eq=False)
class WildcardParticle:
    wildcard: Wildcard
    min: int = 1
    max: int | None = 1
    field: Field | None = None


@dataclass(eq=False)
class ModelGroup:
    compositor: Literal["sequence", "choice", "all"]
    particles: list[Particle]
    min: int = 1
    max: int | None = 1
    field: Field | None = None  # a repeated group with a class of its own


Particle = ElementParticle | WildcardParticle | ModelGroup


def emptiable(p: Particle) -> bool:
    """Whether ``p`` may match no element at all."""
    if p.min == 0:
        return True
    if isinstance(p, ModelGroup):
        if p.compositor == "choice":
            return not p.particles or any(emptiable(c) for c in p.particles)
        return all(emptiable(c) for c in p.particles)
    return False


@dataclass(eq=False)
class AttributeUse:
    name: QName
    type: SimpleType
    required: bool = False
    default: str | None = None
    fixed: str | None = None
    doc: str = ""


# -- what the shape stage decides --------------------------------------------------

FieldKind = Literal[
    "element", "group", "any", "attribute", "any_attribute", "text", "mixed"
]


@dataclass(eq=False)
class Field:
    """One attribute of a generated class: how Python holds it and how it travels.

    ``min``/``max`` are the occurrences the schema gives the particle, counted
    when the group around it is present; ``optional`` says whether Python may
    hold nothing (None, or an empty list) because of that group or its own
    ``min``. ``repeated`` fields are lists.
    """

    kind: FieldKind
    xml_name: str  # the base of its Python name
    min: int = 1
    max: int | None = 1
    optional: bool = False
    element: ElementDecl | None = None  # element
    group: QName | None = None  # group: the group class
    wildcard: Wildcard | None = None  # any, any_attribute
    attribute: AttributeUse | None = None  # attribute
    simple: SimpleType | None = None  # text
    doc: str = ""
    py_name: str = ""
    # A SOAP-encoded array (rpc/encoded): the field is a list of these items,
    # sent inside one element marked soapenc:Array.
    soap_array: TypeRef | None = None
    guarded: bool = False  # optional because a choice or optional group holds it
    overrides: Field | None = None  # the base's field this one narrows (same name)

    @property
    def repeated(self) -> bool:
        if self.kind in ("any", "mixed"):
            return True
        if self.kind in ("attribute", "any_attribute", "text"):
            return False
        return self.soap_array is not None or self.max is None or self.max > 1

    @property
    def qname(self) -> QName:
        if self.element is not None:
            return self.element.name
        if self.attribute is not None:
            return self.attribute.name
        return QName("", self.xml_name)


@dataclass(eq=False)
class Check:
    """What a request must satisfy for its content to match the particle tree.

    It mirrors the tree over the fields: ``field`` nodes count one field's
    values (``min``..``max``); ``all`` nodes hold checks that apply together
    (a sequence or xs:all; when ``min`` is 0, only if any of its fields is
    given); ``choice`` nodes take exactly one branch (at most one when ``min``
    is 0 or a branch may be empty).
    """

    kind: Literal["field", "all", "choice"]
    min: int = 1
    max: int | None = 1
    field: Field | None = None
    children: list[Check] = dataclasses.field(default_factory=list)

    def fields(self) -> Iterator[Field]:
        if self.field is not None:
            yield self.field
        for child in self.children:
            yield from child.fields()

    @property
    def emptiable(self) -> bool:
        if self.min == 0:
            return True
        if self.kind == "field":
            return False
        if self.kind == "choice":
            return not self.children or any(c.emptiable for c in self.children)
        return all(c.emptiable for c in self.children)


ComplexKind = Literal["type", "element", "local", "group"]


@dataclass(eq=False)
class ComplexType:
    """A class of the generated module that holds content.

    ``kind`` says what it stands for: a named complex type (``type``, which
    xsi:type can name), a global element's own type (``element``: its
    anonymous complex type, or its simple value), a local element's anonymous
    type (``local``), or one occurrence of a repeated model group (``group``).

    ``content`` is the particle tree this type declares: for an extension, the
    particles it appends to its base's; for a restriction, the whole content.
    """

    key: QName
    xml_name: str
    kind: ComplexKind
    base: QName | None = None  # a complex base type's key
    derivation: Literal["extension", "restriction"] | None = None
    abstract: bool = False
    #: The derivations of it that may not stand in for it (``block``, or the
    #: schema's ``blockDefault``): "extension", "restriction".
    block: frozenset[str] = frozenset()
    mixed: bool = False
    content: Particle | None = None
    simple: SimpleType | None = None  # simple content (effective)
    attributes: list[AttributeUse] = field(default_factory=list)  # own
    prohibited: frozenset[QName] = frozenset()  # base attributes a restriction removes
    any_attribute: Wildcard | None = None  # effective
    element: QName | None = None  # a global element of this type (default tag)
    soap_array: TypeRef | None = None  # a SOAP-encoded array of these items
    doc: str = ""
    owner: QName | None = None  # a group class: the type whose content it is part of
    # Decided by generator.shape:
    fields: list[Field] = field(default_factory=list)  # declared by this class
    all_fields: list[Field] = field(default_factory=list)  # own and inherited
    hidden: list[Field] = field(
        default_factory=list
    )  # a base's, not in this restriction
    check: Check | None = None  # the whole content's check
    reader: Literal["dispatch", "match"] = "dispatch"
    effective: Particle | None = None  # the whole content, as the reader matches it
    # Named by generator.naming:
    py_name: str = ""
    helpers: dict[str, str] = field(default_factory=dict)

    @property
    def type_name(self) -> QName | None:
        """The schema's name for the type, as xsi:type writes it (None: none)."""
        return self.key if self.kind == "type" else None

    @property
    def text_field(self) -> Field | None:
        return next((f for f in self.all_fields if f.kind == "text"), None)

    @property
    def has_simple_content(self) -> bool:
        """A text value, perhaps with attributes (``ToNumber``)."""
        return self.simple is not None

    @property
    def is_simple_value(self) -> bool:
        """Simple content and nothing else (``CreatedId``: just a long)."""
        return self.simple is not None and all(
            f.kind == "text" for f in self.all_fields
        )


@dataclass(eq=False)
class EnumType:
    """An enumerated simple type, which becomes an ``enum.Enum`` class."""

    key: QName
    xml_name: str
    values: list[str]
    simple: SimpleType  # the type without its enumeration: the values' form
    doc: str = ""
    py_name: str = ""
    helpers: dict[str, str] = field(default_factory=dict)
    members: list[tuple[str, str]] = field(default_factory=list)  # (name, value)


TypeDef = ComplexType | EnumType


@dataclass
class Message:
    """The body of an operation's input, output or fault: one root element."""

    name: str
    element: QName | None  # None: an empty message
    py_name: str = ""  # for a fault message: its exception class


@dataclass
class Operation:
    name: str
    soap_action: str
    input: Message
    output: Message | None
    faults: list[Message] = field(default_factory=list)
    doc: str = ""
    py_name: str = ""
    headers: list[Message] = field(default_factory=list)  # soap:header of the input
    style: str = "document/literal"  # or "rpc/literal", "rpc/encoded"
    wsa_action: str = ""  # WS-Addressing's Action of the input, if the WSDL gives one
    output_headers: list[Message] = field(default_factory=list)  # soap:header, output
    # Set by the call policy (see CallPolicy.apply):
    retry: str = ""  # the retry pattern its name matches: safe to repeat
    idempotency_key: str = ""  # the request field that makes a repeat harmless


def _holds_text(f: Field) -> bool:
    """Whether a field's value is a plain string (what a UUID can go into)."""
    kind = f.element.type if f.element is not None else None
    return (
        isinstance(kind, SimpleType)
        and kind.variety == "atomic"
        and kind.enum is None
        and xsd_types.builtin(kind.builtin).annotation == "str"
    )


@dataclass(frozen=True)
class CallPolicy:
    """Which calls a client may send again after they may have reached the
    server (on a connection failure, HTTP 502, 503 or 504): those whose
    operation name matches a ``retry`` pattern (``fnmatch``'s, case
    sensitive: ``Get*``), and those whose request has the element
    ``idempotency_key`` (filled with a fresh UUID when left empty, so the
    service can drop a repeat). By default none: what repeating an operation
    does is the service's to say, and a WSDL does not say it."""

    retry: tuple[str, ...] = ()
    idempotency_key: str | None = None

    def apply(self, project: Project) -> None:
        """Mark each operation of ``project`` (its request's fields decided)
        with what makes it safe to repeat; warn of a pattern or key that
        matches nothing (a typo would silently retry nothing)."""
        matched: set[str] = set()
        keyed = False
        for port in project.ports:
            for op in port.operations:
                matching = [p for p in self.retry if fnmatch.fnmatchcase(op.name, p)]
                op.retry = matching[0] if matching else ""
                matched.update(matching)
                if self.idempotency_key and op.input.element is not None:
                    request = project.element(op.input.element)
                    op.idempotency_key = next(
                        (
                            f.xml_name
                            for f in request.all_fields
                            if f.xml_name == self.idempotency_key
                            and f.kind == "element"
                            and not f.repeated
                            and _holds_text(f)
                        ),
                        "",
                    )
                    keyed = keyed or bool(op.idempotency_key)
        for pattern in self.retry:
            if pattern not in matched:
                project.warnings.append(
                    GenerationWarning(
                        "retry", f"the pattern {pattern!r} matches no operation"
                    )
                )
        if self.idempotency_key and not keyed:
            project.warnings.append(
                GenerationWarning(
                    "idempotency_key",
                    f"no request has a single string element {self.idempotency_key!r}",
                )
            )


#: The default policy: no call is sent again once it may have reached the server.
NO_RETRY = CallPolicy()


@dataclass
class Port:
    service: str
    name: str
    binding: str
    soap_version: Literal["1.1", "1.2"]
    address: str | None
    operations: list[Operation] = field(default_factory=list)
    doc: str = ""
    py_name: str = ""
    async_py_name: str = ""  # the async client's class

    @property
    def envelope_ns(self) -> str:
        return SOAP12_ENV if self.soap_version == "1.2" else SOAP11_ENV


@dataclass
class Project:
    ports: list[Port]
    types: dict[QName, TypeDef]
    elements: dict[QName, ElementDecl]  # every global element, by its name
    source_hash: str = ""
    warnings: list[GenerationWarning] = field(default_factory=list)
    #: types and elements the adapter could not build: no operation reaches them
    broken: frozenset[QName] = frozenset()
    _derived: dict[QName, list[ComplexType]] | None = field(default=None, repr=False)
    _wrappers: dict[QName, ComplexType] | None = field(default=None, repr=False)

    def type(self, key: QName) -> TypeDef:
        try:
            return self.types[key]
        except KeyError:
            raise ModelError(
                f"type {key} is used but not defined in any loaded schema",
                hint="check the schemaLocation of the xs:import that should provide it",
            ) from None

    def complex(self, key: QName) -> ComplexType:
        found = self.type(key)
        if not isinstance(found, ComplexType):
            raise ModelError(f"{key} is an enumeration, where a complex type is used")
        return found

    def element(self, wire: QName) -> ComplexType:
        """The class of the global element named ``wire`` (a request, answer,
        header or fault detail)."""
        decl = self.elements.get(wire)
        if decl is None:
            raise ModelError(
                f"element {wire} is used but not defined in any loaded schema"
            )
        # A class made for the element by the adapter (for a simple, untyped or
        # named type), else its own type.
        if self._wrappers is None:
            self._wrappers = {
                t.element: t
                for t in self.types.values()
                if isinstance(t, ComplexType) and t.kind == "element" and t.element
            }
        found = self._wrappers.get(wire)
        if found is not None:
            return found
        if isinstance(decl.type, QName) and decl.type != ANY_TYPE:
            return self.complex(decl.type)
        raise ModelError(f"element {wire} has no class")

    def lineage(self, typedef: ComplexType) -> Iterator[ComplexType]:
        """The type, then its base, its base's base... (most derived first)."""
        seen: set[QName] = set()
        current: ComplexType | None = typedef
        while current is not None and current.key not in seen:
            seen.add(current.key)
            yield current
            current = self.complex(current.base) if current.base else None

    def subtypes(self, typedef: ComplexType) -> list[ComplexType]:
        """Concrete named types deriving (directly or not) from ``typedef``, in a
        stable order. An index of direct subtypes is built once: WSDLs like
        vim25 have thousands of types, and a walk per call would be quadratic."""
        if self._derived is None:
            self._derived = {}
            for t in self.types.values():
                if isinstance(t, ComplexType) and t.base is not None:
                    self._derived.setdefault(t.base, []).append(t)
        found: list[ComplexType] = []
        pending = list(self._derived.get(typedef.key, []))
        seen: set[QName] = {typedef.key}
        while pending:
            t = pending.pop(0)
            if t.key in seen:
                continue
            seen.add(t.key)
            if not t.abstract and t.kind == "type" and t.key not in self.broken:
                found.append(t)
            pending.extend(self._derived.get(t.key, []))
        return found

    def messages(self) -> Iterator[Message]:
        for port in self.ports:
            for op in port.operations:
                yield op.input
                if op.output is not None:
                    yield op.output
                yield from op.faults
                yield from op.headers
                yield from op.output_headers


def derivations(
    types: Mapping[QName, TypeDef], derived: TypeRef, base: TypeRef
) -> set[str]:
    """The derivation methods of each step from complex type ``base`` down to
    ``derived`` ("extension", "restriction"); none where they are the same
    type, or either is not a complex type or one does not come from the other."""
    found: set[str] = set()
    current = types.get(derived) if isinstance(derived, QName) else None
    seen: set[QName] = set()
    while isinstance(current, ComplexType) and current.key not in seen:
        if current.key == base:
            return found
        seen.add(current.key)
        if current.derivation is not None:
            found.add(current.derivation)
        current = types.get(current.base) if current.base is not None else None
    return set()


def blocked_by(types: Mapping[QName, TypeDef], decl: ElementDecl) -> frozenset[str]:
    """What may not stand in for ``decl``: its own ``block``, and its complex
    type's."""
    typedef = types.get(decl.type) if isinstance(decl.type, QName) else None
    own = typedef.block if isinstance(typedef, ComplexType) else frozenset()
    return decl.block | own


def walk(p: Particle | None) -> Iterator[Particle]:
    """Every particle of a tree, in document order."""
    if p is None:
        return
    yield p
    if isinstance(p, ModelGroup):
        for child in p.particles:
            yield from walk(child)


def reachable(project: Project) -> list[TypeDef]:
    """The classes the ports' operations reach, in a stable order: enumerations
    first (defaults of later classes may name their members), bases before
    the types deriving from them. A complex type reached as a value brings its
    subtypes, which may stand in for it with xsi:type."""
    found: dict[QName, TypeDef] = {}
    pending: list[tuple[QName, bool]] = []

    def simple(s: SimpleType | None) -> None:
        while s is not None:
            if s.enum is not None:
                pending.append((s.enum, False))
            for member in s.members:
                simple(member)
            s = s.item

    anything = False  # an xs:anyType value: any named type may come, by xsi:type

    def value(ref: TypeRef | None) -> None:
        nonlocal anything
        if isinstance(ref, SimpleType):
            simple(ref)
        elif ref == ANY_TYPE:
            anything = True
        elif ref is not None:
            pending.append((ref, True))

    for msg in project.messages():
        if msg.element is not None:
            pending.append((project.element(msg.element).key, True))
    while pending or anything:
        if not pending:  # every named type, and what they reach
            anything = False
            pending.extend(
                (t.key, False)
                for t in project.types.values()
                if isinstance(t, ComplexType)
                and t.kind == "type"
                and t.key not in found
                and t.key not in project.broken
            )
            continue
        key, as_value = pending.pop()
        typedef = project.type(key)
        if isinstance(typedef, ComplexType) and as_value:
            for sub in project.subtypes(typedef):
                if sub.key not in found:
                    pending.append((sub.key, False))
        if key in found:
            continue
        found[key] = typedef
        if isinstance(typedef, EnumType):
            continue
        if typedef.base is not None:
            pending.append((typedef.base, False))
        simple(typedef.simple)
        value(typedef.soap_array)
        for use in typedef.attributes:
            simple(use.type)
        for p in walk(typedef.content):
            if isinstance(p, ElementParticle):
                for decl in (p.decl, *p.decl.substitutes):
                    value(decl.type)

    ordered: list[TypeDef] = []
    placed: set[QName] = set()

    def place(typedef: TypeDef) -> None:
        if typedef.key in placed:
            return
        placed.add(typedef.key)
        if isinstance(typedef, ComplexType) and typedef.base:
            place(project.type(typedef.base))
        ordered.append(typedef)

    def order(key: QName) -> tuple[bool, str, str, bool, QName]:
        # An element's class comes before a type of the same name: it gets the
        # plain name, as users write the element's name in requests.
        typedef = found[key]
        own = isinstance(typedef, ComplexType) and typedef.kind == "element"
        enum = isinstance(typedef, EnumType)
        return (not enum, key.namespace, typedef.xml_name, not own, key)

    for key in sorted(found, key=order):
        place(found[key])
    return ordered
