"""A package's ``__init__``: every public name loaded from its module when it
is first asked for (PEP 562), so that importing the package loads only the
runtime. The generated ``__init__`` defines ``_MODULES`` (each lazy name's
module) and imports every name under ``TYPE_CHECKING`` for type checkers and
IDEs; this part hides its ``__getattr__`` from them, so that they still
report a name the package does not have.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING, Any

# A stand-in for what the generated __init__ defines itself.
_MODULES: dict[str, str] = {}


# -- included in the generated module --


def _load(name: str) -> Any:
    """A public name's value, imported from its module (``__getattr__``)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found without this function from now on
    return value


def _names() -> list[str]:
    """What ``dir()`` lists: the names loaded, and those that load when asked."""
    return sorted({*globals(), *_MODULES})


if not TYPE_CHECKING:
    __getattr__ = _load
    __dir__ = _names
