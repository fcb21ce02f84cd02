"""``[tool.wsdlbind]`` in pyproject.toml: the jobs a bare ``wsdlbind generate`` runs.

::

    [[tool.wsdlbind.inputs]]
    wsdl = "wsdl/callfire/callfire.wsdl"   # a path (relative to this file) or URL
    output = "generated/callfire.py"
    offline = true                                  # optional, default false
    templates = "my-templates"                      # optional
    layout = "package"                              # optional, default "module"
    retry = ["Get*", "Query*"]                      # optional: names safe to repeat
    idempotency_key = "RequestId"                   # optional: makes a repeat harmless

With ``layout = "package"``, ``output`` is the package's folder
(``generated/vim25``): see ``wsdlbind generate --help``. ``retry`` and
``idempotency_key`` are the call policy (see :class:`~.model.CallPolicy`):
without them, no call is sent again once it may have reached the server.

Paths are relative to the folder holding pyproject.toml, so the command gives
the same result from any working directory below it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import WsdlbindError
from .model import CallPolicy

_KEYS = {
    "wsdl",
    "output",
    "offline",
    "templates",
    "layout",
    "retry",
    "idempotency_key",
}
LAYOUTS = ("module", "package")


class ConfigError(WsdlbindError):
    """pyproject.toml's [tool.wsdlbind] cannot be used."""


@dataclass(frozen=True)
class Job:
    """One WSDL to generate one module from."""

    wsdl: str
    output: Path
    offline: bool = False
    templates: Path | None = None
    layout: str = "module"
    policy: CallPolicy = CallPolicy()


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_jobs(pyproject: Path) -> list[Job]:
    """The jobs of ``[tool.wsdlbind]``; a clear error for anything malformed."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: not valid TOML: {exc}") from None
    section = data.get("tool", {}).get("wsdlbind")
    if section is None:
        raise ConfigError(
            f"{pyproject} has no [tool.wsdlbind] section",
            hint="pass a WSDL and -o OUTPUT, or add [[tool.wsdlbind.inputs]] entries",
        )
    inputs = section.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        raise ConfigError(
            f"{pyproject}: [tool.wsdlbind] needs at least one [[tool.wsdlbind.inputs]]"
        )
    base = pyproject.parent
    jobs = []
    for number, entry in enumerate(inputs, start=1):
        where = f"{pyproject}: [[tool.wsdlbind.inputs]] #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(unknown)}",
                hint=f"the keys are: {', '.join(sorted(_KEYS))}",
            )
        for key in ("wsdl", "output"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ConfigError(f'{where}: {key} = "..." is required')
        wsdl = entry["wsdl"]
        if "://" not in wsdl:
            wsdl = str(base / wsdl)
        templates = entry.get("templates")
        layout = entry.get("layout", "module")
        if layout not in LAYOUTS:
            raise ConfigError(
                f"{where}: layout = {layout!r} is not a layout",
                hint='use "module" (one file) or "package" (a folder that loads lazily)',
            )
        retry = entry.get("retry", [])
        if not isinstance(retry, list) or not all(
            isinstance(p, str) and p for p in retry
        ):
            raise ConfigError(
                f"{where}: retry = {retry!r} is not a list of operation name patterns",
                hint='e.g. retry = ["Get*", "Query*"] (fnmatch patterns, case sensitive)',
            )
        idempotency = entry.get("idempotency_key")
        if idempotency is not None and (
            not isinstance(idempotency, str) or not idempotency
        ):
            raise ConfigError(
                f"{where}: idempotency_key = {idempotency!r} is not an element name",
                hint='e.g. idempotency_key = "RequestId"',
            )
        jobs.append(
            Job(
                wsdl=wsdl,
                output=base / entry["output"],
                offline=bool(entry.get("offline", False)),
                templates=base / templates if isinstance(templates, str) else None,
                layout=layout,
                policy=CallPolicy(tuple(retry), idempotency),
            )
        )
    return jobs
