"""The stamp a generated module carries, so that ``--check`` can tell at once
that it is up to date, without generating it again.

The module's header names the inputs' hash (``Input hash: ...``), and the line
after it the generator's version, the options' hash and the hash of the module
itself (taken with that field zeroed)::

    Stamp: wsdlbind 0.1.0, options 5d41402abc4b2a76, output 9b74c9897bac770f.

``--check`` finds a module up to date when all four match what it would
generate from: the inputs hashed as the load stage reads them (no modelling),
this version, these options, and the bytes on disk. A hand edit changes the
bytes; an input, option or version change changes its field: then it
generates and compares as before. Inside one version, a change to wsdlbind's
own code is not seen: the version is the promise.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from generator import __version__

_ZERO = "0" * 16
_STAMP = re.compile(
    r"^Stamp: wsdlbind (?P<version>\S+), options (?P<options>[0-9a-f]{16}), "
    r"output (?P<output>[0-9a-f]{16})\.$",
    re.M,
)
_INPUTS = re.compile(r"^Input hash: (?P<inputs>[0-9a-f]+)\.", re.M)


def options_hash(templates: Path | None) -> str:
    """A hash of what, besides the inputs, decides the output: the user's
    templates (names and bytes), if any."""
    digest = hashlib.sha256(b"wsdlbind options\0")
    if templates is not None:
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def line(options: str) -> str:
    """The stamp line, its output field still zeroed (see :func:`sealed`)."""
    return f"Stamp: wsdlbind {__version__}, options {options}, output {_ZERO}."


def sealed(code: str) -> str:
    """``code`` with its stamp's output field set to the hash of ``code``."""
    return code.replace(f"output {_ZERO}.", f"output {_output_hash(code)}.", 1)


def _output_hash(zeroed: str) -> str:
    return hashlib.sha256(zeroed.encode("utf-8")).hexdigest()[:16]


def up_to_date(code: str, inputs: str, options: str) -> bool:
    """Whether ``code`` (a module on disk) is what this wsdlbind, with these
    options, would generate from inputs of hash ``inputs``."""
    head = code[:4000]  # the header: the docstring's first lines
    stamp, given = _STAMP.search(head), _INPUTS.search(head)
    if stamp is None or given is None:
        return False
    if (stamp["version"], stamp["options"], given["inputs"]) != (
        __version__,
        options,
        inputs,
    ):
        return False
    start, end = stamp.span("output")
    zeroed = code[:start] + _ZERO + code[end:]
    return _output_hash(zeroed) == stamp["output"]
