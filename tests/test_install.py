"""wsdlbind as a user installs it: a wheel built from this repository, in a
fresh environment, imported and run as ``wsdlbind`` from a folder that has a
``generator`` package of its own (the source folder's name must not leak)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.conftest import CALLFIRE_FLAGS, GOLDEN, OWN_WSDL, ROOT, VENDOR_WSDL


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies are this
    environment's (a path in a ``.pth`` file), so nothing is downloaded."""
    work = tmp_path_factory.mktemp("install")
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        work / "dist",
        ROOT,
        cwd=work,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("wsdlbind-*.whl")
    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(
        _run(
            python,
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
            cwd=work,
        ).stdout.strip()
    )
    # This environment's packages, but not its .pth files (one of them is
    # the editable install of the checkout, which would shadow the wheel).
    (site / "dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    added = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=work,
    )
    assert added.returncode == 0, added.stdout + added.stderr
    # The user's folder: a package named as the source folder is.
    user = work / "project"
    (user / "generator").mkdir(parents=True)
    (user / "generator" / "__init__.py").write_text(
        'raise SystemExit("the user\'s generator package ran")\n', encoding="utf-8"
    )
    (user / "generator" / "__main__.py").write_text("", encoding="utf-8")
    return venv


def test_the_wheel_runs_as_python_m_wsdlbind(installed: Path) -> None:
    user = installed.parent / "project"
    python = installed / "bin" / "python"
    theirs = _run(python, "-m", "generator", cwd=user)
    assert "the user's generator package ran" in theirs.stderr  # as a user has it
    result = _run(python, "-m", "wsdlbind", "--version", cwd=user)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wsdlbind, version ")
    where = _run(python, "-c", "import wsdlbind; print(wsdlbind.__file__)", cwd=user)
    assert Path(where.stdout.strip()).is_relative_to(installed), where


def test_the_wheel_generates_the_callfire_client(installed: Path) -> None:
    user = installed.parent / "project"
    out = user / "callfire.py"
    result = _run(
        installed / "bin" / "wsdlbind",
        "generate",
        OWN_WSDL,
        "-o",
        out,
        *CALLFIRE_FLAGS,
        cwd=user,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == GOLDEN.read_bytes()


def _absolute_self_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module)
        and node.module.split(".")[0] == "generator"
        or isinstance(node, ast.Import)
        and any(a.name.split(".")[0] == "generator" for a in node.names)
    ]


def test_nothing_imports_the_source_folders_name() -> None:
    """Inside the package imports are relative; tests and benchmarks import
    ``wsdlbind``: code imported as ``generator`` would be a second copy."""
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("generator", "tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in _absolute_self_imports(path)
    }
    assert not found, sorted(found)
    assert "generator" not in sys.modules


def _xsdata_range() -> SpecifierSet:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (requirement,) = (
        Requirement(r)
        for r in tomllib.loads(text)["project"]["dependencies"]
        if Requirement(r).name == "xsdata"
    )
    return requirement.specifier


def test_the_newest_xsdata_allowed_is_the_one_the_suite_runs_on() -> None:
    allowed = _xsdata_range()
    (upper,) = (s for s in allowed if s.operator == "<")
    installed = Version(metadata.version("xsdata"))
    assert installed in allowed
    # Releases are numbered year.month: the bound is the month after this one.
    year, month = installed.major, installed.minor + 1
    if month > 12:
        year, month = year + 1, 1
    assert Version(upper.version) == Version(f"{year}.{month}")


#: What the oldest xsdata is checked on: the project's own description, the
#: vendor's, and corpus WSDLs of several eras and styles (in ../shared).
_CORPUS = (
    "salesforce-partner/partner.wsdl",
    "onvif-device-media/devicemgmt.wsdl",
    "travelport-air/air_v52_0/Air.wsdl",
    "zeep-testfiles/wsdl_files/claim.wsdl",
    "bingads-campaign/campaignmanagement_service.xml",
    "exchange-ews/services.wsdl",
)


def test_the_oldest_xsdata_allowed_generates_the_same_code(
    tmp_path: Path, shared: Path
) -> None:
    (lower,) = (s for s in _xsdata_range() if s.operator == ">=")
    target = tmp_path / f"xsdata-{lower.version}"
    fetched = _run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        target,
        f"xsdata=={lower.version}",
        cwd=tmp_path,
    )
    if fetched.returncode != 0:
        reason = f"xsdata {lower.version} could not be installed: {fetched.stderr}"
        if os.environ.get("WSDLBIND_REQUIRE_SHARED") == "1":  # CI reaches an index
            pytest.fail(reason)
        pytest.skip(reason)  # a clone without a package index
    inputs = [OWN_WSDL, VENDOR_WSDL, *(shared / "wsdl-corpus" / e for e in _CORPUS)]
    for version, path in ((metadata.version("xsdata"), ""), (lower.version, target)):
        env = {**os.environ, "PYTHONPATH": str(path)}
        seen = subprocess.run(
            [
                sys.executable,
                "-c",
                "import importlib.metadata as m; print(m.version('xsdata'))",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert seen.stdout.strip() == version
        for wsdl in inputs:
            out = tmp_path / version / f"{wsdl.stem}.py"
            result = subprocess.run(
                [sys.executable, "-m", "wsdlbind", "generate", str(wsdl)]
                + ["-o", str(out), "--offline", "-q"],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            assert result.returncode == 0, (version, wsdl, result.stderr)
    for wsdl in inputs:
        ours = (tmp_path / metadata.version("xsdata") / f"{wsdl.stem}.py").read_bytes()
        oldest = (tmp_path / lower.version / f"{wsdl.stem}.py").read_bytes()
        assert ours == oldest, wsdl
