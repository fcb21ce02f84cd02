"""Model → views: how each field looks in Python, decided once per field.

The shape stage (:mod:`generator.shape`) decided which fields a class has;
this module decides what each is in Python: its annotation, constructor
parameter and default, how its values are checked, written and read.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
import decimal
import functools
import heapq
import re
from collections.abc import Callable

from .. import __version__, shape
from ..errors import GenerationWarning
from ..model import (
    ANY_TYPE,
    Check,
    ComplexType,
    EnumType,
    Facets,
    Field,
    Operation,
    Particle,
    Port,
    Project,
    QName,
    SimpleType,
    TypeDef,
)
from ..namespaces import XML
from ..naming import shadow_alias
from ..xsd_types import Builtin, builtin
from . import emit
from .pycode import Call, Ternary, layout, names_in, pyrepr
from .views import (
    CheckView,
    FaultView,
    FieldView,
    ModuleView,
    OperationView,
    PortView,
    TypeView,
    ValueCodec,
    WriteKind,
    default_owner,
)

# XSD regex features with no Python `re` equivalent: such patterns are not
# checked client-side (the server still checks them); a warning says so.
_XSD_ONLY_REGEX = re.compile(r"\\[iIcC]|\\p\{|\\P\{|(?<!\\)[\^$](?![^\[]*\])")
#: How a bound of each kind of value is read at import (a facet's literal).
_BOUND_PARSERS: dict[str, tuple[str, Callable[[str], object]]] = {
    "_fmt_decimal": ("_parse_decimal", decimal.Decimal),
    "_fmt_float": ("_parse_float", float),
    "_fmt_date": ("_parse_date", datetime.date.fromisoformat),
    "_fmt_datetime": ("_parse_datetime", datetime.datetime.fromisoformat),
    "_fmt_time": ("_parse_time", datetime.time.fromisoformat),
}


#: Defaults and fixed values of these types are read by the module's own parser.
_LITERAL_PARSERS: dict[str, tuple[str, Callable[[str], object]]] = {
    **_BOUND_PARSERS,
    "_fmt_base64": ("_parse_base64", lambda t: base64.b64decode(t, validate=True)),
    "_fmt_hex": ("_parse_hex", bytes.fromhex),
}
del _LITERAL_PARSERS["_fmt_float"]  # a float literal is plain Python


class Decisions:
    """The views of one project, made once each."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._constants: dict[str, tuple[str, Call]] = {}  # text -> name, value
        self._fields: dict[int, FieldView] = {}
        self._types: dict[QName, TypeView] = {}

    @property
    def warnings(self) -> list[GenerationWarning]:
        return self.project.warnings

    def tag(self, qname: QName) -> str:
        """An element or attribute name as a literal in Clark notation.

        A literal, not ``_NS + "Name"``: readers compare it with every child's
        tag, and a constant costs nothing where a concatenation runs each time.
        """
        return pyrepr(str(qname))

    def constant(self, expression: Call, prefix: str) -> str:
        """The name of a module constant holding ``expression``, one per value."""
        key = expression.flat()
        if key not in self._constants:
            number = sum(1 for n, _ in self._constants.values() if n.startswith(prefix))
            self._constants[key] = (f"{prefix}{number + 1}", expression)
        return self._constants[key][0]

    # -- simple values -----------------------------------------------------------

    def codec(self, s: SimpleType, where: str) -> ValueCodec:
        """How a simple value (or list of values) is checked, written and read."""
        if s.variety == "list" and s.item is not None:
            item = self.codec(s.item, where)
            codec = ValueCodec(
                f"list[{item.annotation}]",
                "_fmt_list",
                (item.fmt, *item.fmt_extra),
                "_parse_list",
                (item.parse, *item.parse_extra),
            )
            return self._faceted(codec, s.facets, None, where)
        if s.variety == "union":
            codec = ValueCodec("str", "_fmt_str", (), "_parse_str")
            return self._faceted(codec, s.facets, None, where)
        enum = self.project.types.get(s.enum) if s.enum is not None else None
        if isinstance(enum, EnumType):
            name = enum.py_name
            return ValueCodec(
                name,
                "_fmt_enum",
                (name,),
                "_parse_enum",
                (name,),
                enum.helpers["values"],
            )
        row = builtin(s.builtin)
        facets = s.facets
        if s.builtin in ("QName", "NOTATION"):  # length facets do not apply (errata)
            facets = dataclasses.replace(
                facets, length=None, min_length=None, max_length=None
            )
        if row.fmt == "_fmt_int":
            low, high = _int_bounds(row, facets)
            bounds = (
                row.bounds if (low, high) == (row.low, row.high) else f"({low}, {high})"
            )
            rest = Facets(
                patterns=facets.patterns,
                enumeration=facets.enumeration,
                total_digits=facets.total_digits,
            )
            # Plain digits are a value >= 0 with fewer digits than the highest:
            # in range only if the type takes 0 and some positive values.
            digits = (
                0
                if (row.low is not None and row.low > 0)
                or (row.high is not None and row.high < 1)
                else (None if row.high is None else len(str(row.high)))
            )
            codec = ValueCodec(
                row.annotation,
                row.fmt,
                (bounds,),
                row.parse,
                (row.bounds,),
                int_digits=digits,
            )
            return self._faceted(codec, rest, row, where)
        if (
            row.fmt == "_fmt_str"
            and len(facets.patterns) <= 1
            and (facets.enumeration is None)
        ):
            pattern = (
                self.pattern(facets.patterns[0], where) if facets.patterns else None
            )
            low = facets.length if facets.length is not None else facets.min_length
            high = facets.length if facets.length is not None else facets.max_length
            checks = [str(pattern), str(low), str(high)]
            while checks and checks[-1] == "None":
                checks.pop()
            return ValueCodec(row.annotation, row.fmt, tuple(checks), row.parse)
        return self._faceted(
            ValueCodec(row.annotation, row.fmt, (), row.parse), facets, row, where
        )

    def _faceted(
        self, codec: ValueCodec, facets: Facets, row: Builtin | None, where: str
    ) -> ValueCodec:
        """``codec`` wrapped to check ``facets`` too, where there are any."""
        args: list[str | Call] = []
        patterns = [self.pattern(p, where) for p in facets.patterns]
        listed = [p for p in patterns if p is not None]
        if listed:
            args.append(Call("patterns=", [*listed], collection=True))
        if facets.enumeration is not None:
            listed = sorted(set(facets.enumeration))
            parsed = self._values(row, listed, where)
            if parsed is not None:  # compared as values: "1" and "true" are one
                values = Call("", [*parsed], collection=True, brackets="{}")
                args.append(Call("values=frozenset", [values]))
            else:
                texts = Call(
                    "", [pyrepr(v) for v in listed], collection=True, brackets="{}"
                )
                args.append(Call("enumeration=frozenset", [texts]))
        for name in (
            "length",
            "min_length",
            "max_length",
            "total_digits",
            "fraction_digits",
        ):
            value = getattr(facets, name)
            if value is not None:
                args.append(f"{name}={value}")
        parser = _BOUND_PARSERS.get(row.fmt) if row is not None else None
        if parser is not None:
            for side, inclusive, exclusive in (
                ("low", facets.min_inclusive, facets.min_exclusive),
                ("high", facets.max_inclusive, facets.max_exclusive),
            ):
                bound = exclusive if exclusive is not None else inclusive
                if bound is None:
                    continue
                try:
                    parser[1](bound)
                except (ValueError, ArithmeticError):
                    self.warnings.append(
                        GenerationWarning(
                            where,
                            f"bound {bound!r} is not checked: not a value of its type",
                        )
                    )
                    continue
                args.append(f"{side}={parser[0]}({pyrepr(bound)})")
                if exclusive is not None:
                    args.append(f"{side}_open=True")
        if not args:
            return codec
        facets_name = self.constant(Call("_Facets", args), "_FACETS_")
        return ValueCodec(
            codec.annotation,
            "_fmt_faceted",
            (codec.fmt, facets_name, *codec.fmt_extra),
            codec.parse,
            codec.parse_extra,
            int_digits=codec.int_digits,
        )

    def _values(
        self, row: Builtin | None, listed: list[str], where: str
    ) -> list[str] | None:
        """An enumeration of a type that is not text, as the expressions of its
        values (None: compare texts)."""
        if row is None or row.annotation == "str":
            return None
        checks: dict[str, Callable[[str], object]] = {
            "_fmt_int": int,
            "_fmt_bool": lambda t: {"true": 1, "1": 1, "false": 0, "0": 0}[t],
            "_fmt_float": float,
        }
        check = checks.get(row.fmt) or _LITERAL_PARSERS.get(row.fmt, ("", None))[1]
        if check is None:
            return None
        try:
            for text in listed:
                check(text.strip())
        except (ValueError, KeyError, ArithmeticError, binascii.Error):
            return None
        return [f"{row.parse}({pyrepr(text)})" for text in listed]

    def pattern(self, pattern: str, where: str) -> str | None:
        problem = regex_problem(pattern)
        if problem is not None:
            self.warnings.append(
                GenerationWarning(
                    where,
                    f"pattern {pattern!r} {problem}; it is not checked before sending",
                )
            )
            return None
        return self.constant(Call("re.compile", [pyrepr(pattern)]), "_PATTERN_")

    def enum_reference(self, name: str) -> str:
        """How a default names the enum class ``name``: through its alias when
        some field has that name too (a class body that declares the field in
        ``__slots__`` is, for pyright, a scope where the name is that slot)."""
        return shadow_alias(name) if name in self._field_names else name

    @functools.cached_property
    def _field_names(self) -> set[str]:
        """Every field name of every class."""
        return {
            f.py_name
            for t in self.project.types.values()
            if isinstance(t, ComplexType)
            for f in t.all_fields
        }

    def literal(self, s: SimpleType | None, text: str | None) -> str:
        """The Python literal of a schema default or fixed value ("None": none)."""
        if text is None or s is None or s.variety != "atomic":
            return "None"
        enum = self.project.types.get(s.enum) if s.enum is not None else None
        if isinstance(enum, EnumType):
            members = {value: member for member, value in enum.members}
            name = self.enum_reference(enum.py_name)
            return f"{name}.{members[text]}" if text in members else "None"
        row = builtin(s.builtin)
        annotation = row.annotation
        parser = _LITERAL_PARSERS.get(row.fmt)
        if parser is not None:  # read at import, once: checked here first
            try:
                parser[1](text.strip())
            except (ValueError, ArithmeticError, binascii.Error):
                return "None"
            return f"{parser[0]}({pyrepr(text)})"
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

    # -- fields ------------------------------------------------------------------

    def field_view(self, owner: ComplexType, f: Field) -> FieldView:
        if id(f) in self._fields:
            return self._fields[id(f)]
        view = self._field_view(owner, f)
        self._fields[id(f)] = view
        return view

    def _field_view(self, owner: ComplexType, f: Field) -> FieldView:
        where = f"type {owner.xml_name}, field {f.xml_name}"
        kind: WriteKind
        codec: ValueCodec | None = None
        value_type = ""
        extra: dict[str, object] = {}
        simple: SimpleType | None = None
        decl = f.element
        if f.kind == "attribute":
            assert f.attribute is not None
            kind, simple = "attribute", f.attribute.type
            codec = self.codec(simple, where)
            value_type = codec.annotation
        elif f.kind == "text":
            assert f.simple is not None
            kind, simple = "text", f.simple
            codec = self.codec(simple, where)
            value_type = codec.annotation
        elif f.kind == "any":
            assert f.wildcard is not None
            kind, value_type = "any", "etree._Element"
            extra["wildcard"] = _wildcard_literals(
                f.wildcard.allowed, f.wildcard.excluded
            )
        elif f.kind == "any_attribute":
            kind, value_type = "any_attribute", "dict[str, str]"
        elif f.kind == "mixed":
            kind, value_type = "mixed", "str"
        elif f.kind == "group":
            assert f.group is not None
            target = self.project.complex(f.group)
            kind, value_type = "group", target.py_name
            extra.update(object_type=target.py_name, writer=target.helpers["write"])
        else:
            assert decl is not None
            item = f.soap_array if f.soap_array is not None else decl.type
            if isinstance(item, SimpleType):
                kind, simple = "value", item
                codec = self.codec(item, where)
                value_type = codec.annotation
            elif item == ANY_TYPE:
                kind, value_type = "anytype", "Any"
            else:
                target = self.project.complex(item)
                kind, value_type = "object", target.py_name
                extra.update(
                    object_type=target.py_name,
                    writer=target.helpers["write"],
                    reader=target.helpers["read"],
                    polymorphic=bool(self.project.subtypes(target)) or target.abstract,
                )
                if target.has_simple_content and target.simple is not None:
                    inner = self.codec(target.simple, where)
                    value_type = f"{inner.annotation} | {target.py_name}"
                    extra.update(
                        simple_value=True,
                        simple_writer=target.helpers["simple_write"],
                        simple_list_writer=target.helpers["simple_list"],
                        simple_reader=target.helpers["simple_read"],
                    )
            if decl.xsi_type is not None:
                extra["xsi_type"] = (decl.xsi_type.namespace, decl.xsi_type.local)
            if f.soap_array is not None:
                announced = f.soap_array
                name = (
                    announced.name
                    if isinstance(announced, SimpleType)
                    else self.project.complex(announced).type_name
                    if announced != ANY_TYPE
                    else None
                )
                if name is None:
                    name = QName("http://www.w3.org/2001/XMLSchema", "anyType")
                extra["soap_array"] = (name.namespace, name.local)
                extra["xsi_type"] = None
        repeated = f.repeated
        required = not f.optional and kind not in ("any_attribute", "mixed")
        nil = ""
        # Nil keeps the attributes a type requires: NIL alone cannot stand for
        # an element whose type requires some, so such elements are not nil.
        if (
            decl is not None
            and kind in ("value", "object", "anytype")
            and shape.nillable(self.project, decl)
        ):
            nil = "none" if required and not repeated else "nil"
            value_type = f"{value_type} | Nil" if nil == "nil" else value_type
        fixed_text = (
            decl.fixed
            if decl is not None
            else (f.attribute.fixed if f.attribute is not None else None)
        )
        fixed = self.literal(simple, fixed_text)
        default_text = (
            decl.default
            if decl is not None
            else (f.attribute.default if f.attribute is not None else None)
        )
        blank = "[]" if repeated else "None"
        default: str | None
        init: str | Call | Ternary
        if kind == "any_attribute":
            annotation, param, default = value_type, f"{value_type} | None", "None"
            init = Ternary("{}", f"{f.py_name} is None", f"{{**{f.py_name}}}")
            blank = "{}"
        elif repeated:
            annotation = f"list[{value_type}]"  # each item must be the fixed value
            if required and f.min > 0:
                param, default, init = (
                    f"Sequence[{value_type}]",
                    None,
                    Call("", [f"*{f.py_name}"], brackets="[]"),
                )
            else:
                param, default = f"Sequence[{value_type}] | None", "None"
                init = Ternary("[]", f"{f.py_name} is None", f"[*{f.py_name}]")
        elif required and nil == "none":
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
            # it is sent unless the caller passes None. Not in a choice or an
            # optional group, where a default would give the group by itself.
            annotation = param = f"{value_type} | None"
            if f.guarded:
                default = "None"
            elif fixed != "None":
                default = fixed
            else:
                default = self.literal(simple, default_text)
            init = f.py_name
        tag = ""
        if kind in ("attribute", "value", "object", "anytype"):
            tag = self.tag(f.qname)
        # An element present but empty has its schema default (or fixed) value.
        empty_text = default_text if default_text is not None else fixed_text
        if kind == "value" and decl is not None and empty_text is not None:
            extra["empty"] = pyrepr(empty_text)
        return FieldView(
            name=f.py_name,
            xml_name=f.xml_name,
            doc=f.doc,
            kind=kind,
            tag=tag,
            annotation=annotation,
            param=param,
            default=default,
            init=init,
            blank=blank,
            repeated=repeated,
            required=required,
            min=f.min,
            max=f.max,
            codec=codec,
            fixed=None if fixed == "None" else fixed,
            nil=nil,  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )

    def check_view(self, owner: ComplexType, c: Check) -> CheckView:
        return CheckView(
            c.kind,
            c.min,
            c.max,
            self.field_view(owner, c.field) if c.field is not None else None,
            [self.check_view(owner, child) for child in c.children],
            c.emptiable,
        )

    # -- types -------------------------------------------------------------------

    def type_view(self, typedef: TypeDef) -> TypeView:
        if typedef.key in self._types:
            return self._types[typedef.key]
        if isinstance(typedef, EnumType):
            view = TypeView(
                typedef.py_name,
                typedef.doc,
                "enum",
                None,
                False,
                [],
                [],
                enum_members=typedef.members,
                helpers=typedef.helpers,
            )
            reference = self.enum_reference(typedef.py_name)
            view.alias = reference if reference != typedef.py_name else None
            self._types[typedef.key] = view
            return view
        base = self.project.complex(typedef.base) if typedef.base else None
        all_fields = [self.field_view(typedef, f) for f in typedef.all_fields]
        own = [self.field_view(typedef, f) for f in typedef.fields]
        view = TypeView(
            name=typedef.py_name,
            doc=typedef.doc,
            kind="group" if typedef.kind == "group" else "complex",
            base=base.py_name if base else None,
            abstract=typedef.abstract,
            own=own,
            all=all_fields,
            hidden=[
                (f.py_name, "[]" if f.repeated else "None") for f in typedef.hidden
            ],
            element_tag=self.tag(typedef.element) if typedef.element else None,
            value_field=next((v for v in all_fields if v.kind == "text"), None),
            xsi_type=str(typedef.key) if typedef.kind == "type" else "",
            element_of=str(typedef.element)
            if typedef.kind == "element" and typedef.element
            else "",
            simple_content=typedef.has_simple_content,
            helpers=typedef.helpers,
            check=self.check_view(typedef, typedef.check) if typedef.check else None,
            reader_kind=typedef.reader,
        )
        self._types[typedef.key] = view
        view.writer = emit.writer(view)
        if view.kind != "group":
            view.reader = emit.reader(view)
        return view

    def content_table(self, typedef: ComplexType) -> str:
        def view_of(f: Field) -> FieldView:
            return self.field_view(typedef, f)

        def group_of(f: Field) -> tuple[str, Particle | None]:
            assert f.group is not None
            group = self.project.complex(f.group)
            return group.helpers["blank"], group.effective

        return layout(emit.content_table(typedef, view_of, group_of), 0)

    # -- operations and the module ---------------------------------------------------

    def operation_view(
        self, port: Port, op: Operation, aliases: dict[str, str]
    ) -> OperationView:
        """``aliases``: the names an earlier method of the port shadows, and the
        private name the port class body uses for each instead."""
        assert op.input.element is not None
        request_type = self.project.element(op.input.element)
        request = self.type_view(request_type)
        if op.output is None or op.output.element is None:
            returns, reader, response_tag = "None", "", None
        else:
            out = self.project.element(op.output.element)
            out_view = self.type_view(out)
            response_tag = self.tag(op.output.element)
            if out.is_simple_value and out_view.value_field is not None:
                returns = out_view.value_field.annotation
                reader = out.helpers["value_of"]
            else:
                returns = out.py_name
                reader = out.helpers["read"]
        request_id = next(
            (
                f.py_name
                for f in request_type.all_fields
                if op.idempotency_key
                and f.xml_name == op.idempotency_key
                and f.kind == "element"
            ),
            None,
        )
        return OperationView(
            safe=bool(op.retry),
            retry=op.retry,
            request_id=request_id,
            idempotency_key=op.idempotency_key,
            wsa_action=op.wsa_action if op.wsa_action != op.soap_action else "",
            name=op.py_name,
            xml_name=op.name,
            doc=op.doc,
            action=op.soap_action,
            request=request,
            returns=returns,
            reader=reader,
            response_tag=response_tag,
            request_tag=self.tag(op.input.element),
            headers=[
                self.project.element(h.element).py_name
                for h in op.headers
                if h.element is not None
            ],
            answer_headers=[
                (
                    self.project.element(h.element).py_name,
                    self.tag(h.element),
                    self.project.element(h.element).helpers["read"],
                )
                for h in op.output_headers
                if h.element is not None
            ],
            aliases=aliases,
        )

    def port_view(self, port: Port) -> PortView:
        """A port's methods, ordered so that no method's signature names a type a
        method before it shadows (see :func:`order_operations`)."""
        ops = [op for op in port.operations if op.input.element is not None]
        plain = [self.operation_view(port, op, {}) for op in ops]
        order, shadowed = order_operations(
            [view.name for view in plain], [_mentions(view) for view in plain]
        )
        views, used = [], {}
        for i in order:
            if not shadowed[i]:
                views.append(plain[i])
                continue
            aliases = {name: shadow_alias(name) for name in sorted(shadowed[i])}
            used.update(aliases)
            views.append(self.operation_view(port, ops[i], aliases))
        return PortView(
            name=port.py_name,
            doc=port.doc,
            address=port.address,
            soap_version=port.soap_version,
            envelope_ns=port.envelope_ns,
            operations=views,
            aliases=sorted((alias, name) for name, alias in used.items()),
            async_name=port.async_py_name,
        )

    def module_view(self, types: list[TypeDef], source: str) -> ModuleView:
        type_views = [self.type_view(t) for t in types]
        ports = [self.port_view(port) for port in self.project.ports]
        tables = [
            (t.helpers["content"], self.content_table(t))
            for t in types
            if isinstance(t, ComplexType) and t.reader == "match" and t.kind != "group"
        ]
        maps, roots = self.root_namespaces(types)
        complex_views = [v for v in type_views if v.kind != "enum"]
        return ModuleView(
            version=__version__,
            source=source,
            source_hash=self.project.source_hash,
            types=type_views,
            ports=ports,
            constants=list(self._constants.values()),
            faults=self.fault_views(),
            namespace_maps=maps,
            roots=roots,
            model_prefixes=self.model_prefixes(types),
            content_tables=tables,
            uses_encoding=any(
                f.xsi_type or f.soap_array for t in complex_views for f in t.own
            ),
            uses_soap_arrays=any(f.soap_array for t in complex_views for f in t.own),
            uses_mixed=any(f.kind == "mixed" for t in complex_views for f in t.own),
        )

    def model_prefixes(self, types: list[TypeDef]) -> list[tuple[str, str]]:
        """The prefix each namespace of an element gets on its model (see _sub in
        the runtime template): ``w0``, ``w1``... in namespace order, one each."""
        namespaces = {
            f.qname.namespace
            for t in types
            if isinstance(t, ComplexType)
            for f in t.all_fields
            if f.kind == "element" and f.qname.namespace
        }
        return [
            (pyrepr(ns), pyrepr(f"w{i}")) for i, ns in enumerate(sorted(namespaces))
        ]

    def root_namespaces(
        self, types: list[TypeDef]
    ) -> tuple[
        list[tuple[str, list[tuple[str, str]]]], list[tuple[str, str, str, str]]
    ]:
        """The prefixes each request and header element declares on its root.

        Its own namespace is ``ns0`` and the others follow in order, so that lxml
        need not make up prefixes while writing the content the schema declares.
        """
        elements: dict[str, tuple[QName, ComplexType]] = {}
        for port in self.project.ports:
            for op in port.operations:
                for msg in (op.input, *op.headers):
                    if msg is not None and msg.element is not None:
                        typedef = self.project.element(msg.element)
                        elements.setdefault(typedef.py_name, (msg.element, typedef))
        inner_of = _content_namespaces(self.project, types)
        constants: dict[tuple[tuple[str, str], ...], str] = {}
        roots = []
        for name, (element, typedef) in sorted(elements.items()):
            inner = inner_of.get(typedef.key, frozenset())
            own = [element.namespace] if element.namespace else []
            others = sorted(inner - {element.namespace})
            literal = tuple(
                (pyrepr(f"ns{i}"), pyrepr(ns)) for i, ns in enumerate([*own, *others])
            )
            if literal not in constants:
                constants[literal] = f"_NSMAP_{len(constants) + 1}"
            roots.append(
                (name, typedef.helpers["write"], self.tag(element), constants[literal])
            )
        return [(c, list(literal)) for literal, c in constants.items()], roots

    def fault_views(self) -> list[FaultView]:
        views: dict[str, FaultView] = {}
        for port in self.project.ports:
            for op in port.operations:
                for msg in op.faults:
                    if msg.element is not None and msg.py_name not in views:
                        info = self.project.element(msg.element)
                        views[msg.py_name] = FaultView(
                            msg.py_name,
                            info.py_name,
                            info.helpers["read"],
                            self.tag(msg.element),
                        )
        return list(views.values())


