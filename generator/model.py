"""wsdlbind's own intermediate model: what a WSDL describes, in the terms the
templates need, with nothing of xsdata's left in it.

The tree::

    Project                      one generated module
    ├── ports: [Port]            one client class each (a WSDL service/port)
    │   └── operations: [Operation]
    │       ├── input:  Message  ── element: QName of the body's root element
    │       ├── output: Message | None
    │       └── faults: [Message]
    ├── types: {QName: TypeDef}  every complex type, element and enumeration
    │   └── fields: [Field]      elements, attributes, text content, wildcards
    │       └── type: TypeRef    a built-in XSD type or another TypeDef
    └── warnings: [GenerationWarning]

A global element and a named type are both a ``TypeDef`` (keyed by their QName);
``TypeDef.base`` is the extension base (inheritance). A ``Field`` carries its XML
name and namespace for the wire and, once :func:`assign_names` has run, the
Python name chosen by :mod:`generator.naming`.

The xsdata adapter fills this tree from the loaded documents; :func:`reachable`
keeps what the operations use, and :func:`assign_names` names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from generator import naming
from generator.errors import GenerationWarning, ModelError

XSD = "http://www.w3.org/2001/XMLSchema"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP_ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"
XML_NS = "http://www.w3.org/XML/1998/namespace"  # xml:lang and co, never declared

FieldKind = Literal["element", "attribute", "text", "any", "any_attribute"]


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


@dataclass(frozen=True)
class Facets:
    """The XSD restrictions wsdlbind checks before a request is sent."""

    pattern: str | None = None
    min_inclusive: str | None = None
    max_inclusive: str | None = None
    min_exclusive: str | None = None
    max_exclusive: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    length: int | None = None

    def narrowed(self, other: Facets) -> Facets:
        """These facets with ``other``'s set ones taking over (a restriction)."""
        changes = {k: v for k, v in vars(other).items() if v is not None}
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Choice:
    """Membership of a field in an ``xs:choice``.

    Exactly one branch of the choice is given (at most one if the choice is
    optional; any number if it repeats). A branch is one element or a nested
    sequence of several; ``needed`` says whether the field must be set when its
    branch is the one given.
    """

    id: int  # the same for every member of one choice
    branch: int  # the same for the members of one branch
    required: bool
    repeats: bool
    needed: bool


@dataclass(eq=False)
class Field:
    """One element, attribute, text content or wildcard of a type."""

    xml_name: str
    namespace: str
    kind: FieldKind
    type: QName  # a built-in (namespace XSD) or the QName of a TypeDef
    min_occurs: int = 1
    max_occurs: int | None = 1  # None: unbounded
    default: str | None = None
    fixed: str | None = None
    nillable: bool = False
    tokens: bool = False  # an xs:list: space-separated values in one element
    xsi_type: QName | None = None  # announced on the wire (rpc/encoded parts)
    mixed: bool = False  # a wildcard holding mixed content: text and elements
    # A SOAP-encoded array (rpc/encoded): the field is a list of these items,
    # sent inside one element marked soapenc:Array.
    soap_array: QName | None = None
    choice: Choice | None = None
    facets: Facets = field(default_factory=Facets)
    doc: str = ""
    py_name: str = ""

    @property
    def repeated(self) -> bool:
        return self.max_occurs is None or self.max_occurs > 1

    @property
    def optional(self) -> bool:
        return self.min_occurs == 0 or self.choice is not None

    @property
    def qname(self) -> QName:
        return QName(self.namespace, self.xml_name)


@dataclass(eq=False)
class TypeDef:
    """A complex type, global element or enumeration.

    ``qname`` is a unique key (xsdata may suffix it to tell apart an element and a
    type of the same name); ``xml_name`` is the name the schema gave.
    """

    qname: QName
    kind: Literal["complex", "enum"]
    xml_name: str
    fields: list[Field] = field(default_factory=list)
    base: QName | None = None
    abstract: bool = False
    element_name: QName | None = None  # set when this is a global element
    enum_values: list[str] = field(default_factory=list)
    enum_base: QName | None = None
    doc: str = ""
    py_name: str = ""
    # A simpleContent restriction narrows its base's text: these facets apply.
    text_facets: Facets | None = None
    # A global element's own (anonymous) type: it has no name xsi:type could
    # give, so it never stands in for its base type.
    anonymous: bool = False
    # Attributes of a base that this restriction prohibits (use="prohibited").
    prohibited: frozenset[str] = frozenset()

    @property
    def type_name(self) -> QName:
        """The schema's name for the type, as xsi:type writes it."""
        return QName(self.qname.namespace, self.xml_name)

    @property
    def text_field(self) -> Field | None:
        """The simple content of a type with ``xs:simpleContent`` (or a simple element)."""
        return next((f for f in self.fields if f.kind == "text"), None)

    @property
    def has_simple_content(self) -> bool:
        """A text value, perhaps with attributes (``ToNumber``: a number and ClientData)."""
        return self.text_field is not None and not any(
            f.kind in ("element", "any") for f in self.fields
        )

    @property
    def is_simple_value(self) -> bool:
        """True for a simple content with no attributes (``CreatedId``: just a long)."""
        return (
            self.base is None
            and self.text_field is not None
            and all(f.kind == "text" for f in self.fields)
        )


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

    @property
    def envelope_ns(self) -> str:
        return SOAP12_ENV if self.soap_version == "1.2" else SOAP11_ENV


