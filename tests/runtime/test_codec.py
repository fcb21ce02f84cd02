"""Serialization and parsing at run time (generator/runtime/codec.py), driven
by tables like those a generated module defines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from wsdlbind.runtime import codec
from wsdlbind.runtime.codec import (
    _element_bytes,
    _read_poly,
    _write_poly,
    parse,
    serialize,
)
from wsdlbind.runtime.errors import ResponseError, ValidationError
from wsdlbind.runtime.scalars import _sub

_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


class Base:
    def __init__(self, text: str) -> None:
        self.text = text


class Derived(Base):
    pass


def _write(el: etree._Element, obj: Any, path: str) -> None:
    _sub(el, "{urn:t}text").text = obj.text


def _read(el: etree._Element, strict: bool) -> Base:
    return Base(el.findtext("{urn:t}text") or "")


def _read_derived(el: etree._Element, strict: bool) -> Derived:
    return Derived(el.findtext("{urn:t}text") or "")


@pytest.fixture(autouse=True)
def _tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        codec,
        "_CODECS",
        {
            Base: (_write, _read, "{urn:t}Base"),
            Derived: (_write, _read_derived, "{urn:t}Derived"),
        },
    )
    monkeypatch.setattr(codec, "_ELEMENTS", {Base: "{urn:t}Root"})
    monkeypatch.setattr(codec, "_READERS", {"{urn:t}Derived": _read_derived})
    monkeypatch.setattr(
        codec, "_ROOTS", {Base: (_write, "{urn:t}Root", {"ns0": "urn:t"})}
    )


def test_serialize_and_parse_are_inverse() -> None:
    el = serialize(Base("hi"))
    assert el.tag == "{urn:t}Root" and el.findtext("{urn:t}text") == "hi"
    assert parse(Base, el).text == "hi"


def test_a_subclass_is_written_with_xsi_type_and_read_back_as_itself() -> None:
    parent = etree.Element("p")
    _write_poly(parent, "{urn:t}item", Derived("d"), Base, "R")
    item = parent[0]
    assert item.get(_XSI_TYPE) == "xt:Derived" and item.nsmap["xt"] == "urn:t"
    assert type(_read_poly(item, _read, strict=False)) is Derived


def test_an_unknown_xsi_type_reads_as_declared_unless_strict() -> None:
    el = etree.fromstring(
        '<i xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:o="urn:o"'
        ' xsi:type="o:Other"/>'
    )
    assert type(_read_poly(el, _read, strict=False)) is Base
    with pytest.raises(ResponseError, match="unknown xsi:type o:Other"):
        _read_poly(el, _read, strict=True)


def test_a_value_of_the_wrong_type_names_its_path() -> None:
    with pytest.raises(ValidationError, match="R: expected a Base, got str"):
        _write_poly(etree.Element("p"), "{urn:t}item", "text", Base, "R")


def test_a_text_xml_cannot_hold_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="Base: not valid in XML"):
        serialize(Base("bell\x07"))


def test_request_bytes_are_the_same_whatever_came_before() -> None:
    first = _element_bytes(Base("a"))
    _element_bytes(Base("b" * 1000))
    assert _element_bytes(Base("a")) == first
    assert first.startswith(b'<ns0:Root xmlns:ns0="urn:t">')


def test_what_is_not_a_generated_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not a global element's type"):
        serialize(object())
    with pytest.raises(TypeError, match="not a generated type"):
        parse(int, etree.Element("x"))


def test_a_lazy_table_loads_the_module_that_adds_a_missing_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a package's modules fill its tables: the entry appears when its
    module is imported, and looking the name up is what imports it."""
    pkg = tmp_path / "lazypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "tables.py").write_text(
        "from wsdlbind.runtime.codec import _LazyTable\n"
        "READERS = _LazyTable({'{urn:x}A': '_part', '{urn:x}Gone': '_gone'}, __name__)\n"
    )
    (pkg / "_part.py").write_text(
        "from .tables import READERS\nREADERS['{urn:x}A'] = 'the reader of A'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import lazypkg.tables  # type: ignore[import-not-found]

    table = lazypkg.tables.READERS
    assert "lazypkg._part" not in sys.modules and "{urn:x}A" not in table
    assert table.get("{urn:x}A") == "the reader of A"
    assert "lazypkg._part" in sys.modules
    assert table.get("{urn:x}B") is None and table.get("{urn:x}B", 0) == 0
    with pytest.raises(ModuleNotFoundError):  # an index that lies is a bug, shown
        table.get("{urn:x}Gone")
    for name in [m for m in sys.modules if m.startswith("lazypkg")]:
        del sys.modules[name]


def test_an_element_given_as_any_type_keeps_a_name_ascii_cannot_write() -> None:
    """``_copied`` serializes the element to copy it: as ASCII, a name like
    ``Résumé`` cannot be written (a character reference is no name)."""
    from wsdlbind.runtime.values import _write_anytype

    given = etree.Element("{urn:x}Résumé")
    given.text = "été"
    parent = etree.Element("root")
    _write_anytype(parent, "{urn:y}value", given, "value")
    assert parent[0].tag == "{urn:y}value"
    assert parent[0].text == "été"
