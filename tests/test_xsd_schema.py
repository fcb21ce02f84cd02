"""The adapter's schema components (generator/xsd/schema.py): built as XML
Schema defines them, from small inline schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from wsdlbind import load, pipeline
from wsdlbind.errors import ModelError
from wsdlbind.model import (
    ComplexType,
    ElementParticle,
    Facets,
    ModelGroup,
    Project,
    QName,
)

from tests import inline

T = "urn:test"
Translate = Callable[..., Project]


@pytest.fixture
def translate(write_wsdl: Callable[..., Path]) -> Translate:
    def run(schema: str, request: str = "Request", **files: str) -> Project:
        path = write_wsdl(
            t__wsdl=inline.wsdl(schema, [("Send", request, None)]), **files
        )
        return pipeline.build_project(load.load(str(path), offline=True))

    return run


def test_particles_keep_document_order_across_kinds(translate: Translate) -> None:
    """xsdata files a sequence's children by kind; the tree keeps their order."""
    project = translate(
        """
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="A" type="xs:int"/>
        <xs:choice><xs:element name="B" type="xs:int"/><xs:element name="C" type="xs:int"/></xs:choice>
        <xs:element name="D" type="xs:int"/>
      </xs:sequence></xs:complexType></xs:element>"""
    )
    content = project.element(QName(T, "Request")).content
    assert isinstance(content, ModelGroup)
    kinds = [
        p.decl.name.local if isinstance(p, ElementParticle) else p.compositor  # type: ignore[union-attr]
        for p in content.particles
    ]
    assert kinds == ["A", "choice", "D"]


def test_facets_sum_over_the_derivation_chain(translate: Translate) -> None:
    project = translate(
        """
      <xs:simpleType name="Code"><xs:restriction base="xs:string">
        <xs:pattern value="[A-Z]+"/><xs:maxLength value="8"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Short"><xs:restriction base="t:Code">
        <xs:pattern value="A.*"/><xs:pattern value="B.*"/><xs:maxLength value="3"/>
      </xs:restriction></xs:simpleType>
      <xs:element name="Request" type="t:Short"/>"""
    )
    simple = project.elements[QName(T, "Request")].type
    assert simple.facets == Facets(  # type: ignore[union-attr]
        patterns=("[A-Z]+", "(?:A.*)|(?:B.*)"), max_length=3
    )
    assert simple.builtin == "string"  # type: ignore[union-attr]


def test_substitution_groups_close_over_members_of_members(
    translate: Translate,
) -> None:
    project = translate(
        """
      <xs:element name="Head" type="xs:string"/>
      <xs:element name="Mid" type="xs:string" substitutionGroup="t:Head"/>
      <xs:element name="Leaf" type="xs:string" substitutionGroup="t:Mid"/>
      <xs:element name="Request" type="xs:string"/>"""
    )
    head = project.elements[QName(T, "Head")]
    assert [d.name.local for d in head.substitutes] == ["Mid", "Leaf"]


def test_a_chameleon_include_takes_the_includers_namespace(
    translate: Translate,
) -> None:
    project = translate(
        '<xs:include schemaLocation="c.xsd"/><xs:element name="Request" type="t:Pair"/>',
        c__xsd='<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:complexType name="Pair"><xs:sequence><xs:element name="K" type="Key"/>'
        '</xs:sequence></xs:complexType><xs:simpleType name="Key">'
        '<xs:restriction base="xs:int"/></xs:simpleType></xs:schema>',
    )
    assert isinstance(project.types[QName(T, "Pair")], ComplexType)


def test_a_redefinition_extends_the_original(translate: Translate) -> None:
    project = translate(
        '<xs:redefine schemaLocation="r.xsd"><xs:complexType name="Base">'
        '<xs:complexContent><xs:extension base="t:Base"><xs:sequence>'
        '<xs:element name="Added" type="xs:int"/></xs:sequence></xs:extension>'
        "</xs:complexContent></xs:complexType></xs:redefine>"
        '<xs:element name="Request" type="t:Base"/>',
        r__xsd='<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test">'
        '<xs:complexType name="Base"><xs:sequence><xs:element name="First" type="xs:int"/>'
        "</xs:sequence></xs:complexType></xs:schema>",
    )
    base = project.complex(QName(T, "Base"))
    assert base.base == QName(T, "Base#original")


def test_a_type_deriving_from_itself_is_an_error_with_its_place(
    translate: Translate,
) -> None:
    with pytest.raises(
        ModelError, match=r"t\.wsdl:\d+: type \{urn:test\}Loop derives from itself"
    ):
        translate(
            """
      <xs:complexType name="Loop"><xs:complexContent><xs:extension base="t:Loop"/>
      </xs:complexContent></xs:complexType>
      <xs:element name="Request" type="t:Loop"/>"""
        )


def test_an_undeclared_prefix_names_the_document_and_line(translate: Translate) -> None:
    with pytest.raises(ModelError, match=r"t\.wsdl:\d+: the prefix 'nope'"):
        translate('<xs:element name="Request" type="nope:Thing"/>')


def test_an_elements_documentation_documents_its_anonymous_type(
    translate: Translate,
) -> None:
    project = translate(
        """
      <xs:element name="Request">
        <xs:annotation><xs:documentation>What to send.</xs:documentation></xs:annotation>
        <xs:complexType><xs:sequence>
          <xs:element name="Item">
            <xs:annotation><xs:documentation>One thing.</xs:documentation></xs:annotation>
            <xs:complexType><xs:sequence><xs:element name="A" type="xs:int"/></xs:sequence></xs:complexType>
          </xs:element>
          <xs:element name="Other">
            <xs:annotation><xs:documentation>Not this.</xs:documentation></xs:annotation>
            <xs:complexType>
              <xs:annotation><xs:documentation>The type's own.</xs:documentation></xs:annotation>
              <xs:sequence><xs:element name="B" type="xs:int"/></xs:sequence>
            </xs:complexType>
          </xs:element>
        </xs:sequence></xs:complexType>
      </xs:element>"""
    )
    request = project.element(QName(T, "Request"))
    assert request.doc == "What to send."
    docs = {
        p.decl.name.local: project.types[p.decl.type].doc  # type: ignore[union-attr,index]
        for p in request.content.particles  # type: ignore[union-attr]
    }
    assert docs == {"Item": "One thing.", "Other": "The type's own."}
