"""The formatter: Python source laid out as ``ruff format`` lays it out.

The generated module is written already formatted (88 columns, ruff's and
black's defaults), so it needs no formatter run and its bytes do not depend
on a formatter's version. Code is composed from structure: a :class:`Call`
(or anything shaped like one: a def, a tuple, a subscript) is laid out as one
line when it fits, else its arguments hugged on one indented line, else one
a line; conditions and values go through :func:`if_` and :func:`assignment`.
Literals from the WSDL go through :func:`pyrepr` and :func:`docstring`,
which no input can break out of.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

#: The generated module's line length: ruff's and black's default.
LINE_LENGTH = 88
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: A string literal or a dotted name: what ruff leaves on a too-long line.
_ATOM = re.compile(r'[\w.]+|"(?:[^"\\]|\\.)*"' r"|'(?:[^'\\]|\\.)*'")
#: A name in an annotation (``etree`` in ``etree._Element``, not ``_Element``).
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


def names_in(annotation: str) -> set[str]:
    """The module-level names an annotation (or a parameter's text) uses."""
    return set(_NAME.findall(annotation))


def renamed(annotation: str, names: dict[str, str]) -> str:
    """``annotation`` with each name in ``names`` replaced by its value."""
    if not names:
        return annotation
    return _NAME.sub(lambda m: names.get(m[0], m[0]), annotation)


@dataclass
class Call:
    """A call (or anything shaped like one: a def, a tuple) laid out as ruff would.

    ``head`` comes before the opening parenthesis, ``tail`` after the closing one.
    """

    head: str
    args: list[str | Call]
    tail: str = ""
    collection: bool = False  # a tuple, list or set: one item a line, never hugged
    brackets: str = "()"  # "{}" for a set display

    def flat(self) -> str:
        inner = ", ".join(a if isinstance(a, str) else a.flat() for a in self.args)
        if self.collection and len(self.args) == 1 and self.brackets == "()":
            inner += ","  # a one-item tuple
        return f"{self.head}{self.brackets[0]}{inner}{self.brackets[1]}{self.tail}"


def layout(call: Call | str, indent: int, after: int = 0) -> str:
    """Format a statement the way ``ruff format`` does, so the output needs no
    formatter run: on one line if it fits; else the arguments on one indented
    line; else one argument a line, each laid out in turn, with a trailing comma.
    Generating it formatted keeps the bytes independent of any formatter version.
    ``after``: how many characters follow it on its last line (an argument's
    trailing comma).
    """
    if isinstance(call, str):
        return call
    flat = call.flat()
    if indent + len(flat) + after <= LINE_LENGTH or not call.args:
        return flat
    pad, inner_pad = " " * indent, " " * (indent + 4)
    opening, closing = call.brackets[0], call.brackets[1]
    hugged = ", ".join(a if isinstance(a, str) else a.flat() for a in call.args)
    if not call.collection and indent + 4 + len(hugged) <= LINE_LENGTH:
        return f"{call.head}{opening}\n{inner_pad}{hugged}\n{pad}{closing}{call.tail}"
    lines = [f"{inner_pad}{layout(a, indent + 4, 1)}," for a in call.args]
    return f"{call.head}{opening}\n" + "\n".join(lines) + f"\n{pad}{closing}{call.tail}"


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
    before = body[:-1]
    # A last quote is escaped when an odd run of backslashes comes before it.
    escaped = (len(before) - len(before.rstrip("\\"))) % 2
    if body.endswith('"') and not escaped:  # it would merge with the closing quotes
        body = before + '\\"'

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
    if "'" not in value and '"' not in value:
        return f'"{text[1:-1]}"'  # no quote in it to escape: the common case
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
    flat = f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if indent + len(prefix) + len(flat) <= LINE_LENGTH:
        return flat
    pad = " " * (indent + 4)
    return "(\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + ")"


