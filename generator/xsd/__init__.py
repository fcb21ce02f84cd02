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

from xsdata.codegen.parsers.definitions import DefinitionsParser
from xsdata.codegen.parsers.schema import SchemaParser
from xsdata.exceptions import ParserError
from xsdata.models.wsdl import Definitions
from xsdata.models.xsd import Schema

from generator.errors import GenerationWarning, LoadError
from generator.model import ElementDecl, Port, QName, TypeDef
from generator.xsd.schema import Components, Source
from generator.xsd.services import translate_ports

if TYPE_CHECKING:
    from generator.load import Document

# xsdata logs what it works around; wsdlbind reports problems itself.
logging.getLogger("xsdata").setLevel(logging.ERROR)


def parse_definitions(data: bytes, uri: str) -> Definitions:
    """xsdata's model of a WSDL document."""
    try:
        return DefinitionsParser(location=uri).from_bytes(data, Definitions)
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
    components = Components(sources, warnings)
    components.build()
    ports = translate_ports(definitions, components, warnings)
    components.drain()  # types only rpc parts name
    return Translation(ports, components.types, components.elements, warnings)
