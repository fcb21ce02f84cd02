"""The model stage: facts about types that the writers and readers rely on."""

from __future__ import annotations

from generator.model import XML_NS, XSD, Field, Project, QName, TypeDef

A, B, C, D = "urn:a", "urn:b", "urn:c", "urn:d"
STRING = QName(XSD, "string")


def element(namespace: str, name: str, type_: QName) -> Field:
    return Field(name, namespace, "element", type_)


def test_content_namespaces_reach_every_depth_subtypes_and_cycles() -> None:
    """What a request root declares: every namespace its content may use, found
    through nested types, subtypes a field may hold, and recursive types."""
    request, node, wrap, leaf = (
        QName(A, n) for n in ("Request", "Node", "Wrap", "Leaf")
    )
    shape, circle = QName(B, "Shape"), QName(C, "Circle")
    types = {  # the request first: its namespaces come from types listed later
        request: TypeDef(
            request,
            "complex",
            "Request",
            [element(A, "tree", node), element("", "shape", shape)],
            element_name=request,
        ),
        node: TypeDef(  # recursive
            node, "complex", "Node", [element(A, "child", node), element(A, "w", wrap)]
        ),
        wrap: TypeDef(wrap, "complex", "Wrap", [element(B, "leaf", leaf)]),
        leaf: TypeDef(
            leaf,
            "complex",
            "Leaf",
            [
                element(C, "value", STRING),
                Field("lang", XML_NS, "attribute", STRING),  # never declared
                Field("note", "", "attribute", STRING),  # unqualified
            ],
        ),
        shape: TypeDef(shape, "complex", "Shape", [], abstract=True),
        circle: TypeDef(  # only this subtype of Shape uses urn:d
            circle, "complex", "Circle", [element(D, "radius", STRING)], base=shape
        ),
    }
    project = Project(ports=[], types=types, elements={request: request})

    assert project.content_namespaces(types[request]) == {A, B, C, D}
    assert project.content_namespaces(types[node]) == {A, B, C}
    assert project.content_namespaces(types[leaf]) == {C}
    assert project.content_namespaces(types[shape]) == frozenset()
