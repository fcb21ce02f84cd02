"""Compile generated code as a check that it is Python, on two cores when it is big.

Every module wsdlbind writes is compiled first: one that would not compile
is a wsdlbind (or template) bug, reported as one, and never written. For a
huge WSDL that check is the largest single cost of generating: vim25's 20 MB
take ``compile()`` 3 s. Nothing in the standard library checks syntax faster
(``ast.parse`` builds the same tree and more), so where the platform can fork
a process cheaply the check runs in a child, beside the work the caller still
has to do, and the caller compiles the rest of it when that is done.

Compiled in pieces, code can fail where a piece was cut badly (a cut inside a
string); the caller then compiles it whole, the only verdict that counts.
"""

from __future__ import annotations
import __future__

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["PARALLEL_ABOVE", "compile_all"]

T = TypeVar("T")

#: Below this many characters the check runs in this process: forking costs
#: more than compiling (a fork of a 500 MB process takes some 10 ms).
PARALLEL_ABOVE = 2_000_000

_FLAGS = __future__.annotations.compiler_flag


def compile_all(
    units: Sequence[tuple[str, str]],
    alongside: Callable[[], T],
    *,
    ours: float = 0.5,
) -> T:
    """Compile each ``(file name, text)`` of ``units`` (with postponed
    annotations, as every generated module has them) and return what
    ``alongside()`` returns, running it while a child compiles all but about
    the share ``ours`` of the text, which this process compiles after it.

    Raises the :class:`SyntaxError` of the first unit that does not compile,
    as this process's own ``compile()`` reports it; an exception from
    ``alongside`` goes out as it is, once the child is gone.
    """
    size = sum(len(text) for _, text in units)
    if size <= PARALLEL_ABOVE or not _can_fork():
        result = alongside()
        _compile(units)
        return result
    # The child takes the units from the end, the parent those before.
    cut, taken = len(units), 0
    while cut > 1 and taken + len(units[cut - 1][1]) <= size * (1 - ours):
        cut -= 1
        taken += len(units[cut][1])
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or no process left for a child: all of it here
        os.close(reading)
        os.close(writing)
        result = alongside()
        _compile(units)
        return result
    if pid == 0:  # pragma: no cover - the child; its verdict is what is tested
        _child(units[cut:], cut, reading, writing)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        try:
            result = alongside()
            _compile(units[:cut])
            verdict = pipe.read()
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            _reap(pid)
            raise
    _reap(pid)
    if verdict != b"ok":
        # The index of a unit that failed, or nothing if the child died:
        # compiled here, the error is this process's own.
        failed = int(verdict) if verdict else cut
        _compile(units[failed:])
    return result


def _reap(pid: int) -> None:
    """Wait for the child, unless the host program reaps children itself
    (``SIGCHLD`` ignored)."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _can_fork() -> bool:
    """Whether a child can be forked safely: on Linux (macOS's system
    libraries are not fork-safe, Windows has no fork), with no other thread
    running (a fork copies one thread, and any lock another one held)."""
    return sys.platform == "linux" and threading.active_count() == 1


def _compile(units: Sequence[tuple[str, str]]) -> None:
    for name, text in units:
        compile(text, name, "exec", flags=_FLAGS, dont_inherit=True)


def _child(
    units: Sequence[tuple[str, str]], first: int, reading: int, writing: int
) -> None:  # pragma: no cover - runs in the forked child
    """Compile ``units`` (numbered from ``first``), write ``ok`` or the number
    of the first that failed, and leave at once: no exit handler, no flush of
    the buffers copied from the parent."""
    verdict = b"ok"
    try:
        os.close(reading)
        for number, (name, text) in enumerate(units, first):
            try:
                compile(text, name, "exec", flags=_FLAGS, dont_inherit=True)
            except Exception:  # noqa: BLE001 - the parent compiles it again
                verdict = str(number).encode()
                break
        os.write(writing, verdict)
    finally:
        os._exit(0)