@dataclass
class Project:
    ports: list[Port]
    types: dict[QName, TypeDef]
    elements: dict[QName, QName]  # a global element's wire name → its TypeDef key
    source_hash: str = ""
    warnings: list[GenerationWarning] = field(default_factory=list)
    _derived: dict[QName, list[TypeDef]] | None = field(default=None, repr=False)
    _content_ns: dict[QName, frozenset[str]] | None = field(default=None, repr=False)

    def type(self, qname: QName) -> TypeDef:
        try:
            return self.types[qname]
        except KeyError:
            raise ModelError(
                f"type or element {qname} is used but not defined in any loaded schema",
                hint="check the schemaLocation of the xs:import that should provide it",
            ) from None

    def element(self, wire: QName) -> TypeDef:
        """The TypeDef of the global element named ``wire``."""
        try:
            return self.type(self.elements[wire])
        except KeyError:
            raise ModelError(
                f"element {wire} is used but not defined in any loaded schema"
            ) from None

    def lineage(self, typedef: TypeDef) -> Iterator[TypeDef]:
        """The type, then its base, its base's base... (most derived first)."""
        seen: set[QName] = set()
        current: TypeDef | None = typedef
        while current is not None and current.qname not in seen:
            seen.add(current.qname)
            yield current
            current = self.type(current.base) if current.base else None

    def all_fields(self, typedef: TypeDef) -> list[Field]:
        """Fields of the type including inherited ones, base first (XSD order)."""
        chain = list(self.lineage(typedef))
        fields = [f for t in reversed(chain) for f in t.fields]
        prohibited = frozenset().union(*(t.prohibited for t in chain))
        if prohibited:
            fields = [
                f
                for f in fields
                if not (f.kind == "attribute" and f.xml_name in prohibited)
            ]
        narrowed = next((t.text_facets for t in chain if t.text_facets), None)
        if narrowed is None:
            return fields
        return [
            dataclasses.replace(f, facets=f.facets.narrowed(narrowed))
            if f.kind == "text"
            else f
            for f in fields
        ]

    def content_namespaces(self, typedef: TypeDef) -> frozenset[str]:
        """The namespaces of the elements and attributes the schema lets an element
        of ``typedef`` hold, at any depth (wildcards may bring others)."""
        if self._content_ns is None:
            self._content_ns = self._all_content_namespaces()
        return self._content_ns[typedef.qname]

    def _all_content_namespaces(self) -> dict[QName, frozenset[str]]:
        """``content_namespaces`` of every type at once, as a fixed point: types may
        be recursive, and a walk per request type would be quadratic on vim25."""
        own: dict[QName, set[str]] = {}
        parts: dict[QName, set[QName]] = {}
        derived: dict[QName, list[QName]] = {}
        for typedef in self.types.values():
            names: set[str] = set()
            inner: set[QName] = set()
            own[typedef.qname], parts[typedef.qname] = names, inner
            for f in self.all_fields(typedef):
                if f.kind in ("element", "attribute") and f.namespace not in (
                    "",
                    XML_NS,
                ):
                    names.add(f.namespace)
                field_type = self.types.get(f.type)
                if f.kind != "element" or field_type is None:
                    continue
                if f.type not in derived:  # the field may hold any subtype
                    derived[f.type] = [t.qname for t in self.subtypes(field_type)]
                inner.add(f.type)
                inner.update(derived[f.type])
        changed = True
        while changed:  # spread each part's namespaces to the types holding it
            changed = False
            for qname, inner in parts.items():
                names = own[qname]
                size = len(names)
                for part in inner:
                    names |= own[part]
                changed |= len(names) != size
        return {qname: frozenset(names) for qname, names in own.items()}

    def subtypes(self, typedef: TypeDef) -> list[TypeDef]:
        """Concrete types deriving (directly or not) from ``typedef``, in a stable
        order. Uses an index of direct subtypes built once: WSDLs like vim25
        have thousands of types, and walking every lineage per call is quadratic."""
        if self._derived is None:
            self._derived = {}
            for t in self.types.values():
                if t.base is not None:
                    self._derived.setdefault(t.base, []).append(t)
        found: list[TypeDef] = []
        pending = list(self._derived.get(typedef.qname, []))
        seen: set[QName] = {typedef.qname}
        while pending:
            t = pending.pop(0)
            if t.qname in seen:
                continue
            seen.add(t.qname)
            if not t.abstract and not t.anonymous:
                found.append(t)
            pending.extend(self._derived.get(t.qname, []))
        return found


