"""The one place wsdlbind calls into xsdata.

xsdata parses WSDL and XSD documents into its own models and, through its
``ClassContainer`` and some twenty-five handlers, resolves what is hard about XML
Schema: imports across namespaces, flattened simple-type restrictions, choices,
groups and attribute groups, name clashes. wsdlbind reuses all of that, then
translates the result into :mod:`generator.model` so nothing else depends on
xsdata's internals, which carry no stability promise (pyproject pins the range).

What xsdata does not give us, we take from its WSDL models directly: the
bindings, SOAP version, actions and addresses of the ports.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from lxml import etree
from xsdata.codegen.container import ClassContainer
from xsdata.codegen.mappers.schema import SchemaMapper
from xsdata.codegen.models import Attr, AttrType, Class, Restrictions
from xsdata.codegen.parsers.definitions import DefinitionsParser
from xsdata.codegen.parsers.schema import SchemaParser
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.models.generics import AnyElement
from xsdata.models.config import GeneratorConfig
from xsdata.models.enums import Tag
from xsdata.models.mixins import ElementBase
from xsdata.models.wsdl import Binding, Definitions, Message, PortType
from xsdata.models.xsd import Any as AnyParticle
from xsdata.models.xsd import Element, Schema

from generator.errors import GenerationWarning, LoadError, ModelError
from generator.model import (
    SOAP11_ENV,
    SOAP12_ENV,
    SOAP_ENCODING,
    XSD,
    Choice,
    Facets,
    Field,
    FieldKind,
    Operation,
    Port,
    QName,
    TypeDef,
)
from generator.model import Message as ModelMessage

# xsdata logs what it works around; wsdlbind reports problems itself.
logging.getLogger("xsdata").setLevel(logging.ERROR)

SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/"
HTTP_BINDING = "http://schemas.xmlsoap.org/wsdl/http/"

_FIELD_KINDS: dict[str, FieldKind] = {
    Tag.ELEMENT: "element",
    Tag.ATTRIBUTE: "attribute",
    Tag.EXTENSION: "text",
    Tag.RESTRICTION: "text",
    Tag.LIST: "text",  # simple content that is an xs:list
    Tag.UNION: "text",
    Tag.ANY: "any",
    Tag.ANY_ATTRIBUTE: "any_attribute",
}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def parse_definitions(data: bytes, uri: str, root: etree._Element) -> Definitions:
    """xsdata's model of a WSDL; ``root`` is the same document, parsed by lxml."""
    try:
        return DefinitionsParser(location=uri).from_bytes(
            _requalified(data, root), Definitions
        )
    except ParserError as exc:
        raise LoadError(f"{uri}: xsdata could not read this WSDL: {exc}") from None


def parse_schema(
    data: bytes, uri: str, namespace: str | None, root: etree._Element
) -> Schema:
    """xsdata's model of an XSD; ``root`` is the same document, parsed by lxml."""
    try:
        return SchemaParser(target_namespace=namespace, location=uri).from_bytes(
            _requalified(data, root), Schema
        )
    except ParserError as exc:
        raise LoadError(f"{uri}: xsdata could not read this schema: {exc}") from None


def _requalified(data: bytes, parsed: etree._Element) -> bytes:
    """The document with prefixed names that xsdata would misread rewritten.

    xsdata resolves a prefix in ``type``/``base``/``ref`` with declarations it
    collected at the enclosing xs:schema, so one declared on an inner element
    (Bing Ads declares them on xs:extension itself) resolves to the wrong
    namespace. Such a name is rewritten with a prefix the xs:schema element
    declares for the same namespace, declared there first if it has none.
    """
    if not any(_misread(schema) for schema in _schemas(parsed)):
        return data  # the common case: no copy, no second parse
    root = _parse_for_rewrite(data)  # rewritten below, so not the caller's tree
    fresh = [_fresh_prefixes(schema) for schema in _schemas(root)]
    if any(fresh):
        # Declarations are added to the start tags as text: lxml would move
        # them, and drop redundant ones other prefixed names still rely on.
        starts = list(_SCHEMA_START.finditer(data))
        if len(starts) != len(fresh):
            return data  # a "schema" tag in a comment or CDATA: leave it be
        pieces, last = [], 0
        for match, declarations in zip(starts, fresh, strict=True):
            pieces.append(data[last : match.end()])
            pieces += [f' xmlns:{p}="{ns}"'.encode() for ns, p in declarations.items()]
            last = match.end()
        data = b"".join([*pieces, data[last:]])
        root = _parse_for_rewrite(data)
    for schema in _schemas(root):
        top = schema.nsmap
        prefix_of = {ns: p for p, ns in reversed(list(top.items())) if p is not None}
        for el, attribute, namespace, local in _misread(schema):
            el.set(attribute, f"{prefix_of[namespace]}:{local}")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


