"""Static code of the generated module, kept as real Python.

Each module here is linted, type-checked and unit-tested like the rest of the
generator; the generated module includes the part of it below the line
``# -- included in the generated module --`` verbatim. What comes above that
line (imports, and stand-ins for names the generated module defines itself)
is only there so the file stands on its own.
"""

from __future__ import annotations

from importlib import resources

MARKER = "# -- included in the generated module --\n"


def included(name: str) -> str:
    """The part of runtime module ``name`` the generated module includes."""
    text = resources.files(__package__).joinpath(f"{name}.py").read_text("utf-8")
    _, found, body = text.partition(MARKER)
    if not found:
        raise RuntimeError(f"generator/runtime/{name}.py lacks its marker line")
    return body.strip("\n")  # the template places the lines around it
