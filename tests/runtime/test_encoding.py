"""SOAP encoding at run time (generator/runtime/encoding.py): multi-reference
values put back in place, within bounds."""

from __future__ import annotations

import pytest
from lxml import etree
from wsdlbind.runtime.encoding import _MULTIREF_FACTOR, _inline_multirefs, _soap_array
from wsdlbind.runtime.errors import ResponseError


def _body(xml: str) -> etree._Element:
    return etree.fromstring(f"<Body>{xml}</Body>")


def test_a_shared_value_is_copied_where_each_reference_points() -> None:
    body = _body(
        '<r><a href="#1"/><b href="#1"/></r>'
        '<m id="1" kind="x"><name>n</name><inner href="#2"/></m><m id="2">7</m>'
    )
    _inline_multirefs(body[0], body, 10**6)
    for el in body[0]:
        assert el.get("href") is None and el.get("kind") == "x"
        assert el.findtext("name") == "n" and el.findtext("inner") == "7"
        assert el.get("id") is None


def test_a_reference_to_nothing_is_an_error() -> None:
    body = _body('<r><a href="#9"/></r><m id="1"/>')
    with pytest.raises(ResponseError, match="refers to #9"):
        _inline_multirefs(body[0], body, 10**6)


def test_references_in_a_cycle_are_refused() -> None:
    body = _body(
        '<r><a href="#1"/></r><m id="1"><x href="#2"/></m><m id="2"><y href="#1"/></m>'
    )
    with pytest.raises(ResponseError, match="cycle"):
        _inline_multirefs(body[0], body, 10**6)


def test_values_that_double_at_each_level_are_refused_before_they_grow() -> None:
    levels = 24  # inlined in full: 2**24 elements
    chain = "".join(
        f'<m id="{i}"><a href="#{i + 1}"/><b href="#{i + 1}"/></m>'
        for i in range(levels)
    )
    body = _body(f'<r><v href="#0"/></r>{chain}<m id="{levels}">x</m>')
    elements = sum(1 for _ in body.iter())
    with pytest.raises(ResponseError, match=f"{_MULTIREF_FACTOR} times"):
        _inline_multirefs(body[0], body, 10**6)
    assert sum(1 for _ in body.iter()) <= (_MULTIREF_FACTOR + 1) * elements


def test_an_array_names_its_item_type_and_count() -> None:
    parent = etree.Element("p")
    array = _soap_array(parent, "items", "urn:t", "Item", 3)
    enc = "{http://schemas.xmlsoap.org/soap/encoding/}"
    assert array.get(enc + "arrayType") == "xt:Item[3]"
    assert array.nsmap["xt"] == "urn:t"


def test_inlined_values_stay_within_the_answers_element_limit() -> None:
    chain = "".join(f'<m id="{i}"><a href="#{i + 1}"/></m>' for i in range(5))
    body = _body(f'<r><v href="#0"/><w href="#0"/></r>{chain}<m id="5">x</m>')
    own = sum(1 for _ in body.iter())
    with pytest.raises(ResponseError, match=f"more than {own + 5:,} in all"):
        _inline_multirefs(body[0], body, own + 5)
    _inline_multirefs(body[0], body, own + 100)
    assert body[0][1].findtext("a/a/a/a/a") == "x"
