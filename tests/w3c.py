"""The W3C XML Schema test suite's data-binding areas, as a data binding tool
takes them (``../shared/w3c-xsdtests``, its README says how to read it).

For a valid schema with a valid instance, wsdlbind is conformant when it
reads the instance into its objects and writes them back as a document that
is valid against the schema and equal to the instance (canonical XML,
prefixes aside). wsdlbind generates from WSDL, so each test's schemas are
imported by a small WSDL with one operation, whose message is the instance's
root element. Tests whose schemas libxml2 cannot compile, or whose instance
it rejects, are left out (``skipped``), as the suite's README asks.

``tests/test_w3c.py`` runs a fixed sample; ``bench/w3c.py`` all of them.
"""

from __future__ import annotations

import copy
import decimal
import itertools
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from wsdlbind import pipeline
from wsdlbind.errors import WsdlbindError

from tests.conftest import import_path

_SUITE = "{http://www.w3.org/XML/2004/xml-schema-test-suite/}"
_HREF = "{http://www.w3.org/1999/xlink}href"
XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_numbers = itertools.count()


@dataclass(frozen=True)
class W3cTest:
    area: str  # the test set: Particles, ComplexType...
    name: str  # the instance test's name
    schemas: tuple[Path, ...]
    instance: Path


@dataclass
class Outcome:
    status: str  # pass, skipped, or the stage that failed
    detail: str = ""


def valid_tests(root: Path) -> list[W3cTest]:
    """Every instance test expected valid, of a schema test expected valid
    (under XML Schema 1.0), in the suite's order."""
    found = []
    for test_set in sorted((root / "msMeta").glob("*_w3c.xml")):
        area = test_set.name.removesuffix("_w3c.xml")
        document = etree.parse(str(test_set))
        for group in document.iter(f"{_SUITE}testGroup"):
            schema_test = group.find(f"{_SUITE}schemaTest")
            if schema_test is None or not _expected_valid(schema_test):
                continue
            schemas = tuple(
                (test_set.parent / d.get(_HREF, "")).resolve()
                for d in schema_test.iterfind(f"{_SUITE}schemaDocument")
            )
            for instance_test in group.iterfind(f"{_SUITE}instanceTest"):
                if not _expected_valid(instance_test):
                    continue
                document_ref = instance_test.find(f"{_SUITE}instanceDocument")
                assert document_ref is not None
                instance = (test_set.parent / document_ref.get(_HREF, "")).resolve()
                found.append(
                    W3cTest(area, instance_test.get("name", ""), schemas, instance)
                )
    return found


def _expected_valid(test: etree._Element) -> bool:
    verdicts = [
        e.get("validity")
        for e in test.iterfind(f"{_SUITE}expected")
        if e.get("version") in (None, "1.0")
    ]
    return "valid" in verdicts


def run(test: W3cTest, folder: Path) -> Outcome:
    """Read the instance with a generated module, write it back, compare."""
    folder = folder / f"w3c{next(_numbers)}"
    folder.mkdir()
    try:
        schema = _compile(test, folder)
        instance = etree.parse(str(test.instance)).getroot()
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        return Outcome("skipped", f"libxml2 cannot read the schema or instance: {exc}")
    if not schema.validate(instance):
        return Outcome("skipped", f"libxml2 rejects the instance: {schema.error_log}")
    wsdl = folder / "test.wsdl"
    wsdl.write_text(_wsdl(test, etree.QName(instance)), encoding="utf-8")
    try:
        result = pipeline.generate(str(wsdl), offline=True)
    except WsdlbindError as exc:
        return Outcome("generate", exc.format_message())
    except Exception:  # a traceback is a failure of its own kind
        return Outcome("crash", traceback.format_exc(limit=-3))
    module_path = folder / "binding.py"
    module_path.write_text(result.code, encoding="utf-8")
    try:
        module = import_path(module_path)
    except Exception:
        return Outcome("import", traceback.format_exc(limit=-2))
    cls = getattr(module, result.project.element(_root_name(instance)).py_name)
    try:
        value = module.parse(cls, copy.deepcopy(instance), strict=True)
    except Exception as exc:
        return Outcome("read", f"{type(exc).__name__}: {exc}")
    try:
        written = module.serialize(value, tag=instance.tag)
    except Exception as exc:
        return Outcome("write", f"{type(exc).__name__}: {exc}\n{value!r}")
    again = etree.fromstring(etree.tostring(written))
    if not schema.validate(again):
        return Outcome(
            "invalid",
            f"{schema.error_log.last_error}\n{etree.tostring(again).decode()}",
        )
    defaults = _defaults(result.project)
    ours, theirs = canonical(again), canonical(instance, defaults)
    if ours == theirs:
        return Outcome("pass")
    if canonical(again, values=True) == canonical(instance, defaults, values=True):
        return Outcome("values", f"ours:   {ours}\ntheirs: {theirs}")
    return Outcome("differs", f"ours:   {ours}\ntheirs: {theirs}")


