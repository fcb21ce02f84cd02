"""The render stage: the jinja2 environment, its filters, and writing the module.

The templates lay code out; every decision about what a field looks like in
Python (its annotation, default, how it is written and read) is made here, in
small view objects and filters the templates call. Users may replace any
template by name with ``--templates DIR`` (a ``ChoiceLoader`` puts their folder
first), copying only the file they change.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Literal

import jinja2

from generator import __version__, naming
from generator.errors import GenerationWarning, OutputError
from generator.model import XSD, Field, Operation, Port, Project, QName, TypeDef
from generator.xsd_types import Builtin, builtin

WriteKind = Literal[
    "attribute", "text", "value", "object", "any", "mixed", "any_attribute"
]

#: The generated module's line length: ruff's and black's default, so the output
#: is already formatted for the settings most projects that vendor it use.
LINE_LENGTH = 88
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# XSD regex features with no Python `re` equivalent: such patterns are not
# checked client-side (the server still checks them); a warning says so.
_XSD_ONLY_REGEX = re.compile(r"\\[iIcC]|\\p\{|\\P\{|(?<!\\)[\^$](?![^\[]*\])")


@dataclass
class Call:
    """A call (or anything shaped like one: a def, a tuple) laid out as ruff would.

    ``head`` comes before the opening parenthesis, ``tail`` after the closing one.
    """

    head: str
    args: list[str | Call]
    tail: str = ""
    collection: bool = False  # a tuple or list: split one item a line, never hugged

    def flat(self) -> str:
        inner = ", ".join(a if isinstance(a, str) else a.flat() for a in self.args)
        if self.collection and len(self.args) == 1:
            inner += ","  # a one-item tuple
        return f"{self.head}({inner}){self.tail}"


def layout(call: Call | str, indent: int) -> str:
    """Format a statement the way ``ruff format`` does, so the output needs no
    formatter run: on one line if it fits; else the arguments on one indented
    line; else one argument a line, each laid out in turn, with a trailing comma.
    Generating it formatted keeps the bytes independent of any formatter version.
    """
    if isinstance(call, str):
        return call
    flat = call.flat()
    if indent + len(flat) <= LINE_LENGTH or not call.args:
        return flat
    pad, inner_pad = " " * indent, " " * (indent + 4)
    hugged = ", ".join(a if isinstance(a, str) else a.flat() for a in call.args)
    if not call.collection and indent + 4 + len(hugged) <= LINE_LENGTH:
        return f"{call.head}(\n{inner_pad}{hugged}\n{pad}){call.tail}"
    lines = [f"{inner_pad}{layout(a, indent + 4)}," for a in call.args]
    return f"{call.head}(\n" + "\n".join(lines) + f"\n{pad}){call.tail}"


def write_field(f: FieldView, value: str, sub_path: str, indent: int) -> str:
    """The statement writing ``value`` (already known not to be None) for ``f``."""
    name = pyrepr(f.name)
    if f.fixed is not None:  # the schema allows this one value only
        pad = " " * indent
        rule = pyrepr(f"must be {f.fixed}, which the schema fixes")
        fail = layout(Call("raise _invalid", ["path", name, rule]), indent + 4)
        check = f"if {value} != {f.fixed}:\n{pad}    {fail}"
        return f"{check}\n{pad}{write_field(replace(f, fixed=None), value, sub_path, indent)}"
    if f.kind in ("attribute", "text", "value"):
        assert f.codec is not None
        fmt = f.codec.write(value, name)
        if f.kind == "attribute":
            return layout(Call("el.set", [f.tag, fmt]), indent)
        if f.kind == "text":
            return layout(Call(f"el.text = {fmt.head}", fmt.args), indent)
        pad = " " * indent
        text = layout(Call(f"text = {fmt.head}", fmt.args), indent)
        put = layout(replace(_child(f), tail=".text = text"), indent)
        return f"{text}\n{pad}{put}"
    child = _child(f)
    if f.simple_value:
        return layout(
            Call(f"_write_simple_{f.object_type}", ["el", f.tag, value, sub_path]),
            indent,
        )
    if f.polymorphic:
        return layout(
            Call("_write_poly", ["el", f.tag, value, f.object_type, sub_path]), indent
        )
    return layout(Call(f"_write_{f.object_type}", [child, value, sub_path]), indent)


def _child(f: FieldView) -> Call:
    """The call making ``f``'s element under ``el``."""
    if f.xsi_type is None:
        return Call("_sub", ["el", f.tag])
    namespace, name = f.xsi_type
    return Call("_typed_sub", ["el", f.tag, pyrepr(namespace), pyrepr(name)])


def str_fast_check(codec: ValueCodec, value: str) -> str:
    """A condition true when ``value`` is not a plain string its checks accept.

    It answers only "take the fast path or not": on the slow path every value
    goes through the full checks again, which name the field and the rule.
    """
    tests = [f"type({value}) is not str"]
    pattern, low, high = (*codec.fmt_extra, "None", "None", "None")[:3]
    if pattern != "None":
        tests.append(f"{pattern}.fullmatch({value}) is None")
    if low != "None":
        tests.append(f"len({value}) < {low}")
    if high != "None":
        tests.append(f"len({value}) > {high}")
    return " or ".join(tests)


