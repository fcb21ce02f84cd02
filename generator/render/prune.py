"""Leave out of a generated module the private helpers nothing in it uses.

The runtime (``generator/runtime/``) is included whole, and the templates
emit a writer and a reader for every type; a module generated from a WSDL
without decimals, hex values or abstract types has no use for their helpers.
This pass keeps every statement that is not a private top-level definition,
and the private definitions those reach by name, transitively; it drops the
rest, and the comment right above them when it was theirs alone. Nothing in
the module looks names up by string, so a definition no name reaches is dead
code.

Why not :mod:`ast` for all of it: a module of 20 MB (VMware's vim25) takes
``ast.parse`` 10 s and 1.8 GB, more than the rest of generation together.
What this pass needs is only which names each top-level statement mentions,
so it scans the text: string literals and comments blanked out (an f-string
keeps what its braces hold), then every identifier that is not an attribute
or a keyword argument's name, and could name a private definition or an
import (the others cannot make anything stay). That finds every such name the
syntax tree would (annotations included: the module postpones them, but they
are expressions all the same), and may find a few more (a parameter, a
keyword): a helper is then kept that could have gone, never the other way
round. Imports must be exact, as an unused one is a lint error: the import
statements alone are read with :mod:`ast`.
"""

from __future__ import annotations
import __future__

import ast
import itertools
import re
from dataclasses import dataclass, field

from . import compiling

__all__ = ["Statement", "prune", "statements"]

_BLANK_RUN = re.compile(r"\n{4,}")
_FLAGS = __future__.annotations.compiler_flag

# A string literal (any prefix, any quotes; a backslash escapes the next
# character in raw strings too, as the tokenizer reads them) or a comment.
# Possessive, so text that is not Python cannot make it backtrack for long.
_STRING_OR_COMMENT = re.compile(
    r"(?=[rRbBuUfF\"'#])"  # most characters start neither: a cheap first test
    r"(?:(?P<prefix>[rRbBuUfF]{0,2})(?P<body>"
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    r"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'(?:[^'\\\n]++|\\.)*+')"
    r"|#[^\n]*)",
    re.DOTALL,
)
# An identifier that is not an attribute (after a ``.``), part of a number, or
# the name a ``def`` or ``class`` gives (a method named ``enum`` is no use of
# the module ``enum``).
# Nor is the module an ``import`` statement in a function reads: ``import
# decimal`` binds a local name (``from decimal import`` is blanked, see
# _FROM_MODULE).
_NAME_START = r"(?<![\w.])(?<!def )(?<!class )(?<!import )"
_NAME = re.compile(_NAME_START + r"[A-Za-z_]\w*")
# The module a ``from ... import`` reads (``yield from _f()`` is no import).
_FROM_MODULE = re.compile(r"^([ \t]*from[ \t]+)[\w.]+(?=[ \t]+import\b)", re.MULTILINE)
_HEAD = re.compile(
    r"(?:async\s+def|def|class)\s+(?P<def>\w+)"
    r"|(?P<targets>(?:[A-Za-z_]\w*\s*=(?!=)\s*)+)"
    r"|(?P<annotated>[A-Za-z_]\w*)\s*:(?!=)"
)
_TARGET = re.compile(r"[A-Za-z_]\w*")
_IMPORTING = ("import ", "from ", "if TYPE_CHECKING:")
# A line in column 0 that starts a statement (not one that goes on with the
# one before it: a closing bracket, else, except...).
_START = re.compile(r"^(?=[^\s)\]}])(?!(?:else|elif|except|finally)\b)", re.MULTILINE)
# A definition's line: what a decorator's lines go on to.
_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\b", re.MULTILINE)


@dataclass
class Statement:
    """One top-level statement: its lines (0-based, inclusive), the names it
    binds (a definition's or an assignment's), those again when it may be
    dropped (all private), its text when it is an import, its text with
    strings and comments blanked out, and (filled in by :func:`prune`) the
    names it mentions that matter there."""

    first: int
    last: int
    names: list[str]
    defines: list[str] | None
    source: str
    blank: str = field(repr=False)
    used: set[str] = field(default_factory=set)