#: Schema attributes whose values are prefixed names.
_QNAME_ATTRIBUTES = ("type", "base", "ref", "itemType", "substitutionGroup", "refer")
_SCHEMA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?schema(?=[\s/>])")


def _parse_for_rewrite(data: bytes) -> etree._Element:
    return etree.fromstring(
        data, etree.XMLParser(resolve_entities=False, huge_tree=True)
    )


def _schemas(root: etree._Element) -> list[etree._Element]:
    found = [root] if root.tag == f"{{{XSD}}}schema" else []
    return found + list(root.iterfind(f".//{{{XSD}}}schema"))


def _misread(schema: etree._Element) -> list[tuple[etree._Element, str, str, str]]:
    """Prefixed names whose prefix means something else (or nothing) at the
    xs:schema element: (element, attribute, namespace, local name)."""
    top = schema.nsmap
    found = []
    for el in schema.iterdescendants():
        for attribute in _QNAME_ATTRIBUTES:
            prefix, colon, local = (el.get(attribute) or "").partition(":")
            namespace = el.nsmap.get(prefix) if colon else None
            if namespace is not None and top.get(prefix) != namespace:
                found.append((el, attribute, namespace, local))
    return found


def _fresh_prefixes(schema: etree._Element) -> dict[str, str]:
    """Namespace -> new prefix, for misread names whose namespace has no
    prefix at all at the xs:schema element."""
    declared = set(schema.nsmap.values())
    fresh: dict[str, str] = {}
    for _, _, namespace, _ in _misread(schema):
        if namespace not in declared and namespace not in fresh:
            fresh[namespace] = f"wsdlbind{len(fresh)}"
    return fresh


@dataclass
class Translation:
    """What the adapter hands to the model stage."""

    ports: list[Port]
    types: dict[QName, TypeDef]
    elements: dict[QName, QName]  # wire name of a global element → its TypeDef key
    warnings: list[GenerationWarning]


def translate(models: Iterable[object]) -> Translation:
    """Resolve the parsed documents' schemas and translate them, and the ports."""
    models = list(models)
    definitions = [m for m in models if isinstance(m, Definitions)]
    schemas = [m for m in models if isinstance(m, Schema)]
    schemas += [s for d in definitions for s in d.schemas]
    components = _components(definitions)
    wrappers = _rpc_wrappers(definitions, components)
    classes, raw = _resolve_classes(schemas, [w.cls for w in wrappers.values()])
    types, elements = _translate_classes(classes, raw)
    for wrapper in wrappers.values():
        _mark_encoded(wrapper, types)
    warnings: list[GenerationWarning] = []
    ports = _translate_ports(definitions, components, elements, warnings, wrappers)
    return Translation(ports=ports, types=types, elements=elements, warnings=warnings)


@dataclass
class _RpcWrapper:
    """The element an rpc-style message travels in, as an xsdata class.

    An rpc body is an element named after the operation (its response: the
    name + "Response"), in the soap:body namespace, holding one unqualified
    element per part. Made into a class before xsdata resolves the schemas,
    the parts' types are resolved like any element's: simple types flattened
    with their facets, enumerations and complex types kept.
    """

    wire: QName
    cls: Class
    encoded: bool
    part_types: dict[str, QName]  # for rpc/encoded: the xsi:type each part carries


@dataclass
class _Components:
    """The named WSDL components of every loaded WSDL, by QName."""

    messages: dict[QName, Message]
    port_types: dict[QName, PortType]
    bindings: dict[QName, Binding]


def _components(definitions: list[Definitions]) -> _Components:
    found = _Components({}, {}, {})
    for d in definitions:
        tns = d.target_namespace or ""
        found.messages.update((QName(tns, m.name), m) for m in d.messages)
        found.port_types.update((QName(tns, p.name), p) for p in d.port_types)
        found.bindings.update((QName(tns, b.name), b) for b in d.bindings)
    return found


def _style(binding: Binding, b_op: Any) -> str:
    """An operation's style: its own soap:operation's, else its binding's."""
    default = _extension_attrs(binding.extended, "binding").get("style", "document")
    return _extension_attrs(b_op.extended, "operation").get("style", default)


def _rpc_wrappers(
    definitions: list[Definitions], components: _Components
) -> dict[tuple[int, str], _RpcWrapper]:
    """The wrapper of every rpc operation's input and output, by (binding op, side)."""
    made: dict[tuple[str, str, bool], _RpcWrapper] = {}
    wrappers: dict[tuple[int, str], _RpcWrapper] = {}
    for d, binding, b_op, pt_op in _rpc_operations(definitions, components):
        for side, bound, ref in (
            ("input", b_op.input, pt_op.input),
            ("output", b_op.output, pt_op.output),
        ):
            msg = _lookup(components.messages, ref.message, ref.ns_map) if ref else None
            if bound is None or msg is None:
                continue  # a missing message is reported with the operation
            body = _extension_attrs(bound.extended, "body")
            name = b_op.name + ("Response" if side == "output" else "")
            wire = QName(body.get("namespace") or d.target_namespace or "", name)
            encoded = body.get("use") == "encoded"
            key = (str(wire), msg.name, encoded)
            if key not in made:
                made[key] = _rpc_wrapper(
                    wire,
                    _body_parts(msg, bound),
                    encoded,
                    side=side,
                    binding_version=_soap_version(binding),
                    location=d.location or "",
                )
            wrappers[(id(b_op), side)] = made[key]
    return wrappers