def write_soap_array(f: FieldView, values: str, indent: int) -> str:
    """Statements writing a SOAP-encoded array: one element, an item per value."""
    assert f.soap_array is not None
    pad = " " * indent
    value = f"v_{f.name}"  # a name per field: mypy types each loop variable once
    namespace, name = (pyrepr(part) for part in f.soap_array)
    lines = [
        layout(
            Call(
                "array = _soap_array", ["el", f.tag, namespace, name, f"len({values})"]
            ),
            indent,
        ),
        f"{pad}for {value} in {values}:",
        f'{pad}    item = _typed_sub(array, "item", {namespace}, {name})',
    ]
    if f.kind == "value":
        assert f.codec is not None
        fmt = f.codec.write(value, pyrepr(f.name))
        lines.append(
            f"{pad}    " + layout(Call(f"item.text = {fmt.head}", fmt.args), indent + 4)
        )
    else:
        write = Call(
            f"_write_{f.object_type}", ["item", value, f"path + {pyrepr('.' + f.name)}"]
        )
        lines.append(f"{pad}    " + layout(write, indent + 4))
    return "\n".join(lines)


def write_list(f: FieldView, values: str, indent: int) -> str:
    """The statement writing a repeated simple value: one text per item."""
    assert f.codec is not None
    item = f.codec.write("v", pyrepr(f.name))
    comprehension = f"[{item.flat()} for v in {values}]"
    call = Call("_append_texts", ["el", f.tag, comprehension])
    text = layout(call, indent)
    if all(len(line) <= LINE_LENGTH for line in text.splitlines()):
        return text
    # Too long even one argument a line: ruff splits the comprehension.
    pad = " " * (indent + 8)
    split = f"[\n{pad}{layout(item, indent + 8)}\n{pad}for v in {values}\n{' ' * (indent + 4)}]"
    return layout(Call("_append_texts", ["el", f.tag, split]), indent)


def _read_value(f: FieldView, node: str) -> Call | str:
    """The expression reading ``f``'s value from the element named ``node``."""
    if f.kind == "value":
        assert f.codec is not None
        return f.codec.read(f"{node}.text")
    if f.simple_value:
        return Call(f"_read_simple_{f.object_type}", [node, "strict"])
    if f.polymorphic:
        return Call("_read_poly", [node, f"_read_{f.object_type}", "strict"])
    return Call(f"_read_{f.object_type}", [node, "strict"])


def read_field(f: FieldView, indent: int) -> str:
    """The statement storing the value read from ``child`` for ``f``."""
    value = _read_value(f, "child")
    if f.soap_array:  # the items of a SOAP-encoded array, whatever their names
        item = _read_value(f, "item")
        flat = item if isinstance(item, str) else item.flat()
        line = f"f_{f.name} = [{flat} for item in child]"
        if indent + len(line) <= LINE_LENGTH:
            return line
        pad = " " * indent
        return f"f_{f.name} = [\n{pad}    {flat} for item in child\n{pad}]"
    if f.repeated:
        return layout(Call(f"f_{f.name}.append", [value]), indent)
    if f.nillable:  # xsi:nil="true" reads as None
        pad = " " * indent
        read = read_field(replace(f, nillable=False), indent + 4)
        return f'if child.get(_XSI_NIL) not in ("true", "1"):\n{pad}    {read}'
    if isinstance(value, str):
        return assignment(f"f_{f.name}", value, indent).lstrip()
    if value.head == "_parse_enum":  # a dict lookup first: Enum() costs more
        enum, pad = value.args[1], " " * indent
        return "\n".join(
            [
                layout(
                    Call(f"f_{f.name} = _VALUES_{enum}.get", ["child.text"]), indent
                ),
                f"{pad}if f_{f.name} is None:",
                f"{pad}    {layout(Call(f'f_{f.name} = _parse_enum', value.args), indent + 4)}",
            ]
        )
    if value.head == "_parse_datetime":  # the usual text without a call first
        pad = " " * indent
        usual = Call(
            f"f_{f.name} = datetime.datetime.fromisoformat", ['child.text or ""']
        )
        other = Call(f"f_{f.name} = _parse_datetime", value.args)
        return "\n".join(
            [
                "try:",
                f"{pad}    {layout(usual, indent + 4)}",
                f"{pad}except ValueError:  # white space around it, or not a dateTime",
                f"{pad}    {layout(other, indent + 4)}",
            ]
        )
    return layout(Call(f"f_{f.name} = {value.head}", value.args), indent)


@dataclass(frozen=True)
class ValueCodec:
    """How one simple value is checked and written, and read back.

    Formatters take ``(value, path, name, *fmt_extra)``; parsers take
    ``(text, *parse_extra)`` (see ``templates/runtime.py.jinja``).
    """

    annotation: str
    fmt: str
    fmt_extra: tuple[str, ...]
    parse: str
    parse_extra: tuple[str, ...] = ()

    def write(self, value: str, name: str) -> Call:
        return Call(self.fmt, [value, "path", name, *self.fmt_extra])

    def read(self, text: str) -> Call | str:
        """The expression reading ``text``; the commonest types inline, since a
        function call per element is most of what parsing a long list costs."""
        if self.parse == "_parse_str":
            return f'{text} or ""'
        if self.parse == "_parse_int":
            return f'int({text} or "")'
        return Call(self.parse, [text, *self.parse_extra])


