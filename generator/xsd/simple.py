"""Simple types: built-ins, restrictions summed into facets, lists and unions.

XML Schema derives every simple type from a built-in by steps that narrow it
(a restriction's facets), or builds it as a list or union of others. What a
client must check of a text is the sum of those steps, which is what
:class:`generator.model.SimpleType` holds.
"""

from __future__ import annotations

from typing import Any

from xsdata.models import xsd

from ..model import Facets

#: Every built-in simple type of XML Schema 1.0 (and dateTimeStamp of 1.1).
BUILTINS = frozenset(
    (
        "anySimpleType string normalizedString token language Name NCName ID IDREF "
        "IDREFS ENTITY ENTITIES NMTOKEN NMTOKENS boolean base64Binary hexBinary "
        "float double decimal integer nonPositiveInteger negativeInteger long int "
        "short byte nonNegativeInteger unsignedLong unsignedInt unsignedShort "
        "unsignedByte positiveInteger duration dateTime dateTimeStamp date time "
        "gYearMonth gYear gMonthDay gDay gMonth anyURI QName NOTATION "
        "yearMonthDuration dayTimeDuration"
    ).split()
)

#: Built-ins that are lists of another built-in.
BUILTIN_LISTS = {"IDREFS": "IDREF", "ENTITIES": "ENTITY", "NMTOKENS": "NMTOKEN"}


def facets_of(restriction: xsd.Restriction) -> Facets:
    """The facets one restriction step declares."""

    def value(facet: Any) -> Any:
        return None if facet is None else facet.value

    def number(facet: Any) -> int | None:
        return None if facet is None else int(facet.value)

    patterns = [p.value for p in restriction.patterns]
    # Several patterns in one step are alternatives; steps are all required.
    joined = "|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else None
    return Facets(
        patterns=(joined,) if joined else tuple(patterns),
        enumeration=tuple(str(e.value) for e in restriction.enumerations) or None,
        length=number(restriction.length),
        min_length=number(restriction.min_length),
        max_length=number(restriction.max_length),
        min_inclusive=_text(value(restriction.min_inclusive)),
        max_inclusive=_text(value(restriction.max_inclusive)),
        min_exclusive=_text(value(restriction.min_exclusive)),
        max_exclusive=_text(value(restriction.max_exclusive)),
        total_digits=number(restriction.total_digits),
        fraction_digits=number(restriction.fraction_digits),
        white_space=_text(value(restriction.white_space)),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value).strip()