def _rpc_operations(
    definitions: list[Definitions], components: _Components
) -> Iterator[tuple[Definitions, Binding, Any, Any]]:
    """(definitions, binding, binding operation, portType operation) of rpc style."""
    for d in definitions:
        for binding in d.bindings:
            port_type = _lookup(
                components.port_types, binding.type or "", binding.ns_map
            )
            for b_op in binding.operations:
                pt_op = next(
                    (
                        o
                        for o in (port_type.operations if port_type else [])
                        if o.name == b_op.name
                    ),
                    None,
                )
                if pt_op is not None and _style(binding, b_op) == "rpc":
                    yield d, binding, b_op, pt_op


def _body_parts(msg: Message, bound: Any) -> list[Any]:
    """The parts of ``msg`` that go in the SOAP body (not in headers)."""
    extended = bound.extended if bound is not None else []
    headers = {
        h["part"] for h in _all_extension_attrs(extended, "header") if h.get("part")
    }
    named = _extension_attrs(extended, "body").get("parts")
    if named is not None:
        return [p for p in msg.parts if p.name in named.split()]
    return [p for p in msg.parts if p.name not in headers]


def _rpc_wrapper(
    wire: QName,
    parts: list[Any],
    encoded: bool,
    *,
    side: str,
    binding_version: str | None,
    location: str,
) -> _RpcWrapper:
    attrs: list[Attr] = []
    part_types: dict[str, QName] = {}
    for index, part in enumerate(parts):
        if part.type:
            declared = _resolve(part.type, part.ns_map)
            if declared.namespace == SOAP_ENCODING and declared.local != "Array":
                declared = QName(XSD, declared.local)  # soapenc:string is xs:string
            name, namespace = part.name, ""
            part_types[part.name] = declared
        else:
            declared = _resolve(part.element or "", part.ns_map)
            name, namespace = declared.local, declared.namespace
        attrs.append(
            Attr(
                tag=Tag.ELEMENT,
                name=name,
                index=index,
                types=[AttrType(qname=str(declared), native=declared.namespace == XSD)],
                namespace=namespace,
                restrictions=Restrictions(
                    min_occurs=1, max_occurs=1, path=[("s", id(parts), 1, 1)]
                ),
            )
        )
    if encoded:
        envelope = SOAP12_ENV if binding_version == "1.2" else SOAP11_ENV
        attrs.append(
            Attr(
                tag=Tag.ATTRIBUTE,
                name="encodingStyle",
                index=len(parts),
                types=[AttrType(qname=f"{{{XSD}}}anyURI", native=True)],
                namespace=envelope,
                default=SOAP_ENCODING,
                fixed=True,
                restrictions=Restrictions(min_occurs=0, max_occurs=1),
            )
        )
    cls = Class(
        qname=str(wire),
        tag=Tag.ELEMENT,
        location=location,
        namespace=wire.namespace,
        meta_name=wire.local,
        help=f"The rpc-style {'answer' if side == 'output' else 'request'} element "
        f"{wire.local}, one child per message part.",
        attrs=attrs,
        ns_map={},
    )
    return _RpcWrapper(wire, cls, encoded, part_types if encoded else {})


def _mark_encoded(wrapper: _RpcWrapper, types: dict[QName, TypeDef]) -> None:
    """rpc/encoded parts announce their type with xsi:type."""
    typedef = types.get(QName.parse(wrapper.cls.qname))
    if typedef is None:
        return
    for f in typedef.fields:
        declared = wrapper.part_types.get(f.xml_name)
        if declared is not None and f.kind == "element":
            f.xsi_type = declared


# -- types ---------------------------------------------------------------------------


@dataclass
class _RawFacts:
    """What xsdata's handlers change that wsdlbind needs as the schema says it.

    xsdata drops the default of an optional element (a dataclass field cannot be
    both) and makes every member of a choice optional; wsdlbind keeps the
    default, and needs to know which members their branch requires. Both are
    read from the classes before the handlers run, keyed by (class, field).
    """

    defaults: dict[tuple[str, str], str]
    min_occurs: dict[tuple[str, str], int]
    # <element name="X" type="T"/>: xsdata may fold such an element into T
    element_types: dict[QName, QName]
    # <element ref="X"/> fields: xsdata's resolver takes a complexType named X
    # over element X for any element's type, right for type= but not for ref=
    element_refs: dict[tuple[str, str], QName]
    # simpleContent restrictions listing values: xsdata drops the enumeration
    restricted_values: dict[str, list[str]]
    # xs:any minOccurs, which xsdata always reads as 0
    wildcard_min: dict[tuple[str, str], int]


