"""Simple values at run time (generator/runtime/scalars.py): checked and
written for the wire, read back by XML Schema's lexical rules only."""

from __future__ import annotations

import datetime
import decimal
import enum
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from wsdlbind.runtime import scalars
from wsdlbind.runtime.errors import ValidationError
from wsdlbind.runtime.scalars import (
    _INT,
    _LONG,
    _UNSIGNED_BYTE,
    _append_texts,
    _fmt_bool,
    _fmt_datetime,
    _fmt_decimal,
    _fmt_enum,
    _fmt_float,
    _fmt_int,
    _fmt_list,
    _fmt_str,
    _parse_bool,
    _parse_date,
    _parse_datetime,
    _parse_decimal,
    _parse_float,
    _parse_int,
    _parse_time,
    _same,
    _split_tag,
    _sub,
)


@pytest.mark.parametrize(
    "text", ["1_000", "١٢", "0x10", "", " ", "+", "1.0", "1e3", "--1"]
)
def test_integers_outside_the_lexical_space_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not an integer"):
        _parse_int(text)


@pytest.mark.parametrize(("text", "value"), [("+7", 7), ("-0", 0), (" \n42\t", 42)])
def test_integers_take_a_sign_and_white_space_around(text: str, value: int) -> None:
    assert _parse_int(text) == value


def test_an_integer_out_of_its_types_range_is_refused_both_ways() -> None:
    with pytest.raises(ValueError, match="out of range"):
        _parse_int(str(2**63), _LONG)
    with pytest.raises(ValidationError) as caught:
        _fmt_int(256, "Request", "Level", _UNSIGNED_BYTE)
    assert caught.value.field == "Request.Level"
    assert _fmt_int(-(2**31), "R", "n", _INT) == "-2147483648"


@pytest.mark.parametrize("value", [True, 1.0, "1", None])
def test_only_true_integers_are_written_as_integers(value: object) -> None:
    with pytest.raises(ValidationError, match="expected an integer"):
        _fmt_int(value, "R", "n", _LONG)  # type: ignore[arg-type]


@given(st.integers(-(2**63), 2**63 - 1))
def test_integers_round_trip(value: int) -> None:
    assert _parse_int(_fmt_int(value, "R", "n", _LONG), _LONG) == value


@given(st.floats())
def test_doubles_round_trip_with_the_special_values_spelt_as_xml_schema_does(
    value: float,
) -> None:
    text = _fmt_float(value, "R", "n")
    assert re.fullmatch(r"-?INF|NaN|" + scalars._FLOAT_TEXT, text)
    back = _parse_float(text)
    assert (math.isnan(back) and math.isnan(value)) or back == value


@pytest.mark.parametrize("text", ["infinity", "nan", "1_0", "inf", "1.5f", "٣"])
def test_doubles_outside_the_lexical_space_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        _parse_float(text)


def test_decimals_are_written_without_an_exponent() -> None:
    assert _fmt_decimal(decimal.Decimal("1E+3"), "R", "n") == "1000"
    assert _fmt_decimal(5, "R", "n") == "5"
    assert _parse_decimal(" .5 ") == decimal.Decimal("0.5")
    with pytest.raises(ValueError):
        _parse_decimal("1e3")


def test_booleans_are_the_four_spellings_xml_schema_has() -> None:
    assert [_parse_bool(t) for t in ("true", "1", " false ", "0")] == [
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(ValueError):
        _parse_bool("yes")
    with pytest.raises(ValidationError):
        _fmt_bool(1, "R", "n")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "20260101T101010Z",  # ISO 8601's basic format
        "2026-01-01 10:10:10",  # a space for the T
        "2026-01-01T10",  # hours alone
        "2026-01-01T10:10:10,5",  # a comma before the fraction
        "2026-01-01T10:10:10+14:01",  # past the farthest zone
        "2026-01-01T10:10:10-15:00",
        "2026-01-01T24:00:01",  # 24 only as 24:00:00
    ],
)
def test_datetimes_in_iso_forms_xml_schema_lacks_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an xs:dateTime"):
        _parse_datetime(text)


