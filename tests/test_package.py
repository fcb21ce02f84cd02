"""The package layout (generator/render/package.py): a client split into
modules that load as they are used, the same to its users as the module."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.render import package

from tests import inline
from tests.soap_server import Answer, envelope, fault12, serve
from tests.test_cli import wsdlbind
from tests.test_quality import assert_clean, assert_pyright_clean, feature_wsdls, run

ROOT = Path(__file__).resolve().parents[1]
CALLFIRE = ROOT / "wsdl" / "callfire" / "callfire.wsdl"
SVC = "http://api.callfire.com/service/xsd"


def write(wsdl: Path, folder: Path) -> Path:
    result = pipeline.generate(str(wsdl), offline=True, layout="package")
    pipeline.write_package(folder, result.files)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CallFire client as a package, written once (copied for each use)."""
    return write(CALLFIRE, tmp_path_factory.mktemp("built") / "cfpkg")


@pytest.fixture
def fresh(built: Path, tmp_path: Path) -> Iterator[Callable[[], ModuleType]]:
    """A copy of the package under a name of its own, imported on demand; its
    modules are forgotten afterwards."""
    name = f"cfpkg_{tmp_path.name.replace('-', '_')}"
    shutil.copytree(built, tmp_path / name)
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda: importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m.split(".")[0] == name]:
            del sys.modules[module]


def loaded(prefix: str) -> set[str]:
    return {m.partition(".")[2] for m in sys.modules if m.startswith(prefix + ".")}


