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
from collections.abc import Iterable

from . import model

_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]+")

#: Names the generated module itself defines or imports at module level; a type
#: from a WSDL must not shadow them.
RESERVED_MODULE_NAMES = frozenset(
    {
        "annotations",
        "NIL",
        "Nil",
        "base64",
        "binascii",
        "copy",
        "datetime",
        "math",
        "parse",
        "parse_response",
        "serialize",
        "to_dict",
        "from_dict",
        "json_default",
        "Fake",
        "FakeCall",
        "Callable",
        "Iterator",
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
        "SecurityTimestamp",
        "AsyncTransport",
        "HttpxTransport",
        "Generator",
        "Generic",
        "Literal",
        "Auth",
        "BasicAuth",
        "DigestAuth",
        "Mapping",
        "hashlib",
        "secrets",
    }
)

#: Parameters and locals of the generated module's functions (writers,
#: readers, the runtime): a class of that name would be shadowed inside them.
#: tests/test_naming.py checks this list against a generated module.
RESERVED_LOCAL_NAMES = frozenset(
    (
        "a all_ allowed args array attribute b blank branch c child chunks cls "
        "code codes content copied count data declared default detail e el end "
        "entry env excluded exc extra f facets fallback field fields first fmt "
        "found given group headers high i instance item items k key kid kids kind "
        "known local low many matched member name names namespace nil node nodes "
        "number obj p parent parse path pattern plain prefix read reader reason "
        "request result root rule s self singles size strict t tag term text texts "
        "tests unit v value values w where writer x xsi_type"
    ).split()
)

#: Names a port class uses itself (its state, methods and parameters): no
#: operation may take one of them. tests/test_naming.py checks this list
#: against a generated module's port class.
RESERVED_MEMBER_NAMES = frozenset(
    {
        "aclose",
        "allow_insecure_http",
        "answer_headers",
        "auth",
        "backoff",
        "build_envelope",
        "close",
        "connect_timeout",
        "deadline",
        "endpoint",
        "http_headers",
        "huge_tree",
        "max_response_elements",
        "mtom",
        "on_exchange",
        "password",
        "retries",
        "self",
        "soap_headers",
        "strict",
        "timeout",
        "transport",
        "username",
        "wsa",
        "wsse",
    }
)

#: Names a field may not have: a constructor's own parameter.
RESERVED_FIELD_NAMES = frozenset({"self"})


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
    """A field (and constructor parameter) name; builtins are allowed: the code
    that handles fields reaches them as attributes and uses no builtin where a
    parameter of that name could shadow it."""
    name = identifier(xml_name)
    if name in RESERVED_FIELD_NAMES or name in RESERVED_MEMBER_NAMES:
        name = f"{name}_"
    return name


def operation_name(xml_name: str) -> str:
    """A port method's name: never one of the port class's own members."""
    name = identifier(xml_name)
    if name in RESERVED_MEMBER_NAMES:
        name = f"{name}_"
    return name


def class_name(xml_name: str) -> str:
    """A module-level class name that shadows neither builtins nor our own names."""
    name = identifier(xml_name, fallback="Type")
    if name.startswith(("f_", "v_")):  # the readers' and writers' locals per field
        name = f"T{name}"
    if (
        name in RESERVED_LOCAL_NAMES
        or name in RESERVED_MEMBER_NAMES
        or name in RESERVED_MODULE_NAMES
        or hasattr(builtins, name)
        or name.startswith("_")
    ):
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


class FoldedNames:
    """Names taken where two that differ only in case clash: the generated
    module must also work on case-insensitive file systems and be readable,
    so ``Foo`` and ``foo`` types do not both appear. Keeps the folded keys, so
    each test is one lookup (vim25 names 4,900 classes)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.keys = {n.casefold() for n in names}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self.keys

    def add(self, name: str) -> None:
        self.keys.add(name.casefold())


def unique(name: str, taken: set[str] | FoldedNames) -> str:
    """Return ``name``, or ``name_2``, ``name_3``... the first one not in
    ``taken`` (without case, when it is :class:`FoldedNames`), and take it."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate


