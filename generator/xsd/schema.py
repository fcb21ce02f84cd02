"""XML Schema components, built from xsdata's models of the schema documents.

xsdata parses each document into dataclass models of its elements (with the
namespaces in scope at each and its position in the document). Its code
generation pipeline then flattens every content model into a list of
attributes, which is right for dataclasses but loses the particle tree:
which elements form a choice's branch, a repeated sequence, an optional group.
So the components are built here, as the specification defines them (3.3 to
3.9 of XML Schema Part 1), from the parsed models: type definitions with their
derivation, content particles, attribute uses and wildcards; element
declarations with substitution groups; simple types summed into facets.

A reference that names nothing is an error that says which document and line
used it; the builder never guesses a type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from lxml import etree
from xsdata.models import xsd
from xsdata.models.enums import FormType, UseType

from ..errors import GenerationWarning, ModelError
from ..model import (
    ANY_TYPE,
    UNBOUNDED_ABOVE,
    AttributeUse,
    ComplexType,
    ElementDecl,
    ElementParticle,
    EnumType,
    Facets,
    ModelGroup,
    Particle,
    QName,
    SimpleType,
    TypeDef,
    TypeRef,
    Wildcard,
    WildcardParticle,
    blocked_by,
    derivations,
    walk,
)
from ..namespaces import IMPLIED, SOAP_ENCODING, WSDL, XSD
from .docs import annotation_text
from .simple import BUILTIN_LISTS, BUILTINS, facets_of

_T = TypeVar("_T")


#: What ``block`` may name on a complex type, and on an element.
TYPE_BLOCKS = frozenset(("extension", "restriction"))
ELEMENT_BLOCKS = TYPE_BLOCKS | {"substitution"}


@dataclass(eq=False)
class Source:
    """One xs:schema element and the document it is in."""

    schema: xsd.Schema
    name: str  # the document, as messages show it
    elements: list[etree._Element]  # the document's elements, in xsdata's order
    chameleon: bool = False  # included without a targetNamespace of its own

    @property
    def tns(self) -> str:
        return self.schema.target_namespace or ""

    def blocked(self, value: str | None, allowed: frozenset[str]) -> frozenset[str]:
        """A ``block`` attribute (or, without one, the schema's
        ``blockDefault``) as the set of what it blocks, of ``allowed``."""
        text = value if value is not None else self.schema.block_default or ""
        words = set(text.split())
        return allowed if "#all" in words else frozenset(words & allowed)

    def qname(self, prefixed: str, node: Any) -> QName:
        """A prefixed name as written at ``node``, resolved with the namespaces
        in scope there."""
        prefixed = prefixed.strip()
        if prefixed.startswith("{"):
            return QName.parse(prefixed)
        prefix, colon, local = prefixed.rpartition(":")
        namespaces: dict[Any, str] = node.ns_map or {}
        if colon:
            namespace = namespaces.get(prefix)
            if namespace is None:
                raise ModelError(
                    f"{self.where(node)}: the prefix {prefix!r} of {prefixed!r} "
                    "is not declared",
                    hint=f'declare it (xmlns:{prefix}="...") on the schema element',
                )
        else:
            namespace = namespaces.get(None) or namespaces.get("") or ""
        if not namespace and self.chameleon:
            # A schema included without a namespace takes its includer's, and
            # so do its references to no-namespace names (3.15.2, chameleon).
            namespace = self.tns
        return QName(namespace, local)

    def where(self, node: Any) -> str:
        index = getattr(node, "index", 0) or 0
        if 0 < index <= len(self.elements):
            line = self.elements[index - 1].sourceline
            if line:
                return f"{self.name}:{line}"
        return self.name

    def lxml(self, node: Any) -> etree._Element | None:
        index = getattr(node, "index", 0) or 0
        return self.elements[index - 1] if 0 < index <= len(self.elements) else None


def occurs(node: Any) -> tuple[int, int | None]:
    low = int(getattr(node, "min_occurs", 1) or 0)
    high = getattr(node, "max_occurs", 1)
    if isinstance(high, str):
        high = None if high.strip() == "unbounded" else int(high)
    if high is not None and high >= UNBOUNDED_ABOVE:
        high = None
    return low, high


class Components:
    """The top-level components of every loaded schema, and the model built
    from them: ``types`` (classes and enumerations by key) and ``elements``
    (global element declarations by name)."""

    def __init__(
        self, sources: Iterable[Source], warnings: list[GenerationWarning]
    ) -> None:
        self.warnings = warnings
        self._types: dict[QName, tuple[Any, Source]] = {}
        self._elements: dict[QName, tuple[xsd.Element, Source]] = {}
        self._attributes: dict[QName, tuple[xsd.Attribute, Source]] = {}
        self._groups: dict[QName, tuple[xsd.Group, Source]] = {}
        self._attribute_groups: dict[QName, tuple[xsd.AttributeGroup, Source]] = {}
        self.sources = list(sources)
        for source in self.sources:
            self._register(source)
        for source in self.sources:
            self._redefine(source)
        self.types: dict[QName, TypeDef] = {}
        self.elements: dict[QName, ElementDecl] = {}
        self._simple: dict[QName, SimpleType] = {}
        self._named_complex: dict[QName, QName] = {}
        self._group_models: dict[QName, ModelGroup] = {}
        self._attribute_group_uses: dict[
            QName, tuple[list[AttributeUse], Wildcard | None]
        ] = {}
        self._in_progress: set[QName] = set()
        self._deriving: set[QName] = set()
        self._pending: dict[QName, tuple[xsd.ComplexType, Source]] = {}
        self._keys: set[QName] = set()
        self._wrappers: dict[QName, QName] = {}
        #: components that could not be built, with why (see build)
        self.broken: dict[QName, ModelError] = {}

    # -- the symbol tables -----------------------------------------------------

    def _register(self, source: Source) -> None:
        tns = source.tns
        tables: list[tuple[dict[QName, Any], list[Any]]] = [
            (self._types, [*source.schema.complex_types, *source.schema.simple_types]),
            (self._elements, source.schema.elements),
            (self._attributes, source.schema.attributes),
            (self._groups, source.schema.groups),
            (self._attribute_groups, source.schema.attribute_groups),
        ]
        for table, nodes in tables:
            for node in nodes:
                if node.name:
                    table.setdefault(QName(tns, node.name), (node, source))

    def _redefine(self, source: Source) -> None:
        """xs:redefine: the components it holds replace those of the document it
        names (registered already); a reference to its own name inside means
        the original."""
        tns = source.tns
        for redefine in source.schema.redefines:
            redefined: list[tuple[dict[QName, Any], list[Any]]] = [
                (self._types, [*redefine.complex_types, *redefine.simple_types]),
                (self._groups, redefine.groups),
                (self._attribute_groups, redefine.attribute_groups),
            ]
            for table, nodes in redefined:
                for node in nodes:
                    if not node.name:
                        continue
                    key = QName(tns, node.name)
                    if key in table:
                        table[QName(tns, node.name + "#original")] = table[key]
                    table[key] = (node, _Redefined(source, key))

    def build(self) -> None:
        """Build every named type and global element, then substitution groups.

        A component that cannot be built (a type it names is missing, say) is
        kept in ``broken`` with the error, as is every component that needs it:
        only the operations that reach one lose out (see generator.xsd.services).
        """
        for key in list(self._types):
            if not key.local.endswith("#original"):
                self._isolated(key, partial(self.named_type, key, None, None))
        for name in list(self._elements):
            self._isolated(name, partial(self.element, name))
        self.drain()
        for decl in list(self.elements.values()):
            if decl.head is not None:
                head = self.elements.get(decl.head)
                if head is None:
                    raise ModelError(
                        f"element {decl.name}: its substitutionGroup {decl.head} "
                        "is not declared"
                    )
                head.substitutes.append(decl)
        for decl in self.elements.values():  # members of members stand in too
            closure: list[ElementDecl] = []
            pending = list(decl.substitutes)
            while pending:
                member = pending.pop(0)
                if member not in closure and member is not decl:
                    closure.append(member)
                    pending.extend(member.substitutes)
            # What the head's block (or its type's) stops cannot stand in.
            blocked = blocked_by(self.types, decl)
            decl.substitutes = [
                member
                for member in closure
                if "substitution" not in blocked
                and not derivations(self.types, member.type, decl.type) & blocked
            ]

    def _lookup(
        self,
        table: dict[QName, tuple[_T, Source]],
        name: QName,
        what: str,
        source: Source,
        node: Any,
    ) -> tuple[_T, Source]:
        found = table.get(name)
        if found is None:
            user = _describe(node)
            raise ModelError(
                f"{source.where(node)}: {what} {name}{user} is not defined in any "
                "loaded schema",
                hint="check the spelling, and that an xs:import with a schemaLocation "
                "brings in its namespace",
            )
        return found

    def _unique_key(self, key: QName) -> QName:
        candidate, number = key, 1
        while candidate in self._keys:
            number += 1
            candidate = QName(key.namespace, f"{key.local}_{number}")
        self._keys.add(candidate)
        return candidate

    # -- types -------------------------------------------------------------------

    def type_ref(self, name: QName, source: Source | None, node: Any) -> TypeRef:
        """What a ``type=`` or ``base=`` names: a built-in, a simple type, or a
        complex type's key (ANY_TYPE for the ur-type)."""
        if name.namespace == XSD:
            if name.local == "anyType":
                return ANY_TYPE
            return self.builtin(name.local, source, node)
        if name.namespace == SOAP_ENCODING and name.local in BUILTINS:
            return self.builtin(name.local, source, node)  # soapenc:string...
        if name not in self._types and name.namespace in IMPLIED:
            return SimpleType("anySimpleType")  # a schema nobody loaded
        return self.named_type(name, source, node)

    def builtin(self, local: str, source: Source | None, node: Any) -> SimpleType:
        if local not in BUILTINS:
            where = source.where(node) if source else "a schema"
            raise ModelError(
                f"{where}: xs:{local} is not a built-in type of XML Schema",
                hint="check the spelling of the type's name",
            )
        if local in BUILTIN_LISTS:
            return SimpleType(
                local,
                variety="list",
                item=SimpleType(BUILTIN_LISTS[local]),
                name=QName(XSD, local),
            )
        return SimpleType(local, name=QName(XSD, local))

    def named_type(self, name: QName, source: Source | None, node: Any) -> TypeRef:
        if name in self._simple:
            return self._simple[name]
        if name in self._named_complex:
            return self._named_complex[name]
        if source is None:
            found = self._types[name]
        else:
            found = self._lookup(self._types, name, "type", source, node)
        definition, where = found
        if isinstance(definition, xsd.SimpleType):
            return self.simple_type(name)
        # A named type's key is its name (no anonymous key has one). Its class
        # is made now and filled in later (see drain): a type's content refers
        # to other types by key only, so recursion through elements is free.
        key = name
        self._keys.add(key)
        self._named_complex[name] = key
        self.types[key] = ComplexType(
            key=key,
            xml_name=name.local,
            kind="type",
            abstract=bool(definition.abstract),
            block=where.blocked(definition.block, TYPE_BLOCKS),
            doc=annotation_text(definition),
        )
        self._pending[key] = (definition, where)
        return key

    def drain(self) -> None:
        """Fill in every named complex type made so far (and those they name)."""
        while self._pending:
            key = next(iter(self._pending))
            self._isolated(key, partial(self._fill, key))
        self._spread_broken()

    def _isolated(self, key: QName, build: Callable[[], object]) -> None:
        try:
            build()
        except ModelError as exc:
            self.broken.setdefault(key, exc)
            self._pending.pop(key, None)

    def _spread_broken(self) -> None:
        """A type that names a broken type or element is broken too."""
        if not self.broken:
            return
        changed = True
        while changed:
            changed = False
            for key, typedef in self.types.items():
                if key in self.broken or not isinstance(typedef, ComplexType):
                    continue
                cause = self._broken_part(typedef)
                if cause is not None:
                    self.broken[key] = cause
                    changed = True
            for name, decl in self.elements.items():
                cause = (
                    self.broken.get(decl.type) if isinstance(decl.type, QName) else None
                )
                if name not in self.broken and cause is not None:
                    self.broken[name] = cause
                    changed = True

    def _broken_part(self, typedef: ComplexType) -> ModelError | None:
        parts: list[QName] = [typedef.base] if typedef.base else []
        for particle in walk(typedef.content):
            if isinstance(particle, ElementParticle):
                decl = particle.decl
                if decl.is_global:
                    parts.append(decl.name)
                if isinstance(decl.type, QName):
                    parts.append(decl.type)
        return next((self.broken[p] for p in parts if p in self.broken), None)

    def _fill(self, key: QName) -> None:
        """Fill in the named complex type ``key`` now, if it waits."""
        found = self._pending.pop(key, None)
        if found is None:
            return
        definition, source = found
        ct = self.types[key]
        assert isinstance(ct, ComplexType)
        self._fill_complex(ct, definition, source)

    def simple_type(self, name: QName) -> SimpleType:
        if name in self._simple:
            return self._simple[name]
        definition, source = self._types[name]
        if name in self._in_progress:
            raise ModelError(
                f"{source.where(definition)}: simple type {name} derives from itself"
            )
        self._in_progress.add(name)
        try:
            simple = self._simple_definition(definition, source, name, name.local)
        finally:
            self._in_progress.discard(name)
        self._simple[name] = simple
        return simple

    def _simple_definition(
        self, node: xsd.SimpleType, source: Source, name: QName | None, owner: str
    ) -> SimpleType:
        """A simple type definition (named, or anonymous inside ``owner``)."""
        doc = annotation_text(node)
        if node.list is not None:
            item = self._simple_operand(
                node.list.item_type, node.list.simple_type, source, node.list, owner
            )
            return SimpleType("list", variety="list", item=item, name=name)
        if node.union is not None:
            members: list[SimpleType] = []
            for text in (node.union.member_types or "").split():
                members.append(
                    self._simple_of(source.qname(text, node.union), source, node)
                )
            for inner in node.union.simple_types:
                members.append(self._simple_definition(inner, source, None, owner))
            return SimpleType(
                "union", variety="union", members=tuple(members), name=name
            )
        restriction = node.restriction
        if restriction is None:
            raise ModelError(
                f"{source.where(node)}: a simpleType needs a restriction, list or union"
            )
        base = self._simple_operand(
            restriction.base, restriction.simple_type, source, restriction, owner
        )
        facets = facets_of(restriction)
        simple = base.restricted(facets, name)
        if facets.enumeration is not None and simple.variety == "atomic":
            simple = self._enumeration(simple, facets, name, owner, source, doc)
        elif base.enum is not None and facets.enumeration is None:
            simple = dataclasses.replace(simple, enum=base.enum)
        return simple

    def _enumeration(
        self,
        simple: SimpleType,
        facets: Facets,
        name: QName | None,
        owner: str,
        source: Source,
        doc: str,
    ) -> SimpleType:
        """An enumerated atomic type: an EnumType its values are members of."""
        assert facets.enumeration is not None
        values = list(dict.fromkeys(facets.enumeration))
        key = name or self._unique_key(QName(source.tns, f"{owner}"))
        if name is not None:
            self._keys.add(key)
        form = dataclasses.replace(
            simple, facets=dataclasses.replace(simple.facets, enumeration=None)
        )
        self.types[key] = EnumType(
            key, (name.local if name else owner.rsplit("/", 1)[-1]), values, form, doc
        )
        return dataclasses.replace(simple, enum=key)

    def _simple_operand(
        self,
        prefixed: str | None,
        inline: xsd.SimpleType | None,
        source: Source,
        node: Any,
        owner: str,
    ) -> SimpleType:
        if inline is not None:
            return self._simple_definition(inline, source, None, owner)
        if not prefixed:
            return SimpleType("anySimpleType")
        return self._simple_of(source.qname(prefixed, node), source, node)

    def _simple_of(self, name: QName, source: Source, node: Any) -> SimpleType:
        found = self.type_ref(name, source, node)
        if not isinstance(found, SimpleType):
            raise ModelError(
                f"{source.where(node)}: {name} is a complex type, where a simple "
                "type is needed"
            )
        return found

    # -- complex types ------------------------------------------------------------

    def _complex(
        self,
        node: xsd.ComplexType,
        source: Source,
        key: QName,
        xml_name: str,
        kind: Any,
        element: QName | None = None,
    ) -> ComplexType:
        ct = ComplexType(
            key=key,
            xml_name=xml_name,
            kind=kind,
            abstract=bool(node.abstract),
            doc=annotation_text(node),
            element=element,
        )
        self.types[key] = ct  # first: the content may refer back to it
        self._fill_complex(ct, node, source)
        return ct

    def _fill_complex(
        self, ct: ComplexType, node: xsd.ComplexType, source: Source
    ) -> None:
        """The derivation (base, simple content, attributes) first, then the
        particles: a type derived from this one, met in its content (an
        element of an anonymous type extending it), finds the base complete."""
        self._deriving.add(ct.key)
        try:
            holder = self._complex_content(ct, node, source)
        finally:
            self._deriving.discard(ct.key)
        if holder is not None:
            ct.content = self._content(holder, source, ct.key)

    def _complex_content(
        self, ct: ComplexType, node: xsd.ComplexType, source: Source
    ) -> Any:
        """Everything but the particles; returns what holds them (or None)."""
        mixed = bool(node.mixed)
        holder: Any = node
        if node.simple_content is not None:
            self._simple_content(ct, node.simple_content, source)
            return None
        if node.complex_content is not None:
            cc = node.complex_content
            mixed = mixed or bool(cc.mixed)
            holder = cc.extension or cc.restriction
            if holder is None:
                raise ModelError(
                    f"{source.where(cc)}: complexContent needs an extension or restriction"
                )
            base = source.qname(holder.base or "", holder)
            if base.namespace == SOAP_ENCODING and base.local == "Array":
                ct.soap_array = self._array_items(holder, source)
            elif base != ANY_TYPE:
                found = self.type_ref(base, source, holder)
                if isinstance(found, SimpleType):
                    raise ModelError(
                        f"{source.where(holder)}: complexContent cannot derive from "
                        f"the simple type {base}",
                        hint="use simpleContent for a text value with attributes",
                    )
                self._base_ready(found, source, holder)
                ct.base = found
                extension = holder is cc.extension
                ct.derivation = "extension" if extension else "restriction"
                base_type = self.types[found]
                assert isinstance(base_type, ComplexType)
                mixed = mixed or (extension and base_type.mixed)
                if extension and base_type.simple is not None:
                    ct.simple = base_type.simple  # adds attributes to a text
        ct.mixed = mixed
        self._attribute_uses(ct, holder, source)
        return holder

    def _simple_content(
        self, ct: ComplexType, sc: xsd.SimpleContent, source: Source
    ) -> None:
        holder: Any = sc.extension or sc.restriction
        if holder is None:
            raise ModelError(
                f"{source.where(sc)}: simpleContent needs an extension or restriction"
            )
        restricts = holder is sc.restriction
        base_name = source.qname(holder.base or "", holder)
        base = ANY_TYPE if not holder.base else self.type_ref(base_name, source, holder)
        if isinstance(base, SimpleType):
            ct.simple = base
            if restricts:  # not allowed, but seen: narrow the text
                ct.simple = base.restricted(facets_of(holder))
        elif base == ANY_TYPE:
            ct.simple = SimpleType("anySimpleType")
        else:
            self._base_ready(base, source, holder)
            base_type = self.types[base]
            assert isinstance(base_type, ComplexType)
            ct.base = base
            text = base_type.simple or SimpleType("string")
            if restricts:
                ct.derivation = "restriction"
                if holder.simple_type is not None:
                    text = self._simple_definition(
                        holder.simple_type, source, None, ct.key.local
                    )
                ct.simple = text.restricted(facets_of(holder))
                if text.enum is not None and ct.simple.facets.enumeration is None:
                    ct.simple = dataclasses.replace(ct.simple, enum=text.enum)
            else:
                ct.derivation = "extension"
                ct.simple = text
        self._attribute_uses(ct, holder, source)

    def _base_ready(self, key: QName, source: Source, node: Any) -> None:
        if key in self._deriving:
            raise ModelError(f"{source.where(node)}: type {key} derives from itself")
        self._fill(key)

    def _array_items(self, holder: Any, source: Source) -> TypeRef:
        """The items of a SOAP-encoded array (a restriction of soapenc:Array):
        named by a ``wsdl:arrayType`` attribute (``xsd:string[]``), or by the
        element of its content. xsdata keeps neither foreign attribute, so it
        is read from the document."""
        restriction = source.lxml(holder)
        if restriction is not None:
            for attribute in restriction.iter(f"{{{XSD}}}attribute"):
                declared = attribute.get(f"{{{WSDL}}}arrayType")
                if declared:
                    prefix, _, local = declared.split("[", 1)[0].rpartition(":")
                    namespace = attribute.nsmap.get(prefix or None, "")
                    if namespace == SOAP_ENCODING:
                        namespace = XSD
                    return self.type_ref(QName(namespace, local), source, holder)
        for particle in _children(holder.sequence) if holder.sequence else []:
            if isinstance(particle, xsd.Element) and particle.type:
                return self.type_ref(
                    source.qname(particle.type, particle), source, particle
                )
        return ANY_TYPE

    # -- particles ---------------------------------------------------------------

    def _content(self, holder: Any, source: Source, owner: QName) -> Particle | None:
        for kind in ("sequence", "choice", "all", "group"):
            node = getattr(holder, kind, None)
            if node is not None:
                return self._particle(node, source, owner)
        return None

    def _particle(self, node: Any, source: Source, owner: QName) -> Particle:
        low, high = occurs(node)
        if isinstance(node, xsd.Element):
            return ElementParticle(self._local_element(node, source, owner), low, high)
        if isinstance(node, xsd.Any):
            return WildcardParticle(
                self._wildcard(node.namespace, node.process_contents, source), low, high
            )
        if isinstance(node, xsd.Group):
            model = self._group(source.qname(node.ref, node), source, node)
            return ModelGroup(model.compositor, model.particles, low, high)
        compositor = {xsd.Sequence: "sequence", xsd.Choice: "choice", xsd.All: "all"}[
            type(node)
        ]
        particles = [self._particle(child, source, owner) for child in _children(node)]
        return ModelGroup(compositor, particles, low, high)  # type: ignore[arg-type]

    def _group(self, name: QName, source: Source, node: Any) -> ModelGroup:
        if name in self._group_models:
            return self._group_models[name]
        definition, where = self._lookup(self._groups, name, "group", source, node)
        if name in self._in_progress:
            raise ModelError(f"{where.where(definition)}: group {name} contains itself")
        self._in_progress.add(name)
        try:
            inner = definition.sequence or definition.choice or definition.all
            if inner is None:
                model = ModelGroup("sequence", [])
            else:
                built = self._particle(inner, where, name)
                assert isinstance(built, ModelGroup)
                model = ModelGroup(built.compositor, built.particles)
        finally:
            self._in_progress.discard(name)
        self._group_models[name] = model
        return model

    def _wildcard(
        self, namespace: str | None, process: Any, source: Source
    ) -> Wildcard:
        text = (namespace or "##any").split()
        tns = source.tns
        process_text = getattr(process, "value", process) or "strict"
        if text == ["##any"]:
            return Wildcard(process=str(process_text))
        if text == ["##other"]:
            return Wildcard(None, frozenset({tns, ""}), str(process_text))
        allowed = frozenset(
            tns if t == "##targetNamespace" else "" if t == "##local" else t
            for t in text
        )
        return Wildcard(allowed, frozenset(), str(process_text))

    # -- elements ----------------------------------------------------------------

    def element(
        self, name: QName, source: Source | None = None, node: Any = None
    ) -> ElementDecl:
        """The global element declaration ``name``."""
        if name in self.elements:
            return self.elements[name]
        if source is None:
            definition, where = self._elements[name]
        else:
            definition, where = self._lookup(
                self._elements, name, "element", source, node
            )
        head = (
            where.qname(definition.substitution_group.split()[0], definition)
            if definition.substitution_group
            else None
        )
        decl = ElementDecl(
            name=name,
            type=ANY_TYPE,
            nillable=bool(definition.nillable),
            default=definition.default,
            fixed=definition.fixed,
            abstract=bool(definition.abstract),
            is_global=True,
            head=head,
            block=where.blocked(definition.block, ELEMENT_BLOCKS),
            doc=annotation_text(definition),
        )
        self.elements[name] = decl  # first: its type may refer back to it
        if definition.type or definition.simple_type or definition.complex_type:
            decl.type = self._element_type(
                definition,
                where,
                QName(name.namespace, f"{name.local}@element"),
                "element",
                name,
            )
        elif head is not None:
            decl.type = self.element(head, where, definition).type
        return decl

    def _local_element(
        self, node: xsd.Element, source: Source, owner: QName
    ) -> ElementDecl:
        if node.ref:
            return self.element(source.qname(node.ref, node), source, node)
        if not node.name:
            raise ModelError(f"{source.where(node)}: an element needs a name or a ref")
        qualified = node.form == FormType.QUALIFIED
        namespace = source.tns if qualified else ""
        decl = ElementDecl(
            name=QName(namespace, node.name),
            type=ANY_TYPE,
            nillable=bool(node.nillable),
            default=node.default,
            fixed=node.fixed,
            doc=annotation_text(node),
            block=source.blocked(node.block, ELEMENT_BLOCKS),
        )
        if node.type or node.simple_type or node.complex_type:
            decl.type = self._element_type(
                node,
                source,
                QName(owner.namespace, f"{owner.local}/{node.name}"),
                "local",
                None,
            )
        return decl

    def _element_type(
        self,
        node: xsd.Element,
        source: Source,
        key: QName,
        kind: str,
        element: QName | None,
    ) -> TypeRef:
        if node.type:
            found = self.type_ref(source.qname(node.type, node), source, node)
            if element is not None and isinstance(found, QName) and found != ANY_TYPE:
                named = self.types[found]
                if isinstance(named, ComplexType) and named.element is None:
                    named.element = element
            return found
        if node.simple_type is not None:
            return self._simple_definition(
                node.simple_type, source, None, key.local.replace("@element", "")
            )
        assert node.complex_type is not None
        unique = self._unique_key(key)
        self._complex(
            node.complex_type, source, unique, node.name or key.local, kind, element
        )
        anonymous = self.types[unique]
        if not anonymous.doc:  # schemas document the element, seldom its type
            anonymous.doc = annotation_text(node)
        return unique

    def element_class(self, name: QName) -> QName:
        """The key of the class a message's element is read into: its own
        type, or a class made for it (deriving from its named type, holding
        its simple value, or anything, for xs:anyType)."""
        decl = self.elements[name]
        if name in self._wrappers:
            return self._wrappers[name]
        found = (
            self.types.get(decl.type)
            if isinstance(decl.type, QName) and decl.type != ANY_TYPE
            else None
        )
        named = found if isinstance(found, ComplexType) else None
        if named is not None and (named.kind != "type" or named.abstract):
            return named.key  # its own type; or an abstract one its subtypes replace
        key = self._unique_key(QName(name.namespace, f"{name.local}@element"))
        ct = ComplexType(
            key=key, xml_name=name.local, kind="element", element=name, doc=decl.doc
        )
        if named is not None:
            # A message element of a named type gets a class of its own, deriving
            # from the type's and adding nothing: users write the element's name.
            ct.base, ct.derivation = named.key, "extension"
            ct.doc = decl.doc or named.doc
            ct.simple, ct.mixed = named.simple, named.mixed
        elif isinstance(decl.type, SimpleType):
            ct.simple = decl.type
        else:  # xs:anyType: any content, any attributes
            ct.mixed = True
            ct.content = ModelGroup(
                "sequence", [WildcardParticle(Wildcard(process="lax"), 0, None)]
            )
            ct.any_attribute = Wildcard(process="lax")
        self.types[key] = ct
        self._wrappers[name] = key
        return key

    # -- attributes ---------------------------------------------------------------

    def _attribute_uses(self, ct: ComplexType, holder: Any, source: Source) -> None:
        uses, wildcard = self._collect_attributes(holder, source, ct.key)
        ct.prohibited = frozenset(u.name for u in uses if isinstance(u, _Prohibited))
        ct.attributes = [u for u in uses if not isinstance(u, _Prohibited)]
        base = self.types.get(ct.base) if ct.base else None
        if ct.derivation == "extension" and isinstance(base, ComplexType):
            wildcard = _union(base.any_attribute, wildcard)
        ct.any_attribute = wildcard

    def _collect_attributes(
        self, holder: Any, source: Source, owner: QName
    ) -> tuple[list[AttributeUse], Wildcard | None]:
        uses: list[AttributeUse] = []
        wildcard: Wildcard | None = None
        items = sorted(
            [*holder.attributes, *holder.attribute_groups], key=lambda n: n.index
        )
        for item in items:
            if isinstance(item, xsd.AttributeGroup):
                group_uses, group_wildcard = self._attribute_group(
                    source.qname(item.ref, item), source, item
                )
                uses.extend(group_uses)
                wildcard = _intersection(wildcard, group_wildcard)
            else:
                uses.append(self._attribute(item, source, owner))
        any_attribute = getattr(holder, "any_attribute", None)
        if any_attribute is not None:
            own = self._wildcard(
                any_attribute.namespace, any_attribute.process_contents, source
            )
            wildcard = _intersection(own, wildcard) if wildcard else own
        merged: dict[QName, AttributeUse] = {}
        for use in uses:
            merged[use.name] = use  # a later use of the same name overrides
        return list(merged.values()), wildcard

    def _attribute_group(
        self, name: QName, source: Source, node: Any
    ) -> tuple[list[AttributeUse], Wildcard | None]:
        if name in self._attribute_group_uses:
            return self._attribute_group_uses[name]
        definition, where = self._lookup(
            self._attribute_groups, name, "attributeGroup", source, node
        )
        if name in self._in_progress:
            raise ModelError(
                f"{where.where(definition)}: attributeGroup {name} contains itself"
            )
        self._in_progress.add(name)
        try:
            found = self._collect_attributes(definition, where, name)
        finally:
            self._in_progress.discard(name)
        self._attribute_group_uses[name] = found
        return found

    def _attribute(
        self, node: xsd.Attribute, source: Source, owner: QName
    ) -> AttributeUse:
        required = node.use == UseType.REQUIRED
        if node.ref:
            name = source.qname(node.ref, node)
            if name.namespace == "http://www.w3.org/XML/1998/namespace" and (
                name not in self._attributes
            ):
                global_node, where = None, source
            else:
                global_node, where = self._lookup(
                    self._attributes, name, "attribute", source, node
                )
            simple = (
                self._attribute_type(global_node, where, owner)
                if global_node is not None
                else SimpleType("string")
            )
            default = (
                node.default
                if node.default is not None
                else (global_node.default if global_node is not None else None)
            )
            fixed = (
                node.fixed
                if node.fixed is not None
                else (global_node.fixed if global_node is not None else None)
            )
            doc = annotation_text(node) or (
                annotation_text(global_node) if global_node is not None else ""
            )
        else:
            if not node.name:
                raise ModelError(
                    f"{source.where(node)}: an attribute needs a name or a ref"
                )
            qualified = node.form == FormType.QUALIFIED
            name = QName(source.tns if qualified else "", node.name)
            simple = self._attribute_type(node, source, owner)
            default, fixed, doc = node.default, node.fixed, annotation_text(node)
        if node.use == UseType.PROHIBITED:
            return _Prohibited(name, simple)
        return AttributeUse(name, simple, required, default, fixed, doc)

    def _attribute_type(
        self, node: xsd.Attribute, source: Source, owner: QName
    ) -> SimpleType:
        if node.simple_type is not None:
            return self._simple_definition(
                node.simple_type,
                source,
                None,
                f"{owner.local}/{node.name or 'attribute'}",
            )
        if node.type:
            return self._simple_of(source.qname(node.type, node), source, node)
        return SimpleType("anySimpleType")