def annotated(name: str, annotation: str, rest: str, indent: int) -> str:
    """``name: annotation<rest>`` at ``indent``, split as ruff splits a long one:
    a union one member a line, a subscript's brackets opened."""
    pad = " " * indent
    line = f"{pad}{name}: {annotation}{rest}"
    if len(line) <= LINE_LENGTH:
        return line
    members = top_level_split(annotation, " | ")
    first = f"{pad}{name}: {members[0]}"
    alone = len(members) == 1  # then what follows counts on its line too
    too_long = len(first) + (len(rest) if alone else 0) > LINE_LENGTH
    if too_long and members[0].endswith("]") and "[" in members[0]:
        outer, _, inner = members[0][:-1].partition("[")
        inner_pad = pad + "    "
        parts = top_level_split(inner, " | ")
        if len(inner_pad) + len(inner) <= LINE_LENGTH or len(parts) == 1:
            body = inner_pad + inner
        else:  # the union inside, one member a line
            body = "\n".join(
                [inner_pad + parts[0], *(f"{inner_pad}| {p}" for p in parts[1:])]
            )
        first = f"{pad}{name}: {outer}[\n{body}\n{pad}]"
    if alone:
        return first + rest
    return "\n".join([first, *(f"{pad}| {m}" for m in members[1:])]) + rest


def top_level_split(text: str, separator: str) -> list[str]:
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


@dataclass(frozen=True)
class Ternary:
    """``body if condition else otherwise``, each part an expression."""

    body: str
    condition: str
    otherwise: Call | Ternary | str

    def flat(self) -> str:
        other = (
            self.otherwise if isinstance(self.otherwise, str) else self.otherwise.flat()
        )
        return f"{self.body} if {self.condition} else {other}"


def assignment(target: str, value: Call | Ternary | str, indent: int) -> str:
    """``target = value`` at ``indent`` (no indent on the first line), laid out as
    ruff does: a call split in its own parentheses; any other long value put in
    parentheses on a line of its own, and a conditional value split at ``if``
    and ``else`` if that is still too long."""
    if isinstance(value, Call):
        joined = replace(value, head=f"{target} = {value.head}")
        if (
            indent + len(joined.head) + 1 > LINE_LENGTH
            and indent + 4 + len(value.head) + 1 <= LINE_LENGTH
        ):
            # Not even the call's name fits, and in parentheses it would: ruff
            # puts the call in them.
            body = layout(value, indent + 4)
            return f"{target} = (\n{' ' * (indent + 4)}{body}\n{' ' * indent})"
        return layout(joined, indent)
    flat = value if isinstance(value, str) else value.flat()
    if indent + len(f"{target} = {flat}") <= LINE_LENGTH:
        return f"{target} = {flat}"
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, str) and len(inner) + len(flat) > LINE_LENGTH:
        # Parentheses would not make it fit: ruff leaves a literal or a name
        # as it is, and puts anything else in them all the same.
        atom = _ATOM.fullmatch(flat) is not None
        return f"{target} = {flat}" if atom else f"{target} = (\n{inner}{flat}\n{pad})"
    if len(inner) + len(flat) <= LINE_LENGTH:
        return f"{target} = (\n{inner}{flat}\n{pad})"
    assert isinstance(value, Ternary)
    lines = [value.body]
    other: Call | Ternary | str = value
    while isinstance(other, Ternary):  # a chain: ``a if x else b if y else c``
        condition = f"if {other.condition}"
        if len(inner) + len(condition) > LINE_LENGTH:  # one ``and`` a line
            condition = "\n".join(
                f"{'if' if i == 0 else 'and'} {part}"
                for i, part in enumerate(top_level_split(other.condition, " and "))
            ).replace("\n", "\n" + inner)
        lines[-1:] = [lines[-1], condition]
        other = other.otherwise
        if isinstance(other, Ternary):
            lines.append(f"else {other.body}")
    last = other if isinstance(other, str) else layout(other, indent + 4 + 5)
    lines.append(f"else {last}")
    return f"{target} = (\n" + "".join(f"{inner}{line}\n" for line in lines) + f"{pad})"


def for_(target: str, iterable: str, indent: int) -> str:
    """``for target in iterable:`` at ``indent`` (no indent on the first line),
    with the target in parentheses on a line of its own when too long and that
    makes both lines fit, as ruff does (else it stays as it is)."""
    line = f"for {target} in {iterable}:"
    tail = f") in {iterable}:"
    if indent + len(line) <= LINE_LENGTH or (
        indent + 4 + len(target) > LINE_LENGTH or indent + len(tail) > LINE_LENGTH
    ):
        return line
    return f"for (\n{' ' * (indent + 4)}{target}\n{' ' * indent}){tail[1:]}"


