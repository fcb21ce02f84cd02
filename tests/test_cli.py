"""The ``wsdlbind`` command: what a user types and sees."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import GOLDEN, OWN_WSDL, ROOT


def wsdlbind(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_generate_writes_the_module_from_any_directory(tmp_path: Path) -> None:
    out = tmp_path / "pkg" / "callfire.py"
    result = wsdlbind("generate", str(OWN_WSDL), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == GOLDEN.read_bytes()


def test_version() -> None:
    result = wsdlbind("--version")
    assert result.returncode == 0 and "wsdlbind, version" in result.stdout


def test_bad_input_is_one_clear_line_without_traceback(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    entry = write_wsdl(broken__wsdl="<definitions>\n<oops>\n")
    result = wsdlbind("generate", str(entry), "-o", str(tmp_path / "x.py"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "broken.wsdl:3:" in result.stderr and "not well-formed XML" in result.stderr
    assert not (tmp_path / "x.py").exists()


def test_unwritable_output_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = wsdlbind("generate", str(OWN_WSDL), "-o", str(blocker / "out.py"))
    assert result.returncode == 2
    assert (
        "cannot write the output" in result.stderr and "Traceback" not in result.stderr
    )


def test_missing_input_file(tmp_path: Path) -> None:
    result = wsdlbind(
        "generate", str(tmp_path / "nope.wsdl"), "-o", str(tmp_path / "x.py")
    )
    assert result.returncode == 2
    assert (
        "nope.wsdl: no such file" in result.stderr and "Traceback" not in result.stderr
    )


def test_offline_url(tmp_path: Path) -> None:
    result = wsdlbind(
        "generate",
        "https://example.com/service.wsdl",
        "--offline",
        "-o",
        str(tmp_path / "x.py"),
    )
    assert (
        result.returncode == 2 and "--offline forbids network access" in result.stderr
    )