class _Redefined(Source):
    """A source for the components of an xs:redefine: a reference to the
    redefined name itself means the original definition."""

    def __init__(self, source: Source, key: QName) -> None:
        super().__init__(source.schema, source.name, source.elements, source.chameleon)
        self.key = key

    def qname(self, prefixed: str, node: Any) -> QName:
        found = super().qname(prefixed, node)
        if found == self.key:
            return QName(found.namespace, found.local + "#original")
        return found


class _Prohibited(AttributeUse):
    """An attribute use a restriction prohibits (use="prohibited")."""


def _describe(node: Any) -> str:
    """``, used by element X``: what names a missing component, for messages."""
    kind = type(node).__name__.lower()
    name = getattr(node, "name", None)
    if kind in ("element", "attribute") and name:
        return f", used by {kind} {name},"
    if kind in ("extension", "restriction"):
        return f", the base of a {kind},"
    return ""


def _children(node: Any) -> list[Any]:
    """A model group's particles in document order (xsdata files them by kind)."""
    kinds: list[Any] = []
    for attribute in ("elements", "groups", "choices", "sequences", "any"):
        kinds.extend(getattr(node, attribute, None) or ())
    return sorted(kinds, key=lambda n: n.index)


def _union(a: Wildcard | None, b: Wildcard | None) -> Wildcard | None:
    """Attribute wildcards of a base and its extension: either admits."""
    if a is None or b is None:
        return a or b
    if a.allowed is None or b.allowed is None:
        excluded = (a.excluded if a.allowed is None else frozenset()) & (
            b.excluded if b.allowed is None else frozenset()
        )
        return Wildcard(None, excluded, b.process)
    return Wildcard(a.allowed | b.allowed, frozenset(), b.process)


def _intersection(a: Wildcard | None, b: Wildcard | None) -> Wildcard | None:
    """Attribute wildcards of a type and its attribute groups: both admit."""
    if a is None or b is None:
        return a or b
    if a.allowed is not None and b.allowed is not None:
        return Wildcard(a.allowed & b.allowed, frozenset(), a.process)
    if a.allowed is not None or b.allowed is not None:
        listed = a if a.allowed is not None else b
        other = b if listed is a else a
        assert listed.allowed is not None
        return Wildcard(
            frozenset(n for n in listed.allowed if other.admits(n)),
            frozenset(),
            a.process,
        )
    return Wildcard(None, a.excluded | b.excluded, a.process)
