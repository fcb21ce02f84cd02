"""The runtime's content model matcher (generator/runtime/content.py), as the
generated module includes it, on hand-made particle trees."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree
from wsdlbind.runtime import content
from wsdlbind.runtime.content import (
    _Any,
    _Content,
    _Element,
    _Group,
    _match_content,
    _Occurrences,
    _text_reader,
)


def read_text(el: etree._Element, strict: bool) -> Any:
    return el.text


def match(model: _Content, xml: str, **fields: Any) -> SimpleNamespace:
    obj = SimpleNamespace(**fields)
    _match_content(model, etree.fromstring(xml), obj, strict=True)
    return obj


def test_a_repeated_group_is_read_into_one_object_per_occurrence() -> None:
    def blank() -> SimpleNamespace:
        return SimpleNamespace(a=None, b=None)

    inner = _Group(
        "sequence",
        1,
        1,
        (
            _Element(1, 1, "a", "a", False, read_text),
            _Element(0, 1, "b", "b", False, read_text),
        ),
    )
    model = _Content(
        _Group("sequence", 1, 1, (_Occurrences(1, None, "g", True, blank, inner),))
    )
    obj = match(model, "<r><a>1</a><a>2</a><b>3</b></r>", g=[])
    assert [(o.a, o.b) for o in obj.g] == [("1", None), ("2", "3")]


def test_nested_counts_give_back_what_a_later_occurrence_needs() -> None:
    foo = _Group("sequence", 2, 4, (_Element(1, 1, "f", "f", True, read_text),))
    model = _Content(
        _Group(
            "sequence",
            1,
            1,
            (
                _Occurrences(
                    2,
                    4,
                    "g",
                    True,
                    lambda: SimpleNamespace(f=[]),
                    _Group("sequence", 1, 1, (foo,)),
                ),
            ),
        )
    )
    obj = match(model, "<r><f>1</f><f>2</f><f>3</f><f>4</f></r>", g=[])
    assert [o.f for o in obj.g] == [["1", "2"], ["3", "4"]]


def test_a_choice_takes_the_branch_its_first_child_starts() -> None:
    model = _Content(
        _Group(
            "choice",
            1,
            1,
            (
                _Element(1, 1, "a", "a", False, read_text),
                _Element(1, 2, "b", "b", True, read_text),
            ),
        )
    )
    assert match(model, "<r><b>x</b><b>y</b></r>", a=None, b=[]).b == ["x", "y"]


def test_xs_all_takes_its_children_in_any_order() -> None:
    model = _Content(
        _Group(
            "all",
            1,
            1,
            (
                _Element(1, 1, "a", "a", False, read_text),
                _Element(0, 1, "b", "b", False, read_text),
            ),
        )
    )
    obj = match(model, "<r><b>2</b><a>1</a></r>", a=None, b=None)
    assert (obj.a, obj.b) == ("1", "2")


def test_a_wildcard_takes_what_its_namespaces_admit() -> None:
    model = _Content(
        _Group("sequence", 1, 1, (_Any(0, None, "any", None, frozenset({""})),))
    )
    obj = match(model, '<r><x:a xmlns:x="urn:x"/></r>', any=[])
    assert [e.tag for e in obj.any] == ["{urn:x}a"]
    with pytest.raises(content.ResponseError):
        match(model, "<r><local/></r>", any=[])


def test_what_does_not_fit_is_an_error_naming_the_child() -> None:
    model = _Content(
        _Group("sequence", 1, 1, (_Element(1, 1, "a", "a", False, read_text),))
    )
    with pytest.raises(content.ResponseError, match="holds <b>"):
        match(model, "<r><a>1</a><b/></r>", a=None)
    with pytest.raises(content.ResponseError, match="<r> lacks <a> at its end"):
        match(model, "<r/>", a=None)


def test_unknown_children_are_skipped_unless_strict() -> None:
    model = _Content(
        _Group("sequence", 1, 1, (_Element(1, 1, "a", "a", False, read_text),))
    )
    obj = SimpleNamespace(a=None)
    _match_content(model, etree.fromstring("<r><z/><a>1</a></r>"), obj, strict=False)
    assert obj.a == "1"


def test_an_empty_element_reads_its_default() -> None:
    read = _text_reader(int, empty="7")
    assert read(etree.fromstring("<a/>"), False) == 7
    assert read(etree.fromstring("<a>3</a>"), False) == 3


def test_chosen_names_the_branches_and_counts() -> None:
    assert content._chosen("P", "a / b", True, (None,), (1,)) == 1
    assert content._chosen("P", "a / b", False, (None,), ([],)) == -1
    with pytest.raises(
        content.ValidationError, match="exactly one of a / b \\(got 2\\)"
    ):
        content._chosen("P", "a / b", True, (1,), ([2],))


def test_an_optional_content_model_may_be_absent_altogether() -> None:
    """The whole content an optional sequence (minOccurs="0"): an empty element."""
    model = _Content(
        _Group(
            "sequence",
            0,
            1,
            (
                _Element(1, 1, "a", "a", False, read_text),
                _Element(1, 1, "b", "b", False, read_text),
            ),
        )
    )
    assert match(model, "<r/>", a=None, b=None).a is None
    assert match(model, "<r><a>1</a><b>2</b></r>", a=None, b=None).b == "2"
