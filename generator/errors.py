"""The generator's errors and warnings.

A problem that stops generation raises :class:`WsdlbindError` (a
``click.ClickException``, so the CLI prints its message without a traceback and
exits with status 2). A problem the generator can work around becomes a
:class:`Warning` collected on the run and printed once at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


class InternalError(WsdlbindError):
    """wsdlbind itself failed: a bug to report, with what it was working on."""

    def __init__(self, message: str) -> None:
        super().__init__(
            f"internal error: {message}",
            hint="this is a bug in wsdlbind; please report it with the WSDL",
        )

    @classmethod
    @contextmanager
    def guard(cls, doing: str) -> Iterator[None]:
        """Turn an unexpected exception raised while ``doing`` into this error,
        naming the component being worked on (see :func:`working_on`)."""
        try:
            yield
        except WsdlbindError:
            raise
        except Exception as exc:  # any other failure is ours
            where = f", at {_CONTEXT[-1]}" if _CONTEXT else ""
            raise cls(f"{doing}{where}: {type(exc).__name__}: {exc}") from exc
        finally:
            _CONTEXT.clear()


#: What the generator is working on, innermost last (see InternalError.guard).
_CONTEXT: list[str] = []


@contextmanager
def working_on(component: str) -> Iterator[None]:
    """Name ``component`` in any internal error raised inside."""
    _CONTEXT.append(component)
    yield  # an exception leaves the component named, for the guard
    _CONTEXT.pop()