def _resolve_classes(
    schemas: list[Schema], extra: list[Class]
) -> tuple[list[Class], _RawFacts]:
    """xsdata's resolved classes (with ``extra`` ones, made here), and the facts
    its handlers would lose."""
    mapped: list[Class] = list(extra)
    raw = _RawFacts(
        defaults={},
        min_occurs={},
        element_types={},
        element_refs={},
        restricted_values={},
        wildcard_min={},
    )
    for schema in schemas:
        classes = SchemaMapper.map(schema)
        mapped.extend(classes)
        refs = {el.index for el in _walk(schema) if isinstance(el, Element) and el.ref}
        # xsdata reads every xs:any as minOccurs="0"; the schema's own value:
        wildcards = {
            el.index: el.min_occurs
            for el in _walk(schema)
            if isinstance(el, AnyParticle)
        }
        for cls in _flatten(classes):
            for attr in cls.attrs:
                if attr.tag == Tag.ANY and attr.index in wildcards:
                    raw.wildcard_min[(cls.qname, attr.local_name)] = wildcards[
                        attr.index
                    ]
                if attr.tag == Tag.ELEMENT and attr.index in refs and attr.types:
                    ref = QName.parse(attr.types[0].qname)
                    raw.element_refs[(cls.qname, attr.local_name)] = ref
    _check_references(mapped)
    for cls in _flatten(mapped):
        if cls.tag == Tag.COMPLEX_TYPE and any(
            e.tag == Tag.RESTRICTION for e in cls.extensions
        ):
            values = [str(a.default) for a in cls.attrs if a.tag == Tag.ENUMERATION]
            if values:
                raw.restricted_values[cls.qname] = values
        if cls.tag == Tag.ELEMENT and not cls.attrs and len(cls.extensions) == 1:
            base = cls.extensions[0].type
            if not base.native:
                raw.element_types[QName.parse(cls.qname)] = QName.parse(base.qname)
        for attr in cls.attrs:
            key = (cls.qname, attr.local_name)
            if attr.default is not None and attr.tag in (Tag.ELEMENT, Tag.ATTRIBUTE):
                raw.defaults[key] = str(attr.default)
            if attr.restrictions.min_occurs is not None:
                raw.min_occurs[key] = attr.restrictions.min_occurs
    container = ClassContainer(config=GeneratorConfig())
    container.extend(mapped)
    try:
        container.process()
    except Exception as exc:  # xsdata raises bare errors on schemas it cannot resolve
        raise ModelError(
            f"xsdata could not resolve the schemas: {type(exc).__name__}: {exc}"
        ) from exc
    return list(container), raw


def _walk(node: ElementBase) -> Iterator[ElementBase]:
    for child in node.children():
        yield child
        yield from _walk(child)


#: Namespaces whose schemas a WSDL may use without importing them (xml:lang...).
_WELL_KNOWN = {
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://schemas.xmlsoap.org/soap/encoding/",
    "http://schemas.xmlsoap.org/wsdl/",
}


def _check_references(classes: list[Class]) -> None:
    """Every type, element or base a schema names must be defined somewhere.

    Left alone, xsdata would quietly turn an undefined type into a string; a
    user would rather hear which name is missing and where it is used.
    """
    defined = {cls.qname for cls in _flatten(classes)}
    for cls in _flatten(classes):
        uses = [(a.local_name, t) for a in cls.attrs for t in a.types]
        uses += [("(base type)", e.type) for e in cls.extensions]
        for name, attr_type in uses:
            qname = attr_type.qname
            namespace = QName.parse(qname).namespace
            if attr_type.native or qname in defined or namespace in _WELL_KNOWN:
                continue
            location = cls.location.rsplit("/", 1)[-1] if cls.location else "a schema"
            raise ModelError(
                f"{location}: {qname}, used by {name} of {cls.name}, "
                "is not defined in any loaded schema",
                hint="check the spelling, and that an xs:import with a schemaLocation "
                "brings in its namespace",
            )