def _blanked(match: re.Match[str]) -> str:
    """A string or comment as the name scan sees it: an empty literal, on as
    many lines as it spans (so line numbers stay), and for an f-string the
    names its replacement fields use; a comment is nothing."""
    text = match.group(0)
    if text.startswith("#"):
        return ""
    # Each line it goes on to stays a continuation line, and not a blank one.
    breaks = '\n ""' * text.count("\n")
    if "f" not in match.group("prefix").lower():
        return f'""{breaks}'
    return f'"" {" ".join(sorted(_fstring_names(text)))}{breaks}'


def _fstring_names(literal: str) -> set[str]:
    """The names an f-string's replacement fields use, read with :mod:`ast`
    (fields may hold strings, braces and f-strings of their own; f-strings are
    few, so this costs little); every identifier in it if it does not parse."""
    try:
        tree = ast.parse(literal, mode="eval")
    except SyntaxError:
        return set(_NAME.findall(literal))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def statements(code: str) -> list[Statement]:
    """The top-level statements of ``code``, in order (see the module's docstring)."""
    blank = _FROM_MODULE.sub(r"\1_", _STRING_OR_COMMENT.sub(_blanked, code))
    lines = code.split("\n")
    starts: list[int] = [0]  # whatever comes before the first statement too
    decorating = False  # a decorator starts the statement it decorates
    for head in _START.finditer(blank):
        at = head.start()
        if at and not decorating and not _open(blank[starts[-1] : at]):
            starts.append(at)
        decorating = blank.startswith("@", at) or (
            decorating and not _DEFINITION.match(blank, at)
        )
    starts.append(len(blank))
    found = []
    first, previous = 0, 0
    for at, end in itertools.pairwise(starts):
        first += blank.count("\n", previous, at)
        previous = at
        # Trailing blank lines and comments are not its own.
        text = blank[at:end].rstrip()
        last = first + text.count("\n")
        names = _bound(text)
        found.append(
            Statement(
                first=first,
                last=last,
                names=names,
                defines=_droppable(names),
                source=(
                    "\n".join(lines[first : last + 1])
                    if lines[first].startswith(_IMPORTING)
                    else ""
                ),
                blank=text,
            )
        )
    return found


def _open(text: str) -> bool:
    """Whether a statement's text (strings blanked) goes on past its end: a
    bracket still open, or a backslash ending its last line."""
    opened = text.count("(") + text.count("[") + text.count("{")
    closed = text.count(")") + text.count("]") + text.count("}")
    return opened > closed or text.rstrip(" \n").endswith("\\")


def _bound(text: str) -> list[str]:
    """The names a top-level statement binds: a function's or class's, or an
    assignment's targets; none for anything else."""
    if text.startswith("@"):
        definition = _DEFINITION.search(text)
        if definition is None:
            return []
        text = text[definition.start() :]
    head = _HEAD.match(text)
    if head is None:
        return []
    if head.group("def"):
        return [head.group("def")]
    if head.group("targets"):
        return _TARGET.findall(head.group("targets"))
    return [head.group("annotated")]


def _droppable(names: list[str]) -> list[str] | None:
    """``names`` when a statement binding them may be dropped: there are some,
    and all are private."""
    if not names or not all(
        n.startswith("_") and not n.startswith("__") for n in names
    ):
        return None
    return names


def _imports(statement: Statement) -> list[ast.stmt]:
    """``statement`` read with :mod:`ast` at its place in the module when it is
    an import or an ``if TYPE_CHECKING:`` block of imports; nothing otherwise."""
    if not statement.source.startswith(_IMPORTING):
        return []
    tree = ast.parse(statement.source)
    if not all(
        isinstance(node, ast.Import | ast.ImportFrom) or _type_checking(node)
        for node in tree.body
    ):
        return []  # an ``if TYPE_CHECKING:`` with more in it: its names count
    ast.increment_lineno(tree, statement.first)
    return tree.body