def _content_namespaces(
    project: Project, types: list[TypeDef]
) -> dict[QName, frozenset[str]]:
    """The namespaces of the elements and attributes an element of each type may
    hold, at any depth (wildcards may bring others): a fixed point, since
    types may be recursive, and a walk per request type would be quadratic."""
    own: dict[QName, set[str]] = {}
    parts: dict[QName, set[QName]] = {}
    complex_types = [t for t in types if isinstance(t, ComplexType)]
    for typedef in complex_types:
        names: set[str] = set()
        inner: set[QName] = set()
        own[typedef.key], parts[typedef.key] = names, inner
        for f in typedef.all_fields:
            if f.kind in ("element", "attribute") and f.qname.namespace not in (
                "",
                XML,
            ):
                names.add(f.qname.namespace)
            target: QName | None = None
            if f.kind == "group":
                target = f.group
            elif f.kind == "element" and f.element is not None:
                item = f.soap_array if f.soap_array is not None else f.element.type
                if isinstance(item, QName) and item != ANY_TYPE:
                    target = item
            if target is None or target not in project.types:
                continue
            inner.add(target)
            found = project.types[target]
            if isinstance(found, ComplexType):
                inner.update(t.key for t in project.subtypes(found))
    changed = True
    while changed:  # spread each part's namespaces to the types holding it
        changed = False
        for key, inner in parts.items():
            names = own[key]
            size = len(names)
            for part in inner:
                names |= own.get(part, set())
            changed |= len(names) != size
    return {key: frozenset(names) for key, names in own.items()}