#: The modules of the package layout besides the port modules and the type
#: modules (see generator.render.package).
PACKAGE_RUNTIME = "_runtime"


def package_modules(ports: list[str], type_modules: int) -> tuple[list[str], list[str]]:
    """The module names of a package: one for each port class (``BroadcastService``
    in ``_broadcast_service``), in the order given, and ``type_modules`` for the
    types, numbered in dependency order (``_types_01``...)."""
    width = len(str(type_modules))
    types = [f"_types_{n:0{width}d}" for n in range(1, type_modules + 1)]
    taken = FoldedNames([PACKAGE_RUNTIME, "__init__", "__main__", *types])
    snake = [re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", p).lower() for p in ports]
    return [unique(f"_{name.lstrip('_')}", taken) for name in snake], types


#: The helpers of each kind of generated class: role -> name pattern.
HELPERS = {
    "complex": {
        "write": "_write_{}",
        "read": "_read_{}",
        "blank": "_blank_{}",
        "content": "_CONTENT_{}",
        "simple_write": "_write_simple_{}",
        "simple_list": "_write_simple_list_{}",
        "simple_read": "_read_simple_{}",
        "value_of": "_value_of_{}",
    },
    "enum": {"values": "_VALUES_{}"},
}


def assign(project: model.Project, types: list[model.TypeDef]) -> None:
    """Give every port, operation, type, helper and field its Python name.

    Deterministic: names go out in the order of ``types`` (the module's order)
    and of the ports, so the same WSDL always gives the same module.
    """
    taken = FoldedNames(RESERVED_MODULE_NAMES)
    for typedef in types:
        typedef.py_name = unique(class_name(typedef.xml_name), taken)
    for port in project.ports:
        port.py_name = unique(class_name(port_class_base(port)), taken)
        port.async_py_name = unique(class_name("Async" + port_class_base(port)), taken)
        op_taken: set[str] = set(RESERVED_MEMBER_NAMES)
        for op in port.operations:
            op.py_name = unique(operation_name(op.name), op_taken)
    faults: dict[model.QName, str] = {}
    for port in project.ports:
        for op in port.operations:
            for msg in op.faults:
                if msg.element is None:
                    continue
                if msg.element not in faults:
                    base = class_name(msg.name)
                    if base in taken:
                        base = f"{base}Fault"
                    faults[msg.element] = unique(base, taken)
                msg.py_name = faults[msg.element]
    # Helpers are private (a leading underscore no class name has): they only
    # need to differ from each other. ``_write_simple_Code`` may be the simple
    # writer of ``Code`` or the writer of ``simple_Code``; the second one to
    # come gets a number.
    helpers: set[str] = set()
    for typedef in types:
        kind = "enum" if isinstance(typedef, model.EnumType) else "complex"
        for role, pattern in HELPERS[kind].items():
            typedef.helpers[role] = unique(pattern.format(typedef.py_name), helpers)
    for typedef in types:
        if isinstance(typedef, model.EnumType):
            member_taken: set[str] = set()
            typedef.members = [
                (unique(enum_member(v), member_taken), v) for v in typedef.values
            ]
            continue
        # Inherited names are taken: a subclass field never shadows a base field.
        field_taken: set[str] = set()
        own = {id(f) for f in typedef.fields}
        for f in typedef.all_fields:
            if f.overrides is not None:
                f.py_name = f.overrides.py_name
                field_taken.add(f.py_name)
            elif id(f) not in own:
                field_taken.add(f.py_name)
        field_taken.update(f.py_name for f in typedef.hidden)
        for f in typedef.all_fields:
            if id(f) in own:
                f.py_name = unique(field_name(f.xml_name), field_taken)


def shadow_alias(name: str) -> str:
    """How a port class body names a module-level name (a type, a builtin) that
    one of its methods shadows (see generator.render.decide.order_operations).

    Unique: module-level names differ from each other, and no helper, runtime
    name or class begins with ``_type_``.
    """
    return f"_type_{name}"


def port_class_base(port: model.Port) -> str:
    """``BroadcastServicePort`` → ``BroadcastService``: the name users know."""
    name = port.name
    for suffix in ("Port", "Soap12", "Soap"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
