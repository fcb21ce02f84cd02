"""Generated code passes ruff and mypy --strict, and mypy catches misuse of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from wsdlbind import pipeline

from tests.conftest import CALLFIRE_POLICY, GOLDEN, VENDOR_WSDL


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def _ruff(*command: str) -> list[str]:
    if run("ruff", "--version").returncode != 0:
        pytest.skip("ruff is not installed")
    return ["ruff", *command, "--isolated", "--no-cache"]


#: The line with which a package's modules tell a user's mypy not to check
#: their code again (see templates/package_part.py.jinja).
TRUSTED = "# mypy: ignore-errors\n"


def assert_clean(path: Path) -> None:
    """ruff check, ruff format --check (default settings) and mypy --strict pass
    (on a package, with its modules' :data:`TRUSTED` line taken out: checked
    with it, mypy would report nothing)."""
    lint = run(*_ruff("check"), str(path))
    assert lint.returncode == 0, lint.stdout
    formatting = run(*_ruff("format", "--check", "--diff"), str(path))
    assert formatting.returncode == 0, formatting.stdout[:3000]
    with tempfile.TemporaryDirectory() as scratch:
        checked = Path(scratch) / path.name
        if path.is_dir():
            shutil.copytree(path, checked)
            for module in checked.glob("*.py"):
                text = module.read_text(encoding="utf-8")
                assert text.count(TRUSTED) == 1, module.name
                module.write_text(text.replace(TRUSTED, ""), encoding="utf-8")
        else:
            shutil.copy(path, checked)
        mypy = run("mypy", "--strict", "--no-incremental", str(checked))
    assert mypy.returncode == 0, mypy.stdout


@pytest.fixture(scope="module")
def vendor_module(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vendor") / "callfire_vendor.py"
    out.write_text(
        pipeline.generate(str(VENDOR_WSDL), offline=True, policy=CALLFIRE_POLICY).code,
        encoding="utf-8",
    )
    return out


def test_golden_module_is_formatted_and_passes_ruff_and_mypy_strict() -> None:
    assert_clean(GOLDEN)


def test_vendor_module_is_formatted_and_passes_ruff_and_mypy_strict(
    vendor_module: Path,
) -> None:
    assert_clean(vendor_module)


def test_hostile_module_is_formatted_and_passes_ruff_and_mypy_strict(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    from tests.test_render import HOSTILE

    out = tmp_path / "evil.py"
    out.write_text(
        pipeline.generate(str(write_wsdl(e__wsdl=HOSTILE))).code, encoding="utf-8"
    )
    assert_clean(out)


def feature_wsdls() -> dict[str, str]:
    """Inline WSDLs whose features add code paths the CallFire modules lack."""
    from tests import inline
    from tests.test_addressing import addressing_wsdl
    from tests.test_headers import WSDL as HEADERS
    from tests.test_render import SHADOWING_OPERATIONS, SHADOWING_SCHEMA
    from tests.test_rpc import ARRAYS_WSDL, rpc_wsdl

    mixed = """
      <xs:element name="Note"><xs:complexType mixed="true"><xs:sequence>
        <xs:element name="b" type="xs:string" minOccurs="0"/></xs:sequence>
      </xs:complexType></xs:element>
      <xs:element name="Update"><xs:complexType><xs:sequence>
        <xs:element name="Phone" type="xs:string" nillable="true"/>
        <xs:any namespace="##other" processContents="lax"/>
      </xs:sequence></xs:complexType></xs:element>"""
    return {
        "rpc_encoded_arrays": ARRAYS_WSDL,
        "rpc_literal": rpc_wsdl("literal"),
        "headers": HEADERS,
        "mixed_nillable_any": inline.wsdl(
            mixed, [("Say", "Note", None), ("Update", "Update", None)]
        ),
        "methods_shadowing_names": inline.wsdl(SHADOWING_SCHEMA, SHADOWING_OPERATIONS),
        "addressing_actions": addressing_wsdl(),
    }


@pytest.mark.parametrize("name", sorted(feature_wsdls()))
def test_feature_modules_are_formatted_and_pass_ruff_and_mypy_strict(
    name: str, write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    wsdl = write_wsdl(f__wsdl=feature_wsdls()[name])
    out = tmp_path / f"{name}.py"
    out.write_text(pipeline.generate(str(wsdl)).code, encoding="utf-8")
    assert_clean(out)


def assert_pyright_clean(path: Path) -> None:
    """pyright (strict about what mypy lets pass: names a class body's
    ``__slots__`` declare, awaiting what a ``getattr`` gave) finds nothing."""
    if run("pyright", "--version").returncode != 0:
        pytest.skip("pyright is not installed")
    checked = run("pyright", "--pythonpath", sys.executable, str(path))
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_golden_module_passes_pyright() -> None:
    """CallFire has enum defaults named like their fields (``NotificationFormat``)."""
    assert_pyright_clean(GOLDEN)


def test_a_module_whose_methods_shadow_names_passes_pyright(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    wsdl = write_wsdl(f__wsdl=feature_wsdls()["methods_shadowing_names"])
    out = tmp_path / "shadowing.py"
    out.write_text(pipeline.generate(str(wsdl)).code, encoding="utf-8")
    assert_pyright_clean(out)


def test_mypy_reports_a_missing_required_field_and_a_wrong_type(tmp_path: Path) -> None:
    shutil.copy(GOLDEN, tmp_path / "callfire.py")
    (tmp_path / "use.py").write_text(
        "from callfire import BroadcastService, CreateContactBatch\n"
        "svc = BroadcastService('u', 'p')\n"
        "ok: int = svc.CreateContactBatch(BroadcastId=3, ToNumber=['13105551216'])\n"
        "missing = CreateContactBatch(ContactListId=1)\n"
        "wrong = svc.CreateContactBatch(BroadcastId='3', ContactListId=1)\n"
        "async def main() -> None:\n"
        "    from callfire import AsyncBroadcastService\n"
        "    a = AsyncBroadcastService('u', 'p')\n"
        "    n: int = await a.CreateContactBatch(BroadcastId=3, ContactListId=1)\n"
        "    w = await a.CreateContactBatch(BroadcastId='3', ContactListId=1)\n"
        "    s: str = await a.CreateContactBatch(BroadcastId=3, ContactListId=1)\n",
        encoding="utf-8",
    )
    mypy = run("mypy", "--strict", "--no-incremental", "use.py", cwd=tmp_path)
    assert mypy.returncode == 1
    errors = [line for line in mypy.stdout.splitlines() if ": error:" in line]
    assert any(
        line.startswith("use.py:4:") and "BroadcastId" in line for line in errors
    ), errors
    assert any(line.startswith("use.py:5:") for line in errors), errors
    assert not any(line.startswith(("use.py:3:", "use.py:9:")) for line in errors)
    assert any(line.startswith("use.py:10:") for line in errors), errors  # async
    assert any(line.startswith("use.py:11:") for line in errors), errors


def test_generator_itself_passes_ruff_and_mypy_strict() -> None:
    root = Path(__file__).resolve().parents[1]
    lint = run("ruff", "check", "--no-cache", "generator", "tests", cwd=root)
    assert lint.returncode == 0, lint.stdout
    formatting = run("ruff", "format", "--check", "generator", "tests", cwd=root)
    assert formatting.returncode == 0, formatting.stdout
    mypy = run("mypy", "--no-incremental", cwd=root)  # [tool.mypy]: strict, generator/
    assert mypy.returncode == 0, mypy.stdout


def test_importing_the_client_loads_only_datetime_on_top_of_lxml(
    tmp_path: Path,
) -> None:
    """Start-up is part of the product: what the first request needs (http.client,
    urllib, ssl, base64, copy) is imported then, not by every program that only
    imports the module and makes a client."""
    import lxml

    shutil.copy(GOLDEN, tmp_path / "callfire.py")
    code = (
        "import sys; import lxml.etree; before = set(sys.modules); "
        "import callfire; callfire.BroadcastService('u', 'p'); "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    # -S: without site, so that modules a .pth file imports are counted too.
    site_packages = str(Path(lxml.__file__).parents[1])
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{tmp_path}{os.pathsep}{site_packages}"},
    )
    loaded = set(out.stdout.split()) - {"callfire", "__future__"}
    assert loaded <= {"datetime", "_datetime", "math"}, sorted(loaded)