def _wildcard_literals(
    allowed: frozenset[str] | None, excluded: frozenset[str]
) -> tuple[str | Call, str | Call]:
    def literal(names: frozenset[str]) -> str | Call:
        if not names:
            return "frozenset()"
        items: list[str | Call] = [pyrepr(n) for n in sorted(names)]
        return Call("frozenset", [Call("", items, collection=True, brackets="{}")])

    return ("None" if allowed is None else literal(allowed), literal(excluded))


def _int_bounds(row: Builtin, facets: Facets) -> tuple[int | None, int | None]:
    low, high = row.low, row.high
    for value, exclusive, is_low in (
        (facets.min_inclusive, False, True),
        (facets.min_exclusive, True, True),
        (facets.max_inclusive, False, False),
        (facets.max_exclusive, True, False),
    ):
        if value is None:
            continue
        try:
            number = decimal.Decimal(value)
            floor, ceiling = (
                int(number.to_integral_value(decimal.ROUND_FLOOR)),
                int(number.to_integral_value(decimal.ROUND_CEILING)),
            )
        except (ValueError, ArithmeticError):
            continue
        if is_low:
            bound = floor + 1 if exclusive else ceiling
        else:
            bound = ceiling - 1 if exclusive else floor
        if is_low:
            low = bound if low is None else max(low, bound)
        else:
            high = bound if high is None else min(high, bound)
    return low, high


