"""How each built-in XML Schema type looks in Python and on the wire.

One row per XSD type: the Python annotation, and the names of the generated
module's format and parse helpers (defined in ``generator/runtime/scalars.py``).
Integer types also carry their value range, which the generated code checks
before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Builtin:
    annotation: str
    fmt: str
    parse: str
    low: int | None = None
    high: int | None = None
    bounds: str = ""  # for integers: the runtime's constant holding (low, high)


_STR = Builtin("str", "_fmt_str", "_parse_str")


def _int(low: int | None, high: int | None, bounds: str) -> Builtin:
    return Builtin("int", "_fmt_int", "_parse_int", low, high, bounds)


BUILTINS: dict[str, Builtin] = {
    **dict.fromkeys(
        (
            "string normalizedString token anyURI Name NCName NMTOKEN NMTOKENS ID IDREF "
            "IDREFS ENTITY ENTITIES language QName NOTATION duration gYear gYearMonth "
            "gMonth gMonthDay gDay anySimpleType anyType"
        ).split(),
        _STR,
    ),
    "boolean": Builtin("bool", "_fmt_bool", "_parse_bool"),
    "float": Builtin("float", "_fmt_float", "_parse_float"),
    "double": Builtin("float", "_fmt_float", "_parse_float"),
    "decimal": Builtin("decimal.Decimal", "_fmt_decimal", "_parse_decimal"),
    "dateTime": Builtin("datetime.datetime", "_fmt_datetime", "_parse_datetime"),
    "dateTimeStamp": Builtin("datetime.datetime", "_fmt_datetime", "_parse_datetime"),
    "date": Builtin("datetime.date", "_fmt_date", "_parse_date"),
    "time": Builtin("datetime.time", "_fmt_time", "_parse_time"),
    "base64Binary": Builtin("bytes", "_fmt_base64", "_parse_base64"),
    "hexBinary": Builtin("bytes", "_fmt_hex", "_parse_hex"),
    "integer": _int(None, None, "_INTEGER"),
    "long": _int(-(2**63), 2**63 - 1, "_LONG"),
    "int": _int(-(2**31), 2**31 - 1, "_INT"),
    "short": _int(-(2**15), 2**15 - 1, "_SHORT"),
    "byte": _int(-(2**7), 2**7 - 1, "_BYTE"),
    "nonNegativeInteger": _int(0, None, "_NON_NEGATIVE"),
    "positiveInteger": _int(1, None, "_POSITIVE"),
    "nonPositiveInteger": _int(None, 0, "_NON_POSITIVE"),
    "negativeInteger": _int(None, -1, "_NEGATIVE"),
    "unsignedLong": _int(0, 2**64 - 1, "_UNSIGNED_LONG"),
    "unsignedInt": _int(0, 2**32 - 1, "_UNSIGNED_INT"),
    "unsignedShort": _int(0, 2**16 - 1, "_UNSIGNED_SHORT"),
    "unsignedByte": _int(0, 2**8 - 1, "_UNSIGNED_BYTE"),
}


def builtin(local_name: str) -> Builtin:
    """The row for an XSD type; unknown ones travel as strings."""
    return BUILTINS.get(local_name, _STR)
