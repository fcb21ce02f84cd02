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
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from wsdlbind.load import WELL_KNOWN_ADDRESSES, WELL_KNOWN_DIR, LoadedWsdl

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
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
    for number, wrapper_schema in enumerate(_rpc_schemas(loaded)):
        schemas.append(("", wrapper_schema, f"rpc{number}.xsd"))
    file_of = {uri: name for uri, _, name in schemas if uri}

    # Every document with its own target namespace goes in its namespace's
    # wrapper (libxml2 reads a file included twice once); a chameleon (no
    # targetNamespace) only through the includes that give it one.
    by_namespace: dict[str, list[str]] = {}
    for _, schema, name in schemas:
        if schema.get("targetNamespace") is not None or not _is_included(
            name, schemas, file_of
        ):
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


def _rpc_schemas(loaded: LoadedWsdl) -> list[etree._Element]:
    """What rpc style means, as schemas: per rpc operation an element named after
    it (and one + "Response") in the soap:body namespace, holding an unqualified
    element per body part, of the part's type. Read from the WSDLs here, apart
    from wsdlbind's own reading of them."""
    made: dict[tuple[str, str], etree._Element] = {}
    for doc in loaded.documents:
        if doc.kind == "wsdl":
            for namespace, name, message, wanted in _rpc_bodies(
                etree.fromstring(doc.data)
            ):
                if (namespace, name) not in made:
                    made[namespace, name] = _wrapper_schema(
                        namespace, name, message, wanted
                    )
    return list(made.values())


def _rpc_bodies(
    root: etree._Element,
) -> Iterator[tuple[str, str, etree._Element, list[str] | None]]:
    """(namespace, wrapper name, message, body part names) of rpc operations."""
    tns = root.get("targetNamespace", "")
    messages = {m.get("name"): m for m in root.iterfind(f"{{{WSDL}}}message")}
    port_types = {p.get("name"): p for p in root.iterfind(f"{{{WSDL}}}portType")}
    for binding in root.iterfind(f"{{{WSDL}}}binding"):
        soap = _soap_child(binding, "binding")
        port_type = port_types.get(_local(binding.get("type", "")))
        if soap is None or port_type is None:
            continue
        for op in binding.iterfind(f"{{{WSDL}}}operation"):
            soap_op = _soap_child(op, "operation")
            style = soap_op.get("style") if soap_op is not None else None
            if (style or soap.get("style", "document")) != "rpc":
                continue
            abstract = port_type.find(f"{{{WSDL}}}operation[@name='{op.get('name')}']")
            for side, suffix in (("input", ""), ("output", "Response")):
                bound = op.find(f"{{{WSDL}}}{side}")
                ref = (
                    abstract.find(f"{{{WSDL}}}{side}") if abstract is not None else None
                )
                body = _soap_child(bound, "body") if bound is not None else None
                if body is None or ref is None:
                    continue
                message = messages[_local(ref.get("message", ""))]
                parts = body.get("parts")
                yield (
                    body.get("namespace") or tns,
                    op.get("name", "") + suffix,
                    message,
                    parts.split() if parts is not None else None,
                )


def _wrapper_schema(
    namespace: str, name: str, message: etree._Element, wanted: list[str] | None
) -> etree._Element:
    schema = etree.Element(
        f"{{{XSD}}}schema", nsmap=message.nsmap, targetNamespace=namespace
    )
    element = etree.SubElement(schema, f"{{{XSD}}}element", name=name)
    content = etree.SubElement(element, f"{{{XSD}}}complexType")
    sequence = etree.SubElement(content, f"{{{XSD}}}sequence")
    # soapenv:encodingStyle on the wrapper, for rpc/encoded
    etree.SubElement(content, f"{{{XSD}}}anyAttribute", processContents="skip")
    imported: set[str] = set()
    for part in message.iterfind(f"{{{WSDL}}}part"):
        if wanted is not None and part.get("name") not in wanted:
            continue
        if part.get("element"):
            reference = {"ref": part.get("element", "")}
        else:
            reference = {"name": part.get("name", ""), "type": part.get("type", "")}
        prefix = (reference.get("ref") or reference["type"]).rpartition(":")[0]
        imported.add(message.nsmap.get(prefix or None, ""))
        etree.SubElement(sequence, f"{{{XSD}}}element", reference)
    for ns in sorted(imported - {XSD, namespace}):
        schema.insert(0, etree.Element(f"{{{XSD}}}import", namespace=ns))
    return schema


def _soap_child(parent: etree._Element, local: str) -> etree._Element | None:
    """A SOAP 1.1 or 1.2 binding extension element ``local`` under ``parent``."""
    for namespace in (SOAP11, SOAP12):
        found = parent.find(f"{{{namespace}}}{local}")
        if found is not None:
            return found
    return None


def _local(prefixed: str) -> str:
    return prefixed.rpartition(":")[2]


def _is_included(
    name: str, schemas: list[tuple[str, etree._Element, str]], file_of: dict[str, str]
) -> bool:
    return any(
        file_of.get(_resolve(uri, ref.get("schemaLocation", ""))) == name
        for uri, schema, _ in schemas
        for ref in (
            *schema.iterfind(f"{{{XSD}}}include"),
            *schema.iterfind(f"{{{XSD}}}redefine"),
        )
    )


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


class Validator:
    """A WSDL's schemas as lxml compiles them, with a second opinion.

    libxml2 refuses some valid content under nested groups that repeat with
    counts (minOccurs="2" maxOccurs="4" inside a repeated choice): where it
    refuses, the pure-Python ``xmlschema`` package, an independent XSD 1.0
    validator, is asked too, and the element is valid if it accepts. Each such
    disagreement is counted.
    """

    def __init__(self, loaded: LoadedWsdl, folder: Path) -> None:
        self.lxml = compile_schema(loaded, folder)
        self.path = folder / "all.xsd"
        self._other: Any = None
        self.disagreements = 0

    def check(self, element: etree._Element) -> str | None:
        """None if ``element`` is valid, else why not."""
        if self.lxml.validate(element):
            return None
        error = str(self.lxml.error_log.last_error)
        if self._other is None:
            import xmlschema

            self._other = xmlschema.XMLSchema10(str(self.path))
        if self._other.is_valid(element):
            self.disagreements += 1
            return None
        return error