def regex_problem(pattern: str) -> str | None:
    """Why Python's ``re`` cannot read ``pattern`` as XML Schema means it (None:
    it can): what the module checks, and what ``wsdlbind mock`` makes a sample
    of."""
    if _XSD_ONLY_REGEX.search(pattern) or _has_class_subtraction(pattern):
        return "uses XSD-only regex syntax"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a regular expression Python reads ({exc})"
    return None


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


def _mentions(op: OperationView) -> set[str]:
    """The module-level names an operation's signatures use (an enum default
    names its enum too)."""
    texts = [op.request.name, op.returns, *op.fixed_params]
    texts += [f.param for f in op.request.all]
    named = {name for text in texts for name in names_in(text)}
    return named | {d for f in op.request.all if (d := default_owner(f.default))}


def order_operations(
    names: list[str], mentions: list[set[str]]
) -> tuple[list[int], list[set[str]]]:
    """The order of a port's methods, and the names each must reach by alias.

    Inside a class body a method shadows a module-level class of the same name
    for every method after it (type checkers resolve the names of signatures
    there in order), so a method whose signature names another method's type
    comes before that method. Otherwise the WSDL's order stays. Only methods on
    a cycle (``A`` takes a ``B`` and ``B`` returns an ``A``) cannot all be placed
    so: for them the second set lists the names to refer to through an alias.
    """
    index = {name: i for i, name in enumerate(names)}
    before: list[set[int]] = [set() for _ in names]  # j -> those that go first
    for i, mentioned in enumerate(mentions):
        for name in mentioned:
            j = index.get(name)
            if j is not None and j != i:
                before[j].add(i)
    waiting = [len(b) for b in before]
    then: list[list[int]] = [[] for _ in names]
    for j, b in enumerate(before):
        for i in b:
            then[i].append(j)
    ready = [j for j, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    placed = [False] * len(names)
    while len(order) < len(names):
        if ready:
            j = heapq.heappop(ready)
        else:  # a cycle: the first of it in the WSDL's order goes now
            j = next(k for k, done in enumerate(placed) if not done)
        if placed[j]:
            continue
        placed[j] = True
        order.append(j)
        for k in then[j]:
            waiting[k] -= 1
            if waiting[k] == 0 and not placed[k]:
                heapq.heappush(ready, k)
    defined: set[str] = set()
    shadowed: list[set[str]] = [set() for _ in names]
    for j in order:
        shadowed[j] = (mentions[j] & defined) - {names[j]}
        defined.add(names[j])
    return order, shadowed
