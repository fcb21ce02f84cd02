"""The one place that decides how a type's content looks in Python.

Given a complex type's particle tree, :func:`decide` chooses its fields and
the checks that keep a request valid, and everything later (views, writers,
readers, strategies for tests) only follows that decision.

The rules, from the tree:

- An element particle is a field: one value, or a list where it may repeat.
  An element whose substitution group has members stands for a choice of
  them, each under its own name.
- A sequence, xs:all or choice that occurs at most once puts its particles'
  fields in place. Where it is optional, or is a choice, those fields may be
  left empty, and a :class:`~generator.model.Check` keeps what the tree says:
  a choice takes exactly one branch, and an optional group that is given must
  be whole.
- A group that repeats keeps its members together: it becomes a small class
  of its own (one occurrence) and the field is a list of them, written and
  read in order. A repeated group around a single element is just that
  element repeated, when the counts it allows form a range.
- A complex type deriving by extension inherits its base's fields and adds
  its own after them; one deriving by restriction declares its whole content
  again, keeping its base's field names where an element keeps its shape.

A type is read by dispatch on each child's tag when its element names are
all distinct and nothing repeats as a group; otherwise its children are
matched against the tree, as a validator does (``reader = "match"``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

from .model import (
    ANY_TYPE,
    Check,
    ComplexType,
    ElementDecl,
    ElementParticle,
    Field,
    ModelGroup,
    Particle,
    Project,
    QName,
    SimpleType,
    TypeDef,
    TypeRef,
    WildcardParticle,
    emptiable,
)

_TITLES = {"sequence": "Sequence", "choice": "Choice", "all": "All"}


def decide_all(project: Project, types: list[TypeDef]) -> list[TypeDef]:
    """Decide every type's shape; returns ``types`` with the group classes the
    decisions made, each right after the type that holds it."""
    ordered: list[TypeDef] = []
    for typedef in types:
        ordered.append(typedef)
        if isinstance(typedef, ComplexType):
            ordered.extend(decide(project, typedef))
    return ordered


def decide(project: Project, ct: ComplexType) -> list[ComplexType]:
    """Decide ``ct``'s fields, check and reader; returns the group classes made
    for it (and for theirs, recursively), which join ``project.types``."""
    if ct.check is not None:
        return []
    base: ComplexType | None = None
    made: list[ComplexType] = []
    if ct.base is not None:
        base = project.complex(ct.base)
        made.extend(decide(project, base))  # bases come first: rarely needed
    maker = _Maker(project, ct)
    own_tree = maker.expand(ct.content) if ct.content is not None else None
    own_check = maker.particle(own_tree, False) if own_tree is not None else None
    made.extend(maker.made)

    extends = base is not None and (
        ct.derivation == "extension" or ct.simple is not None
    )
    inherited = list(base.all_fields) if base is not None else []
    content_fields = maker.fields
    if base is not None and not extends:
        # A complex restriction declares its whole content again.
        inherited = [f for f in inherited if f.kind not in ("element", "group", "any")]
        content_fields = _reuse_names(content_fields, base.all_fields)
    fields = _attributes(ct, inherited, content_fields)
    fields = _text(ct, fields) + fields
    if ct.mixed and not any(f.kind == "mixed" for f in fields):
        fields.append(Field("mixed", "text", 0, None, optional=True))
    ct.all_fields = fields
    inherited_ids = {id(f) for f in (base.all_fields if base else [])}
    ct.fields = [
        f for f in fields if id(f) not in inherited_ids and f.overrides is None
    ]

    if base is not None and ct.derivation == "extension" and base.effective is not None:
        parts = [p for p in (base.effective, own_tree) if p is not None]
        ct.effective = parts[0] if len(parts) == 1 else ModelGroup("sequence", parts)
        checks = [c for c in (base.check, own_check) if c is not None]
        ct.check = Check("all", children=checks)
    else:
        ct.effective = own_tree
        ct.check = own_check or Check("all")
    if base is not None:
        present = {id(f.overrides) for f in fields if f.overrides is not None}
        present |= {id(f) for f in fields}
        ct.hidden = [f for f in base.all_fields if id(f) not in present]
    ct.reader = _reader(fields)
    return made


class _Maker:
    """Flattens one type's particle tree into fields and a check."""

    def __init__(self, project: Project, ct: ComplexType) -> None:
        self.project = project
        self.ct = ct
        self.fields: list[Field] = []
        self.made: list[ComplexType] = []
        self._groups = 0

    def expand(self, p: Particle) -> Particle:
        """A copy of the tree in which each element with a substitution group is
        a choice of the elements that may stand in its place."""
        if isinstance(p, ModelGroup):
            return ModelGroup(
                p.compositor, [self.expand(c) for c in p.particles], p.min, p.max
            )
        if isinstance(p, ElementParticle):
            members = _members(p.decl)
            if len(members) == 1:
                return ElementParticle(members[0], p.min, p.max)
            choice: list[Particle] = [ElementParticle(d) for d in members]
            return ModelGroup("choice", choice, p.min, p.max)
        return WildcardParticle(p.wildcard, p.min, p.max)

    def particle(self, p: Particle, guarded: bool) -> Check:
        if isinstance(p, ElementParticle):
            f = self._field(
                Field(
                    "element",
                    p.decl.name.local,
                    p.min,
                    p.max,
                    optional=guarded or p.min == 0,
                    element=p.decl,
                    doc=p.decl.doc,
                    guarded=guarded,
                    soap_array=self._soap_array(p.decl),
                ),
                p,
            )
            return Check("field", p.min, p.max, field=f)
        if isinstance(p, WildcardParticle):
            f = self._field(
                Field(
                    "any",
                    "any",
                    p.min,
                    p.max,
                    optional=guarded or p.min == 0,
                    wildcard=p.wildcard,
                    guarded=guarded,
                ),
                p,
            )
            return Check("field", p.min, p.max, field=f)
        if p.max == 1:
            inner = guarded or p.min == 0 or p.compositor == "choice"
            children = [self.particle(c, inner) for c in p.particles]
            kind: Literal["all", "choice"] = (
                "choice" if p.compositor == "choice" else "all"
            )
            return Check(kind, p.min, 1, children=children)
        single = _single(p)
        if single is not None:
            low, high = single.min * p.min, _times(single.max, p.max)
            if _is_range(single.min, single.max, p.min, p.max):
                grown = dataclasses.replace(single, min=low, max=high)
                check = self.particle(grown, guarded)
                assert check.field is not None
                single.field = check.field  # the matcher stores the inner element
                return check
        return self._group_class(p, guarded)

    def _group_class(self, p: ModelGroup, guarded: bool) -> Check:
        self._groups += 1
        owner = self.ct
        # "#": in no schema name, nor in any other key
        key = QName(
            owner.key.namespace, f"{owner.key.local}#{p.compositor}{self._groups}"
        )
        gc = ComplexType(
            key=key,
            xml_name=f"{owner.xml_name}{_TITLES[p.compositor]}",
            kind="group",
            content=ModelGroup(p.compositor, p.particles),
            owner=owner.key,
            doc=f"One occurrence of a repeated {p.compositor} in "
            f"{owner.xml_name}: {_summary(p)}.",
        )
        self.project.types[key] = gc
        self.made.append(gc)
        self.made.extend(decide(self.project, gc))
        # Each occurrence written holds something (an empty one leaves no trace),
        # so the minimum counts occurrences that do: what validators expect.
        # Where one occurrence may itself be empty, empty ones can make up any
        # count, so no written occurrence is needed at all.
        low = 0 if emptiable(ModelGroup(p.compositor, p.particles)) else p.min
        f = self._field(
            Field(
                "group",
                p.compositor,
                low,
                p.max,
                optional=guarded or low == 0,
                group=key,
                guarded=guarded,
            ),
            p,
        )
        return Check("field", low, p.max, field=f)

    def _field(self, f: Field, p: Particle) -> Field:
        self.fields.append(f)
        p.field = f
        return f

    def _soap_array(self, decl: ElementDecl) -> TypeRef | None:
        if isinstance(decl.type, QName) and decl.type != ANY_TYPE:
            target = self.project.types.get(decl.type)
            if isinstance(target, ComplexType) and target.soap_array is not None:
                return target.soap_array
        return None


