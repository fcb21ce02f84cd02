"""Static code of the generated module, kept as real Python.

Each module here is linted, type-checked and unit-tested like the rest of the
generator; the generated module includes the part of it below the line
``# -- included in the generated module --`` verbatim. What comes above that
line (imports, and stand-ins for names the generated module defines itself)
is only there so the file stands on its own.
"""

from __future__ import annotations

import ast
import functools
from importlib import resources

MARKER = "# -- included in the generated module --\n"


def included(name: str) -> str:
    """The part of runtime module ``name`` the generated module includes."""
    text = resources.files(__package__).joinpath(f"{name}.py").read_text("utf-8")
    _, found, body = text.partition(MARKER)
    if not found:
        raise RuntimeError(f"generator/runtime/{name}.py lacks its marker line")
    return body.strip("\n")  # the template places the lines around it


@functools.cache
def public_names() -> tuple[str, ...]:
    """The public names the runtime modules give a generated module (what its
    ``__all__`` lists besides the WSDL's own), in the order they are defined."""
    names: list[str] = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".py") or entry.name.startswith("_"):
            continue
        for node in ast.parse(included(entry.name[:-3])).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                found = [node.name]
            elif isinstance(node, ast.Assign):
                found = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            names += [n for n in found if not n.startswith("_")]
    return tuple(names)