def _type_checking(node: ast.stmt) -> bool:
    """Whether ``node`` is ``if TYPE_CHECKING:`` holding only imports."""
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        and not node.orelse
        and all(isinstance(n, ast.Import | ast.ImportFrom) for n in node.body)
    )


def _unused_import(
    node: ast.stmt, used: set[str], lines: list[str], gone: set[int]
) -> bool:
    """Mark the lines of the names ``node`` imports that nothing uses as gone;
    True if that is all of them. A statement of several names is laid out one
    name a line (as ruff lays out a long one), or is one line of one name."""
    if not isinstance(node, ast.Import | ast.ImportFrom):
        return False
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return False
    names = [(a, (a.asname or a.name).partition(".")[0]) for a in node.names]
    unused = [a for a, bound in names if bound not in used]
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if len(unused) == len(names):
        gone.update(range(first, last + 1))
        return True
    if unused and first == last:
        kept_names = ", ".join(
            a.name + (f" as {a.asname}" if a.asname else "")
            for a, bound in names
            if bound in used
        )
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        head = (
            f"from {node.module} import "
            if isinstance(node, ast.ImportFrom)
            else "import "
        )
        lines[first] = f"{indent}{head}{kept_names}\n"
    elif unused:
        for alias in unused:
            gone.add(alias.lineno - 1)
    return False


#: About how many characters the compile check takes at a time: pieces this
#: big compile faster than the whole (whose syntax tree alone is 1 GB on
#: vim25) and are many enough to share between two processes.
PIECE = 1_000_000

# Where the text can be cut for compiling: two blank lines, then a statement
# (not a line that goes on with the one before).
_CUT = re.compile(
    r"\n\n\n(?=[^\s)\]}#])(?!(?:else|elif|except|finally)\b)", re.MULTILINE
)


def prune(code: str, *, compile_as: str | None = None) -> str:
    """``code`` without the private top-level definitions it never uses.

    With ``compile_as`` (a file name for messages), the result is also
    compiled: a SyntaxError says where it does not. The text is compiled in
    pieces while the pruning runs, on a second core where there is one (see
    :mod:`.compiling`), and the statements pruning rewrote after it.
    """
    if compile_as is None:
        return _pruned(code, None)
    try:
        return compiling.compile_all(
            _pieces(code, compile_as), lambda: _pruned(code, compile_as), ours=0.2
        )
    except SyntaxError:
        # A piece may have been cut inside a string: only the whole can say,
        # with the module's line numbers.
        result = _pruned(code, None)
        compile(result, compile_as, "exec", flags=_FLAGS, dont_inherit=True)
        return result


def _pieces(code: str, name: str) -> list[tuple[str, str]]:
    """``code`` cut into pieces of about :data:`PIECE` characters, each
    starting at a top-level statement (if the text is as generated)."""
    pieces = []
    start = 0
    while start < len(code):
        cut = _CUT.search(code, start + PIECE)
        end = len(code) if cut is None else cut.start()
        pieces.append((name, code[start:end]))
        start = end
    return pieces


def _mentions(found: list[Statement], imported: set[str]) -> None:
    """Fill in each statement's ``used``: the private names it mentions (what
    a dropped definition could be) and the ``imported`` names."""
    starts = "".join(sorted({"_", *(name[0] for name in imported)}))
    alternatives = "|".join(map(re.escape, sorted(imported, key=len, reverse=True)))
    pattern = re.compile(
        rf"(?=[{starts}]){_NAME_START}(?:_\w*|(?:{alternatives})(?!\w))"
        if imported
        else rf"(?=_){_NAME_START}_\w*"
    )
    for statement in found:
        statement.used = set(pattern.findall(statement.blank))