@dataclass
class FieldView:
    """A field as the templates see it."""

    name: str
    xml_name: str
    doc: str
    kind: WriteKind
    tag: str  # a Python expression for the element or attribute name
    annotation: str  # the attribute's type
    param: str  # the constructor parameter's type
    default: str | None  # None: a required keyword
    repeated: bool
    required: bool
    min_occurs: int
    codec: (
        ValueCodec | None
    )  # how a value is checked, written and read (None: wildcards)
    object_type: str = ""  # for kind "object": the class written/read
    simple_value: bool = False  # "object" whose class wraps a simple value (str | T)
    polymorphic: bool = False  # "object" whose declared class has subclasses
    init: str = ""  # expression storing the parameter (copies lists)
    fixed: str | None = None  # the literal the schema fixes the value to
    xsi_type: tuple[str, str] | None = None  # (namespace, name) announced (rpc/encoded)
    nillable: bool = False  # None is sent as xsi:nil="true" (required fields only)
    soap_array: tuple[str, str] | None = None  # items' (namespace, type) (rpc/encoded)


@dataclass
class ChoiceView:
    """An xs:choice: its branches, each a list of (field name, needed in branch)."""

    required: bool
    # branch -> [(field name, needed in the branch, repeated)]
    branches: dict[int, list[tuple[str, bool, bool]]] = field(default_factory=dict)


@dataclass
class TypeView:
    name: str
    doc: str
    kind: Literal["complex", "enum"]
    base: str | None
    abstract: bool
    own: list[FieldView]
    all: list[FieldView]
    choices: list[ChoiceView]
    enum_members: list[tuple[str, str]] = field(default_factory=list)
    element_tag: str | None = None
    value_field: FieldView | None = None  # a simple-content type's text field
    xsi_type: str | None = None  # the "{ns}local" name written as xsi:type ("": none)
    element_of: str = ""  # for a global element's own type: the element's name
    simple_content: bool = False  # a text value with, perhaps, attributes


@dataclass
class OperationView:
    name: str
    xml_name: str
    doc: str
    action: str
    request: TypeView
    request_ref: str  # the request class as the port class refers to it
    returns: str
    reader: str  # the function reading the response body's root element, or ""
    response_tag: str | None
    safe: bool  # a read (Get*, Query*): repeating it changes nothing
    request_id: str | None  # the request's RequestId field, filled in when empty
    headers: list[str] = field(default_factory=list)  # classes of declared soap:headers

    @property
    def headers_param(self) -> str:
        """The ``soap_headers`` parameter: typed with the headers the WSDL declares."""
        kinds = " | ".join(["etree._Element", *self.headers])
        return f"soap_headers: Sequence[{kinds}] = ()"


@dataclass
class FaultView:
    name: str  # the exception class
    info_type: str  # the class its detail parses into
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


@dataclass
class ModuleView:
    version: str
    source: str
    source_hash: str
    types: list[TypeView]
    ports: list[PortView]
    patterns: list[tuple[str, str]]  # (constant, python regex)
    faults: list[FaultView] = field(default_factory=list)
    # The namespaces declared on the root of each request and header element:
    # (constant, [(prefix, namespace)] as literals), and (class, tag literal,
    # constant).
    namespace_maps: list[tuple[str, list[tuple[str, str]]]] = field(
        default_factory=list
    )
    roots: list[tuple[str, str, str]] = field(default_factory=list)
    # The prefix a new element of each namespace is made with: (namespace,
    # prefix) as literals; it shows only where the namespace is not declared.
    model_prefixes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def uses_encoding(self) -> bool:
        """Whether an operation is rpc/encoded: its answers may use multi-refs."""
        return any(f.xsi_type or f.soap_array for t in self.types for f in t.own)

    @property
    def uses_soap_arrays(self) -> bool:
        return any(f.soap_array for t in self.types for f in t.own)

    @property
    def uses_copy(self) -> bool:
        """Whether a reader or writer copies elements (wildcards, mixed, multi-refs)."""
        kinds = {"any", "mixed"}
        return self.uses_encoding or any(
            f.kind in kinds for t in self.types for f in t.own
        )

    @property
    def uses_mixed(self) -> bool:
        """Whether a type has mixed content: only then are its helpers written."""
        return any(f.kind == "mixed" for t in self.types for f in t.own)


