"""The generator's errors and warnings.

A problem that stops generation raises :class:`WsdlbindError` (a
``click.ClickException``, so the CLI prints its message without a traceback and
exits with status 2). A problem the generator can work around becomes a
:class:`Warning` collected on the run and printed once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import click


class WsdlbindError(click.ClickException):
    """A fatal problem with the input or the output, with what to do about it."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{message}\n  hint: {hint}" if hint else message)
        self.hint = hint


class LoadError(WsdlbindError):
    """A document could not be read, parsed or recognised."""


class ModelError(WsdlbindError):
    """The documents parsed but do not describe something wsdlbind can generate."""


class OutputError(WsdlbindError):
    """The output could not be written."""


@dataclass(frozen=True)
class GenerationWarning:
    """Something skipped or approximated, reported after generation."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"warning: {self.where}: {self.message}"
