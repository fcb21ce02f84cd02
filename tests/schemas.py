"""One lxml ``XMLSchema`` for every schema a WSDL loaded: the oracle for requests.

libxml2 compiles one schema document, so the loaded schemas (files and the
ones inline in WSDLs) are written to a folder and joined: one wrapper per
namespace includes that namespace's documents, every ``xs:import`` is pointed
at its namespace's wrapper (imports with no location, and the same namespace
imported from several files, are common in real WSDLs), and a root schema
imports every wrapper. Only local files are read.
"""

from __future__ import annotations

import copy
from pathlib import Path
from urllib.parse import urljoin

from lxml import etree

from generator.load import WELL_KNOWN_ADDRESSES, WELL_KNOWN_DIR, LoadedWsdl

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
_ROOT_NS = "urn:wsdlbind:test:all-schemas"


def compile_schema(loaded: LoadedWsdl, folder: Path) -> etree.XMLSchema:
    """Every schema of ``loaded``, compiled; files are written under ``folder``."""
    # (source uri, schema element standalone, file name)
    schemas: list[tuple[str, etree._Element, str]] = []
    for number, doc in enumerate(loaded.documents):
        root = etree.fromstring(doc.data)
        if doc.kind == "xsd":
            schemas.append((doc.uri, root, f"doc{number}.xsd"))
            continue
        for inline, schema in enumerate(
            root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema")
        ):
            schemas.append((doc.uri, _standalone(schema), f"doc{number}_{inline}.xsd"))
    file_of = {uri: name for uri, _, name in schemas}

    included = {
        file_of.get(_resolve(uri, ref.get("schemaLocation", "")))
        for uri, schema, _ in schemas
        for ref in schema.iterfind(f"{{{XSD}}}include")
    } | {
        file_of.get(_resolve(uri, ref.get("schemaLocation", "")))
        for uri, schema, _ in schemas
        for ref in schema.iterfind(f"{{{XSD}}}redefine")
    }
    by_namespace: dict[str, list[str]] = {}
    for _, schema, name in schemas:
        if name not in included:
            by_namespace.setdefault(schema.get("targetNamespace", ""), []).append(name)
    wrapper = {ns: f"ns{i}.xsd" for i, ns in enumerate(sorted(by_namespace))}

    for uri, schema, name in schemas:
        for ref in schema.iterfind(f"{{{XSD}}}import"):
            target = wrapper.get(ref.get("namespace", ""))
            if target is not None:
                ref.set("schemaLocation", target)
        for ref in (
            *schema.iterfind(f"{{{XSD}}}include"),
            *schema.iterfind(f"{{{XSD}}}redefine"),
        ):
            target = file_of.get(_resolve(uri, ref.get("schemaLocation", "")))
            if target is not None:
                ref.set("schemaLocation", target)
        etree.ElementTree(schema).write(str(folder / name))

    for ns, names in by_namespace.items():
        top = etree.Element(f"{{{XSD}}}schema", nsmap={"xs": XSD})
        if ns:
            top.set("targetNamespace", ns)
        for name in names:
            etree.SubElement(top, f"{{{XSD}}}include", schemaLocation=name)
        etree.ElementTree(top).write(str(folder / wrapper[ns]))

    root = etree.Element(
        f"{{{XSD}}}schema", nsmap={"xs": XSD}, targetNamespace=_ROOT_NS
    )
    for ns, name in wrapper.items():
        attrs = {"schemaLocation": name} | ({"namespace": ns} if ns else {})
        etree.SubElement(root, f"{{{XSD}}}import", attrs)
    path = folder / "all.xsd"
    etree.ElementTree(root).write(str(path))
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def _standalone(schema: etree._Element) -> etree._Element:
    """An inline schema as its own document, keeping the WSDL's prefixes in scope:
    ``type="tns:Foo"`` needs ``tns`` declared, and it often is only on the WSDL root."""
    alone = etree.Element(schema.tag, dict(schema.attrib), nsmap=schema.nsmap)
    for child in schema:
        alone.append(copy.deepcopy(child))
    return alone


def _resolve(base: str, location: str) -> str:
    known = WELL_KNOWN_ADDRESSES.get(location)
    return (WELL_KNOWN_DIR / known).as_uri() if known else urljoin(base, location)