def _defaults(project: Any) -> dict[str, str]:
    """The default (or fixed) value of each element that has one, by tag: an
    empty element has that value, as the schema gives it."""
    try:
        from wsdlbind.model import ComplexType, ElementParticle, walk
    except ImportError:  # an older generator's model (bench/w3c.py --before)
        return {}

    found: dict[str, str] = {}
    decls = list(project.elements.values())
    for typedef in project.types.values():
        if isinstance(typedef, ComplexType):
            decls += [
                p.decl for p in walk(typedef.content) if isinstance(p, ElementParticle)
            ]
    for decl in decls:
        value = decl.default if decl.default is not None else decl.fixed
        if value is not None:
            found[str(decl.name)] = value
    return found


def _root_name(instance: etree._Element) -> object:
    from wsdlbind.model import QName

    tag = etree.QName(instance)
    return QName(tag.namespace or "", tag.localname)


def canonical(
    element: etree._Element,
    defaults: dict[str, str] | None = None,
    *,
    values: bool = False,
) -> str:
    """The document as a data binding keeps it: canonical XML, prefixes aside
    (in xsi:type values too), without comments, processing instructions, white
    space between elements and the xsi:schemaLocation hints; an empty element
    with a default (``defaults``, by tag) holds it. With ``values``, texts are
    compared as values (``1E2`` is ``100.0``, ``1`` is ``true``): the measure
    of a binding that keeps values, not their spelling."""
    tree = copy.deepcopy(element)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):  # comments and processing instructions
            parent = el.getparent()
            if parent is not None:
                tail = el.tail
                previous = el.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + (tail or "")
                else:
                    parent.text = (parent.text or "") + (tail or "")
                parent.remove(el)
    for el in tree.iter():
        for name in ("schemaLocation", "noNamespaceSchemaLocation"):
            el.attrib.pop(f"{{{XSI}}}{name}", None)
        xsi_type = el.get(f"{{{XSI}}}type")
        if xsi_type is not None:
            prefix, _, local = xsi_type.strip().rpartition(":")
            el.set(f"{{{XSI}}}type", f"{{{el.nsmap.get(prefix or None, '')}}}{local}")
        if defaults and len(el) == 0 and not (el.text or "").strip():
            if str(el.tag) in defaults and el.get(f"{{{XSI}}}nil") is None:
                el.text = defaults[str(el.tag)]
        if values:
            if el.text is not None and len(el) == 0:
                el.text = _value(el.text)
            for key, text in el.attrib.items():
                el.set(key, _value(text))
        # White space alone is layout (between elements, or in an empty one);
        # a text of white space only is taken for layout too.
        if el.text is not None and not el.text.strip():
            el.text = None
        for child in el:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    return etree.canonicalize(tree, rewrite_prefixes=True)


def _value(text: str) -> str:
    """A text as the value it may spell: a number, a boolean, hex digits."""
    stripped = " ".join(text.split())
    if stripped in ("true", "false"):
        return stripped
    try:
        number = decimal.Decimal(stripped.replace("INF", "Infinity"))
    except decimal.InvalidOperation:
        return stripped.upper() if _HEX.fullmatch(stripped) else stripped
    return "0" if number == 0 else str(number.normalize())


_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def _compile(test: W3cTest, folder: Path) -> etree.XMLSchema:
    """The test's schemas in one, as lxml compiles them."""
    top = etree.Element(f"{{{XSD}}}schema", nsmap={"xs": XSD})
    for path in test.schemas:
        namespace = etree.parse(str(path)).getroot().get("targetNamespace")
        if namespace:
            etree.SubElement(
                top,
                f"{{{XSD}}}import",
                namespace=namespace,
                schemaLocation=path.as_uri(),
            )
        else:
            etree.SubElement(top, f"{{{XSD}}}include", schemaLocation=path.as_uri())
    path = folder / "all.xsd"
    etree.ElementTree(top).write(str(path))
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def _wsdl(test: W3cTest, root: etree.QName) -> str:
    imports = []
    for path in test.schemas:
        namespace = etree.parse(str(path)).getroot().get("targetNamespace")
        attribute = f' namespace="{namespace}"' if namespace else ""
        imports.append(f'<xs:import{attribute} schemaLocation="{path.as_uri()}"/>')
    if root.namespace:
        part = f'<w:part name="p" element="r:{root.localname}" xmlns:r="{root.namespace}"/>'
    else:  # no default namespace is in scope: the name has no namespace
        part = f'<w:part name="p" element="{root.localname}"/>'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:t="urn:wsdlbind:w3c" targetNamespace="urn:wsdlbind:w3c">
  <w:types><xs:schema targetNamespace="urn:wsdlbind:w3c">{"".join(imports)}</xs:schema></w:types>
  <w:message name="In">{part}</w:message>
  <w:portType name="P"><w:operation name="Read"><w:input message="t:In"/></w:operation></w:portType>
  <w:binding name="B" type="t:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <w:operation name="Read"><soap:operation soapAction="read"/>
      <w:input><soap:body use="literal"/></w:input></w:operation>
  </w:binding>
  <w:service name="S"><w:port name="Port" binding="t:B">
    <soap:address location="http://127.0.0.1:9/"/></w:port></w:service>
</w:definitions>
"""


def areas(tests: list[W3cTest]) -> Iterator[str]:
    return iter(sorted({t.area for t in tests}))