def _pruned(code: str, compile_as: str | None) -> str:
    """:func:`prune`'s result; with ``compile_as``, the statements whose
    imports it took out compiled as they stand in it."""
    found = statements(code)
    parsed = {i: _imports(s) for i, s in enumerate(found) if s.source}
    # (never dropped: an import binds no private definition)
    imports = [node for nodes in parsed.values() for node in nodes]
    _mentions(found, {name for node in imports for name in _import_names(node)})
    by_name: dict[str, list[int]] = {}
    for index, statement in enumerate(found):
        for name in statement.defines or ():
            by_name.setdefault(name, []).append(index)
    kept: set[int] = set()
    pending = [i for i, s in enumerate(found) if s.defines is None]
    while pending:
        index = pending.pop()
        if index in kept:
            continue
        kept.add(index)
        for name in found[index].used:
            pending.extend(i for i in by_name.get(name, ()) if i not in kept)
    original = code.splitlines(keepends=True)
    lines = list(original)  # import lines may be rewritten
    gone: set[int] = set()  # 0-based line numbers
    for index, statement in enumerate(found):
        if index not in kept:
            gone.update(range(statement.first, statement.last + 1))
    # Then the imports only dropped code used: first those for type checkers
    # alone (a block of them all unused goes, and TYPE_CHECKING with it), then
    # the others.
    importing = {i for i, nodes in parsed.items() if nodes}
    used = set().union(*(found[i].used for i in kept - importing))
    for block in imports:
        if _type_checking(block):
            assert isinstance(block, ast.If)
            if all([_unused_import(i, used, lines, gone) for i in block.body]):
                gone.update(range(block.lineno - 1, block.end_lineno or block.lineno))
            else:
                used.add("TYPE_CHECKING")
    for node in imports:
        _unused_import(node, used, lines, gone)
    if compile_as is not None:
        _compile_changed(found, kept, (original, lines, gone), compile_as)
    if not gone and lines == original:
        return code
    # A comment right above found goes when all of them do (up to the
    # next blank line): it says what they are.
    for number, line in enumerate(lines):
        if not line.startswith("#") or number in gone:
            continue
        if number > 0 and lines[number - 1].startswith("#"):
            continue  # not the first line of its block
        end = number
        while end < len(lines) and lines[end].startswith("#"):
            end += 1
        after = end
        while after < len(lines) and lines[after].strip():
            after += 1
        if after > end and all(n in gone for n in range(end, after)):
            gone.update(range(number, end))
    text = "".join(line for number, line in enumerate(lines) if number not in gone)
    # Two blank lines at most between top-level found, as before.
    return _BLANK_RUN.sub("\n\n\n", text)


def _import_names(node: ast.stmt) -> list[str]:
    """The names an import (or a block of them) binds."""
    if isinstance(node, ast.If):
        return [name for n in node.body for name in _import_names(n)]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [(a.asname or a.name).partition(".")[0] for a in node.names]
    return []


def _compile_changed(
    statements: list[Statement],
    kept: set[int],
    text: tuple[list[str], list[str], set[int]],
    name: str,
) -> None:
    """Compile each statement that stays with some of its lines gone or
    rewritten, as it stands in the result (the others compile as they were
    rendered); on a SyntaxError, the whole result, so the error has the
    module's line numbers."""
    original, lines, gone = text
    for index in sorted(kept):
        statement = statements[index]
        numbers = range(statement.first, statement.last + 1)
        if all(n not in gone and lines[n] == original[n] for n in numbers):
            continue
        source = "".join(lines[n] for n in numbers if n not in gone)
        try:
            compile(source, name, "exec", flags=_FLAGS, dont_inherit=True)
        except SyntaxError:
            result = "".join(line for n, line in enumerate(lines) if n not in gone)
            compile(result, name, "exec", flags=_FLAGS, dont_inherit=True)
            raise