def test_dates_and_times_read_with_their_zones() -> None:
    assert _parse_datetime("2026-12-01T10:00:00.5+02:00") == datetime.datetime(
        2026, 12, 1, 8, 0, 0, 500000, tzinfo=datetime.UTC
    )
    assert _parse_date("2026-12-01Z") == datetime.date(2026, 12, 1)
    assert _parse_time("23:59:59") == datetime.time(23, 59, 59)


def test_utc_is_written_as_z() -> None:
    moment = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)
    assert _fmt_datetime(moment, "R", "n") == "2026-12-01T10:00:00Z"


def test_string_facets_name_the_field_and_the_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        _fmt_str("abc", "Request", "Code", re.compile("[0-9]+"))
    assert caught.value.field == "Request.Code"
    assert "does not match the pattern" in caught.value.rule
    with pytest.raises(ValidationError, match="longer than 2"):
        _fmt_str("abc", "R", "n", None, None, 2)


class _Color(enum.Enum):
    RED = "red"


def test_enumerations_take_members_or_their_values() -> None:
    assert _fmt_enum(_Color.RED, "R", "n", _Color) == "red"
    assert _fmt_enum("red", "R", "n", _Color) == "red"
    with pytest.raises(ValidationError, match="is not one of: red"):
        _fmt_enum("blue", "R", "n", _Color)


def test_list_items_may_not_hold_spaces() -> None:
    assert _fmt_list(["a", "b"], "R", "n", _fmt_str) == "a b"
    with pytest.raises(ValidationError, match="without spaces"):
        _fmt_list(["a b"], "R", "n", _fmt_str)


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8")), max_size=80))
def test_many_children_made_at_once_are_the_children_made_one_by_one(
    texts: list[str],
) -> None:
    """``_append_texts`` builds 32 or more children from one string: the XML is
    that of one ``SubElement`` per text, or the error lxml gives for those."""
    one_by_one = etree.Element("r")
    try:
        for text in texts:
            etree.SubElement(one_by_one, "{urn:x}item").text = text
    except ValueError:
        with pytest.raises(ValueError):
            _append_texts(etree.Element("r"), "{urn:x}item", texts)
        return
    at_once = etree.Element("r")
    _append_texts(at_once, "{urn:x}item", texts)
    assert [c.text or "" for c in at_once] == [c.text or "" for c in one_by_one]
    assert {c.tag for c in at_once} <= {"{urn:x}item"}


def test_elements_are_made_under_the_prefix_the_module_gives_their_namespace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scalars, "_MODEL_PREFIXES", {"urn:x": "w0"})
    monkeypatch.setattr(scalars, "_MODELS", {})
    parent = etree.Element("r")
    child = _sub(parent, "{urn:x}a")
    assert child.prefix == "w0" and child.getparent() is parent
    assert _split_tag("{urn:x}a") == ("urn:x", "a") and _split_tag("a") == ("", "a")


def test_elements_compare_by_their_canonical_form() -> None:
    a = etree.fromstring('<a xmlns="urn:x" b="1" c="2"/>')
    b = etree.fromstring("<a c='2' xmlns='urn:x' b='1'></a>")
    assert _same([a], [b]) and not _same(a, etree.fromstring("<a/>"))


def test_midnight_may_be_spelt_24_00_00_at_the_end_of_a_day() -> None:
    assert _parse_datetime("2026-12-31T24:00:00Z") == datetime.datetime(
        2027, 1, 1, tzinfo=datetime.UTC
    )
    assert _parse_time("24:00:00.000") == datetime.time(0)
    assert _parse_datetime("2026-01-01T00:00:00+14:00").utcoffset() == (
        datetime.timedelta(hours=14)
    )
