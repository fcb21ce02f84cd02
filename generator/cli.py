"""The ``wsdlbind`` command line."""

from __future__ import annotations

from pathlib import Path

import click

from generator import __version__, pipeline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsdlbind")
def main() -> None:
    """Generate a standalone, typed Python SOAP client from a WSDL.

    Exit status: 0 success, 2 bad usage or input.
    """


@main.command()
@click.argument("wsdl")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The Python module to write, e.g. generated/callfire.py.",
)
@click.option(
    "--offline", is_flag=True, help="Never touch the network, even for a URL input."
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder whose templates replace the built-in ones of the same name.",
)
def generate(wsdl: str, output: Path, offline: bool, templates: Path | None) -> None:
    """Generate a client module from WSDL (a path or an http(s) URL)."""
    result = pipeline.generate(wsdl, offline=offline, templates=templates)
    pipeline.write(output, result.code)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"wrote {output}", err=True)