class Renderer:
    """Build the views for one project and render the module template."""

    def __init__(
        self, project: Project, source: str, templates: Path | None = None
    ) -> None:
        self.project = project
        self.source = source
        self.env = environment(templates)
        self._patterns: dict[str, str] = {}
        self._views: dict[QName, TypeView] = {}

    # -- names of things in the module ------------------------------------------------

    def tag(self, qname: QName) -> str:
        """An element or attribute name as a literal in Clark notation.

        A literal, not ``_NS + "Name"``: readers compare it with every child's
        tag, and a constant costs nothing where a concatenation runs each time.
        """
        return pyrepr(str(qname))

    def pattern_constant(self, pattern: str, where: str) -> str | None:
        if _XSD_ONLY_REGEX.search(pattern) or _has_class_subtraction(pattern):
            self.project.warnings.append(
                GenerationWarning(
                    where,
                    f"pattern {pattern!r} uses XSD-only regex syntax; "
                    "it is not checked before sending",
                )
            )
            return None
        try:
            re.compile(pattern)
        except re.error as exc:
            self.project.warnings.append(
                GenerationWarning(where, f"pattern {pattern!r} is not checked: {exc}")
            )
            return None
        if pattern not in self._patterns:
            self._patterns[pattern] = f"_PATTERN_{len(self._patterns) + 1}"
        return self._patterns[pattern]

    # -- views -----------------------------------------------------------------------

    def type_view(self, typedef: TypeDef) -> TypeView:
        if typedef.qname in self._views:
            return self._views[typedef.qname]
        if typedef.kind == "enum":
            members: list[tuple[str, str]] = []
            taken: set[str] = set()
            for value in typedef.enum_values:
                members.append((naming.unique(naming.enum_member(value), taken), value))
            view = TypeView(
                typedef.py_name, typedef.doc, "enum", None, False, [], [], [], members
            )
            self._views[typedef.qname] = view
            return view
        own = [self.field_view(typedef, f) for f in typedef.fields]
        base = self.project.type(typedef.base) if typedef.base else None
        inherited = self.type_view(base).all if base else []
        text = next(
            (f for f in self.project.all_fields(typedef) if f.kind == "text"), None
        )
        if typedef.text_facets is not None and text is not None:
            # A restriction narrows the base's text: its checks replace the base's.
            inherited = [
                self.field_view(typedef, text) if v.kind == "text" else v
                for v in inherited
            ]
        if typedef.prohibited:  # a restriction takes these base attributes away
            inherited = [
                v
                for v in inherited
                if not (v.kind == "attribute" and v.xml_name in typedef.prohibited)
            ]
        all_fields = [*inherited, *own]
        choices: dict[int, ChoiceView] = {}
        for f in self.project.all_fields(typedef):
            if f.choice is not None and not f.choice.repeats:
                choice = choices.setdefault(f.choice.id, ChoiceView(f.choice.required))
                branch = choice.branches.setdefault(f.choice.branch, [])
                branch.append((f.py_name, f.choice.needed, f.repeated))
        value_field = next((f for f in all_fields if f.kind == "text"), None)
        view = TypeView(
            name=typedef.py_name,
            doc=typedef.doc,
            kind="complex",
            base=base.py_name if base else None,
            abstract=typedef.abstract,
            own=own,
            all=all_fields,
            choices=[c for c in choices.values() if len(c.branches) > 1],
            element_tag=self.tag(typedef.element_name)
            if typedef.element_name
            else None,
            value_field=value_field,
            xsi_type="" if typedef.anonymous else str(typedef.type_name),
            element_of=str(typedef.element_name)
            if typedef.anonymous and typedef.element_name
            else "",
            simple_content=typedef.has_simple_content,
        )
        self._views[typedef.qname] = view
        return view

    def field_view(self, owner: TypeDef, f: Field) -> FieldView:
        where = f"type {owner.xml_name}, field {f.xml_name}"
        required = not f.optional
        codec: ValueCodec | None = self._codec(f, where)
        value_type = codec.annotation if codec else ""
        kind: WriteKind
        object_type = ""
        simple_value = polymorphic = False
        if f.kind == "any" and f.mixed:
            kind, value_type, codec = "mixed", "str | etree._Element", None
        elif f.kind == "any":
            kind, value_type, codec = "any", "etree._Element", None
        elif f.kind == "any_attribute":
            kind, value_type, codec = "any_attribute", "dict[str, str]", None
        elif f.kind in ("attribute", "text"):
            kind = f.kind
        elif f.type.namespace == XSD or self.project.type(f.type).kind == "enum":
            kind = "value"
        else:
            kind = "object"
            target = self.project.type(f.type)
            object_type = target.py_name
            polymorphic = bool(self.project.subtypes(target)) or target.abstract
            if target.has_simple_content and target.text_field is not None:
                simple_value = True
                inner = self._codec(target.text_field, where)
                value_type = f"{inner.annotation} | {object_type}"
            else:
                value_type = object_type

        repeated = f.repeated and kind not in ("attribute", "text", "any_attribute")
        fixed = "None" if repeated else self._literal(f, f.fixed)
        nillable = f.nillable and not repeated and kind in ("value", "object")
        default: str | None
        if kind == "any_attribute":
            annotation, param, default = value_type, f"{value_type} | None", "None"
            init = f"{{}} if {f.py_name} is None else dict({f.py_name})"
        elif repeated or kind in ("any", "mixed"):
            repeated = True
            annotation = f"list[{value_type}]"
            if required and f.min_occurs > 0:
                param, default, init = (
                    f"Sequence[{value_type}]",
                    None,
                    f"list({f.py_name})",
                )
            else:
                param, default = f"Sequence[{value_type}] | None", "None"
                init = f"[] if {f.py_name} is None else list({f.py_name})"
        elif required and nillable:
            # Required but nillable: None is a value of its own, sent as xsi:nil.
            annotation = param = f"{value_type} | None"
            default, init = None, f.py_name
        elif required:
            # A fixed value is the default: it need not be given.
            annotation = param = value_type
            default = None if fixed == "None" else fixed
            init = f.py_name
        else:
            # An optional element with a schema default defaults to that value:
            # it is sent unless the caller passes None.
            annotation = param = f"{value_type} | None"
            default = self._default_literal(f)
            init = f.py_name
        return FieldView(
            name=f.py_name,
            xml_name=f.xml_name,
            doc=f.doc,
            kind=kind,
            tag=self.tag(f.qname) if kind in ("attribute", "value", "object") else "",
            annotation=annotation,
            param=param,
            default=default,
            repeated=repeated,
            required=required,
            min_occurs=f.min_occurs,
            codec=codec,
            object_type=object_type,
            simple_value=simple_value,
            polymorphic=polymorphic,
            init=init,
            fixed=None if fixed == "None" else fixed,
            xsi_type=(f.xsi_type.namespace, f.xsi_type.local) if f.xsi_type else None,
            nillable=nillable,
            soap_array=(f.soap_array.namespace, f.soap_array.local)
            if f.soap_array
            else None,
        )

    def _codec(self, f: Field, where: str) -> ValueCodec:
        """How the field's simple value (or list of values) is written and read."""
        if f.type.namespace == XSD:
            row = builtin(f.type.local)
            extra: tuple[str, ...] = ()
            if row.fmt == "_fmt_int":
                extra = (self._bounds(row, f),)
            elif row.fmt == "_fmt_str":
                extra = self._str_checks(f, where)
            codec = ValueCodec(row.annotation, row.fmt, extra, row.parse)
        else:
            target = self.project.type(f.type)
            if target.kind == "enum":
                name = target.py_name
                codec = ValueCodec(name, "_fmt_enum", (name,), "_parse_enum", (name,))
            else:  # a type with simple content, used as an attribute or text
                codec = ValueCodec("str", "_fmt_str", (), "_parse_str")
        if f.tokens:
            return ValueCodec(
                f"list[{codec.annotation}]",
                "_fmt_list",
                (codec.fmt, *codec.fmt_extra),
                "_parse_list",
                (codec.parse, *codec.parse_extra),
            )
        return codec

    @staticmethod
    def _bounds(row: Builtin, f: Field) -> str:
        """The range an integer must be in: a named constant, or facets' literal."""
        low, high = _bounds(row.low, row.high, f)
        if (low, high) == (row.low, row.high):
            return row.bounds
        return f"({low}, {high})"

    def _str_checks(self, f: Field, where: str) -> tuple[str, ...]:
        """The (pattern, min length, max length) a string is checked for, trimmed."""
        facets = f.facets
        pattern = (
            self.pattern_constant(facets.pattern, where) if facets.pattern else None
        )
        low = facets.length if facets.length is not None else facets.min_length
        high = facets.length if facets.length is not None else facets.max_length
        checks = [str(pattern), str(low), str(high)]
        while checks and checks[-1] == "None":
            checks.pop()
        return tuple(checks)

    def _default_literal(self, f: Field) -> str:
        return self._literal(f, f.default)

    def _literal(self, f: Field, text: str | None) -> str:
        """The Python literal of a schema default or fixed value ("None": none)."""
        if text is None or f.kind not in ("element", "attribute") or f.tokens:
            return "None"
        if f.type.namespace != XSD:
            target = self.project.types.get(f.type)
            if target is not None and target.kind == "enum":
                member = dict((v, m) for m, v in self.type_view(target).enum_members)
                if text in member:
                    return f"{target.py_name}.{member[text]}"
            return "None"
        annotation = builtin(f.type.local).annotation
        try:
            if annotation == "str":
                return pyrepr(text)
            if annotation == "bool":
                return repr(text.strip() in ("true", "1"))
            if annotation == "int":
                return repr(int(text))
            if annotation == "float":
                return repr(float(text))
        except ValueError:
            pass
        return "None"

    def operation_view(
        self, port: Port, op: Operation, shadowed: set[str]
    ) -> OperationView:
        request_type = (
            self.project.element(op.input.element) if op.input.element else None
        )
        if request_type is None:
            raise OutputError(
                f"operation {op.name}: an input with no body is not supported yet"
            )
        request = self.type_view(request_type)
        if op.output is None or op.output.element is None:
            returns, reader, response_tag = "None", "", None
        else:
            out = self.project.element(op.output.element)
            out_view = self.type_view(out)
            response_tag = self.tag(op.output.element)
            if out.is_simple_value and out_view.value_field is not None:
                returns = out_view.value_field.annotation
                reader = f"_value_of_{out.py_name}"
            else:
                returns = _ref(out.py_name, shadowed)
                reader = f"_read_{out.py_name}"
        request_id = next(
            (
                f.py_name
                for f in self.project.all_fields(request_type)
                if f.xml_name == "RequestId" and f.kind == "element" and not f.repeated
            ),
            None,
        )
        return OperationView(
            safe=op.name.startswith(("Get", "Query")),
            request_id=request_id,
            name=op.py_name,
            xml_name=op.name,
            doc=op.doc,
            action=op.soap_action,
            request=request,
            request_ref=_ref(request.name, shadowed),
            returns=returns,
            reader=reader,
            response_tag=response_tag,
            headers=[
                _ref(self.project.element(h.element).py_name, shadowed)
                for h in op.headers
                if h.element is not None
            ],
        )

    def module_view(self, types: list[TypeDef]) -> ModuleView:
        type_views = [self.type_view(t) for t in types]
        ports = []
        for port in self.project.ports:
            shadowed = {op.py_name for op in port.operations}
            ops = [self.operation_view(port, op, shadowed) for op in port.operations]
            used = {op.request.name for op in ops} | {op.returns for op in ops}
            used |= {h.lstrip("_") for op in ops for h in op.headers}
            aliases = sorted((f"_{name}", name) for name in shadowed if name in used)
            ports.append(
                PortView(
                    name=port.py_name,
                    doc=port.doc,
                    address=port.address,
                    soap_version=port.soap_version,
                    envelope_ns=port.envelope_ns,
                    operations=ops,
                    aliases=aliases,
                )
            )
        maps, roots = self.root_namespaces()
        return ModuleView(
            version=__version__,
            source=self.source,
            source_hash=self.project.source_hash,
            types=type_views,
            ports=ports,
            patterns=[(c, p) for p, c in self._patterns.items()],
            faults=self.fault_views(),
            namespace_maps=maps,
            roots=roots,
            model_prefixes=self.model_prefixes(types),
        )

    def model_prefixes(self, types: list[TypeDef]) -> list[tuple[str, str]]:
        """The prefix each namespace of an element gets on its model (see _sub in
        the runtime template): ``w0``, ``w1``... in namespace order, one each."""
        namespaces = {
            f.namespace
            for t in types
            for f in self.project.all_fields(t)
            if f.kind == "element" and f.namespace
        }
        return [
            (pyrepr(ns), pyrepr(f"w{i}")) for i, ns in enumerate(sorted(namespaces))
        ]

    def root_namespaces(
        self,
    ) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[tuple[str, str, str]]]:
        """The prefixes each request and header element declares on its root.

        Its own namespace is ``ns0`` and the others follow in order, so that lxml
        need not make up prefixes while writing the content the schema declares.
        """
        elements: dict[str, tuple[QName, TypeDef]] = {}
        for port in self.project.ports:
            for op in port.operations:
                for msg in (op.input, *op.headers):
                    if msg is not None and msg.element is not None:
                        typedef = self.project.element(msg.element)
                        elements.setdefault(typedef.py_name, (msg.element, typedef))
        constants: dict[tuple[tuple[str, str], ...], str] = {}
        roots = []
        for name, (element, typedef) in sorted(elements.items()):
            inner = self.project.content_namespaces(typedef)
            own = [element.namespace] if element.namespace else []
            others = sorted(inner - {element.namespace})
            literal = tuple(
                (pyrepr(f"ns{i}"), pyrepr(ns)) for i, ns in enumerate([*own, *others])
            )
            if literal not in constants:
                constants[literal] = f"_NSMAP_{len(constants) + 1}"
            roots.append((name, self.tag(element), constants[literal]))
        return [(c, list(literal)) for literal, c in constants.items()], roots

    def fault_views(self) -> list[FaultView]:
        views: dict[str, FaultView] = {}
        for port in self.project.ports:
            for op in port.operations:
                for msg in op.faults:
                    if msg.element is not None and msg.py_name not in views:
                        info = self.project.element(msg.element)
                        views[msg.py_name] = FaultView(
                            msg.py_name, info.py_name, self.tag(msg.element)
                        )
        return list(views.values())

    def render(self, types: list[TypeDef]) -> str:
        view = self.module_view(types)
        return self.env.get_template("module.py.jinja").render(module=view)


