"""The ``wsdlbind`` command line.

Exit status: 0 success, 1 generated code on disk differs (``--check``), 2 bad
usage or input. Errors are one message, never a traceback; warnings are
collected over the whole run and printed once at the end.
"""

from __future__ import annotations

import difflib
import json
import shlex
import shutil
import signal
import sys
import time
from pathlib import Path

import click

from . import __version__, config, inspection, load, model, pipeline
from .errors import GenerationWarning, OutputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsdlbind")
def main() -> None:
    """Generate a standalone, typed Python SOAP client from a WSDL.

    Exit status: 0 success, 1 drift found by --check, 2 bad usage or input.
    """


@main.command()
@click.argument("wsdl", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The Python module to write, e.g. generated/callfire.py; with --layout "
    "package, the package's folder, e.g. generated/vim25.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a diff if the output on disk is not what "
    "would be generated.",
)
@click.option(
    "--offline",
    is_flag=True,
    default=None,
    help="Never touch the network, even for a URL input.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder whose templates replace the built-in ones of the same name.",
)
@click.option(
    "--layout",
    type=click.Choice(config.LAYOUTS),
    help="module (the default): one file. package: a folder whose modules load "
    "as they are used, for huge WSDLs (imports are the same: from vim25 import Vim).",
)
@click.option(
    "--retry",
    "retry",
    multiple=True,
    metavar="PATTERN",
    help="Operations safe to send again after a connection failure or HTTP "
    "502/503/504, by name (fnmatch, case sensitive; repeatable): --retry 'Get*'. "
    "Default: none.",
)
@click.option(
    "--idempotency-key",
    metavar="ELEMENT",
    help="A request element that makes a repeat harmless (filled with a fresh "
    "UUID when empty): requests that have it are retried too.",
)
@click.option(
    "--no-retry",
    is_flag=True,
    help="Retry no call, whatever the configuration says.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary lines.")
def generate(
    wsdl: str | None,
    output: Path | None,
    check: bool,
    offline: bool | None,
    templates: Path | None,
    layout: str | None,
    retry: tuple[str, ...],
    idempotency_key: str | None,
    no_retry: bool,
    quiet: bool,
) -> None:
    """Generate client modules: from WSDL (a path or URL) into -o OUTPUT, or, with
    no WSDL, every input of [tool.wsdlbind] in pyproject.toml."""
    if no_retry and (retry or idempotency_key):
        raise click.UsageError(
            "--no-retry goes with neither --retry nor --idempotency-key"
        )
    if any(not pattern for pattern in retry) or idempotency_key == "":
        raise click.UsageError("--retry and --idempotency-key need a value")
    flags = model.CallPolicy(retry, idempotency_key)
    jobs = _jobs(wsdl, output, offline, templates, layout, flags, no_retry)
    warnings: list[GenerationWarning] = []
    drift: list[str] = []
    status = _Status(len(jobs), quiet)
    try:
        for job in jobs:
            status.job(job)
            if check and pipeline.up_to_date(
                job.wsdl,
                job.output,
                offline=job.offline,
                templates=job.templates,
                layout=job.layout,
                policy=job.policy,
            ):
                continue  # its stamp says so: nothing to generate
            result = pipeline.generate(
                job.wsdl,
                offline=job.offline,
                templates=job.templates,
                progress=status,
                layout=job.layout,
                policy=job.policy,
            )
            warnings.extend(w for w in result.warnings if w not in warnings)
            if check:
                difference = _diff_job(job, result)
                if difference:
                    drift.append(difference)
            elif result.files:
                status(f"writing {len(result.files)} files into {job.output}")
                pipeline.write_package(job.output, result.files)
            else:
                status(f"writing {job.output}")
                pipeline.write(job.output, result.code)
    finally:
        status.clear()  # also before an error's message
    for warning in warnings:
        click.echo(str(warning), err=True)
    if check:
        if drift:
            click.echo("".join(drift), nl=False)
            click.echo(
                f"wsdlbind: {len(drift)} of {len(jobs)} generated file(s) out of date; "
                f"run `{_without_check()}` to update",
                err=True,
            )
            sys.exit(1)
        if not quiet:
            click.echo(f"wsdlbind: {len(jobs)} generated file(s) up to date", err=True)
    elif not quiet:
        for job in jobs:
            click.echo(f"wrote {job.output}", err=True)


@main.command()
@click.argument("wsdl")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.option("--offline", is_flag=True, help="Never touch the network.")
@click.option(
    "--types", "with_types", is_flag=True, help="Also list every class and its fields."
)
def inspect(wsdl: str, as_json: bool, offline: bool, with_types: bool) -> None:
    """List the services, ports and operations of WSDL, with their fields."""
    project, types = pipeline.prepare(wsdl, offline=offline)
    description = inspection.describe(project, types if with_types else None)
    if as_json:
        click.echo(json.dumps(description, indent=2))
    else:
        click.echo(inspection.as_text(description))


