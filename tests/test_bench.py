"""The benchmark script still runs (tiny sizes, one round): speed itself is
measured by ``python bench/run.py``, never asserted in tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_benchmark_smoke_run(shared: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for work in (
        "CreateContactBatch request",
        "parse QueryContactBatches",
        "new process",
        "module size, the committed client",
    ):
        assert work in result.stdout


def test_concurrency_benchmark_smoke_run(shared: Path) -> None:
    pytest.importorskip("httpx")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "concurrency.py"), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for candidate in ("wsdlbind async", "zeep AsyncClient", "wsdlbind sync, 8 threads"):
        assert candidate in result.stdout
