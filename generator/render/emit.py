"""Statement emitters: each type's writer, reader and content checks, composed
from the views as calls and statements (never by editing code as text), laid
out by :mod:`.pycode`.

A writer first checks what the content model asks of the fields together
(choices, optional groups, counts), then writes each field in the order the
schema gives. A reader dispatches on each child's tag, or, for content the
tag alone cannot place, hands the children to the runtime's matcher with a
table of the type's particles (``_CONTENT_*``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ..model import (
    ComplexType,
    ElementParticle,
    Field,
    ModelGroup,
    Particle,
    WildcardParticle,
)
from .pycode import (
    LINE_LENGTH,
    And,
    Block,
    Call,
    Ternary,
    annotated,
    assignment,
    for_,
    if_,
    layout,
    pyrepr,
    returning,
    top_level_split,
)
from .views import CheckView, FieldView, TypeView

_NIL_TEST = 'child.get(_XSI_NIL) in ("true", "1")'


# -- writers ---------------------------------------------------------------------


def writer(t: TypeView) -> str:
    """``_write_T(el, obj, path)``: checks, then attributes, elements, text."""
    head = Call(
        f"def {t.helpers['write']}",
        ["el: etree._Element", f"obj: {t.name}", "path: str"],
        " -> None:",
    )
    b = Block(4)
    with b.under(if_(Call("not isinstance", ["obj", t.name]), 4)):
        b.add(_raise(Call("_wrong_type", ["path", t.name, "obj"])))
    if t.abstract:
        with b.under(if_(f"type(obj) is {t.name}", 4)):
            rule = pyrepr(f"{t.name} is abstract: give one of its subtypes")
            b.add(_raise(Call("_invalid", ["path", '""', rule])))
    if t.check is not None:
        check(t.check, b, present=False)
    for f in t.all:
        if f.kind == "attribute":
            _write_attribute(f, b)
        elif f.kind == "any_attribute":
            with b.under(f"for attribute, text in obj.{f.name}.items():"):
                b.add("el.set(attribute, text)")
    for f in t.all:
        if f.kind in ("value", "object", "anytype", "group", "any"):
            write_content_field(f, b)
        elif f.kind == "text":
            assert f.codec is not None
            fmt = f.codec.write(f"obj.{f.name}", pyrepr(f.name))
            b.add(_assign("el.text", fmt))
        elif f.kind == "mixed":
            b.add(f"_write_mixed(el, obj.{f.name}, path)")
    return layout(head, 0) + "\n" + b.text()


def _stmt(call: Call) -> Callable[[int], str]:
    """A call statement, laid out where it lands."""
    return lambda indent: layout(call, indent)


def _assign(target: str, value: Call | Ternary | str) -> Callable[[int], str]:
    return lambda indent: assignment(target, value, indent)


def _if(condition: Call | And | str, keyword: str = "if") -> Callable[[int], str]:
    return lambda indent: if_(condition, indent, keyword)


def _raise(error: Call) -> Callable[[int], str]:
    return lambda indent: layout(replace(error, head="raise " + error.head), indent)


@dataclass
class _Rule:
    """``if <conditions>: raise <error>``."""

    conditions: list[Call | str]
    error: Call


@dataclass
class _Guard:
    """Checks that apply only when ``conditions`` hold."""

    conditions: list[Call | str]
    items: list[_Rule | _Guard | _Statement]


@dataclass
class _Statement:
    text: Callable[[int], str]


def check(c: CheckView, b: Block, *, present: bool) -> None:
    """Statements checking ``c``; ``present``: its group is known to be given."""
    _emit(_check_items(c, present, itertools.count(1)), b, [])


def _emit(
    items: list[_Rule | _Guard | _Statement], b: Block, outer: list[Call | str]
) -> None:
    """The items as statements; a guard around one check becomes one ``if``
    with both conditions (what ruff's collapsible-if rule asks)."""
    for item in items:
        if isinstance(item, _Statement):
            b.add(item.text)
        elif isinstance(item, _Rule):
            condition = And(tuple([*outer, *item.conditions]))
            with b.under(_if(condition)):
                b.add(_raise(item.error))
        elif len(item.items) == 1 and not isinstance(item.items[0], _Statement):
            _emit(item.items, b, [*outer, *item.conditions])
        else:
            condition = And(tuple([*outer, *item.conditions]))
            with b.under(_if(condition)):
                _emit(item.items, b, [])


def _check_items(
    c: CheckView, present: bool, numbers: Iterator[int]
) -> list[_Rule | _Guard | _Statement]:
    """What checking ``c`` takes; ``numbers`` names each choice's variable."""
    if c.kind == "field":
        assert c.field is not None
        name = pyrepr(c.field.name)
        return [
            _Rule([condition], Call("_invalid", ["path", name, pyrepr(rule)]))
            for condition, rule in _count_rules(c, present)
        ]
    if c.kind == "all":
        items = [
            item for child in c.children for item in _check_items(child, False, numbers)
        ]
        if not items or c.min >= 1 or present:
            return items
        return [_Guard([_present(c.fields())], items)]
    branches = c.children
    if not branches:  # an empty choice: nothing to give, nothing to check
        return []
    label = " / ".join(" + ".join(f.name for f in child.fields()) for child in branches)
    required = (c.min >= 1 or present) and not any(x.emptiable for x in branches)
    if all(child.kind == "field" for child in branches):
        return _simple_choice(branches, label, required, numbers)
    tuples = [
        Call("", [f"obj.{f.name}" for f in child.fields()], collection=True)
        for child in branches
    ]
    chosen = Call("_chosen", ["path", pyrepr(label), str(required), *tuples])
    number = next(numbers)
    variable = "branch" if number == 1 else f"branch_{number}"
    inner = [
        (i, _check_items(child, True, numbers)) for i, child in enumerate(branches)
    ]
    inner = [(i, items) for i, items in inner if items]
    if not inner:
        return [_Statement(_stmt(chosen))]
    found: list[_Rule | _Guard | _Statement] = [_Statement(_assign(variable, chosen))]
    found += [_Guard([f"{variable} == {i}"], items) for i, items in inner]
    return found


def _count_rules(c: CheckView, present: bool) -> list[tuple[str, str]]:
    """(condition, rule) pairs a field's value count must not meet."""
    f = c.field
    assert f is not None
    if f.soap_array is not None or f.kind in ("attribute", "any_attribute", "text"):
        return []
    if not f.repeated:
        if c.min >= 1 and not present and f.nil != "none":
            return [(f"obj.{f.name} is None", "is required")]
        return []
    rules = []
    unit = "element(s)" if f.kind == "any" else "item(s)"
    if c.min > (1 if present else 0):
        rules.append((f"len(obj.{f.name}) < {c.min}", f"needs at least {c.min} {unit}"))
    if c.max is not None:
        rules.append((f"len(obj.{f.name}) > {c.max}", f"takes at most {c.max} {unit}"))
    return rules


def _simple_choice(
    branches: list[CheckView], label: str, required: bool, numbers: Iterator[int]
) -> list[_Rule | _Guard | _Statement]:
    """A choice of single fields, checked inline: it runs for every request,
    and a count of the fields given is the cheapest test there is."""
    fields = [child.field for child in branches if child.field is not None]

    def given_term(f: FieldView) -> str:
        test = f"bool(obj.{f.name})" if f.repeated else f"obj.{f.name} is not None"
        # int(): a count for the message, even where the sum has one term
        return (
            f"int({test})"
            if len(fields) == 1
            else f"({test})"
            if not f.repeated
            else test
        )

    terms = [given_term(f) for f in fields]
    number = next(numbers)
    variable = "given" if number == 1 else f"given_{number}"
    test = f"{variable} != 1" if required else f"{variable} > 1"
    error = Call("_choice_error", ["path", pyrepr(label), str(required), variable])
    found: list[_Rule | _Guard | _Statement] = [
        _Statement(_count(variable, fields, terms)),
        _Rule([test], error),
    ]
    for child, f in zip(branches, fields, strict=True):
        items = _check_items(child, True, numbers)
        if items:
            given = f"obj.{f.name}" if f.repeated else f"obj.{f.name} is not None"
            found.append(_Guard([given], items))
    return found


def _count(
    variable: str, fields: list[FieldView], terms: list[str]
) -> Callable[[int], str]:
    """``given = (obj.A is not None) + bool(obj.B)``; too long for a line, one
    test a statement."""

    def text(indent: int) -> str:
        flat = f"{variable} = {' + '.join(terms)}"
        if indent + len(flat) <= LINE_LENGTH:
            return flat
        pad = " " * indent
        lines = [f"{variable} = 0"]
        for f in fields:
            test = f"obj.{f.name}" if f.repeated else f"obj.{f.name} is not None"
            lines += [pad + if_(test, indent), f"{pad}    {variable} += 1"]
        return "\n".join(lines)

    return text


def _present(fields: list[FieldView]) -> Call:
    return Call("_present", [f"obj.{f.name}" for f in fields])


def _write_attribute(f: FieldView, b: Block) -> None:
    assert f.codec is not None
    value = f"obj.{f.name}"
    fmt = f.codec.write(value, pyrepr(f.name))
    put = Call("el.set", [f.tag, fmt])
    if f.required:
        with b.under(if_(f"{value} is None", b.indent)):
            b.add(_raise(Call("_invalid", ["path", pyrepr(f.name), '"is required"'])))
        _fixed(f, value, b)
        b.add(lambda i: layout(put, i))
        return
    with b.under(if_(f"{value} is not None", b.indent)):
        _fixed(f, value, b)
        b.add(lambda i: layout(put, i))


def _fixed(f: FieldView, value: str, b: Block) -> None:
    if f.fixed is None:
        return
    with b.under(if_(f"{value} != {f.fixed}", b.indent)):
        rule = pyrepr(f"must be {f.fixed}, which the schema fixes")
        b.add(_raise(Call("_invalid", ["path", pyrepr(f.name), rule])))


def write_content_field(f: FieldView, b: Block) -> None:
    """The statements writing an element, group or wildcard field."""
    value = f"obj.{f.name}"
    sub_path = f"path + {pyrepr('.' + f.name)}"
    if f.kind == "any":
        assert f.wildcard is not None
        allowed, excluded = f.wildcard
        call = Call(
            "_write_any", ["el", value, "path", pyrepr(f.name), allowed, excluded]
        )
        if f.required:
            b.add(lambda i: layout(call, i))
        else:
            with b.under(if_(value, b.indent)):
                b.add(lambda i: layout(call, i))
        return
    if f.soap_array is not None:
        _write_soap_array(f, value, b)
        return
    if f.repeated:
        _write_list(f, value, b)
        return
    if f.nil == "none":
        with b.under(if_(f"{value} is None", b.indent)):
            b.add(_nil_element(f.tag))
        with b.under("else:"):
            _write_one(f, value, sub_path, b)
        return
    if f.nil == "nil":
        with b.under(if_(f"isinstance({value}, Nil)", b.indent)):
            b.add(_nil_element(f.tag))
        with b.under(if_(f"{value} is not None", b.indent, "elif")):
            _write_one(f, value, sub_path, b)
        return
    if f.required:
        _write_one(f, value, sub_path, b)
        return
    with b.under(if_(f"{value} is not None", b.indent)):
        _write_one(f, value, sub_path, b)


def _write_one(f: FieldView, value: str, sub_path: str, b: Block) -> None:
    """Write ``value`` (known not to be None) for ``f``."""
    if f.fixed is not None:
        _fixed(f, value, b)
    if f.kind == "value":
        assert f.codec is not None
        fmt = f.codec.write(value, pyrepr(f.name))
        b.add(lambda i: assignment("text", fmt, i))
        b.add(lambda i: layout(replace(_child(f), tail=".text = text"), i))
    elif f.kind == "anytype":
        call = Call("_write_anytype", ["el", f.tag, value, sub_path])
        b.add(lambda i: layout(call, i))
    elif f.kind == "group":
        call = Call(f.writer, ["el", value, sub_path])
        b.add(lambda i: layout(call, i))
    elif f.simple_value:
        call = Call(f.simple_writer, ["el", f.tag, value, sub_path])
        b.add(lambda i: layout(call, i))
    elif f.polymorphic:
        call = Call("_write_poly", ["el", f.tag, value, f.object_type, sub_path])
        b.add(lambda i: layout(call, i))
    else:
        call = Call(f.writer, [_child(f), value, sub_path])
        b.add(lambda i: layout(call, i))


def _child(f: FieldView) -> Call:
    """The call making ``f``'s element under ``el``."""
    if f.xsi_type is None:
        return Call("_sub", ["el", f.tag])
    namespace, name = f.xsi_type
    return Call("_typed_sub", ["el", f.tag, pyrepr(namespace), pyrepr(name)])


def _write_list(f: FieldView, values: str, b: Block) -> None:
    if f.fixed is not None:  # every item must be the value the schema fixes
        with b.under(lambda i: for_(f"v_{f.name}", values, i)):
            _fixed(f, f"v_{f.name}", b)
    if f.kind == "value" and f.nil != "nil":
        assert f.codec is not None
        item = f.codec.write("v", pyrepr(f.name))
        b.add(lambda i: _append_texts(f, item, values, i))
        return
    if f.simple_value and f.nil != "nil":
        call = Call(
            f.simple_list_writer,
            ["el", f.tag, values, f"path + {pyrepr('.' + f.name)}"],
        )
        b.add(lambda i: layout(call, i))
        return
    loop = f"v_{f.name}"  # a name per field: mypy types each loop variable once
    if f.kind != "value":  # a value's errors name the field itself, not an item
        b.add(f"p = path + {pyrepr('.' + f.name)}")
    with b.under(lambda i: for_(loop, values, i)):
        if f.nil == "nil":
            with b.under(if_(f"isinstance({loop}, Nil)", b.indent)):
                b.add(_nil_element(f.tag))
                b.add("continue")
        _write_one(replace(f, fixed=None), loop, "p", b)


def _append_texts(f: FieldView, item: Call, values: str, indent: int) -> str:
    """``_append_texts(el, tag, [fmt(v) for v in values])``, as ruff lays it out."""
    comprehension = f"[{item.flat()} for v in {values}]"
    text = layout(Call("_append_texts", ["el", f.tag, comprehension]), indent)
    if all(len(line) <= LINE_LENGTH for line in text.splitlines()):
        return text
    # Too long even one argument a line: ruff splits the comprehension.
    pad = " " * (indent + 8)
    split = (
        f"[\n{pad}{layout(item, indent + 8)}\n{pad}for v in {values}\n"
        f"{' ' * (indent + 4)}]"
    )
    return layout(Call("_append_texts", ["el", f.tag, split]), indent)


def _write_soap_array(f: FieldView, values: str, b: Block) -> None:
    """A SOAP-encoded array: one element, an item per value."""
    assert f.soap_array is not None
    namespace, name = (pyrepr(part) for part in f.soap_array)
    loop = f"v_{f.name}"
    array = Call("_soap_array", ["el", f.tag, namespace, name, f"len({values})"])
    b.add(lambda i: assignment("array", array, i))
    with b.under(lambda i: for_(loop, values, i)):
        b.add(f'item = _typed_sub(array, "item", {namespace}, {name})')
        if f.kind == "value":
            assert f.codec is not None
            fmt = f.codec.write(loop, pyrepr(f.name))
            b.add(lambda i: assignment("item.text", fmt, i))
        else:
            call = Call(f.writer, ["item", loop, f"path + {pyrepr('.' + f.name)}"])
            b.add(lambda i: layout(call, i))


# -- readers ---------------------------------------------------------------------


def reader(t: TypeView) -> str:
    """``_read_T(el, strict)``: attributes, then the children, then the object."""
    head = Call(
        f"def {t.helpers['read']}",
        ["el: etree._Element", "strict: bool"],
        f" -> {t.name}:",
    )
    b = Block(4)
    if t.reader_kind == "match":
        b.add(lambda i: layout(Call(f"obj: {t.name} = _new", [t.name]), i))
        _read_attributes(t, b, target="obj.")
        content = [
            f for f in t.all if f.kind in ("value", "object", "anytype", "group", "any")
        ]
        _fill(
            b,
            [f.name for f in content if not f.repeated],
            [f.name for f in content if f.repeated],
        )
        call = Call("_match_content", [t.helpers["content"], "el", "obj", "strict"])
        b.add(lambda i: layout(call, i))
        for f in t.all:
            if f.kind == "mixed":
                b.add(f"obj.{f.name} = _read_mixed(el)")
        _hidden(t, b)
        b.add("return obj")
        return layout(head, 0) + "\n" + b.text()
    _read_attributes(t, b, target="f_")
    for f in t.all:
        if f.kind == "mixed":
            b.add(f"f_{f.name} = _read_mixed(el)")
        elif f.kind == "text":
            assert f.codec is not None
            b.add(
                _stmt(
                    Call(
                        f"f_{f.name} = {f.codec.parse}",
                        ["el.text", *f.codec.parse_extra],
                    )
                )
            )
        elif f.kind in ("value", "object", "anytype", "group", "any"):
            annotation = f.annotation if f.repeated else _optional(f.annotation)
            b.add(_annotated_blank(f"f_{f.name}", annotation, f.blank))
    children = [f for f in t.all if f.kind in ("value", "object", "anytype")]
    wildcard = next((f for f in t.all if f.kind == "any"), None)
    if children or wildcard is not None:
        # Children the type does not declare are looked at once per reading
        # (see _foreign): at each one, an answer of many would take time
        # growing with the square of their number.
        b.add("_looked = False")
        with b.under("for child in el:"):
            b.add("tag = child.tag")
            keyword = "if"
            for f in children:
                with b.under(_tag_test(f.tag, keyword)):
                    _read_child(f, b)
                keyword = "elif"
            if wildcard is not None:
                assert wildcard.wildcard is not None
                test = Call("_admits_tag", ["tag", *wildcard.wildcard])
                with b.under(lambda i: if_(test, i, keyword)):
                    b.add(f"f_{wildcard.name}.append(child)")
                keyword = "elif"
            declared = Call("", [f.tag for f in children], collection=True)
            again = Call("_foreign", ["el", "child", "strict", declared])
            with b.under(f"{keyword} not _looked and isinstance(tag, str):"):
                b.add("_looked = True")
                with b.under(lambda i: if_(again, i, "if")):
                    again_read = Call(t.helpers["read"], ["el", "strict"])
                    b.add(lambda i: returning(again_read, i))
    elif not any(f.kind == "mixed" for f in t.all):
        with b.under("if strict and len(el):"):
            b.add("raise _unknown(el, el[0])")
    for f in t.all:
        if (
            f.required
            and not f.repeated
            and f.nil != "none"
            and f.kind
            not in (
                "any_attribute",
                "mixed",
            )
        ):
            with b.under(f"if f_{f.name} is None:"):
                b.add(_raise(Call("_missing", ["el", pyrepr(f.xml_name)])))
    b.add(lambda i: layout(Call(f"obj: {t.name} = _new", [t.name]), i))
    for f in t.all:
        b.add(_assign(f"obj.{f.name}", f"f_{f.name}"))
    _hidden(t, b)
    b.add("return obj")
    return layout(head, 0) + "\n" + b.text()


def _hidden(t: TypeView, b: Block) -> None:
    """A restriction's instances still have the base's fields it removed: empty."""
    if t.hidden:
        singles = [n for n, blank in t.hidden if blank == "None"]
        _fill(b, singles, [n for n, blank in t.hidden if blank != "None"])


def _fill(b: Block, singles: list[str], lists: list[str]) -> None:
    """``_fill(obj, singles, lists)``: fields set to None and to [] at once (the
    reader's object is typed as the class, whose fields may not hold None)."""
    fill = Call(
        "_fill",
        [
            "obj",
            Call("", [pyrepr(n) for n in singles], collection=True),
            Call("", [pyrepr(n) for n in lists], collection=True),
        ],
    )
    b.add(lambda i: layout(fill, i))


def _optional(annotation: str) -> str:
    return annotation if annotation.endswith("| None") else f"{annotation} | None"


def _read_attributes(t: TypeView, b: Block, target: str) -> None:
    for f in t.all:
        if f.kind == "attribute":
            assert f.codec is not None
            b.add(f"a = el.get({f.tag})")
            read = f.codec.read("a", temp="_m")
            if target == "obj." and f.required and f.nil != "none":
                # Read straight into the object (content read by matching): a
                # missing required attribute is refused here, as the
                # dispatching reader refuses it once all is read.
                with b.under("if a is None:"):
                    b.add(_raise(Call("_missing", ["el", pyrepr(f.xml_name)])))
                b.add(_assign(f"{target}{f.name}", read))
                continue
            b.add(_assign(f"{target}{f.name}", Ternary("None", "a is None", read)))
        elif f.kind == "any_attribute":
            declared = Call(
                "", [g.tag for g in t.all if g.kind == "attribute"], collection=True
            )
            call = Call("_other_attributes", ["el", declared])
            b.add(_assign(f"{target}{f.name}", call))
        elif f.kind == "text" and target == "obj.":
            assert f.codec is not None
            b.add(
                _stmt(
                    Call(
                        f"obj.{f.name} = {f.codec.parse}",
                        ["el.text", *f.codec.parse_extra],
                    )
                )
            )


def value_reader(
    f: FieldView, node: str, strict: str = "strict", *, inline: bool = True
) -> Call | Ternary | str:
    """The expression reading ``f``'s value from the element named ``node``."""
    if f.kind == "value":
        assert f.codec is not None
        return f.codec.read(f"{node}.text", f.empty, inline=inline)
    if f.kind == "anytype":
        return Call("_read_anytype", [node, strict])
    if f.simple_value:
        return Call(f.simple_reader, [node, strict])
    if f.polymorphic:
        return Call("_read_poly", [node, f.reader, strict])
    return Call(f.reader, [node, strict])


def _read_child(f: FieldView, b: Block) -> None:
    """The statements storing the value read from ``child`` for ``f``."""
    target = f"f_{f.name}"
    if f.soap_array:  # the items of a SOAP-encoded array, whatever their names
        item = value_reader(f, "item", inline=False)
        flat = item if isinstance(item, str) else item.flat()
        b.add(lambda i: assignment(target, f"[{flat} for item in child]", i))
        return
    value = value_reader(f, "child")
    if f.nil:
        nil = "None" if f.nil == "none" else "NIL"
        with b.under(if_(_NIL_TEST, b.indent)):
            b.add(f"{target}.append(NIL)" if f.repeated else f"{target} = {nil}")
        with b.under("else:"):
            _store(f, target, value, b)
        return
    _store(f, target, value, b)


def _store(f: FieldView, target: str, value: Call | Ternary | str, b: Block) -> None:
    if isinstance(value, Ternary):
        if f.repeated:  # one value a line, then appended
            b.add(lambda i: assignment(f"v_{f.name}", value, i))
            b.add(f"{target}.append(v_{f.name})")
        else:
            b.add(lambda i: assignment(target, value, i))
        return
    if f.repeated:
        b.add(lambda i: layout(Call(f"{target}.append", [value]), i))
        return
    if isinstance(value, str):
        b.add(lambda i: assignment(target, value, i))
        return
    if value.head == "_parse_enum" and f.codec is not None:  # a dict lookup first
        lookup = Call(f"{f.codec.lookup}.get", ["child.text"])
        b.add(lambda i: assignment(target, lookup, i))
        with b.under(f"if {target} is None:"):
            b.add(lambda i: assignment(target, value, i))
        return
    if value.head == "_parse_datetime":  # the usual text without a call first
        # YYYY-MM-DDThh:mm:ss, alone or with Z, goes straight to fromisoformat
        # (which takes only ASCII digits): every third character from the
        # fifth on is a separator, one slice and one lookup. Anything else (a
        # zone, which XML Schema bounds to 14:00, a fraction, white space, and
        # what fromisoformat takes but XML Schema does not: basic format, a
        # space for the T) is checked first, as is what fromisoformat refuses
        # on the fast path (24:00:00, or not a date at all).
        slow = value
        b.add('t = child.text or ""')
        with b.under("if t[4::3] in _DATETIME_SEPARATORS:"):
            with b.under("try:"):
                iso = Call("datetime.datetime.fromisoformat", ["t"])
                b.add(lambda i: assignment(target, iso, i))
            with b.under("except ValueError:"):
                b.add(lambda i: assignment(target, slow, i))
        with b.under("else:  # white space around it, or not a dateTime"):
            b.add(lambda i: assignment(target, slow, i))
        return
    b.add(lambda i: assignment(target, value, i))


# -- content tables for the matcher ------------------------------------------------


def content_table(
    ct: ComplexType,
    view_of: Callable[[Field], FieldView],
    group_of: Callable[[Field], tuple[str, Particle | None]],
) -> Call:
    """``_Content(...)``: the particle tree the runtime matches children against.

    ``view_of`` gives a field's view; ``group_of`` a group field's class: its
    blank maker and the tree of one occurrence."""
    root = _as_group(ct.effective)
    return Call("_Content", [_term(root, view_of, group_of)])


def _as_group(p: Particle | None) -> ModelGroup:
    if isinstance(p, ModelGroup) and p.field is None:
        return p
    return ModelGroup("sequence", [p] if p is not None else [])


def _term(
    p: Particle,
    view_of: Callable[[Field], FieldView],
    group_of: Callable[[Field], tuple[str, Particle | None]],
) -> Call:
    high = "None" if p.max is None else str(p.max)
    low = str(p.min)
    if isinstance(p, ElementParticle):
        assert p.field is not None
        f = view_of(p.field)
        tag = pyrepr(str(p.decl.name))
        read = _table_reader(f)
        return Call("_Element", [low, high, tag, pyrepr(f.name), str(f.repeated), read])
    if isinstance(p, WildcardParticle):
        assert p.field is not None
        f = view_of(p.field)
        assert f.wildcard is not None
        return Call("_Any", [low, high, pyrepr(f.name), *f.wildcard])
    if p.field is not None:  # a repeated group with a class of its own
        f = view_of(p.field)
        blank, tree = group_of(p.field)
        inner = _term(_as_group(tree), view_of, group_of)
        args: list[str | Call] = [low, high, pyrepr(f.name), str(f.repeated), blank]
        return Call("_Occurrences", [*args, inner])
    items: list[str | Call] = [_term(c, view_of, group_of) for c in p.particles]
    return Call(
        "_Group", [pyrepr(p.compositor), low, high, Call("", items, collection=True)]
    )


def _table_reader(f: FieldView) -> str | Call:
    """A reader ``(element, strict) -> value`` for the field's values."""
    read: str | Call
    if f.kind == "value":
        assert f.codec is not None
        empty = [] if f.empty is None else [f"empty={f.empty}"]
        read = Call("_text_reader", [f.codec.parse, *f.codec.parse_extra, *empty])
    elif f.kind == "anytype":
        read = "_read_anytype"
    elif f.simple_value:
        read = f.simple_reader
    elif f.polymorphic:
        read = Call("_poly_reader", [f.reader])
    else:
        read = f.reader
    if f.nil:
        return Call("_nillable", [read, "None" if f.nil == "none" else "NIL"])
    return read


def _nil_element(tag: str) -> Callable[[int], str]:
    """``_sub(el, tag).set(_XSI_NIL, "true")``, split as ruff splits it: at the
    last call's parentheses, or, when what comes before them is too long
    itself, at the first call's."""
    call = Call(f"_sub(el, {tag}).set", ["_XSI_NIL", pyrepr("true")])

    def statement(indent: int) -> str:
        if indent + len(call.head) + 1 <= LINE_LENGTH:
            return layout(call, indent)
        pad, inner = " " * indent, " " * (indent + 4)
        tail = f").set(_XSI_NIL, {pyrepr('true')})"
        if len(inner) + len(f"el, {tag}") <= LINE_LENGTH:
            return f"_sub(\n{inner}el, {tag}\n{pad}{tail}"
        return f"_sub(\n{inner}el,\n{inner}{tag},\n{pad}{tail}"

    return statement


def _tag_test(tag: str, keyword: str) -> Callable[[int], str]:
    """``if tag == <tag>:`` (or ``elif``), split as ruff splits a long one."""
    return lambda indent: if_(f"tag == {tag}", indent, keyword)


def _annotated_blank(name: str, annotation: str, blank: str) -> Callable[[int], str]:
    """``name: annotation = blank``, a long one split as ruff splits it: a
    ``list[...]`` annotation opened at its brackets; else the value in
    parentheses when the rest fits, else the annotation."""

    def statement(indent: int) -> str:
        flat = f"{name}: {annotation} = {blank}"
        if indent + len(flat) <= LINE_LENGTH:
            return flat
        alone = len(top_level_split(annotation, " | ")) == 1
        if alone and annotation.endswith("]") and "[" in annotation:
            return annotated(name, annotation, f" = {blank}", indent)[indent:]
        pad, inner = " " * indent, " " * (indent + 4)
        if indent + len(f"{name}: {annotation} = (") <= LINE_LENGTH:
            return f"{name}: {annotation} = (\n{inner}{blank}\n{pad})"
        return f"{name}: (\n{inner}{annotation}\n{pad}) = {blank}"

    return statement


def _laid_out(call: Call) -> Callable[[int], str]:
    """A statement that is one call, laid out at the block's indent."""
    return lambda indent: layout(call, indent)
