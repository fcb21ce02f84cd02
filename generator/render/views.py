"""What the templates see: small view objects, with every decision made.

The views hold names and Python literals only; :mod:`.decide` fills them in
from the model and :mod:`.emit` writes the function bodies from them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal

from .pycode import Call, Ternary, renamed

WriteKind = Literal[
    "attribute",
    "text",
    "value",
    "object",
    "anytype",
    "group",
    "any",
    "any_attribute",
    "mixed",
]


@dataclass(frozen=True)
class ValueCodec:
    """How one simple value is checked and written, and read back.

    Formatters take ``(value, path, name, *fmt_extra)``; parsers take
    ``(text, *parse_extra)`` (see ``generator/runtime/scalars.py``).
    """

    annotation: str
    fmt: str
    fmt_extra: tuple[str, ...]
    parse: str
    parse_extra: tuple[str, ...] = ()
    lookup: str = ""  # an enumeration's dict of members by value
    #: For integers: the digits plain ASCII text of a value in range has fewer
    #: of (None: any number), or 0 when no plain digits are surely in range.
    int_digits: int | None = 0

    def write(self, value: str, name: str) -> Call:
        return Call(self.fmt, [value, "path", name, *self.fmt_extra])

    def read(
        self,
        text: str,
        empty: str | None = None,
        *,
        inline: bool = True,
        temp: str = "_n",
    ) -> Call | Ternary | str:
        """The expression reading ``text`` (or the literal ``empty`` where it is
        empty or absent); the commonest types inline, since a function call
        per element is most of what parsing a long list costs."""
        otherwise = '""' if empty is None else empty
        if self.parse == "_parse_str":
            return f"{text} or {otherwise}"
        if self.parse == "_parse_int":
            # Plain ASCII digits, short enough to be in range, convert at once;
            # anything else (a sign, spaces, "1_000", other scripts' digits, a
            # value out of range) takes the checked path, which refuses what
            # XML Schema's lexical rules refuse.
            if self.int_digits == 0 or not inline:
                return Call("_parse_int", [f"{text} or {otherwise}", *self.parse_extra])
            # ``temp`` holds the text: one name per kind of text (an element's
            # may be None, an attribute's is not), so that each keeps one type.
            n = temp
            short = (
                "" if self.int_digits is None else f" and len({n}) < {self.int_digits}"
            )
            return Ternary(
                f"int({n})",
                f"({n} := {text}) and {n}.isdigit() and {n}.isascii(){short}",
                Call("_parse_int", [f"{n} or {otherwise}", *self.parse_extra]),
            )
        value = text if empty is None else f"{text} or {empty}"
        return Call(self.parse, [value, *self.parse_extra])


@dataclass
class FieldView:
    """A field as the templates and emitters see it."""

    name: str
    xml_name: str
    doc: str
    kind: WriteKind
    tag: str  # a literal of the element's or attribute's name ("" if none)
    annotation: str  # the attribute's type
    param: str  # the constructor parameter's type
    default: str | None  # None: a required keyword
    init: str | Call | Ternary  # the expression storing the parameter (copies lists)
    blank: str  # what a reader starts from: "None" or "[]"
    repeated: bool
    required: bool  # Python must be given a value
    min: int
    max: int | None
    codec: ValueCodec | None = None
    object_type: str = ""  # object: its class; group: the group class
    writer: str = ""  # object, group: the class's writer
    reader: str = ""  # object: the class's reader
    simple_value: bool = False  # an object whose class wraps a simple value
    simple_writer: str = ""
    simple_list_writer: str = ""
    simple_reader: str = ""
    polymorphic: bool = False  # an object whose class has subclasses
    fixed: str | None = None  # the literal the schema fixes the value to
    xsi_type: tuple[str, str] | None = None  # (namespace, name) announced (rpc/encoded)
    nil: Literal["", "none", "nil"] = ""  # nillable: "none" if None means nil
    soap_array: tuple[str, str] | None = None  # items' (namespace, type) (rpc/encoded)
    wildcard: tuple[str | Call, str | Call] | None = None  # any: (allowed, excluded)
    empty: str | None = None  # the literal an empty element reads as (its default)


@dataclass
class CheckView:
    """A check of the content, over field names (see generator.model.Check)."""

    kind: Literal["field", "all", "choice"]
    min: int
    max: int | None
    field: FieldView | None = None
    children: list[CheckView] = dataclasses.field(default_factory=list)
    emptiable: bool = False

    def fields(self) -> list[FieldView]:
        found = [self.field] if self.field is not None else []
        for child in self.children:
            found.extend(child.fields())
        return found


_MEMBER = re.compile(r"([A-Za-z_]\w*)\.[A-Za-z_]\w*")


def default_owner(text: str | None) -> str | None:
    """The class a default names when it is an enum's member (``Shade.DARK``);
    None for a literal or anything else."""
    found = _MEMBER.fullmatch(text or "")
    return found[1] if found else None


@dataclass
class TypeView:
    name: str
    doc: str
    kind: Literal["complex", "enum", "group"]
    base: str | None
    abstract: bool
    own: list[FieldView]
    all: list[FieldView]
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (name, blank)
    enum_members: list[tuple[str, str]] = field(default_factory=list)
    alias: str | None = None  # an enum's other name, for defaults (see decide)
    element_tag: str | None = None
    value_field: FieldView | None = None  # a simple-content type's text field
    xsi_type: str | None = None  # the "{ns}local" name written as xsi:type ("": none)
    element_of: str = ""  # for a global element's own type: the element's name
    simple_content: bool = False  # a text value with, perhaps, attributes
    helpers: dict[str, str] = field(default_factory=dict)
    check: CheckView | None = None
    reader_kind: Literal["dispatch", "match"] = "dispatch"
    content: str = ""  # match: the content model's expression
    # The function texts, written by generator.render.emit:
    writer: str = ""
    reader: str = ""
    extras: str = ""  # simple-content helpers, a group's blank


@dataclass
class OperationView:
    name: str
    xml_name: str
    doc: str
    action: str
    request: TypeView
    returns: str
    reader: str  # the function reading the response body's root element, or ""
    response_tag: str | None
    request_tag: str  # the request element's name, a literal
    safe: bool  # repeating it changes nothing: it may be retried
    request_id: str | None  # the idempotency key's field, filled in when empty
    retry: str = ""  # the retry pattern that makes it safe (see model.CallPolicy)
    idempotency_key: str = ""  # the key's element name
    wsa_action: str = ""  # WS-Addressing's Action, when not the soapAction
    headers: list[str] = field(default_factory=list)  # classes of declared soap:headers
    # Headers the binding declares in the answer: (class, tag literal, reader).
    answer_headers: list[tuple[str, str, str]] = field(default_factory=list)
    # Names the port class body reaches through an alias (see decide.port_view):
    aliases: dict[str, str] = field(default_factory=dict)

    def signature(self, text: str) -> str:
        """A parameter or annotation as this method's signatures write it."""
        return renamed(text, self.aliases)

    @property
    def fields(self) -> list[FieldView]:
        """The request's fields, as the keyword form's parameters."""
        if not self.aliases:
            return self.request.all
        return [
            dataclasses.replace(
                f, param=self.signature(f.param), default=self.default(f.default)
            )
            for f in self.request.all
        ]

    def default(self, text: str | None) -> str | None:
        """A parameter's default as this method's signatures write it: an
        enum's member through the alias of the enum's name (see
        :func:`default_owner`); any other default as it is."""
        owner = default_owner(text)
        if owner is None or owner not in self.aliases:
            return text
        assert text is not None
        return self.aliases[owner] + text[len(owner) :]

    @property
    def headers_param(self) -> str:
        """The ``soap_headers`` parameter: typed with the headers the WSDL declares."""
        kinds = " | ".join(["etree._Element", *self.headers])
        return self.signature(f"soap_headers: Sequence[{kinds}] = ()")

    @property
    def answer_readers(self) -> Call:
        """The ``answer_readers=`` argument: each answer header's tag and reader."""
        pairs: list[str | Call] = [
            Call("", [tag, reader], collection=True)
            for _, tag, reader in self.answer_headers
        ]
        return Call("answer_readers=", pairs, ",", collection=True)

    @property
    def answer_param(self) -> str:
        """``answer_headers``, for operations whose answers declare headers."""
        if not self.answer_headers:
            return ""
        kinds = " | ".join([*(c for c, _, _ in self.answer_headers), "etree._Element"])
        return self.signature(f"answer_headers: list[{kinds}] | None = None")

    @property
    def fixed_params(self) -> list[str]:
        """Parameters every method has, besides the request's fields (the
        last, ``answer_headers``, is empty for most operations)."""
        return [
            self.headers_param,
            self.signature("http_headers: Mapping[str, str] | None = None"),
            self.signature("deadline: float | None = None"),
            self.signature("*args: Any"),
            self.signature("**fields: Any"),
            self.answer_param,
        ]


