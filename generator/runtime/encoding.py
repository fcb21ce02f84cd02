"""SOAP encoding (rpc/encoded services) at run time: the arrays requests
send, and the multi-reference values answers point at, put back in place.

Included only in modules generated from a WSDL that uses SOAP encoding.
"""

from __future__ import annotations

import copy

from lxml import etree

from .errors import ResponseError
from .scalars import _XSI

# -- included in the generated module --


_SOAP_ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"


def _soap_array(
    parent: etree._Element, tag: str, namespace: str, name: str, count: int
) -> etree._Element:
    """The element of a SOAP-encoded array of ``count`` items of type {namespace}name."""
    el = etree.SubElement(parent, tag, nsmap={"enc": _SOAP_ENCODING, "xt": namespace})
    el.set(_XSI + "type", "enc:Array")
    el.set("{" + _SOAP_ENCODING + "}arrayType", f"xt:{name}[{count}]")
    return el


def _inline_multirefs(
    first: etree._Element, body: etree._Element, max_elements: int
) -> None:
    """SOAP encoding's multi-reference values, put back where they are used.

    An rpc/encoded answer may send a value once, as a Body child with an
    ``id``, and point at it with ``href="#id"`` (Apache Axis does, for every
    struct). The readers expect the value in place, so it is copied there.

    Copies are counted: values that each point twice at the next would double
    the tree at every level (a 2 KB answer could become gigabytes), so the
    elements made may number at most ``_MULTIREF_FACTOR`` times the answer's
    own, and the answer with them at most ``max_elements``.
    """
    shared = {el.get("id"): el for el in body.iterchildren() if el.get("id")}
    sizes = {key: sum(1 for _ in target.iter()) for key, target in shared.items()}
    own = sum(1 for _ in body.iter())
    budget = min(_MULTIREF_FACTOR * own, max_elements - own)
    # One pass: each pointer is resolved once, and only the elements a copy
    # brings are looked at again, so the work is bounded by what is made. A
    # chain of references longer than there are values refers in a cycle.
    pending = [(el, 0) for el in first.iter() if el.get("href", "").startswith("#")]
    while pending:
        el, depth = pending.pop()
        key = el.get("href", "")[1:]
        target = shared.get(key)
        if target is None:
            raise ResponseError(
                f"the answer refers to {el.get('href')}, which it lacks"
            )
        if depth > len(shared):
            raise ResponseError(
                "the answer's multi-reference values (href) refer in a cycle"
            )
        if depth > _MULTIREF_DEPTH:
            raise ResponseError(
                f"the answer's multi-reference values (href) nest deeper than "
                f"{_MULTIREF_DEPTH}: refused"
            )
        budget -= sizes[key]
        if budget < 0:
            raise ResponseError(
                "the answer's multi-reference values (href) expand to more than "
                f"{_MULTIREF_FACTOR} times its own elements, or more than "
                f"{max_elements:,} in all: refused"
            )
        del el.attrib["href"]
        el.text = target.text
        for name, value in target.attrib.items():
            if name != "id":
                el.set(name, value)
        for child in target:
            copied = copy.deepcopy(child)
            el.append(copied)
            pending.extend(
                (item, depth + 1)
                for item in copied.iter()
                if item.get("href", "").startswith("#")
            )


#: How many elements inlining multi-reference values may make, per element of
#: the answer (real rpc/encoded answers share a value a few times at most).
_MULTIREF_FACTOR = 20
#: How deep references may lead inside one another (the readers recurse).
_MULTIREF_DEPTH = 256