def python(code: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return done.stdout


# -- what it is made of --------------------------------------------------------------


def test_the_package_passes_ruff_mypy_strict_and_pyright(built: Path) -> None:
    assert_clean(built)
    assert_pyright_clean(built)


def test_a_users_mypy_reads_the_packages_types_and_trusts_its_code(
    built: Path, tmp_path: Path
) -> None:
    """Each module says ``# mypy: ignore-errors``: the user's mypy still
    reports misuse of the package (its types are read), but not a fault in the
    package's own code, which wsdlbind's tests check (vim25: 11 s to 3.5 s)."""
    shutil.copytree(built, tmp_path / "cfpkg")
    part = next((tmp_path / "cfpkg").glob("_types_*.py"))
    part.write_text(
        part.read_text(encoding="utf-8") + '\nplanted: int = "not an int"\n',
        encoding="utf-8",
    )
    (tmp_path / "use.py").write_text(
        "from cfpkg import BroadcastService, CreateContactBatch\n"
        "svc = BroadcastService('u', 'p')\n"
        "ok: int = svc.CreateContactBatch(BroadcastId=3, ToNumber=['13105551216'])\n"
        "missing = CreateContactBatch(ContactListId=1)\n"
        "wrong = svc.CreateContactBatch(BroadcastId='3', ContactListId=1)\n",
        encoding="utf-8",
    )
    mypy = run("mypy", "--strict", "--no-incremental", "use.py", cwd=tmp_path)
    errors = [line for line in mypy.stdout.splitlines() if ": error:" in line]
    assert [line.partition(":")[0] for line in errors] == ["use.py", "use.py"], errors
    assert errors[0].startswith("use.py:4:") and "BroadcastId" in errors[0]
    assert errors[1].startswith("use.py:5:")


def test_a_package_whose_methods_shadow_names_passes_the_checkers(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """Port methods named like the types they take (``RenameThing`` taking a
    ``RenameThing``): the aliases become imports for type checkers."""
    wsdl = write_wsdl(f__wsdl=feature_wsdls()["methods_shadowing_names"])
    folder = write(wsdl, tmp_path / "shadowing")
    assert_clean(folder)
    assert_pyright_clean(folder)


def test_generation_is_deterministic(built: Path) -> None:
    again = pipeline.generate(str(CALLFIRE), offline=True, layout="package").files
    assert again == pipeline.on_disk(built)


def test_each_module_imports_only_from_the_runtime_and_modules_before_it(
    built: Path,
) -> None:
    """The type modules are numbered in dependency order, and no two import
    each other: an import cycle would fail at import time."""
    order = sorted(p.stem for p in built.glob("_types_*.py"))
    assert len(order) > 1
    for position, name in enumerate(order):
        tree = ast.parse((built / f"{name}.py").read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1
        }
        assert imported <= {"_runtime", *order[:position]}, name


# -- what a user sees ----------------------------------------------------------------


def test_importing_the_package_loads_the_runtime_alone(
    fresh: Callable[[], ModuleType],
) -> None:
    pkg = fresh()
    assert loaded(pkg.__name__) == {"_runtime"}
    assert pkg.Fault.__module__ == f"{pkg.__name__}._runtime"


def test_a_port_class_loads_its_module_and_the_types_its_defaults_name(
    fresh: Callable[[], ModuleType],
) -> None:
    """Method bodies import their types when called; only what a signature
    evaluates at class creation (an enum default) comes with the class."""
    pkg = fresh()
    port_module = Path(pkg.__file__ or "").parent / "_broadcast_service.py"
    tree = ast.parse(port_module.read_text(encoding="utf-8"))
    eager = {
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }
    pkg.BroadcastService  # noqa: B018 - the attribute access is the import
    assert loaded(pkg.__name__) == {"_runtime", "_broadcast_service"} | eager
    pkg.CreateContactBatch  # noqa: B018
    assert len(loaded(pkg.__name__)) > len(eager) + 2


def test_every_public_name_is_there_and_dir_lists_them(
    fresh: Callable[[], ModuleType],
) -> None:
    pkg = fresh()
    assert set(pkg.__all__) <= set(dir(pkg))
    for name in pkg.__all__:
        value = getattr(pkg, name)
        assert not isinstance(value, type) or value.__name__ == name
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        pkg.Nope  # noqa: B018


def test_a_call_sends_the_bytes_the_module_sends(
    fresh: Callable[[], ModuleType], golden: ModuleType
) -> None:
    pkg = fresh()
    answer = envelope(f'<CreatedId xmlns="{SVC}">332</CreatedId>')
    bodies = []
    for client in (golden, pkg):
        with serve(lambda r: Answer(200, answer)) as (url, seen):
            port = client.BroadcastService("user", "s3cret", endpoint=url)
            batch = port.CreateContactBatch(
                RequestId="urn:uuid:5f1d7c1e-1111-4222-8333-444455556666",
                BroadcastId=3,
                ToNumber=["13105551216", "13105551217"],
            )
        assert batch == 332
        bodies.append(seen[0].body)
    assert bodies[0] == bodies[1]


def test_a_fault_is_typed_though_nothing_had_loaded_its_class(
    fresh: Callable[[], ModuleType],
) -> None:
    pkg = fresh()
    fault_module = pkg._MODULES["ServiceFault"]
    detail = (
        f'<ServiceFaultInfo xmlns="{SVC}"><FaultCode>NOT_FOUND</FaultCode>'
        "<Message>no broadcast 3</Message></ServiceFaultInfo>"
    )
    answer = fault12("soap:Receiver", "Broadcast not found", detail)
    with serve(lambda r: Answer(500, answer)) as (url, _):
        port = pkg.BroadcastService("user", "s3cret", endpoint=url)
        assert fault_module not in loaded(pkg.__name__)
        with pytest.raises(pkg.Fault) as caught:
            port.CreateContactBatch(BroadcastId=3, ContactListId=1)
    assert type(caught.value).__name__ == "ServiceFault"
    assert caught.value.info.Message == "no broadcast 3"
    assert fault_module in loaded(pkg.__name__)


def test_plain_data_goes_both_ways_in_a_package(
    fresh: Callable[[], ModuleType], golden: ModuleType
) -> None:
    """from_dict finds each field's class in the module that defines it, loaded
    when first needed, as the module layout finds it in its own namespace."""
    package = fresh()
    data = {
        "Name": "b",
        "IvrBroadcastConfig": {"RetryConfig": {"RetryResults": ["LA"]}},
    }
    broadcast = package.from_dict(package.Broadcast, data)
    retry = broadcast.IvrBroadcastConfig.RetryConfig
    assert type(retry).__module__.startswith(package.__name__ + ".")
    assert retry.RetryResults == [package.Result.LA]
    assert package.to_dict(broadcast) == golden.to_dict(
        golden.from_dict(golden.Broadcast, data)
    )


def test_an_xsi_type_loads_the_module_of_its_reader(
    fresh: Callable[[], ModuleType],
) -> None:
    pkg = fresh()
    readers = pkg._runtime._READERS
    name = next(iter(readers._modules))
    module = readers._modules[name]
    assert module not in loaded(pkg.__name__) and name not in readers
    reader = readers.get(name)
    assert module in loaded(pkg.__name__)
    assert reader.__module__ == f"{pkg.__name__}.{module}"
    assert readers.get("{urn:nowhere}Nothing") is None


def test_the_package_reads_an_answer_the_module_reads(
    fresh: Callable[[], ModuleType], golden: ModuleType
) -> None:
    pkg = fresh()
    xml = (
        f'<ServiceFaultInfo xmlns="{SVC}"><FaultCode>NOT_FOUND</FaultCode>'
        "<Message>m</Message></ServiceFaultInfo>"
    )
    ours = pkg.parse(pkg.ServiceFaultInfo, etree.fromstring(xml))
    theirs = golden.parse(golden.ServiceFaultInfo, etree.fromstring(xml))
    assert ours.FaultCode.value == theirs.FaultCode.value
    assert ours.Message == theirs.Message


def test_an_ide_completes_the_port_methods(built: Path) -> None:
    """jedi (what IDEs use) follows the TYPE_CHECKING imports of __init__."""
    jedi = pytest.importorskip("jedi")
    code = "from cfpkg import BroadcastService\nBroadcastService().CreateCon"
    project = jedi.Project(str(built.parent))
    script = jedi.Script(code, path=str(built.parent / "use.py"), project=project)
    names = [c.name for c in script.complete(2, len("BroadcastService().CreateCon"))]
    assert "CreateContactBatch" in names


def test_no_bytecode_is_needed_to_import_it(built: Path) -> None:
    """In a fresh interpreter that writes no bytecode, as containers run."""
    out = python(
        "import sys; sys.dont_write_bytecode = True\n"
        "from cfpkg import BroadcastService\n"
        "print(BroadcastService.__module__)",
        built.parent,
    )
    assert out.strip() == "cfpkg._broadcast_service"


# -- the split itself ----------------------------------------------------------------


def test_the_module_layout_has_no_import_marker(golden: ModuleType) -> None:
    assert package.MARKER not in Path(golden.__file__ or "").read_text(encoding="utf-8")


# -- generating, checking and writing a package ---------------------------------------


def test_check_tells_an_unchanged_package_from_its_stamp(built: Path) -> None:
    """No generation: a check that would generate fails here, offline, on an
    input that is not where the stamp says it came from."""
    assert pipeline.up_to_date(str(CALLFIRE), built, offline=True, layout="package")
    assert not pipeline.up_to_date(str(CALLFIRE), built, offline=True)  # module?
    assert not pipeline.up_to_date(
        str(CALLFIRE), built.with_name("absent"), layout="package"
    )


def test_a_hand_edit_a_removed_file_and_an_extra_file_are_drift(
    built: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cf"
    shutil.copytree(built, folder)
    check = ("generate", str(CALLFIRE), "-o", str(folder), "--layout", "package")
    assert wsdlbind(*check, "--check").returncode == 0
    part = sorted(folder.glob("_types_*.py"))[0]
    part.write_text(part.read_text(encoding="utf-8") + "\n# mine\n", encoding="utf-8")
    result = wsdlbind(*check, "--check")
    assert result.returncode == 1
    assert f"--- {part} (on disk)" in result.stdout and "-# mine" in result.stdout
    assert wsdlbind(*check).returncode == 0  # regenerated
    assert wsdlbind(*check, "--check").returncode == 0
    stale = folder / "_types_99.py"
    stale.write_text('"""Part of the client package generated by wsdlbind."""\n')
    result = wsdlbind(*check, "--check")
    assert result.returncode == 1 and f"+++ {stale} (removed)" in result.stdout


def test_regenerating_removes_what_wsdlbind_wrote_and_keeps_the_users_files(
    built: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cf"
    shutil.copytree(built, folder)
    stale = folder / "_types_99.py"
    stale.write_text('"""Part of the client package generated by wsdlbind 0.0."""\n')
    mine = folder / "helpers.py"
    mine.write_text('"""My own helpers."""\n')
    result = wsdlbind(
        "generate", str(CALLFIRE), "-o", str(folder), "--layout", "package"
    )
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and mine.exists()
    assert pipeline.on_disk(folder) == pipeline.on_disk(built)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "out.py", "--layout", "package"],
            "out.py: the package layout writes a folder; give its path without .py"
            " (e.g. out)",
        ),
        (["-o", ".", "--layout", "module"], "is a folder; the module layout writes"),
    ],
    ids=["package-to-py", "module-to-folder"],
)
def test_an_output_that_does_not_suit_the_layout_is_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = wsdlbind("generate", str(CALLFIRE), *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


def test_the_configuration_chooses_the_layout(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.wsdlbind.inputs]]\n"
        f'wsdl = "{CALLFIRE}"\noutput = "gen/cf"\nlayout = "package"\noffline = true\n',
        encoding="utf-8",
    )
    assert wsdlbind("generate", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / "gen" / "cf" / "__init__.py").is_file()
    assert wsdlbind("generate", "--check", "-q", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.wsdlbind.inputs]]\nwsdl = "{CALLFIRE}"\noutput = "x"\nlayout = "pkg"\n',
        encoding="utf-8",
    )
    result = wsdlbind("generate", cwd=tmp_path)
    assert result.returncode == 2
    assert "layout = 'pkg' is not a layout" in result.stderr
    assert 'use "module" (one file) or "package"' in result.stderr