def _has_class_subtraction(pattern: str) -> bool:
    """XSD's ``[a-z-[aeiou]]``: a ``-[`` inside a character class."""
    depth, escaped = 0, False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            if depth and pattern[i - 1] == "-":
                return True
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    return False


def _ref(class_name: str, shadowed: set[str]) -> str:
    """How a port class body refers to a type: a method of the same name would
    shadow the class there, so such types go through a private alias."""
    return f"_{class_name}" if class_name in shadowed else class_name


def _bounds(
    low: int | None, high: int | None, f: Field
) -> tuple[int | None, int | None]:
    facets = f.facets
    for value, exclusive, is_low in (
        (facets.min_inclusive, False, True),
        (facets.min_exclusive, True, True),
        (facets.max_inclusive, False, False),
        (facets.max_exclusive, True, False),
    ):
        if value is None:
            continue
        try:
            bound = int(value) + ((1 if is_low else -1) if exclusive else 0)
        except ValueError:
            continue
        if is_low:
            low = bound if low is None else max(low, bound)
        else:
            high = bound if high is None else min(high, bound)
    return low, high


# -- jinja environment and filters ---------------------------------------------------


def docstring(text: str, indent: int = 4) -> str:
    """A safe docstring body: nothing in ``text`` can end the string early."""
    text = _CONTROL.sub("", text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    lines: list[str] = []
    for line in text.strip().splitlines():
        lead = line[: len(line) - len(line.lstrip())]
        hang = lead + (
            "    " if line.lstrip().split(" ", 1)[0].endswith(":") and lead else ""
        )
        lines.extend(
            textwrap.wrap(
                line.strip(),
                width=LINE_LENGTH - indent,
                initial_indent=lead,
                subsequent_indent=hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    body = "\n".join(pad + line if line else "" for line in lines).lstrip()
    if body.endswith('"'):  # it would merge with the closing quotes
        body = body[:-1] + '\\"'

    # A docstring of several lines closes on a line of its own.
    return body + "\n" + pad if "\n" in body else body


def pyrepr(value: object) -> str:
    """A Python literal for a value taken from the WSDL (strings are escaped).

    ``repr`` does the escaping, so no input can end the literal early; a string
    then gets the quotes ruff format would choose: double, unless the text holds
    more double than single quotes.
    """
    text = repr(value)
    if not isinstance(value, str):
        return text
    preferred = "'" if value.count('"') > value.count("'") else '"'
    return text if text[0] == preferred else _requote(text[1:-1], text[0], preferred)


def _requote(body: str, old: str, new: str) -> str:
    """Re-quote the body of a string literal from ``old`` to ``new`` quotes."""
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            escaped = body[i + 1]
            out.append(old if escaped == old else char + escaped)
            i += 2
            continue
        out.append("\\" + new if char == new else char)
        i += 1
    return new + "".join(out) + new


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    builtin_dir = resources.files("generator.templates")
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_dir)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Python source; values pass through pyrepr/docstring
    )
    env.filters.update(
        isort=lambda names: sorted(names, key=isort_key),
        layout=layout,
        write=write_field,
        write_list=write_list,
        write_soap_array=write_soap_array,
        str_fast_check=str_fast_check,
        read=read_field,
        docstring=docstring,
        pyrepr=pyrepr,
        pytuple=pytuple,
        params=params,
        optional=optional,
        class_doc=class_doc,
        port_doc=port_doc,
        operation_doc=operation_doc,
        attribute_tags=attribute_tags,
        choice_check=choice_check,
        assignment=assignment,
        has_children=has_children,
        public_names=public_names,
    )
    env.globals["call"] = make_call
    return env


def make_call(
    head: str, *args: str | Call, tail: str = "", collection: bool = False
) -> Call:
    """``call(head, *args, tail=...)`` in templates: a statement for ``layout``."""
    return Call(head, list(args), tail, collection)


def natural_key(name: str) -> list[tuple[int, str | int]]:
    """Sort key that orders ``a2`` before ``a10`` (as ruff's RUF022/RUF023 expect)."""
    return [
        (0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p
    ]


def isort_key(name: str) -> tuple[int, list[tuple[int, str | int]]]:
    """``__all__`` order: CONSTANTS, then Classes, then functions, each natural."""
    if len(name) > 1 and name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return group, natural_key(name)


def pytuple(
    names: Iterable[str], indent: int = 4, prefix: str = "", *, sort: bool = False
) -> str:
    """A tuple literal of strings after ``prefix``, one item a line past the line
    length."""
    items = [pyrepr(n) for n in (sorted(names, key=natural_key) if sort else names)]
    if len(items) == 1:
        return f"({items[0]},)"
    flat = f"({', '.join(items)})"
    if indent + len(prefix) + len(flat) <= LINE_LENGTH:
        return flat
    pad = " " * (indent + 4)
    return "(\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + ")"


def params(
    fields: list[FieldView], indent: int, *, self_param: bool = True, then: str = ""
) -> str:
    """Constructor parameters, one a line: a simple content's value may be given
    by position, everything else by keyword only. ``then`` is one more keyword
    parameter, written as is."""
    pad = " " * indent
    lines = [f"{pad}self,"] if self_param else []
    keyword_only = False
    for f in fields:
        if f.kind != "text" and not keyword_only:
            lines.append(f"{pad}*,")
            keyword_only = True
        default = "" if f.default is None else f" = {f.default}"
        lines.append(annotated(f.name, f.param, f"{default},", indent))
    if then:
        if not keyword_only:
            lines.append(f"{pad}*,")
        lines.append(f"{pad}{then},")
    return "\n".join(lines)


def annotated(name: str, annotation: str, rest: str, indent: int) -> str:
    """``name: annotation<rest>`` at ``indent``, split as ruff splits a long one:
    a union one member a line, a subscript's brackets opened."""
    pad = " " * indent
    line = f"{pad}{name}: {annotation}{rest}"
    if len(line) <= LINE_LENGTH:
        return line
    members = _top_level_split(annotation, " | ")
    first = f"{pad}{name}: {members[0]}"
    if len(first) > LINE_LENGTH and members[0].endswith("]") and "[" in members[0]:
        outer, _, inner = members[0][:-1].partition("[")
        first = f"{pad}{name}: {outer}[\n{pad}    {inner}\n{pad}]"
    if len(members) == 1:
        return first + rest
    return "\n".join([first, *(f"{pad}| {m}" for m in members[1:])]) + rest


def _top_level_split(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` where no bracket is open."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += char in "[(" and 1 or (-1 if char in "])" else 0)
        if depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            i += len(separator)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts


def assignment(target: str, value: str, indent: int) -> str:
    """``target = value`` at ``indent``; a long conditional value is parenthesised,
    and split at ``if`` and ``else`` if need be, as ruff does."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if len(line) <= LINE_LENGTH:
        return line
    inner = " " * (indent + 4)
    if len(inner) + len(value) <= LINE_LENGTH:
        return f"{pad}{target} = (\n{inner}{value}\n{pad})"
    if " or " in value and " if " not in value:
        first, *others = _top_level_split(value, " or ")
        lines = [first, *(f"or {other}" for other in others)]
    elif " if " in value and " else " in value:
        body, _, rest = value.partition(" if ")
        condition, _, otherwise = rest.partition(" else ")
        lines = [body, f"if {condition}", f"else {otherwise}"]
    else:  # nothing to split (one long literal): ruff leaves it as it is
        return line
    return (
        f"{pad}{target} = (\n"
        + "".join(f"{inner}{line}\n" for line in lines)
        + f"{pad})"
    )


def optional(annotation: str) -> str:
    return annotation if annotation.endswith("| None") else f"{annotation} | None"


def class_doc(t: TypeView) -> str:
    """A class docstring: the schema's text, then one line per documented field."""
    if t.element_of:
        default = f"The content of the element ``{t.element_of}``."
    else:
        default = f"The XML Schema type ``{t.xsi_type or t.name}``."
    doc = t.doc or default
    documented = [f for f in t.own if f.doc]
    if documented:
        doc += "\n\nAttributes:\n" + "\n".join(
            f"    {f.name}: {_first_paragraph(f.doc)}" for f in documented
        )
    return doc


def port_doc(p: PortView) -> str:
    doc = p.doc or f"Client for the {p.name} port."
    return f"{doc}\n\nSOAP {p.soap_version}; default endpoint: {p.address or '(none, pass endpoint=)'}"


def operation_doc(op: OperationView) -> str:
    doc = op.doc or f"Call the {op.xml_name} operation."
    doc += f"\n\nPass a ``{op.request.name}`` or its fields as keywords; returns {op.returns}."
    if op.headers:
        names = ", ".join(f"``{h.lstrip('_')}``" for h in op.headers)
        doc += (
            f" SOAP headers it takes: {names}; give them in ``soap_headers``, here"
            " or on the client."
        )
    return doc


def choice_check(choice: ChoiceView, indent: int) -> str:
    """Statements checking an xs:choice: exactly one branch given (at most one
    if the choice is optional), and the given branch whole. Written out per
    type rather than looped over at run time: this runs for every request."""
    pad = " " * indent

    def given(name: str, repeated: bool) -> str:
        return f"bool(obj.{name})" if repeated else f"(obj.{name} is not None)"

    terms = []
    for members in choice.branches.values():
        tests = [given(name, repeated) for name, _, repeated in members]
        terms.append(tests[0] if len(tests) == 1 else f"({' or '.join(tests)})")
    label = " / ".join(
        " + ".join(m[0] for m in members) for members in choice.branches.values()
    )
    flat = f"{pad}given = {' + '.join(terms)}"
    if len(flat) <= LINE_LENGTH:
        lines = [flat]
    else:  # one test a statement: nothing for a formatter to re-wrap
        lines = [f"{pad}given = 0"]
        for term in terms:
            test = term[1:-1] if term.startswith("(") else term
            lines += [_if(test, indent), f"{pad}    given += 1"]
    lines.append(f"{pad}if given {'!= 1' if choice.required else '> 1'}:")
    error = Call("raise _choice_error", ["path", pyrepr(label), "given"])
    lines.append(f"{pad}    {layout(error, indent + 4)}")
    for members in choice.branches.values():
        needed = [name for name, need, _ in members if need]
        if len(members) < 2 or not needed:
            continue
        branch_given = " or ".join(
            given(name, repeated).strip("()") for name, _, repeated in members
        )
        lines.append(_if(branch_given, indent))
        for name in needed:
            lines.append(f"{pad}    if obj.{name} is None:")
            message = '"is required with the rest of its choice branch"'
            raise_ = Call("raise _invalid", ["path", pyrepr(name), message])
            lines.append(f"{pad}        {layout(raise_, indent + 8)}")
    return "\n".join(lines).lstrip()


def _if(condition: str, indent: int) -> str:
    """``if condition:``, its ``or`` parts one a line in parentheses if too long."""
    pad = " " * indent
    line = f"{pad}if {condition}:"
    if len(line) <= LINE_LENGTH:
        return line
    parts = condition.split(" or ")
    inner = " " * (indent + 4)
    body = f"\n{inner}or ".join(parts)
    return f"{pad}if (\n{inner}{body}\n{pad}):"


def attribute_tags(t: TypeView) -> Call:
    """The attribute names a type declares, as a tuple expression."""
    return Call("", [f.tag for f in t.all if f.kind == "attribute"], collection=True)


def public_names(module: ModuleView) -> list[str]:
    """What ``__all__`` lists: errors, transport, codec entry points, types, ports."""
    runtime = [
        "AuthenticationError",
        "Error",
        "Fault",
        "HttpResponse",
        "HttpTransport",
        "ResponseError",
        "Transport",
        "TransportError",
        "UsernameToken",
        "ValidationError",
    ]
    return [
        *runtime,
        "parse",
        "parse_response",
        "serialize",
        *(t.name for t in module.types),
        *(f.name for f in module.faults),
        *(p.name for p in module.ports),
    ]


def has_children(t: TypeView) -> bool:
    return any(f.kind in ("value", "object", "any") for f in t.all)


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())
