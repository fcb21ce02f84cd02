"""The benchmark script still runs (tiny sizes, one round): speed itself is
measured by ``python bench/run.py``, never asserted in tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def smoke_run(script: str) -> subprocess.CompletedProcess[str]:
    """``bench/<script> --smoke``, which must succeed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_benchmark_smoke_run(shared: Path) -> None:
    result = smoke_run("run.py")
    for work in (
        "CreateContactBatch request",
        "parse QueryContactBatches",
        "new process",
        "module size, the committed client",
    ):
        assert work in result.stdout


def test_concurrency_benchmark_smoke_run(shared: Path) -> None:
    pytest.importorskip("httpx")
    result = smoke_run("concurrency.py")
    for candidate in ("wsdlbind async", "zeep AsyncClient", "wsdlbind sync, 8 threads"):
        assert candidate in result.stdout


def test_huge_wsdl_benchmark_smoke_run() -> None:
    result = smoke_run("huge.py")
    for work in (
        "wsdlbind generate",
        "--check, unchanged",
        "inspect --types",
        "import",
    ):
        assert work in result.stdout
