"""The model stage: facts about types that the writers and readers rely on."""

from __future__ import annotations

from wsdlbind.model import (
    XSD,
    AttributeUse,
    Check,
    ComplexType,
    ElementDecl,
    ElementParticle,
    ModelGroup,
    Project,
    QName,
    SimpleType,
    emptiable,
)
from wsdlbind.namespaces import XML
from wsdlbind.render.decide import _content_namespaces
from wsdlbind.shape import decide

A, B, C, D = "urn:a", "urn:b", "urn:c", "urn:d"
STRING = SimpleType("string", name=QName(XSD, "string"))


def typed(
    key: QName, *children: tuple[str, str, object], **extra: object
) -> ComplexType:
    particles = [
        ElementParticle(ElementDecl(QName(ns, name), type_))  # type: ignore[arg-type]
        for ns, name, type_ in children
    ]
    return ComplexType(
        key,
        key.local,
        "type",
        content=ModelGroup("sequence", list(particles)),
        **extra,  # type: ignore[arg-type]
    )


def test_content_namespaces_reach_every_depth_subtypes_and_cycles() -> None:
    """What a request root declares: every namespace its content may use, found
    through nested types, subtypes a field may hold, and recursive types."""
    request, node, wrap, leaf = (
        QName(A, n) for n in ("Request", "Node", "Wrap", "Leaf")
    )
    shape, circle = QName(B, "Shape"), QName(C, "Circle")
    types = {
        request: typed(request, (A, "tree", node), ("", "shape", shape)),
        node: typed(node, (A, "child", node), (A, "w", wrap)),  # recursive
        wrap: typed(wrap, (B, "leaf", leaf)),
        leaf: typed(
            leaf,
            (C, "value", STRING),
            attributes=[
                AttributeUse(QName(XML, "lang"), STRING),  # never declared
                AttributeUse(QName("", "note"), STRING),  # unqualified
            ],
        ),
        shape: typed(shape, abstract=True),
        circle: typed(
            circle, (D, "radius", STRING), base=shape, derivation="extension"
        ),
    }
    project = Project(ports=[], types=dict(types), elements={})
    for t in types.values():
        decide(project, t)
    found = _content_namespaces(project, list(types.values()))
    assert found[request] == {A, B, C, D}
    assert found[node] == {A, B, C}
    assert found[leaf] == {C}
    assert found[shape] == frozenset()


def test_emptiable_follows_the_particle_tree() -> None:
    """A choice is emptiable when a branch is, a sequence when every member is."""
    required = ElementParticle(ElementDecl(QName("", "a"), STRING))
    optional = ElementParticle(ElementDecl(QName("", "b"), STRING), 0, 1)
    assert not emptiable(ModelGroup("sequence", [required, optional]))
    assert emptiable(ModelGroup("choice", [required, optional]))
    assert emptiable(ModelGroup("sequence", [optional]))
    assert not Check("field", 1, 1).emptiable
    assert Check(
        "choice", 1, 1, children=[Check("field", 1, 1), Check("all", 0)]
    ).emptiable
