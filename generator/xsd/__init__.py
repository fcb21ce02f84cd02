"""The one package that calls into xsdata.

xsdata parses each WSDL and XSD document into its dataclass models, keeping
the namespaces in scope at every element and its position in the document.
From those models this package builds wsdlbind's own model
(:mod:`generator.model`): the schema components as XML Schema defines them
(:mod:`.schema`, :mod:`.simple`), and the services, ports and operations of
the WSDL (:mod:`.services`). Nothing outside this package imports xsdata,
whose internals carry no stability promise (pyproject pins the range).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from xsdata.codegen.parsers.definitions import DefinitionsParser
from xsdata.codegen.parsers.schema import SchemaParser
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.models.wsdl import Definitions
from xsdata.models.xsd import Schema

from .. import namespaces
from ..errors import GenerationWarning, LoadError
from ..model import ElementDecl, Port, QName, TypeDef
from .schema import Components, Source
from .services import addressing_actions, translate_ports

if TYPE_CHECKING:
    from ..load import Document

# xsdata logs what it works around; wsdlbind reports problems itself.
logging.getLogger("xsdata").setLevel(logging.ERROR)


def parse_definitions(data: bytes, uri: str, root: etree._Element) -> Definitions:
    """xsdata's model of a WSDL document (``root``: the same, parsed by lxml).

    Elements it has no model for (a vendor's extensibility elements) are left
    out: WSDL 1.1 allows them, and translate warns of them. An xs:import right
    under wsdl:types, with no xs:schema around it, is given one (in ``root``
    too, which stays the document xsdata reads, element for element).
    """
    bare = [
        el
        for el in root.iterfind(f"{{{namespaces.WSDL}}}types/*")
        if el.tag in (f"{{{namespaces.XSD}}}import", f"{{{namespaces.XSD}}}include")
    ]
    for el in bare:
        schema = etree.Element(f"{{{namespaces.XSD}}}schema")
        el.addprevious(schema)
        schema.append(el)
    if bare:
        data = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    config = ParserConfig(fail_on_unknown_properties=False)
    try:
        return DefinitionsParser(location=uri, config=config).from_bytes(
            data, Definitions
        )
    except (ParserError, ValueError, TypeError) as exc:
        raise LoadError(f"{uri}: xsdata could not read this WSDL: {exc}") from None


def parse_schema(data: bytes, uri: str, namespace: str | None) -> Schema:
    """xsdata's model of an XSD document; ``namespace`` is an includer's, for
    a schema included without one of its own."""
    try:
        return SchemaParser(target_namespace=namespace, location=uri).from_bytes(
            data, Schema
        )
    except (ParserError, ValueError, TypeError) as exc:
        raise LoadError(f"{uri}: xsdata could not read this schema: {exc}") from None


@dataclass
class Translation:
    """What the adapter hands to the model stage."""

    ports: list[Port]
    types: dict[QName, TypeDef]
    elements: dict[QName, ElementDecl]
    warnings: list[GenerationWarning]
    broken: frozenset[QName]  # components that could not be built


def translate(documents: Iterable[Document], names: dict[str, str]) -> Translation:
    """Build the model of the loaded documents; ``names`` gives each document's
    URI the name messages show."""
    documents = list(documents)
    sources: list[Source] = []
    definitions: list[Definitions] = []
    for doc in documents:
        elements = [e for e in doc.root.iter() if isinstance(e.tag, str)]
        name = names.get(doc.uri, doc.uri)
        if isinstance(doc.model, Definitions):
            definitions.append(doc.model)
            sources.extend(Source(s, name, elements) for s in doc.model.schemas)
        elif isinstance(doc.model, Schema):
            chameleon = doc.root.get("targetNamespace") is None and bool(
                doc.model.target_namespace
            )
            sources.append(Source(doc.model, name, elements, chameleon))
    warnings: list[GenerationWarning] = []
    for doc in documents:
        if isinstance(doc.model, Definitions):
            warnings.extend(_unknown_extensions(doc.root, names.get(doc.uri, doc.uri)))
    components = Components(sources, warnings)
    components.build()
    actions = {
        key: action
        for doc in documents
        if isinstance(doc.model, Definitions)
        for key, action in addressing_actions(doc.root).items()
    }
    ports = translate_ports(definitions, components, warnings, actions)
    components.drain()  # types only rpc parts name
    return Translation(
        ports,
        components.types,
        components.elements,
        warnings,
        frozenset(components.broken),
    )


#: Namespaces of WSDL extensibility elements that say nothing a client of the
#: service needs (policies, addressing metadata): ignored without a word.
_QUIETLY_IGNORED = frozenset(
    {
        namespaces.SOAP11_BINDING,
        namespaces.SOAP12_BINDING,
        namespaces.HTTP_BINDING,
        namespaces.MIME_BINDING,
        namespaces.WSDL,
        namespaces.XSD,
        "http://schemas.xmlsoap.org/ws/2004/09/policy",
        "http://www.w3.org/ns/ws-policy",
        "http://www.w3.org/2006/05/addressing/wsdl",
        "http://www.w3.org/2007/05/addressing/metadata",
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    }
)


def _unknown_extensions(root: etree._Element, name: str) -> list[GenerationWarning]:
    """One warning for the extensibility elements of namespaces wsdlbind does
    not know (WSDL 1.1 lets a vendor put them anywhere): they are ignored."""
    found: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent is None or etree.QName(parent).namespace != namespaces.WSDL:
            continue  # only children of WSDL elements are extensibility elements
        if parent.tag == f"{{{namespaces.WSDL}}}documentation":
            continue  # documentation holds anything
        namespace = etree.QName(el).namespace or ""
        if namespace not in _QUIETLY_IGNORED:
            found.append(el.tag)
    if not found:
        return []
    listed = ", ".join(sorted(set(found))[:3]) + (
        ", ..." if len(set(found)) > 3 else ""
    )
    return [
        GenerationWarning(
            name,
            f"{len(found)} elements of namespaces wsdlbind does not know were "
            f"ignored ({listed})",
        )
    ]