def use_soap_arrays(
    project: Project, arrays: dict[tuple[str, str], tuple[str, str]]
) -> None:
    """Fields of a SOAP-encoded array type become lists of the array's items.

    On the wire the field stays one element (``xsi:type="soapenc:Array"``,
    ``soapenc:arrayType="xsd:string[3]"``) holding an ``item`` per value; in
    Python it is a plain list, as a reader of rpc/encoded WSDLs expects.
    """
    if not arrays:
        return
    named = {t.type_name: t.qname for t in project.types.values() if not t.anonymous}
    for typedef in project.types.values():
        for f in typedef.fields:
            declared = project.types.get(f.type)
            name = declared.type_name if declared is not None else f.type
            item = (
                arrays.get((name.namespace, name.local))
                if f.kind == "element"
                else None
            )
            if item is None:
                continue
            announced = QName(*item)
            if announced.namespace == SOAP_ENCODING:  # soapenc:string is xs:string
                announced = QName(XSD, announced.local)
            if announced.namespace == XSD:
                f.type = announced
            else:  # a named simple type xsdata flattened away travels as text
                f.type = named.get(announced, QName(XSD, "string"))
            f.min_occurs, f.max_occurs, f.soap_array = 0, None, announced
            f.xsi_type = None  # the array element says soapenc:Array instead


def reachable(project: Project) -> list[TypeDef]:
    """The types the ports' operations reach, in a stable order (bases first)."""
    found: dict[QName, TypeDef] = {}

    def visit(qname: QName, *, as_field: bool = False) -> None:
        if qname.namespace == XSD:
            return
        typedef = project.type(qname)
        if as_field:
            # A field may hold any subtype of its declared type (xsi:type).
            for sub in project.subtypes(typedef):
                visit(sub.qname)
        if qname in found:
            return
        found[qname] = typedef
        if typedef.base:
            visit(typedef.base)
        for f in typedef.fields:
            visit(f.type, as_field=True)

    for port in project.ports:
        for op in port.operations:
            for msg in (op.input, op.output, *op.faults, *op.headers):
                if msg is not None and msg.element is not None:
                    visit(project.elements[msg.element])

    ordered: list[TypeDef] = []
    placed: set[QName] = set()

    def place(typedef: TypeDef) -> None:
        if typedef.qname in placed:
            return
        placed.add(typedef.qname)
        if typedef.base:
            place(project.type(typedef.base))
        ordered.append(typedef)

    # Enumerations first: defaults of later classes may name their members.
    for qname in sorted(found, key=lambda q: (found[q].kind != "enum", q)):
        place(found[qname])
    return ordered


def assign_names(project: Project, types: list[TypeDef]) -> None:
    """Give every port, operation, type and field its Python name (deterministic)."""
    taken: set[str] = set(naming.RESERVED_MODULE_NAMES)
    for typedef in types:
        typedef.py_name = naming.unique(
            naming.class_name(typedef.xml_name), taken, casefold=True
        )
    for port in project.ports:
        port.py_name = naming.unique(
            naming.class_name(port_class_base(port)), taken, casefold=True
        )
        op_taken: set[str] = set(naming.RESERVED_MEMBER_NAMES)
        for op in port.operations:
            op.py_name = naming.unique(naming.field_name(op.name), op_taken)
    faults: dict[QName, str] = {}
    for port in project.ports:
        for op in port.operations:
            for msg in op.faults:
                if msg.element is None:
                    continue
                if msg.element not in faults:
                    base = naming.class_name(msg.name)
                    if base.casefold() in {t.casefold() for t in taken}:
                        base = f"{base}Fault"
                    faults[msg.element] = naming.unique(base, taken, casefold=True)
                msg.py_name = faults[msg.element]
    for typedef in types:
        # Inherited names are taken: a subclass field never shadows a base field.
        field_taken: set[str] = set()
        for f in project.all_fields(typedef):
            if f in typedef.fields:
                f.py_name = naming.unique(naming.field_name(f.xml_name), field_taken)
            else:
                field_taken.add(f.py_name)


def port_class_base(port: Port) -> str:
    """``BroadcastServicePort`` → ``BroadcastService``: the name users know."""
    name = port.name
    for suffix in ("Port", "Soap12", "Soap"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