def _translate_classes(
    classes: list[Class], raw: _RawFacts
) -> tuple[dict[QName, TypeDef], dict[QName, QName]]:
    types: dict[QName, TypeDef] = {}
    elements: dict[QName, QName] = {}
    keys = _keys(classes)
    origin: dict[QName, str] = {}  # key -> xsdata's qname, which _RawFacts uses
    for cls in _flatten(classes):
        typedef = _typedef(cls, raw, keys)
        if typedef is None:
            continue
        types[typedef.qname] = typedef
        origin[typedef.qname] = cls.qname
        # Global elements' and local elements' own types have no name to give
        # in xsi:type.
        typedef.anonymous = (
            cls.tag == Tag.ELEMENT or cls.parent is not None or cls.local_type
        )
        if cls.tag == Tag.ELEMENT:
            typedef.element_name = QName(
                cls.target_namespace or "", cls.meta_name or cls.name
            )
            elements[typedef.element_name] = typedef.qname
    # Elements xsdata folded into their named type are that type on the wire.
    by_schema_name = {t.type_name: t for t in types.values()}
    for element, type_name in raw.element_types.items():
        target = by_schema_name.get(type_name)
        if element not in elements and target is not None:
            elements[element] = target.qname
            if target.element_name is None:
                target.element_name = element
    # A field made from <element ref="X"/> has X's type, even where a complexType
    # is also named X (zeep's fixture soap_transport_err.wsdl).
    for typedef in types.values():
        for f in typedef.fields:
            ref = raw.element_refs.get((origin[typedef.qname], f.xml_name))
            taken = types.get(f.type)
            if (
                ref is not None
                and ref in elements
                and taken is not None
                and taken.element_name is None  # a complexType, not element X
                and taken.qname.namespace == ref.namespace
                and taken.xml_name == ref.local
            ):
                f.type = elements[ref]
    return types, elements


def _flatten(classes: Iterable[Class]) -> Iterator[Class]:
    for cls in classes:
        yield cls
        yield from _flatten(cls.inner)


def _keys(classes: list[Class]) -> dict[int, QName]:
    """A unique key per class, by ``Class.ref``: the qname, or for a local
    element's type that shares it with a global one (Travelport's Commission
    inside MCOPriceData, and the global Commission), ``{ns}Outer/name``."""
    keys: dict[int, QName] = {}
    taken: set[QName] = set()
    top = {id(cls) for cls in classes}
    ordered = [*classes, *(c for c in _flatten(classes) if id(c) not in top)]
    for cls in ordered:
        key = QName.parse(cls.qname)
        if key in taken:
            outer = cls.parent.name if cls.parent is not None else "local"
            base, number = QName(key.namespace, f"{outer}/{key.local}"), 1
            key = base
            while key in taken:
                number += 1
                key = QName(base.namespace, f"{base.local}_{number}")
        taken.add(key)
        keys[cls.ref] = key
    return keys


def _typedef(cls: Class, raw: _RawFacts, keys: Mapping[int, QName]) -> TypeDef | None:
    qname = keys.get(cls.ref) or QName.parse(cls.qname)
    xml_name = cls.meta_name or QName.parse(cls.qname).local  # before xsdata renames
    doc = clean_doc(cls.help)
    if cls.is_enumeration:
        values = [str(a.default) for a in cls.attrs if a.tag == Tag.ENUMERATION]
        base = next((QName.parse(t.qname) for a in cls.attrs for t in a.types), None)
        return TypeDef(
            qname, "enum", xml_name, enum_values=values, enum_base=base, doc=doc
        )
    if cls.tag not in (Tag.ELEMENT, Tag.COMPLEX_TYPE, Tag.SIMPLE_TYPE):
        return None  # WSDL messages and bindings: handled from the WSDL models
    base = QName.parse(cls.extensions[0].type.qname) if cls.extensions else None
    if base is not None and base.namespace == XSD:
        base = None  # a simple-content base is the text field's type, not a class
    fields = []
    for attr in cls.attrs:
        key = (cls.qname, attr.local_name)
        own_min = raw.wildcard_min.get(key, raw.min_occurs.get(key))
        f = _field(attr, raw.defaults.get(key), own_min, keys)
        if f is not None:
            fields.append(f)
    _relax_emptiable_choices(fields)
    text_facets = None
    if cls.extensions and cls.extensions[0].tag == Tag.RESTRICTION and base is not None:
        text_facets = _facets(cls.extensions[0].restrictions)
        listed = raw.restricted_values.get(cls.qname)
        if listed:  # checked like a pattern: one of the listed values, exactly
            alternatives = "|".join(re.escape(v) for v in listed)
            text_facets = dataclasses.replace(text_facets, pattern=alternatives)
    return TypeDef(
        qname,
        "complex",
        xml_name,
        fields=fields,
        base=base,
        abstract=cls.abstract,
        doc=doc,
        text_facets=text_facets if text_facets != Facets() else None,
        prohibited=frozenset(
            a.local_name
            for a in cls.attrs
            if a.is_prohibited and a.tag == Tag.ATTRIBUTE
        ),
    )


def _relax_emptiable_choices(fields: list[Field]) -> None:
    """A choice with a branch that may be empty (every member minOccurs="0") is
    satisfied by giving nothing: it is optional, whatever its own minOccurs."""
    branches: dict[int, dict[int, bool]] = {}  # choice -> branch -> anything needed
    for f in fields:
        if f.choice is not None:
            branch = branches.setdefault(f.choice.id, {})
            branch[f.choice.branch] = (
                branch.get(f.choice.branch, False) or f.choice.needed
            )
    for f in fields:
        if f.choice is not None and f.choice.required:
            if not all(branches[f.choice.id].values()):
                f.choice = dataclasses.replace(f.choice, required=False)


