"""Leave out of a generated module the private helpers nothing in it uses.

The runtime (``generator/runtime/``) is included whole, and the templates
emit a writer and a reader for every type; a module generated from a WSDL
without decimals, hex values or abstract types has no use for their helpers.
This pass keeps every statement that is not a private top-level definition,
and the private definitions those reach by name, transitively; it drops the
rest, and the comment right above them when it was theirs alone. Names are found in the syntax
tree (annotations included: the module postpones them, but they are
expressions all the same). Nothing in the module looks names up by string,
so a definition no name reaches is dead code.
"""

from __future__ import annotations

import ast
import re

__all__ = ["prune"]

_BLANK_RUN = re.compile(r"\n{4,}")


def _defined(node: ast.stmt) -> list[str] | None:
    """The names a top-level statement defines, when it may be dropped: a
    function, class or plain assignment whose names are all private."""
    names: list[str] = []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        names = [node.name]
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if not isinstance(target, ast.Name):
                return None
            names.append(target.id)
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        names = [node.target.id]
    else:
        return None
    if not names or not all(
        n.startswith("_") and not n.startswith("__") for n in names
    ):
        return None
    return names


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


def _used(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def prune(code: str) -> str:
    """``code`` without the private top-level definitions it never uses."""
    tree = ast.parse(code)
    droppable: dict[int, list[str]] = {}
    for index, node in enumerate(tree.body):
        names = _defined(node)
        if names is not None:
            droppable[index] = names
    by_name: dict[str, list[int]] = {}
    for index, names in droppable.items():
        for name in names:
            by_name.setdefault(name, []).append(index)
    kept: set[int] = set()
    pending = [i for i in range(len(tree.body)) if i not in droppable]
    while pending:
        index = pending.pop()
        if index in kept:
            continue
        kept.add(index)
        for name in _used(tree.body[index]):
            pending.extend(i for i in by_name.get(name, ()) if i not in kept)
    dropped = [tree.body[i] for i in sorted(droppable) if i not in kept]
    lines = code.splitlines(keepends=True)
    gone: set[int] = set()  # 0-based line numbers
    for node in dropped:
        first = node.lineno - 1
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([first, *(d.lineno - 1 for d in node.decorator_list)])
        gone.update(range(first, node.end_lineno or node.lineno))
    # Then the imports only dropped code used: first those for type checkers
    # alone (a block of them all unused goes, and TYPE_CHECKING with it), then
    # the others.
    used = set().union(*(_used(tree.body[i]) for i in kept))
    for block in tree.body:
        if _type_checking(block):
            assert isinstance(block, ast.If)
            if all([_unused_import(i, used, lines, gone) for i in block.body]):
                gone.update(range(block.lineno - 1, block.end_lineno or block.lineno))
    used = set().union(
        *(_used(tree.body[i]) for i in kept if tree.body[i].lineno - 1 not in gone)
    )
    for node in tree.body:
        _unused_import(node, used, lines, gone)
    if not gone and lines == code.splitlines(keepends=True):
        return code
    # A comment right above statements goes when all of them do (up to the
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
    # Two blank lines at most between top-level statements, as before.
    return _BLANK_RUN.sub("\n\n\n", text)
