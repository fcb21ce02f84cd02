"""Every Python identifier wsdlbind writes is chosen here, and only here.

Names in a WSDL are untrusted input: they may be keywords, builtins, start with a
digit, hold punctuation or non-ASCII letters, or differ from each other only in
case. Whatever comes in, what goes out is a plain ASCII identifier that cannot
carry code into the generated module; the XML name stays beside it for the wire.
Names the WSDL gives that are already safe identifiers are kept exactly, so users
write the same names as in the vendor's documentation (and as zeep users do).
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]+")

#: Names the generated module itself defines or imports at module level; a type
#: from a WSDL must not shadow them.
RESERVED_MODULE_NAMES = frozenset(
    {
        "annotations",
        "base64",
        "binascii",
        "copy",
        "datetime",
        "math",
        "parse",
        "parse_response",
        "serialize",
        "Callable",
        "ClassVar",
        "Sequence",
        "TypeVar",
        "overload",
        "MAX_RESPONSE_BYTES",
        "decimal",
        "enum",
        "etree",
        "http",
        "re",
        "ssl",
        "typing",
        "urllib",
        "logging",
        "random",
        "select",
        "time",
        "uuid",
        "Any",
        "AuthenticationError",
        "Enum",
        "Error",
        "HttpResponse",
        "HttpTransport",
        "NamedTuple",
        "Protocol",
        "Self",
        "TYPE_CHECKING",
        "Transport",
        "Fault",
        "TransportError",
        "ValidationError",
        "ResponseError",
        "UsernameToken",
        "hashlib",
        "secrets",
    }
)

#: Attribute names every generated port class uses for its own state.
RESERVED_MEMBER_NAMES = frozenset(
    {"endpoint", "timeout", "username", "password", "self", "soap_headers", "close"}
)


def identifier(xml_name: str, *, fallback: str = "value") -> str:
    """Turn any XML name into a valid, keyword-free ASCII identifier.

    Non-ASCII letters are transliterated where Unicode knows how (``é`` → ``e``);
    anything else that cannot appear in an identifier becomes ``_``.
    """
    ascii_name = (
        unicodedata.normalize("NFKD", xml_name).encode("ascii", "ignore").decode()
    )
    name = _NOT_IDENT.sub("_", ascii_name).strip("_") or fallback
    if name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name = f"{name}_"
    return name


def field_name(xml_name: str) -> str:
    """A field or parameter name; builtins are allowed (they are attributes)."""
    name = identifier(xml_name)
    if name in RESERVED_MEMBER_NAMES:
        name = f"{name}_"
    return name


def class_name(xml_name: str) -> str:
    """A module-level class name that shadows neither builtins nor our own names."""
    name = identifier(xml_name, fallback="Type")
    if name in RESERVED_MODULE_NAMES or hasattr(builtins, name) or name.startswith("_"):
        name = f"{name.lstrip('_')}_" if name.lstrip("_") else "Type_"
        if name[0].isdigit():
            name = f"T{name}"
    return name


def enum_member(value: str) -> str:
    """An enum member name for a lexical value (``"in-progress"`` → ``IN_PROGRESS``)."""
    name = identifier(value, fallback="EMPTY").upper()
    if name.startswith("_"):
        name = f"V{name}"
    if name in {"NAME", "VALUE"}:  # enum.Enum's own attributes
        name = f"{name}_"
    return name


def unique(name: str, taken: set[str], *, casefold: bool = False) -> str:
    """Return ``name``, or ``name_2``, ``name_3``... the first one not in ``taken``.

    With ``casefold`` two names that differ only in case count as a clash: the
    generated module must also work on case-insensitive file systems and be
    readable, so ``Foo`` and ``foo`` types do not both appear.
    """
    key = name.casefold() if casefold else name
    keys = {t.casefold() for t in taken} if casefold else taken
    candidate, n = name, 1
    while key in keys:
        n += 1
        candidate = f"{name}_{n}"
        key = candidate.casefold() if casefold else candidate
    taken.add(candidate)
    return candidate


def private(name: str, prefix: str) -> str:
    """A private helper's name derived from a class name (``_write_Foo``)."""
    return f"_{prefix}_{name}"