def _field(
    attr: Attr,
    default: str | None,
    raw_min_occurs: int | None,
    keys: Mapping[int, QName],
) -> Field | None:
    kind = _FIELD_KINDS.get(attr.tag)
    if kind is None or attr.is_prohibited:
        return None
    r = attr.restrictions
    type_qname = (
        QName.parse(attr.types[0].qname) if attr.types else QName(XSD, "anyType")
    )
    if attr.types and attr.types[0].forward and attr.types[0].reference in keys:
        type_qname = keys[attr.types[0].reference]  # a local type, by identity
    union = len({t.qname for t in attr.types}) > 1 and kind in (
        "element",
        "attribute",
        "text",
    )
    if union:  # an xs:union: text in any member's form, sent as given
        type_qname = QName(XSD, "anySimpleType")
    choice = None
    if r.choice is not None:
        # xsdata records the particles enclosing a field as (kind, id, min, max),
        # outermost first; the step after the choice, if any, is the branch's
        # sequence.
        at = next(
            i for i, step in enumerate(r.path) if step[0] == "c" and step[1] == r.choice
        )
        steps = r.path[: at + 1]
        # A choice nested in a branch, directly or through xs:group refs, once
        # at most, is more branches of this one (Travelport's FormOfPayment):
        # the branch is the particle after the innermost such choice.
        end = at
        for i in range(at + 1, len(r.path)):
            kind_of, _, _, most = r.path[i]
            if kind_of not in ("g", "c") or most != 1:
                break
            if kind_of == "c":
                end = i
        branch = r.path[end + 1][1] if end + 1 < len(r.path) else id(attr)
        choice = Choice(
            id=r.choice,
            branch=branch,
            required=all(step[2] >= 1 for step in steps),
            repeats=any(step[3] > 1 for step in steps),
            needed=(raw_min_occurs or 0) >= 1,
        )
    max_occurs = r.max_occurs if r.max_occurs is None or r.max_occurs < 2**31 else None
    if kind in ("any", "any_attribute", "text"):
        max_occurs = max_occurs if kind == "any" else 1
    return Field(
        xml_name=attr.local_name,
        namespace=_namespace(attr, kind),
        kind=kind,
        type=type_qname,
        min_occurs=_min_occurs(r, type_qname, raw_min_occurs, choice),
        max_occurs=1 if kind != "any" and max_occurs == 1 else max_occurs,
        default=default,
        fixed=str(attr.default) if attr.fixed and attr.default is not None else None,
        nillable=bool(r.nillable),
        tokens=bool(r.tokens),
        choice=choice,
        facets=Facets() if union else _facets(r),
        mixed=bool(attr.mixed) and kind == "any",
        doc=clean_doc(attr.help),
    )


def _namespace(attr: Attr, kind: FieldKind) -> str:
    """An element's or attribute's namespace; for a wildcard, its constraint
    ("##any", "##other", "##local", a list of namespaces)."""
    if kind in ("element", "attribute"):
        return attr.namespace or ""
    if kind == "any":
        return attr.namespace or "##any"
    return ""


def _min_occurs(
    r: Restrictions, type_qname: QName, raw: int | None, choice: Choice | None
) -> int:
    """How many times an element must occur. xsdata makes an element of type
    anyType optional (any Python value fits it); the schema may say otherwise
    (EPCIS's QueryParam/value), and its particles decide. A choice member
    keeps its own minOccurs, which counts when its branch is the one given
    (Travelport's GroupedOption: 2 to 999); xsdata makes it 0."""
    if choice is not None and raw is not None and r.max_occurs != 1:
        return raw
    if (
        type_qname == QName(XSD, "anyType")  # also xs:any wildcards
        and r.min_occurs == 0
        and raw
        and choice is None
        and all(step[2] >= 1 for step in r.path)
    ):
        return raw
    return 1 if r.min_occurs is None else r.min_occurs


def _facets(r: Restrictions) -> Facets:
    return Facets(
        pattern=r.pattern,
        min_inclusive=r.min_inclusive,
        max_inclusive=r.max_inclusive,
        min_exclusive=r.min_exclusive,
        max_exclusive=r.max_exclusive,
        min_length=r.min_length,
        max_length=r.max_length,
        length=r.length,
    )


def clean_doc(raw: str | None) -> str:
    """Plain text from xsdata's help: annotation XML, with HTML markup dropped."""
    if not raw:
        return ""
    try:
        root = etree.fromstring(
            f"<doc>{raw}</doc>".encode(), etree.XMLParser(recover=True)
        )
        text = "\n\n".join(
            t for t in (_text_of(child) for child in root) if t
        ) or "".join(str(t) for t in root.itertext())
    except etree.XMLSyntaxError:
        text = raw
    return _plain(text)