def test_a_module_and_the_users_files_beside_the_package_are_left_alone(
    built: Path, tmp_path: Path
) -> None:
    """Only a package's own files are replaced or removed: not a module a
    module-layout generation wrote (its first line names wsdlbind too), and
    never a user's file the package would overwrite."""
    folder = tmp_path / "generated"
    folder.mkdir()
    module = folder / "callfire.py"
    shutil.copy(ROOT / "generated" / "callfire.py", module)
    args = ("generate", str(CALLFIRE), "-o", str(folder), "--layout", "package")
    assert wsdlbind(*args).returncode == 0
    assert module.read_bytes() == (ROOT / "generated" / "callfire.py").read_bytes()
    assert (folder / "__init__.py").is_file()
    assert wsdlbind(*args, "--check").returncode == 0  # the module is no drift
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "__init__.py").write_text("VERSION = 1\n")
    result = wsdlbind("generate", str(CALLFIRE), "-o", str(mine), "--layout", "package")
    assert result.returncode == 2
    assert "__init__.py: wsdlbind did not write this file" in result.stderr
    assert (mine / "__init__.py").read_text() == "VERSION = 1\n"
    assert sorted(p.name for p in mine.iterdir()) == ["__init__.py"]


def test_a_type_named_like_what_init_imports_is_the_type(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    schema = """
  <xs:element name="importlib"><xs:complexType><xs:sequence>
    <xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Answer"><xs:complexType><xs:sequence>
    <xs:element name="y" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
"""
    wsdl = write_wsdl(t__wsdl=inline.wsdl(schema, [("Do", "importlib", "Answer")]))
    folder = write(wsdl, tmp_path / "named")
    assert_clean(folder)
    out = python("import named; print(named.importlib.__module__)", tmp_path)
    assert out.strip().startswith("named._types_")


def copied_template(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A templates folder holding the built-in ``name``, with ``old`` made ``new``."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    text = (ROOT / "templates" / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "ports.py.jinja",
            "        {{ module.imports_marker }}\n",
            "",
            "has no line `{{ module.imports_marker }}` where the package layout"
            " imports them",
        ),
        (
            "codec.py.jinja",
            '    {{ t.xsi_type | pyrepr }}: {{ t.helpers["read"] }},\n',
            "    **{name: r for _, r, name in _CODECS.values() if name},\n",
            "reads _CODECS when the module is imported",
        ),
    ],
    ids=["no-imports-marker", "table-built-at-import"],
)
def test_templates_the_package_cannot_split_are_refused_clearly(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    """Templates written for the module layout alone (copied from an earlier
    wsdlbind) still make a module; a package needs them to say more."""
    templates = copied_template(tmp_path, name, old, new)
    out = tmp_path / "cf"
    common = ("generate", str(CALLFIRE), "--templates", str(templates))
    assert wsdlbind(*common, "-o", str(tmp_path / "cf.py")).returncode == 0
    result = wsdlbind(*common, "-o", str(out), "--layout", "package")
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