@main.command()
@click.argument("wsdl")
@click.option(
    "--port",
    "tcp_port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="The TCP port on 127.0.0.1 to listen on (0: a free one).",
)
@click.option("--offline", is_flag=True, help="Never touch the network.")
def mock(wsdl: str, tcp_port: int, offline: bool) -> None:
    """Serve sample answers for every operation of WSDL on 127.0.0.1.

    Each operation answers a sample of its declared answer, made once at the
    start and checked against the schema by the client's own writer. Ctrl-C
    stops it.
    """
    from . import mock as mocking  # not needed by the other commands

    try:  # first: a port in use is said before the answers are made
        server = mocking.listen(tcp_port)
    except OSError as exc:
        raise OutputError(
            f"127.0.0.1:{tcp_port}: cannot listen there ({exc.strerror})",
            hint="give --port a free port, or --port 0 for any",
        ) from None
    try:
        service = mocking.Mock.build(wsdl, offline=offline)
    except BaseException:
        server.server_close()
        raise
    server.mock = service
    for warning in service.warnings:
        click.echo(str(warning), err=True)
    bound = server.server_address[1]
    click.echo(
        f"wsdlbind mock: {service.operations} operations of"
        f" {load.message_name(load.to_uri(wsdl))} on http://127.0.0.1:{bound}/"
        " (Ctrl-C stops)"
    )
    sys.stdout.flush()
    # Ctrl-C stops it, and so does SIGTERM (a test that started it, a process
    # manager), even where it was started with SIGINT ignored (in the
    # background of a script).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("wsdlbind mock: stopped")


def _without_check() -> str:
    """The command line that was run, without ``--check``: what updates what
    it checked (the same WSDL, output and options, or the same pyproject)."""
    return shlex.join(["wsdlbind", *(a for a in sys.argv[1:] if a != "--check")])


def _jobs(
    wsdl: str | None,
    output: Path | None,
    offline: bool | None,
    templates: Path | None,
    layout: str | None,
    flags: model.CallPolicy,
    no_retry: bool,
) -> list[config.Job]:
    """The jobs to run: from the arguments, or from pyproject.toml; flags
    override (each part of the policy ``flags`` gives; ``no_retry``: all of
    every job's)."""
    if wsdl is not None:
        if output is None:
            raise click.UsageError("give -o OUTPUT with a WSDL argument")
        job = config.Job(
            wsdl,
            output,
            bool(offline),
            templates,
            layout or "module",
            flags,
        )
        return [_checked(job)]
    if output is not None:
        raise click.UsageError("-o needs a WSDL argument")
    pyproject = config.find_pyproject(Path.cwd())
    if pyproject is None:
        raise click.UsageError(
            "no WSDL given and no pyproject.toml here or above with [tool.wsdlbind]"
        )
    return [
        _checked(
            config.Job(
                job.wsdl,
                job.output,
                job.offline if offline is None else offline,
                templates or job.templates,
                layout or job.layout,
                model.NO_RETRY
                if no_retry
                else model.CallPolicy(
                    flags.retry or job.policy.retry,
                    flags.idempotency_key or job.policy.idempotency_key,
                ),
            )
        )
        for job in config.load_jobs(pyproject)
    ]


def _checked(job: config.Job) -> config.Job:
    """``job``, if its output suits its layout: a package is a folder."""
    if job.layout == "package" and job.output.suffix.lower() == ".py":
        raise click.UsageError(
            f"{job.output}: the package layout writes a folder; give its path"
            f" without .py (e.g. {job.output.with_suffix('').name})"
        )
    if job.layout == "package" and job.output.exists() and not job.output.is_dir():
        raise click.UsageError(
            f"{job.output} is a file; the package layout writes a folder"
            " (or use --layout module)"
        )
    if job.layout == "module" and job.output.is_dir():
        raise click.UsageError(
            f"{job.output} is a folder; the module layout writes a .py file"
            " (or use --layout package)"
        )
    if job.layout == "module" and job.output.suffix != ".py":
        raise click.UsageError(
            f"{job.output}: the module layout writes a Python module, whose name"
            f" ends in .py (e.g. {job.output.with_suffix('.py').name})"
        )
    return job


def _diff_job(job: config.Job, result: pipeline.Generated) -> str:
    """A unified diff from what is on disk to what ``result`` would write."""
    if not result.files:
        return _diff(job.output, result.code)
    on_disk = pipeline.on_disk(job.output)
    return "".join(
        _diff(job.output / name, result.files.get(name, ""), on_disk.get(name, ""))
        for name in sorted({*on_disk, *result.files})
    )


def _diff(path: Path, code: str, current: str | None = None) -> str:
    """A unified diff from the file on disk (or ``current``) to ``code``; empty
    when equal."""
    if current is None:
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
    if current == code:
        return ""
    return "".join(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            code.splitlines(keepends=True),
            fromfile=f"{path} (on disk)",
            tofile=f"{path} (generated)" if code else f"{path} (removed)",
        )
    )


class _Status:
    """One line on stderr, rewritten in place, that says which job is running
    and what it is doing (a job of a huge WSDL takes seconds); only on a
    terminal, and never with ``--quiet``."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.shown = not quiet and sys.stderr.isatty()
        self.total = total
        self.done = 0
        self.name = ""
        self.started = time.monotonic()

    def job(self, job: config.Job) -> None:
        self.done += 1
        self.name = job.output.name
        self.started = time.monotonic()

    def __call__(self, text: str) -> None:
        if not self.shown:
            return
        count = f" {self.done}/{self.total}" if self.total > 1 else ""
        elapsed = time.monotonic() - self.started
        line = f"wsdlbind: generating{count} {self.name}: {text} ({elapsed:.1f} s)"
        width = shutil.get_terminal_size().columns - 1
        sys.stderr.write("\r\x1b[K" + line[:width])
        sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