def _text_of(element: Any) -> str:
    return "".join(str(t) for t in element.itertext()).strip()


def _plain(text: str) -> str:
    text = html.unescape(_TAG.sub(" ", text.replace("</p>", "\n\n")))
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _documentation(element: Any) -> str:
    doc = getattr(element, "documentation", None)
    if doc is None:
        return ""
    parts: list[str] = []
    for item in doc.elements:
        if isinstance(item, AnyElement):
            if item.qname and item.qname.endswith(
                ("}link", "}restOperation", "}demoValue")
            ):
                continue
            parts.append(_any_text(item))
        else:
            parts.append(str(item))
    return _plain("\n\n".join(p for p in parts if p.strip()))


def _any_text(item: AnyElement) -> str:
    text = item.text or ""
    for child in item.children:
        text += _any_text(child) if isinstance(child, AnyElement) else str(child)
    return text + (item.tail or "")


# -- services ------------------------------------------------------------------------


def _resolve(prefixed: str, ns_map: Mapping[Any, str]) -> QName:
    """A name as a WSDL writes it (``tns:Foo``), or as xsdata already resolved
    it in extension attributes (``{urn:x}Foo``)."""
    if prefixed.startswith("{"):
        return QName.parse(prefixed)
    prefix, _, local = prefixed.rpartition(":")
    return QName(ns_map.get(prefix or None, ""), local)


_T = TypeVar("_T")


def _lookup(
    table: dict[QName, _T], prefixed: str, ns_map: Mapping[Any, str]
) -> _T | None:
    """A WSDL component by QName; an unprefixed name that its default namespace
    does not resolve (a common slip in hand-written WSDLs) is matched by local
    name when only one component has it."""
    found = table.get(_resolve(prefixed, ns_map))
    if found is None and ":" not in prefixed:
        matches = [v for k, v in table.items() if k.local == prefixed]
        if len(matches) == 1:
            return matches[0]
    return found


def _translate_ports(
    definitions: list[Definitions],
    components: _Components,
    elements: dict[QName, QName],
    warnings: list[GenerationWarning],
    wrappers: dict[tuple[int, str], _RpcWrapper],
) -> list[Port]:
    messages, port_types, bindings = (
        components.messages,
        components.port_types,
        components.bindings,
    )

    # Every SOAP binding becomes a client class: through the service ports that
    # name it, or on its own (then the caller gives the endpoint).
    targets: list[tuple[str, str, str, Binding, str | None, Any]] = []
    bound: set[int] = set()
    for d in definitions:
        for service in d.services:
            for wsdl_port in service.ports:
                where = f"service {service.name}, port {wsdl_port.name}"
                binding = _lookup(bindings, wsdl_port.binding, wsdl_port.ns_map)
                if binding is None:
                    raise ModelError(
                        f"{where}: binding {wsdl_port.binding} is not defined"
                    )
                bound.add(id(binding))
                address = _address(wsdl_port.extended)
                targets.append(
                    (where, service.name, wsdl_port.name, binding, address, service)
                )
    for binding in bindings.values():
        if id(binding) not in bound and _soap_version(binding) is not None:
            where = f"binding {binding.name} (named by no service)"
            targets.append((where, "", binding.name, binding, None, None))

    ports: list[Port] = []
    for where, service_name, port_name, binding, address, service in targets:
        version = _soap_version(binding)
        if version is None:
            warnings.append(
                GenerationWarning(
                    where,
                    "skipped: not a SOAP binding (HTTP GET/POST is not supported)",
                )
            )
            continue
        port_type = _lookup(port_types, binding.type, binding.ns_map)
        if port_type is None:
            raise ModelError(f"{where}: portType {binding.type} is not defined")
        port = Port(
            service=service_name,
            name=port_name,
            binding=binding.name,
            soap_version=version,
            address=address,
            doc=_documentation(port_type) or _documentation(service),
        )
        for b_op in binding.operations:
            op = _operation(
                b_op,
                port_type,
                messages,
                elements,
                where,
                warnings,
                _style(binding, b_op),
                wrappers,
            )
            if op is not None:
                port.operations.append(op)
        ports.append(port)
    return ports


def _soap_version(binding: Binding) -> Literal["1.1", "1.2"] | None:
    for ext in binding.extended:
        if isinstance(ext, AnyElement) and ext.qname:
            if ext.qname == f"{{{SOAP12_BINDING}}}binding":
                return "1.2"
            if ext.qname == f"{{{SOAP11_BINDING}}}binding":
                return "1.1"
    return None


def _address(extended: list[object]) -> str | None:
    for ext in extended:
        if isinstance(ext, AnyElement) and ext.qname and ext.qname.endswith("}address"):
            return ext.attributes.get("location")
    return None