@dataclass
class FaultView:
    name: str  # the exception class
    info_type: str  # the class its detail parses into
    reader: str  # that class's reader
    tag: str  # the detail element's name


@dataclass
class PortView:
    name: str
    doc: str
    address: str | None
    soap_version: str
    envelope_ns: str
    operations: list[OperationView]
    aliases: list[tuple[str, str]]  # (alias, class): type names a method shadows
    async_name: str = ""  # the async twin's class


@dataclass
class ModuleView:
    version: str
    source: str
    source_hash: str
    types: list[TypeView]
    ports: list[PortView]
    constants: list[tuple[str, Call]]  # (name, expression): patterns, facets
    faults: list[FaultView] = field(default_factory=list)
    # The namespaces declared on the root of each request and header element:
    # (constant, [(prefix, namespace)] as literals), and (class, writer, tag
    # literal, constant).
    namespace_maps: list[tuple[str, list[tuple[str, str]]]] = field(
        default_factory=list
    )
    roots: list[tuple[str, str, str, str]] = field(default_factory=list)
    # The prefix a new element of each namespace is made with: (namespace,
    # prefix) as literals; it shows only where the namespace is not declared.
    model_prefixes: list[tuple[str, str]] = field(default_factory=list)
    content_tables: list[tuple[str, str]] = field(default_factory=list)
    uses_encoding: bool = False
    uses_soap_arrays: bool = False
    uses_mixed: bool = False
    stamp: str = ""  # the header line --check reads (see generator.stamp)
    # The package layout's mark for a port method's imports (see render.package).
    imports_marker: str = ""
