"""The ``wsdlbind`` command: what a user types and sees."""

from __future__ import annotations

import datetime
import json
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from wsdlbind import config, load

from tests import inline
from tests.conftest import CALLFIRE_FLAGS, GOLDEN, OWN_WSDL, ROOT, import_path


def wsdlbind(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wsdlbind", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_generate_writes_the_module_from_any_directory(tmp_path: Path) -> None:
    out = tmp_path / "pkg" / "callfire.py"
    result = wsdlbind(
        "generate", str(OWN_WSDL), "-o", str(out), *CALLFIRE_FLAGS, cwd=tmp_path
    )
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


# -- a build step: --check, configuration, pre-commit ----------------------------------


def project_with(tmp_path: Path, config: str) -> Path:
    """A project folder holding a copy of the bundled WSDL and a pyproject.toml."""
    shutil.copytree(OWN_WSDL.parent, tmp_path / "wsdl")
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    return tmp_path


CONFIG = """
[project]
name = "uses-wsdlbind"

[[tool.wsdlbind.inputs]]
wsdl = "wsdl/callfire.wsdl"
output = "src/clients/callfire.py"
offline = true
retry = ["Get*", "Query*"]
idempotency_key = "RequestId"
"""


def test_the_repository_is_configured_and_up_to_date() -> None:
    result = wsdlbind("generate", "--check", cwd=ROOT / "generated")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 generated file(s) up to date" in result.stderr


def test_bare_generate_runs_the_configured_jobs_from_a_subfolder(
    tmp_path: Path,
) -> None:
    project = project_with(tmp_path, CONFIG)
    (project / "src").mkdir()
    result = wsdlbind("generate", cwd=project / "src")
    assert result.returncode == 0, result.stderr
    out = project / "src" / "clients" / "callfire.py"
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


def test_check_reports_drift_with_a_diff_and_exit_1(tmp_path: Path) -> None:
    project = project_with(tmp_path, CONFIG)
    assert wsdlbind("generate", cwd=project).returncode == 0
    out = project / "src" / "clients" / "callfire.py"
    before = out.read_bytes()
    assert wsdlbind("generate", "--check", cwd=project).returncode == 0
    out.write_text(
        out.read_text(encoding="utf-8").replace("BroadcastId", "BroadcastID", 1),
        encoding="utf-8",
    )
    result = wsdlbind("generate", "--check", cwd=project)
    assert result.returncode == 1
    assert "--- src/clients/callfire.py (on disk)" in result.stdout.replace(
        str(project) + "/", ""
    )
    assert "1 of 1 generated file(s) out of date" in result.stderr
    assert out.read_bytes() != before  # --check wrote nothing
    out.unlink()
    assert wsdlbind("generate", "--check", cwd=project).returncode == 1


def test_flags_override_the_configuration(tmp_path: Path) -> None:
    project = project_with(
        tmp_path, CONFIG.replace("offline = true", "offline = false")
    )
    url_config = CONFIG.replace(
        'wsdl = "wsdl/callfire.wsdl"',
        'wsdl = "https://example.invalid/x.wsdl"',
    )
    (project / "pyproject.toml").write_text(url_config, encoding="utf-8")
    result = wsdlbind("generate", "--offline", cwd=project)
    assert (
        result.returncode == 2 and "--offline forbids network access" in result.stderr
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.wsdlbind\n", "not valid TOML"),
        ('[project]\nname = "x"\n', "has no [tool.wsdlbind] section"),
        ("[tool.wsdlbind]\n", "needs at least one [[tool.wsdlbind.inputs]]"),
        ('[[tool.wsdlbind.inputs]]\nwsdl = "a.wsdl"\n', 'output = "..." is required'),
        (
            '[[tool.wsdlbind.inputs]]\nwsdl = "a.wsdl"\noutput = "a.py"\nofline = true\n',
            "unknown key(s) ofline",
        ),
    ],
    ids=["bad-toml", "no-section", "no-inputs", "no-output", "typo"],
)
def test_configuration_errors_are_clear(
    tmp_path: Path, config: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    result = wsdlbind("generate", cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def _hook() -> dict[str, object]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert isinstance(hook, dict)
    return hook


def test_the_pre_commit_hook_runs_the_check_and_passes_here() -> None:
    hook = _hook()
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    program, *args = shlex.split(str(hook["entry"]))
    assert program == "wsdlbind" and args[:2] == ["generate", "--check"]
    result = wsdlbind(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_hook_sees_every_input_and_output() -> None:
    """pre-commit runs a hook when a changed path (relative to the
    repository, searched with ``re.search``) matches its ``files``: a hand
    edit of the generated module, or of any document its WSDL reads."""
    files = re.compile(str(_hook()["files"]))
    paths = ["pyproject.toml", "generated/vim25/_types_3.py"]
    paths += [
        p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").glob("*.jinja")
    ]
    for job in config.load_jobs(ROOT / "pyproject.toml"):
        paths.append(job.output.relative_to(ROOT).as_posix())
        for doc in load.load(job.wsdl, offline=True).documents:
            local = Path(doc.uri.removeprefix("file://"))
            if local.is_relative_to(ROOT):
                paths.append(local.relative_to(ROOT).as_posix())
    assert [p for p in paths if not files.search(p)] == []
    assert len(paths) > 5 and not files.search("README.md")


def test_the_readmes_pre_commit_snippets_use_the_hook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### In CI and pre-commit", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    configs = [yaml.safe_load(block) for block in blocks]
    assert len(configs) == 2
    from_clone, as_local = (c["repos"][0] for c in configs)
    assert (
        "OWNER" not in from_clone["repo"]
        and from_clone["hooks"][0]["id"] == "wsdlbind-check"
    )
    local = as_local["hooks"][0]
    hook = _hook()
    for key in ("id", "entry", "pass_filenames", "files"):
        assert local[key] == hook[key], key


def on_a_terminal(args: list[str], cwd: Path) -> tuple[int, bytes]:
    """Run wsdlbind with its stderr on a pseudo-terminal: its exit status and
    what the terminal got."""
    main, replica = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "wsdlbind", *args],
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},  # lines are cut to the terminal's width
        stderr=replica,
        stdout=subprocess.DEVNULL,
    ) as process:
        os.close(replica)
        output = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    os.close(main)
    return process.returncode, output


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    config = CONFIG + (
        '\n[[tool.wsdlbind.inputs]]\nwsdl = "wsdl/callfire.wsdl"\n'
        'output = "src/clients/second.py"\noffline = true\n'
    )
    project = project_with(tmp_path, config)
    piped = wsdlbind("generate", cwd=project)
    assert piped.returncode == 0 and "generating" not in piped.stderr
    returncode, output = on_a_terminal(["generate"], project)
    assert returncode == 0
    assert b"generating" in output and b"2/2" in output
    # What each job is doing, on one line rewritten in place, erased at the end.
    assert b"documents read; resolving the types" in output
    assert b"classes, 98 operations; writing the code" in output
    assert (
        b"\r\x1b[K" in output
        and b"wsdlbind: generating" not in output.rsplit(b"\r\x1b[K", 1)[1]
    )
    quiet = wsdlbind("generate", "--quiet", cwd=project)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_an_error_on_a_terminal_starts_on_a_cleared_line(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    wsdl = write_wsdl(t__wsdl=inline.wsdl(BAD_SCHEMA, [("Ping", "Ping", None)]))
    returncode, output = on_a_terminal(
        ["generate", str(wsdl), "-o", str(tmp_path / "out.py")], tmp_path
    )
    assert returncode == 2
    status, _, message = output.rpartition(b"\r\x1b[K")
    assert b"generating out.py" in status and b"Missing" in message
    assert b"generating" not in message


# -- inspect ---------------------------------------------------------------------------


def test_inspect_lists_ports_operations_and_fields() -> None:
    result = wsdlbind("inspect", str(OWN_WSDL))
    assert result.returncode == 0
    text = result.stdout
    assert (
        "BroadcastService: service CallFireApi, port BroadcastServicePort, SOAP 1.2"
        in text
    )
    assert "  CreateContactBatch(CreateContactBatch) -> xs:long" in text
    assert "      ToNumber: ToNumber [repeated, choice (required)]" in text
    assert "      Name: xs:string [optional, default 'API Contact Batch']" in text


def test_inspect_json_is_for_machines() -> None:
    result = wsdlbind("inspect", "--json", str(OWN_WSDL))
    data = json.loads(result.stdout)
    ports = {port["port"]: port for port in data["ports"]}
    assert len(ports) == 8
    port = ports["BroadcastServicePort"]
    assert port["soap_version"] == "1.2" and port["style"] == "document/literal"
    ops = {op["name"]: op for op in port["operations"]}
    assert len(ops) == 14
    assert sum(len(p["operations"]) for p in ports.values()) == 98
    fields = {f["name"]: f for f in ops["CreateContactBatch"]["fields"]}
    assert fields["BroadcastId"]["occurs"] == "required"
    assert fields["ContactListId"]["choice"] == "required"
    assert ops["CreateContactBatch"]["faults"] == ["ServiceFault"]
    assert ops["UpdateBroadcast"]["output"] is None


def test_inspect_types_lists_every_class_with_its_fields() -> None:
    text = wsdlbind("inspect", "--types", str(OWN_WSDL)).stdout
    assert "\nTypes:\n" in text
    assert (
        "  BatchStatus (enum {http://api.callfire.com/data}BatchStatus): 'NEW', "
        "'VALIDATING', 'ERRORS', 'SOURCE_ERROR', 'ACTIVE'\n"
    ) in text
    assert (
        "  Call (element {http://api.callfire.com/data}Call, extends Action)\n"
        "      FromNumber: xs:string [required]\n"  # inherited fields first
    ) in text
    assert "Types:" not in wsdlbind("inspect", str(OWN_WSDL)).stdout


def test_inspect_types_json_gives_each_class() -> None:
    data = json.loads(wsdlbind("inspect", "--types", "--json", str(OWN_WSDL)).stdout)
    types = {t["class"]: t for t in data["types"]}
    batch = types["ContactBatch"]
    assert batch["kind"] == "element" and batch["base"] is None
    assert [f["name"] for f in batch["fields"]][:2] == ["Name", "Status"]
    assert types["BatchStatus"]["values"][0] == "NEW"
    assert "types" not in json.loads(
        wsdlbind("inspect", "--json", str(OWN_WSDL)).stdout
    )


# -- templates a user replaces ---------------------------------------------------------


def test_templates_folder_replaces_a_builtin_template_by_name(tmp_path: Path) -> None:
    """The README's worked example: classes that support positional ``match``."""
    mine = tmp_path / "my-templates"
    mine.mkdir()
    original = (ROOT / "templates" / "types.py.jinja").read_text(encoding="utf-8")
    marker = "    __slots__ = "
    assert marker in original
    (mine / "types.py.jinja").write_text(
        original.replace(
            marker,
            '    __match_args__ = {{ t.all | map(attribute="name") | pytuple(4, '
            '"__match_args__ = ") }}\n' + marker,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "custom.py"
    result = wsdlbind(
        "generate", str(OWN_WSDL), "-o", str(out), "--templates", str(mine)
    )
    assert result.returncode == 0, result.stderr
    module = import_path(out)
    match module.ContactBatch(
        Name="n",
        Status=module.BatchStatus.NEW,
        BroadcastId=3,
        Created=datetime.datetime(2026, 1, 1),
        id=9,
    ):
        case module.ContactBatch(name, status, broadcast):
            assert (name, status, broadcast) == ("n", module.BatchStatus.NEW, 3)
        case _:
            pytest.fail("the custom template was not used")


def test_a_template_that_makes_code_which_does_not_compile_writes_nothing(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "my-templates"
    mine.mkdir()
    original = (ROOT / "templates" / "types.py.jinja").read_text(encoding="utf-8")
    (mine / "types.py.jinja").write_text(
        original.replace("    __slots__ = ", "    def broken(:\n    __slots__ = ", 1),
        encoding="utf-8",
    )
    out = tmp_path / "custom.py"
    result = wsdlbind(
        "generate", str(OWN_WSDL), "-o", str(out), "--templates", str(mine)
    )
    assert result.returncode == 2
    assert "the module generated from callfire.wsdl does not compile (line " in (
        result.stderr
    )
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


# -- bad input: one clear message each -------------------------------------------------

BAD_SCHEMA = """<xs:element name="Ping"><xs:complexType><xs:sequence>
  <xs:element name="When" type="t:Missing"/></xs:sequence></xs:complexType></xs:element>"""


def test_undefined_type_names_it_and_where_it_is_used(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    entry = write_wsdl(bad__wsdl=inline.wsdl(BAD_SCHEMA, [("Ping", "Ping", None)]))
    result = wsdlbind("generate", str(entry), "-o", str(tmp_path / "x.py"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "bad.wsdl:8: type {urn:test}Missing, used by element When, is not defined"
        in result.stderr
    )


def test_undefined_message_element_names_the_operation(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    schema = BAD_SCHEMA.replace("t:Missing", "xs:string")
    entry = write_wsdl(bad__wsdl=inline.wsdl(schema, [("Ping", "Nope", None)]))
    result = wsdlbind("generate", str(entry), "-o", str(tmp_path / "x.py"))
    assert result.returncode == 2
    assert "operation Ping: element {urn:test}Nope (message PingIn) is not defined" in (
        result.stderr
    )


def test_http_binding_warning_is_printed_once_at_the_end(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    schema = BAD_SCHEMA.replace("t:Missing", "xs:string")
    document = inline.wsdl(schema, [("Ping", "Ping", None)]).replace(
        "</definitions>",
        '<binding name="HttpBinding" type="t:TestPortType" '
        'xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"><http:binding verb="GET"/>'
        '</binding><service name="HttpService"><port name="HttpPort" '
        'binding="t:HttpBinding"/></service></definitions>',
    )
    out = tmp_path / "x.py"
    result = wsdlbind("generate", str(write_wsdl(a__wsdl=document)), "-o", str(out))
    assert result.returncode == 0 and out.exists()
    lines = result.stderr.splitlines()
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(warnings) == 1 and "HttpPort" in warnings[0]
    assert lines.index(warnings[0]) < len(lines) - 1  # then the summary line


def test_check_of_an_explicit_wsdl_says_the_command_that_updates_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "cf.py"
    out.write_text("stale\n", encoding="utf-8")
    result = wsdlbind(
        "generate", str(OWN_WSDL), "--check", "-o", str(out), "--offline", "-q"
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "wsdlbind: 1 of 1 generated file(s) out of date; run `wsdlbind generate "
        f"{OWN_WSDL} -o {out} --offline -q` to update"
    )


def test_a_module_output_that_is_not_a_py_file_is_refused(tmp_path: Path) -> None:
    result = wsdlbind("generate", str(OWN_WSDL), "-o", str(tmp_path / "cf.txt"))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {tmp_path / 'cf.txt'}: the module layout writes a Python module, "
        "whose name ends in .py (e.g. cf.py)"
    )
    assert not (tmp_path / "cf.txt").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'retry = "Get*"',
            "retry = 'Get*' is not a list of operation name patterns\n"
            '  hint: e.g. retry = ["Get*", "Query*"] (fnmatch patterns, case sensitive)',
        ),
        (
            'idempotency_key = ""',
            "idempotency_key = '' is not an element name\n"
            '  hint: e.g. idempotency_key = "RequestId"',
        ),
    ],
)
def test_a_malformed_call_policy_is_refused(
    tmp_path: Path, line: str, message: str
) -> None:
    key = line.split(" = ")[0]
    config = "\n".join(line if o.startswith(key) else o for o in CONFIG.splitlines())
    project = project_with(tmp_path, config)
    result = wsdlbind("generate", cwd=project)
    assert result.returncode == 2
    where = f"Error: {project / 'pyproject.toml'}: [[tool.wsdlbind.inputs]] #1: "
    assert result.stderr.endswith(where + message + "\n"), result.stderr


def test_policy_flags_override_the_configuration(tmp_path: Path) -> None:
    project = project_with(tmp_path, CONFIG)
    assert wsdlbind("generate", "-q", cwd=project).returncode == 0
    out = project / "src" / "clients" / "callfire.py"
    assert out.read_bytes() == GOLDEN.read_bytes()
    result = wsdlbind("generate", "--check", "--retry", "Query*", cwd=project)
    assert result.returncode == 1  # another policy: another module
    assert "-            safe=True," in result.stdout  # GetContactBatch's, no more
    assert wsdlbind("generate", "--retry", "Query*", cwd=project).returncode == 0
    module = import_path(out)
    doc = (module.BroadcastService.GetContactBatch.__doc__ or "").replace("\n", " ")
    assert "Retried" not in doc


def test_no_retry_clears_a_configured_policy(tmp_path: Path) -> None:
    project = project_with(tmp_path, CONFIG)
    assert wsdlbind("generate", "-q", "--no-retry", cwd=project).returncode == 0
    module = import_path(project / "src" / "clients" / "callfire.py")
    for method in ("GetContactBatch", "CreateContactBatch"):
        doc = getattr(module.BroadcastService, method).__doc__ or ""
        assert "Retried" not in doc, method
    both = wsdlbind("generate", "--no-retry", "--retry", "Get*", cwd=project)
    assert both.returncode == 2
    assert both.stderr.splitlines()[-1] == (
        "Error: --no-retry goes with neither --retry nor --idempotency-key"
    )