def _all_extension_attrs(extended: list[object], local: str) -> list[dict[str, str]]:
    return [
        dict(ext.attributes)
        for ext in extended
        if isinstance(ext, AnyElement)
        and ext.qname
        and ext.qname.endswith(f"}}{local}")
    ]


def _extensions(extended: list[object], local: str) -> list[AnyElement]:
    return [
        ext
        for ext in extended
        if isinstance(ext, AnyElement)
        and ext.qname
        and ext.qname.endswith(f"}}{local}")
    ]


def _extension_attrs(extended: list[object], local: str) -> dict[str, str]:
    for ext in extended:
        if (
            isinstance(ext, AnyElement)
            and ext.qname
            and ext.qname.endswith(f"}}{local}")
        ):
            return dict(ext.attributes)
    return {}


def _operation(
    b_op: Any,
    port_type: PortType,
    messages: dict[QName, Message],
    elements: dict[QName, QName],
    where: str,
    warnings: list[GenerationWarning],
    style: str = "document",
    wrappers: Mapping[tuple[int, str], _RpcWrapper] | None = None,
) -> Operation | None:
    where = f"{where}, operation {b_op.name}"
    pt_op = next((o for o in port_type.operations if o.name == b_op.name), None)
    if pt_op is None:
        raise ModelError(f"{where}: not in portType {port_type.name}")
    soap_op = _extension_attrs(b_op.extended, "operation")
    if style not in ("document", "rpc"):
        warnings.append(GenerationWarning(where, f"skipped: unknown style {style!r}"))
        return None
    body = _extension_attrs(b_op.input.extended, "body") if b_op.input else {}
    if style == "document" and body.get("use", "literal") != "literal":
        warnings.append(
            GenerationWarning(
                where, "skipped: SOAP encoding is supported for rpc style only"
            )
        )
        return None

    def message(ref: Any, bound: Any, side: str = "") -> ModelMessage | None:
        if ref is None:
            return None
        msg = _lookup(messages, ref.message, ref.ns_map)
        if msg is None:
            raise ModelError(f"{where}: message {ref.message} is not defined")
        parts = _body_parts(msg, bound)
        if not parts:
            return ModelMessage(msg.name, None)
        wrapper = (wrappers or {}).get((id(b_op), side)) if style == "rpc" else None
        if wrapper is not None:
            return ModelMessage(msg.name, wrapper.wire)
        if len(parts) > 1 or not parts[0].element:
            raise ModelError(
                f"{where}: message {msg.name} is not a single element part",
                hint="document/literal messages with type= or several body parts "
                "are not supported yet",
            )
        wire = _resolve(parts[0].element, parts[0].ns_map)
        if wire not in elements:
            raise ModelError(
                f"{where}: element {wire} (message {msg.name}) is not defined in any schema",
                hint="check the xs:import that should provide that namespace",
            )
        return ModelMessage(msg.name, wire)

    def header(ext: AnyElement, *, fault: bool = False) -> ModelMessage | None:
        """The element a soap:header puts in the Header (a soap:headerfault: in
        the detail of a fault, named after its message like other faults)."""
        attrs = ext.attributes
        name = attrs.get("message", "")
        msg = _lookup(messages, name, b_op.ns_map)
        parts = msg.parts if msg is not None else []
        part = next((p for p in parts if p.name == attrs.get("part")), None)
        if msg is None or part is None or not part.element:
            warnings.append(
                GenerationWarning(
                    where,
                    f"SOAP header {name}/{attrs.get('part')} is not an element part "
                    "of a known message: pass it as an element with soap_headers=",
                )
            )
            return None
        wire = _resolve(part.element, part.ns_map)
        if wire not in elements:
            raise ModelError(
                f"{where}: header element {wire} (message {msg.name}) "
                "is not defined in any schema"
            )
        return ModelMessage(msg.name if fault else part.name, wire)

    headers: list[ModelMessage] = []
    header_faults: list[ModelMessage] = []
    for ext in _extensions(b_op.input.extended if b_op.input else [], "header"):
        found = header(ext)
        if found is not None and found not in headers:
            headers.append(found)
        for child in ext.children:
            if isinstance(child, AnyElement) and (child.qname or "").endswith(
                "}headerfault"
            ):
                fault = header(child, fault=True)
                if fault is not None:
                    header_faults.append(fault)

    input_msg = message(pt_op.input, b_op.input, "input")
    if input_msg is None:
        warnings.append(GenerationWarning(where, "skipped: an operation with no input"))
        return None
    faults = [m for m in (message(f, None) for f in pt_op.faults) if m is not None]
    return Operation(
        name=b_op.name,
        soap_action=soap_op.get("soapAction", ""),
        input=input_msg,
        output=message(pt_op.output, b_op.output, "output"),
        faults=faults
        + [m for m in header_faults if m.element not in {f.element for f in faults}],
        doc=_documentation(pt_op),
        headers=headers,
        style=f"{style}/{body.get('use', 'literal')}",
    )
