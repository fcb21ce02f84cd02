"""Names from a WSDL become safe, distinct, deterministic identifiers."""

from __future__ import annotations

import keyword

from hypothesis import given
from hypothesis import strategies as st

from generator import naming


def test_kept_when_already_a_good_name() -> None:
    assert naming.class_name("CreateContactBatch") == "CreateContactBatch"
    assert naming.field_name("ToNumber") == "ToNumber"


def test_keywords_digits_punctuation_and_non_ascii() -> None:
    assert naming.field_name("class") == "class_"
    assert naming.field_name("match") == "match_"  # soft keyword
    assert naming.field_name("1st") == "_1st"
    assert naming.field_name("first-name.v2") == "first_name_v2"
    assert naming.field_name("Résumé") == "Resume"
    assert naming.field_name("日本") == "value"
    assert naming.field_name("self") == "self_"


def test_class_names_never_shadow_builtins_or_module_names() -> None:
    assert naming.class_name("str") == "str_"
    assert naming.class_name("Exception") == "Exception_"
    assert naming.class_name("Fault") == "Fault_"
    assert naming.class_name("_private") == "private"
    assert naming.class_name("1st") == "T1st_"


def test_enum_members() -> None:
    assert naming.enum_member("in-progress") == "IN_PROGRESS"
    assert naming.enum_member("") == "EMPTY"
    assert naming.enum_member("1st") == "V_1ST"
    assert naming.enum_member("name") == "NAME_"


def test_unique_is_case_insensitive_when_asked() -> None:
    taken: set[str] = set()
    assert naming.unique("Foo", taken, casefold=True) == "Foo"
    assert naming.unique("foo", taken, casefold=True) == "foo_2"
    assert naming.unique("FOO", taken, casefold=True) == "FOO_3"
    assert naming.unique("foo", set()) == "foo"


@given(st.text())
def test_any_text_gives_an_identifier(text: str) -> None:
    for name in (
        naming.field_name(text),
        naming.class_name(text),
        naming.enum_member(text),
    ):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name)
