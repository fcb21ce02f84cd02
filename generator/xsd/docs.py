"""Documentation text from schema annotations and WSDL documentation elements.

Both hold mixed XML (text, often HTML markup, sometimes whole XHTML
fragments); what the generated docstrings need is plain text in paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from xsdata.formats.dataclass.models.generics import AnyElement

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
#: Vendor elements inside documentation that are links or samples, not prose.
_NOT_PROSE = ("}link", "}restOperation", "}demoValue")
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "pre"}


def annotation_text(node: Any) -> str:
    """The documentation of an XSD component (its xs:annotation/xs:documentation)."""
    parts: list[str] = []
    for annotation in getattr(node, "annotations", None) or ():
        for documentation in annotation.documentations:
            parts.append(_content_text(documentation.content))
    return plain("\n\n".join(p for p in parts if p.strip()))


def wsdl_documentation(element: Any) -> str:
    """The documentation of a WSDL component (its wsdl:documentation)."""
    doc = getattr(element, "documentation", None)
    if doc is None:
        return ""
    parts: list[str] = []
    for item in doc.elements:
        if isinstance(item, AnyElement):
            if item.qname and item.qname.endswith(_NOT_PROSE):
                continue
            parts.append(_any_text(item))
        else:
            parts.append(str(item))
    return plain("\n\n".join(p for p in parts if p.strip()))


def _content_text(content: Iterable[object]) -> str:
    return "".join(
        _any_text(item) if isinstance(item, AnyElement) else str(item)
        for item in content
    )


def _any_text(item: AnyElement) -> str:
    local = (item.qname or "").rpartition("}")[2].lower()
    text = item.text or ""
    for child in item.children:
        text += _any_text(child) if isinstance(child, AnyElement) else str(child)
    if local in _BLOCKS:
        text = f"\n\n{text}\n\n"
    return text + (item.tail or "")


def plain(text: str) -> str:
    """Plain text in paragraphs: markup left as text is dropped, entities read."""
    text = html.unescape(_TAG.sub(" ", text.replace("</p>", "\n\n")))
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
