"""Schema features real WSDLs use, one behaviour each, from small inline WSDLs.

Each test generates a client, builds a request, checks the element validates
against the same schema compiled by lxml, and reads it back to an equal value.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree
from wsdlbind import load

from tests import inline
from tests.schemas import compile_schema

Generate = Callable[[Path], ModuleType]
Write = Callable[..., Path]


Client = Callable[..., tuple[ModuleType, Path]]


@pytest.fixture
def client(write_wsdl: Write, generate_module: Generate) -> Client:
    """Generate a client whose one operation sends ``Request`` from ``schema``;
    ``files`` are more documents beside the WSDL. Returns it and the WSDL."""

    def generate(schema: str, **files: str) -> tuple[ModuleType, Path]:
        path = write_wsdl(
            f__wsdl=inline.wsdl(
                schema, [("Send", "Request", None)], soap=inline.SOAP11
            ),
            **files,
        )
        return generate_module(path), path

    return generate


def proven(
    module: ModuleType, wsdl: Path, request: Any, tmp_path: Path
) -> etree._Element:
    """``request`` on the wire: valid for lxml, and read back equal."""
    element = module.serialize(request)
    schema = compile_schema(load.load(str(wsdl), offline=True), tmp_path)
    schema.assertValid(element)
    again = module.parse(
        type(request), etree.fromstring(etree.tostring(element)), strict=True
    )
    assert again == request
    return element


def test_substitution_group_members_travel_under_their_own_names(
    client: Client, tmp_path: Path
) -> None:
    module, wsdl = client(
        """
      <xs:element name="Shape" type="t:ShapeType" abstract="true"/>
      <xs:complexType name="ShapeType"><xs:sequence>
        <xs:element name="Label" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="Circle" substitutionGroup="t:Shape"><xs:complexType>
        <xs:complexContent><xs:extension base="t:ShapeType"><xs:sequence>
          <xs:element name="Radius" type="xs:int"/></xs:sequence></xs:extension>
        </xs:complexContent></xs:complexType></xs:element>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element ref="t:Shape" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
    """,
    )
    request = module.Request(Circle=[module.Circle(Label="c", Radius=2)])
    element = proven(module, wsdl, request, tmp_path)
    assert element[0].tag == "{urn:test}Circle"


def test_group_and_attribute_group_are_inlined(client: Client, tmp_path: Path) -> None:
    module, wsdl = client(
        """
      <xs:group name="Names"><xs:sequence>
        <xs:element name="First" type="xs:string"/>
        <xs:element name="Last" type="xs:string"/></xs:sequence></xs:group>
      <xs:attributeGroup name="Audit">
        <xs:attribute name="by" type="xs:string"/>
        <xs:attribute name="at" type="xs:dateTime"/></xs:attributeGroup>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:group ref="t:Names"/><xs:element name="Age" type="xs:int"/></xs:sequence>
        <xs:attributeGroup ref="t:Audit"/></xs:complexType></xs:element>
    """,
    )
    request = module.Request(First="Ada", Last="Lovelace", Age=36, by="me")
    element = proven(module, wsdl, request, tmp_path)
    assert [etree.QName(e).localname for e in element] == ["First", "Last", "Age"]
    assert element.get("by") == "me"


def test_union_and_list_types_are_text_on_the_wire(
    client: Client, tmp_path: Path
) -> None:
    module, wsdl = client(
        """
      <xs:simpleType name="Size"><xs:union memberTypes="xs:int">
        <xs:simpleType><xs:restriction base="xs:string">
          <xs:enumeration value="auto"/></xs:restriction></xs:simpleType>
      </xs:union></xs:simpleType>
      <xs:simpleType name="Ints"><xs:list itemType="xs:int"/></xs:simpleType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Width" type="t:Size"/>
        <xs:element name="Codes" type="t:Ints"/></xs:sequence></xs:complexType></xs:element>
    """,
    )
    request = module.Request(Width="auto", Codes=[1, 2, 3])
    element = proven(module, wsdl, request, tmp_path)
    assert [e.text for e in element] == ["auto", "1 2 3"]


def test_recursive_types_nest(client: Client, tmp_path: Path) -> None:
    module, wsdl = client(
        """
      <xs:complexType name="Node"><xs:sequence>
        <xs:element name="Name" type="xs:string"/>
        <xs:element name="Child" type="t:Node" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Root" type="t:Node"/></xs:sequence></xs:complexType></xs:element>
    """,
    )
    tree = module.Node(
        Name="a", Child=[module.Node(Name="b", Child=[module.Node(Name="c")])]
    )
    element = proven(module, wsdl, module.Request(Root=tree), tmp_path)
    assert element[0][1][1][0].text == "c"


def test_any_elements_are_kept_not_dropped(client: Client, tmp_path: Path) -> None:
    module, wsdl = client(
        """
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Kind" type="xs:string"/>
        <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType></xs:element>
    """,
    )
    extra = etree.fromstring('<x:Note xmlns:x="urn:other">kept</x:Note>')
    fields = {name: [extra] for name in module.Request._fields if name != "Kind"}
    request = module.Request(Kind="k", **fields)
    element = proven(module, wsdl, request, tmp_path)
    assert element[1].tag == "{urn:other}Note" and element[1].text == "kept"


def test_mixed_content_keeps_its_text(client: Client, tmp_path: Path) -> None:
    module, wsdl = client(
        """
      <xs:element name="Request"><xs:complexType mixed="true"><xs:sequence>
        <xs:element name="b" type="xs:string" minOccurs="0"/></xs:sequence>
      </xs:complexType></xs:element>
    """,
    )
    source = etree.fromstring(
        '<Request xmlns="urn:test">Hello <b>you</b> there</Request>'
    )
    request = module.parse(module.Request, source, strict=True)
    # The child elements are typed fields as elsewhere; the text around them
    # is kept in order: before the first child, then after each.
    assert request.b == "you" and request.text == ["Hello ", " there"]
    again = module.serialize(request)
    same = etree.canonicalize(again, rewrite_prefixes=True)
    assert same == etree.canonicalize(source, rewrite_prefixes=True)
    alone = module.serialize(module.Request(text=["just text"]))  # text alone
    assert alone.text == "just text" and len(alone) == 0
    with pytest.raises(module.ValidationError, match="at most one more"):
        module.serialize(module.Request(text=["a", "b"]))  # nothing to follow


def test_xml_named_wsdl_extensionless_schemas_include_cycle_and_xml_lang(
    write_wsdl: Write, generate_module: Generate, tmp_path: Path
) -> None:
    """A .xml WSDL importing a schema file with no extension, whose include
    cycle closes on itself, using xml:lang from a namespace-only import (the
    bundled xml.xsd answers it: nothing is downloaded)."""
    head = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:test" targetNamespace="urn:test" elementFormDefault="qualified">'
    wsdl = inline.wsdl(
        '<xs:import namespace="urn:types" schemaLocation="types"/>',
        [("Send", "Request", None)],
    ).replace(
        '<message name="SendIn"><part name="p" element="t:Request"/>',
        '<message name="SendIn"><part name="p" element="u:Request" xmlns:u="urn:types"/>',
    )
    types = (
        head.replace("urn:test", "urn:types")
        + """
      <xs:include schemaLocation="more"/>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Text" type="t:Text"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>"""
    )
    more = (
        head.replace("urn:test", "urn:types")
        + """
      <xs:import namespace="http://www.w3.org/XML/1998/namespace"/>
      <xs:include schemaLocation="types"/>
      <xs:complexType name="Text"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute ref="xml:lang"/></xs:extension></xs:simpleContent></xs:complexType>
    </xs:schema>"""
    )
    path = write_wsdl(service__xml=wsdl, types=types, more=more)
    module = generate_module(path)
    request = module.Request(Text=module.Text("bonjour", lang="fr"))
    element = proven(module, path, request, tmp_path)
    assert element[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_a_local_type_named_like_a_global_element_keeps_its_own_fields(
    client: Client, tmp_path: Path
) -> None:
    """Travelport: a local Commission inside MCOPriceData, and a global one."""
    module, wsdl = client(
        """
      <xs:element name="Commission"><xs:complexType>
        <xs:attribute name="Level" type="xs:string" use="required"/></xs:complexType>
      </xs:element>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element ref="t:Commission"/>
        <xs:element name="Price"><xs:complexType><xs:sequence>
          <xs:element name="Commission"><xs:complexType>
            <xs:attribute name="Amount" type="xs:int"/></xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
      </xs:sequence></xs:complexType></xs:element>
    """,
    )
    request = module.Request(
        Commission=module.Commission(Level="agency"),
        Price=module.Price(Commission=module.Commission_2(Amount=5)),
    )
    element = proven(module, wsdl, request, tmp_path)
    assert element[0].get("Level") == "agency" and element[1][0].get("Amount") == "5"


def test_required_wildcards_and_any_type_elements_must_be_given(
    client: Client, tmp_path: Path
) -> None:
    """EPCIS: xs:any and anyType elements default to minOccurs 1, which xsdata
    reads as 0."""
    module, wsdl = client(
        """
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="value" type="xs:anyType"/>
        <xs:any namespace="##other" processContents="lax"/>
      </xs:sequence></xs:complexType></xs:element>
    """,
    )
    wildcard = next(name for name in module.Request._fields if name != "value")
    with pytest.raises(module.ValidationError, match="needs at least 1 element"):
        module.serialize(module.Request(value="x", **{wildcard: []}))
    extra = etree.fromstring('<o:Extra xmlns:o="urn:other"/>')
    proven(module, wsdl, module.Request(value="x", **{wildcard: [extra]}), tmp_path)
    with pytest.raises(TypeError):
        module.Request(**{wildcard: [extra]})  # value is required


def test_a_choice_member_keeps_its_own_minimum(client: Client, tmp_path: Path) -> None:
    """Travelport's GroupedOptionInfo: a choice of one element, 2 to 999 times."""
    module, wsdl = client(
        """
      <xs:element name="Request"><xs:complexType><xs:choice>
        <xs:element name="Option" type="xs:string" minOccurs="2" maxOccurs="999"/>
        <xs:element name="None" type="xs:boolean"/>
      </xs:choice></xs:complexType></xs:element>
    """,
    )
    with pytest.raises(module.ValidationError, match="needs at least 2 item"):
        module.serialize(module.Request(Option=["a"]))
    proven(module, wsdl, module.Request(Option=["a", "b"]), tmp_path)


def test_a_prefix_declared_on_an_inner_element_resolves_there(
    client: Client, tmp_path: Path
) -> None:
    """Bing Ads: xmlns:q15 is declared on xs:extension, next to base="q15:..."
    (xsdata alone would look the prefix up at the xs:schema element)."""
    module, wsdl = client(
        """
      <xs:import namespace="urn:faults" schemaLocation="faults.xsd"/>
      <xs:complexType name="Detail"><xs:complexContent>
        <xs:extension xmlns:q15="urn:faults" base="q15:ApplicationFault">
          <xs:sequence><xs:element name="Code" type="xs:int"/></xs:sequence>
        </xs:extension></xs:complexContent></xs:complexType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Detail" type="t:Detail"/></xs:sequence></xs:complexType></xs:element>
    """,
        faults__xsd="""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
          targetNamespace="urn:faults" elementFormDefault="qualified">
          <xs:complexType name="ApplicationFault"><xs:sequence>
            <xs:element name="TrackingId" type="xs:string"/></xs:sequence></xs:complexType>
        </xs:schema>""",
    )
    request = module.Request(Detail=module.Detail(TrackingId="t-1", Code=7))
    element = proven(module, wsdl, request, tmp_path)
    assert element[0][0].tag == "{urn:faults}TrackingId"


def test_a_choice_inside_a_choice_is_more_branches_of_it(
    client: Client, tmp_path: Path
) -> None:
    """Travelport's FormOfPayment: a choice whose last branch is a group that
    is itself a choice. Exactly one element of either may be given."""
    module, wsdl = client(
        """
      <xs:group name="Other"><xs:choice>
        <xs:element name="Check" type="xs:string" minOccurs="0"/>
        <xs:element name="Voucher" type="xs:string" minOccurs="0"/>
      </xs:choice></xs:group>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:choice>
          <xs:element name="Card" type="xs:string" minOccurs="0"/>
          <xs:group ref="t:Other"/>
        </xs:choice>
        <xs:element name="Amount" type="xs:int"/>
      </xs:sequence></xs:complexType></xs:element>
    """
    )
    for given in ({"Card": "visa"}, {"Check": "123"}, {"Voucher": "v"}, {}):
        proven(module, wsdl, module.Request(Amount=1, **given), tmp_path)
    for both in ({"Card": "visa", "Check": "1"}, {"Check": "1", "Voucher": "v"}):
        with pytest.raises(module.ValidationError, match="give exactly one|at most"):
            module.serialize(module.Request(Amount=1, **both))


def test_a_restriction_takes_away_a_prohibited_attribute(
    client: Client, tmp_path: Path
) -> None:
    module, wsdl = client(
        """
      <xs:complexType name="Code"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute name="list" type="xs:string"/>
        <xs:attribute name="version" type="xs:string"/>
      </xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="FixedCode"><xs:simpleContent><xs:restriction base="t:Code">
        <xs:attribute name="version" use="prohibited"/>
      </xs:restriction></xs:simpleContent></xs:complexType>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="Currency" type="t:FixedCode"/></xs:sequence></xs:complexType>
      </xs:element>
    """
    )
    assert "version" not in module.FixedCode._fields
    with pytest.raises(TypeError):
        module.FixedCode("EUR", version="2")
    request = module.Request(Currency=module.FixedCode("EUR", list="ISO 4217"))
    element = proven(module, wsdl, request, tmp_path)
    assert dict(element[0].attrib) == {"list": "ISO 4217"}


def test_content_read_by_matching_still_requires_its_required_attributes(
    client: Client, tmp_path: Path
) -> None:
    """A wildcard after an element makes the reader match children against the
    content model, straight into the object: a required attribute is still
    refused when missing (and typed as always there)."""
    module, wsdl = client(
        """
  <xs:element name="Request"><xs:complexType><xs:sequence>
    <xs:element name="a" type="xs:string"/>
    <xs:any namespace="##any" processContents="lax" minOccurs="0"
            maxOccurs="unbounded"/>
  </xs:sequence>
  <xs:attribute name="token" type="xs:string" use="required"/>
  </xs:complexType></xs:element>"""
    )
    assert "_match_content(_CONTENT_Request" in inspect.getsource(module)
    proven(module, wsdl, module.Request(a="x", token="t1"), tmp_path)
    missing = etree.fromstring('<Request xmlns="urn:test"><a>x</a></Request>')
    with pytest.raises(module.ResponseError, match="lacks its required token"):
        module.parse(module.Request, missing)