def bare_def(name: str, returns: str) -> str:
    """``def name() -> returns:``, the annotation in parentheses on a line of
    its own when too long, as ruff does."""
    line = f"def {name}() -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return line
    return f"def {name}() -> (\n    {returns}\n):"


def returning(value: Call, indent: int) -> str:
    """``return value`` at ``indent`` (no indent on the first line): split in the
    call's parentheses, or, when not even its name fits (and would in
    parentheses), the call in parentheses of its own, as ruff does."""
    head = f"return {value.head}("
    if (
        indent + len(value.flat()) + 7 <= LINE_LENGTH
        or indent + len(head) <= LINE_LENGTH
        or indent + 4 + len(value.head) + 1 > LINE_LENGTH
    ):
        return layout(replace(value, head=f"return {value.head}"), indent)
    body = layout(value, indent + 4)
    return f"return (\n{' ' * (indent + 4)}{body}\n{' ' * indent})"


@dataclass(frozen=True)
class And:
    """``a and b and ...``: each part a comparison or a call."""

    parts: tuple[Call | str, ...]

    def flat(self) -> str:
        return " and ".join(p if isinstance(p, str) else p.flat() for p in self.parts)


def if_(condition: Call | And | str, indent: int, keyword: str = "if") -> str:
    """``if condition:`` at ``indent`` (no indent on the first line): a call is
    split in its own parentheses, any other condition too long for the line
    goes in parentheses on a line of its own, and a conjunction that is still
    too long one part a line, as ruff does."""
    if isinstance(condition, And):
        if len(condition.parts) == 1:
            return if_(condition.parts[0], indent, keyword)
        flat = condition.flat()
        pad, inner = " " * indent, " " * (indent + 4)
        if indent + len(f"{keyword} {flat}:") <= LINE_LENGTH:
            return f"{keyword} {flat}:"
        if len(inner) + len(flat) <= LINE_LENGTH:
            return f"{keyword} (\n{inner}{flat}\n{pad}):"
        parts = [
            p if isinstance(p, str) else layout(p, indent + 4) for p in condition.parts
        ]
        body = f"\n{inner}and ".join(parts)
        return f"{keyword} (\n{inner}{body}\n{pad}):"
    if isinstance(condition, Call):
        return layout(
            Call(f"{keyword} {condition.head}", condition.args, condition.tail + ":"),
            indent,
        )
    line = f"{keyword} {condition}:"
    if indent + len(line) <= LINE_LENGTH:
        return line
    pad, inner = " " * indent, " " * (indent + 4)
    sides = top_level_split(condition, " == ")
    if len(inner) + len(condition) > LINE_LENGTH and len(sides) == 2:
        # Still too long in parentheses: split at the comparison, as ruff does.
        return f"{keyword} (\n{inner}{sides[0]}\n{inner}== {sides[1]}\n{pad}):"
    return f"{keyword} (\n{inner}{condition}\n{pad}):"


class Block:
    """Statements at a growing indent, each laid out for where it stands."""

    def __init__(self, indent: int = 4) -> None:
        self.indent = indent
        self._lines: list[str] = []

    def add(self, statement: str | Callable[[int], str]) -> None:
        """One statement: its text (first line unindented, as :func:`layout`
        gives it), or a function laying it out at an indent."""
        text = statement(self.indent) if callable(statement) else statement
        self._lines.append(" " * self.indent + text)

    @contextmanager
    def under(self, header: str | Callable[[int], str]) -> Iterator[None]:
        """A compound statement: ``header`` (``if ...:``), then what the
        ``with`` block adds, one level in (``pass`` if nothing)."""
        self.add(header)
        before = len(self._lines)
        self.indent += 4
        try:
            yield
        finally:
            if len(self._lines) == before:
                self.add("pass")
            self.indent -= 4

    def __bool__(self) -> bool:
        return bool(self._lines)

    def text(self) -> str:
        return "\n".join(self._lines)