def _members(decl: ElementDecl) -> list[ElementDecl]:
    """The elements that may appear where ``decl`` is declared."""
    found = [d for d in [decl, *decl.substitutes] if not d.abstract]
    return found or [decl]


def _single(p: ModelGroup) -> ElementParticle | WildcardParticle | None:
    """The only particle of a group (through groups of one that occur once)."""
    if len(p.particles) != 1:
        return None
    (only,) = p.particles
    if isinstance(only, ModelGroup):
        if only.min == 1 and only.max == 1:
            return _single(only)
        return None
    return only


def _times(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a * b


def _is_range(
    low: int, high: int | None, group_low: int, group_high: int | None
) -> bool:
    """Whether the counts k occurrences of a group of ``low``..``high`` allow,
    for ``group_low`` <= k <= ``group_high``, leave no gap."""
    if low <= 1 or high is None or group_low == group_high:
        return True
    return group_low >= 1 and low <= group_low * (high - low) + 1


def _summary(p: Particle) -> str:
    if isinstance(p, ElementParticle):
        return p.decl.name.local
    if isinstance(p, WildcardParticle):
        return "any element"
    joiner = " | " if p.compositor == "choice" else ", "
    inner = joiner.join(_summary(c) for c in p.particles)
    return f"({inner})"


def _attributes(
    ct: ComplexType, inherited: list[Field], content: list[Field]
) -> list[Field]:
    """The inherited fields, then the type's own content, then its new
    attributes: a use of a name it inherits takes over the base's field, and
    a restriction's prohibited ones go."""
    fields = [
        f for f in inherited if not (f.kind == "attribute" and f.qname in ct.prohibited)
    ]
    fields += content
    by_name = {f.qname: i for i, f in enumerate(fields) if f.kind == "attribute"}
    for use in ct.attributes:
        f = Field(
            "attribute",
            use.name.local,
            1 if use.required else 0,
            1,
            optional=not use.required,
            attribute=use,
            doc=use.doc,
        )
        if use.name in by_name:
            old = fields[by_name[use.name]]
            f.overrides = old.overrides or old
            fields[by_name[use.name]] = f
        else:
            fields.append(f)
    wildcard = next((f for f in fields if f.kind == "any_attribute"), None)
    if ct.any_attribute is not None and wildcard is None:
        fields.append(
            Field(
                "any_attribute", "any_attributes", 0, 1, True, wildcard=ct.any_attribute
            )
        )
    elif (
        ct.any_attribute is None
        and wildcard is not None
        and ct.derivation == "restriction"
    ):
        fields.remove(wildcard)
    return fields


def _text(ct: ComplexType, fields: list[Field]) -> list[Field]:
    """The text field of simple content (first: it may be given by position)."""
    inherited = next((f for f in fields if f.kind == "text"), None)
    if inherited is not None:
        fields.remove(inherited)
    if ct.simple is None:
        return [inherited] if inherited is not None else []
    if inherited is not None and inherited.simple is ct.simple:
        return [inherited]
    f = Field("text", "value", 1, 1, simple=ct.simple)
    if inherited is not None:
        f.overrides = inherited.overrides or inherited
    return [f]


def _reuse_names(fields: list[Field], base_fields: list[Field]) -> list[Field]:
    """A restriction's element fields keep the base's field (and name) where
    the element keeps its Python shape: the class stays a subclass."""
    by_name = {
        f.qname: f for f in base_fields if f.kind == "element" and f.overrides is None
    }
    for f in fields:
        old = by_name.get(f.qname)
        if old is not None and f.kind == "element" and _same_shape(f, old):
            f.overrides = old
            del by_name[f.qname]
    return fields


def _same_shape(a: Field, b: Field) -> bool:
    if a.repeated != b.repeated or a.element is None or b.element is None:
        return False
    ta, tb = a.element.type, b.element.type
    if isinstance(ta, SimpleType) and isinstance(tb, SimpleType):
        return (ta.builtin, ta.enum, ta.variety) == (tb.builtin, tb.enum, tb.variety)
    # A restriction may narrow an element's type to a subtype of the base's:
    # the base's annotation still holds it.
    return (
        isinstance(ta, QName)
        and isinstance(tb, QName)
        and (ta == ANY_TYPE) == (tb == ANY_TYPE)
    )


def _reader(fields: list[Field]) -> Literal["dispatch", "match"]:
    tags = [f.qname for f in fields if f.kind == "element"]
    if any(f.kind == "group" for f in fields) or len(tags) != len(set(tags)):
        return "match"
    wildcards = [f.wildcard for f in fields if f.kind == "any" and f.wildcard]
    if len(wildcards) > 1:
        return "match"
    # A wildcard that admits one of the type's own elements: position decides.
    if any(w.admits(tag.namespace) for w in wildcards for tag in tags):
        return "match"
    return "dispatch"


def element_fields(ct: ComplexType) -> Iterator[Field]:
    return (f for f in ct.all_fields if f.kind == "element")


def nillable(project: Project, decl: ElementDecl) -> bool:
    """Whether an element can be sent nil: nillable, and of a type nil can
    stand for (nil keeps the attributes a type requires, and an abstract type
    needs xsi:type all the same)."""
    if not decl.nillable:
        return False
    target = project.types.get(decl.type) if isinstance(decl.type, QName) else None
    return not (
        isinstance(target, ComplexType)
        and (
            target.abstract
            or any(f.kind == "attribute" and not f.optional for f in target.all_fields)
        )
    )
