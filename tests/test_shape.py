"""The shape stage: each type's Python fields and checks, from its particle tree."""

from __future__ import annotations

from wsdlbind import shape
from wsdlbind.model import (
    XSD,
    ComplexType,
    ElementDecl,
    ElementParticle,
    ModelGroup,
    Particle,
    Project,
    QName,
    SimpleType,
)

T = "urn:t"
INT = SimpleType("int", name=QName(XSD, "int"))


def el(name: str, low: int = 1, high: int | None = 1) -> ElementParticle:
    return ElementParticle(ElementDecl(QName(T, name), INT), low, high)


def decided(content: Particle) -> tuple[ComplexType, Project]:
    ct = ComplexType(QName(T, "X"), "X", "type", content=content)
    project = Project(ports=[], types={ct.key: ct}, elements={})
    made = shape.decide(project, ct)
    assert all(g.key in project.types for g in made)
    return ct, project


def test_a_sequence_of_elements_is_a_flat_keyword_each() -> None:
    ct, _ = decided(ModelGroup("sequence", [el("A"), el("B", 0, None)]))
    assert [(f.xml_name, f.repeated, f.optional) for f in ct.all_fields] == [
        ("A", False, False),
        ("B", True, True),
    ]
    assert ct.reader == "dispatch"


def test_a_choice_whose_branch_is_a_sequence_stays_flat_with_a_check() -> None:
    branch = ModelGroup("sequence", [el("A"), el("B")])
    ct, _ = decided(ModelGroup("choice", [branch, el("C")]))
    assert [f.xml_name for f in ct.all_fields] == ["A", "B", "C"]
    assert all(f.optional for f in ct.all_fields)
    assert ct.check is not None and ct.check.kind == "choice"
    assert [c.kind for c in ct.check.children] == ["all", "field"]


def test_a_repeated_group_of_several_gets_a_class_and_a_list() -> None:
    ct, project = decided(
        ModelGroup("sequence", [ModelGroup("sequence", [el("A"), el("B")], 0, None)])
    )
    (f,) = ct.all_fields
    assert f.kind == "group" and f.repeated and f.group is not None
    group = project.complex(f.group)
    assert group.kind == "group" and [g.xml_name for g in group.all_fields] == [
        "A",
        "B",
    ]
    assert ct.reader == "match"


def test_a_repeated_group_around_one_element_is_that_element_repeated() -> None:
    ct, _ = decided(ModelGroup("sequence", [ModelGroup("sequence", [el("A")], 2, 3)]))
    (f,) = ct.all_fields
    assert f.kind == "element" and (f.min, f.max) == (2, 3)


def test_counts_with_gaps_keep_the_group() -> None:
    """(A, A){0,2} allows 0, 2 or 4 A: not a range, so not one list of A."""
    ct, _ = decided(
        ModelGroup("sequence", [ModelGroup("sequence", [el("A", 2, 2)], 0, 2)])
    )
    (f,) = ct.all_fields
    assert f.kind == "group"


def test_a_name_used_twice_is_two_fields_read_by_position() -> None:
    ct, _ = decided(ModelGroup("sequence", [el("A"), el("B"), el("A")]))
    assert [f.xml_name for f in ct.all_fields] == ["A", "B", "A"]
    assert ct.reader == "match"


def test_a_substitution_group_is_a_choice_of_its_members() -> None:
    head = ElementDecl(QName(T, "Shape"), INT, abstract=True, is_global=True)
    head.substitutes = [
        ElementDecl(QName(T, "Circle"), INT, is_global=True),
        ElementDecl(QName(T, "Square"), INT, is_global=True),
    ]
    ct, _ = decided(ModelGroup("sequence", [ElementParticle(head)]))
    assert [f.xml_name for f in ct.all_fields] == ["Circle", "Square"]
    assert ct.check is not None and ct.check.children[0].kind == "choice"
