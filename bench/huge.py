"""What a user of a huge WSDL lives with: issue 18's table, measured on vim25,
for both layouts (one module; a package that loads lazily).

    python bench/huge.py                 # generation, --check, inspect, imports
    python bench/huge.py --mypy --jedi   # and mypy --strict, cold, and jedi
    python bench/huge.py --smoke         # a small WSDL instead: checks it still works

Each figure is one run of a fresh process (wall time and its peak resident
memory, from ``resource.getrusage`` of that child alone), next to the same
work done by zeep (``python -m zeep``) where zeep has an equivalent.
"Use one port" imports the client, makes a port object and serializes one
operation's request: what a program does before its first call.
mypy is run three times: on a script beside the client, which it checks in
full (a vendored client); the same with the client's errors ignored (the
README's recipe: wsdlbind's own tests type-check what it generates); and
with the client on PYTHONPATH (an installed one, whose errors mypy does not
report). Nothing here is asserted:
tests/test_bench.py only checks the script runs.

A package's modules say ``# mypy: ignore-errors`` (wsdlbind's tests check
them), so a user's mypy reads their types without checking their code again;
"checked in full" is the same package with that line taken out.
``--baseline REV`` also times generation by an earlier revision of this
repository (installed from a git worktree into a scratch folder), in the same
run: the ratio is what a change gained, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VIM25 = SHARED / "wsdl-corpus" / "vmware-vim25" / "vimService.wsdl"
SMALL = ROOT / "wsdl" / "callfire" / "callfire.wsdl"
BIN = Path(sys.executable).parent

#: A user's script for the type checkers: one port, one operation's request
#: (vim25's names; the smoke run's CallFire names).
SCRIPT = {
    "vim25": (
        "from vim25 import ManagedObjectReference, ServiceContent, Vim\n"
        "\n\n"
        "def content(port: Vim) -> ServiceContent:\n"
        '    ref = ManagedObjectReference("ServiceInstance", type="ServiceInstance")\n'
        "    return port.RetrieveServiceContent(this=ref).returnval\n"
    ),
    "callfire": (
        "from callfire import BroadcastService\n"
        "\n\n"
        "def batch(port: BroadcastService) -> int:\n"
        '    return port.CreateContactBatch(Name="n", BroadcastId=1, ToNumber=[])\n'
    ),
}

#: Using one port: the client imported, a port made, one request serialized.
USE = {
    "vim25": (
        "from vim25 import ManagedObjectReference, RetrieveServiceContent, Vim,"
        " serialize\n"
        "Vim()\n"
        'ref = ManagedObjectReference("ServiceInstance", type="ServiceInstance")\n'
        "serialize(RetrieveServiceContent(this=ref))\n"
    ),
    "callfire": (
        "from callfire import BroadcastService, CreateContactBatch, serialize\n"
        'BroadcastService("user", "password")\n'
        'serialize(CreateContactBatch(BroadcastId=1, ToNumber=["13105551216"]))\n'
    ),
}

#: What an IDE asks: the port's methods, as a user types one.
COMPLETE = {
    "vim25": ("Vim", "RetrieveServiceContent"),
    "callfire": ("BroadcastService", "CreateContactBatch"),
}

JEDI = """
import sys, time
import jedi
folder, name, port, method = sys.argv[1:]
code = f"from {name} import {port}\\n{port}().{method[:-4]}"
script = jedi.Script(code, path=f"{folder}/use.py", project=jedi.Project(folder))
t = time.perf_counter()
names = [c.name for c in script.complete(2, len(code.splitlines()[1]))]
print(f"{time.perf_counter() - t:.1f} s, " + ("found" if method in names else "not found"))
"""


def measured(
    command: list[str],
    *,
    fails: bool = False,
    timeout: float | None = None,
    **kwargs: object,
) -> tuple[float, float, str]:
    """Run ``command`` in a child that reports its own wall time and peak memory:
    (seconds, MB, its output). It must succeed, unless ``fails`` may; past
    ``timeout`` seconds it is stopped (its output then says so)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "limit = float(sys.argv[1]) or None\n"
        "try:\n"
        "    r = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=limit)\n"
        "    out, code = r.stdout + r.stderr, r.returncode\n"
        "except subprocess.TimeoutExpired:\n"
        "    out, code = f'stopped after {limit:.0f} s', 0\n"
        "t = time.perf_counter() - t\n"
        "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(out)\n"
        "print(f'{t} {m} {code}')\n"
    )
    result = subprocess.run(  # type: ignore[call-overload]  # kwargs: env, cwd
        [sys.executable, "-c", wrapper, str(timeout or 0), *command],
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )
    seconds, mb, code = result.stdout.split()
    if code != "0" and not fails:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return float(seconds), float(mb), result.stderr


def baseline(revision: str, work: Path) -> list[str]:
    """The command that runs wsdlbind as of ``revision``: that revision checked
    out into a git worktree and installed (its own pyproject's layout, no
    dependencies: this environment's serve) into a folder of ``work``."""
    tree, site = work / "baseline-tree", work / "baseline-site"
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", str(tree), revision], check=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
            + ["--no-build-isolation", "--target", str(site), str(tree)],
            check=True,
        )
    finally:
        subprocess.run([*git, "remove", "--force", str(tree)], check=True)
    # The import name was `generator` before it became `wsdlbind`.
    package = "wsdlbind" if (site / "wsdlbind").is_dir() else "generator"
    code = f"import sys; sys.path.insert(0, {str(site)!r}); import runpy; "
    code += (
        f"sys.argv[0] = 'wsdlbind'; runpy.run_module({package!r}, run_name='__main__')"
    )
    return [sys.executable, "-c", code]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small WSDL, quickly")
    parser.add_argument("--mypy", action="store_true", help="also time mypy --strict")
    parser.add_argument("--jedi", action="store_true", help="also time jedi")
    parser.add_argument(
        "--baseline", metavar="REV", help="also time generation by this git revision"
    )
    args = parser.parse_args()
    if args.smoke:
        wsdl, name = SMALL, "callfire"
    elif VIM25.exists():
        wsdl, name = VIM25, "vim25"
    else:
        raise SystemExit(f"{VIM25} is not here: this benchmark needs ../shared")
    rows: dict[str, dict[str, str]] = {}

    def row(what: str, layout: str, seconds: float, mb: float, other: str = "") -> None:
        figure = f"{seconds:.2f} s, {mb:.0f} MB" + (f" {other}" if other else "")
        rows.setdefault(what, {})[layout] = figure
        print(f"{what} [{layout}]: {figure}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="wsdlbind-huge-"))
    wsdlbind = str(BIN / "wsdlbind")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        if args.baseline:
            command = baseline(args.baseline, work)
            output = work / f"{name}_baseline.py"
            s, mb, _ = measured([*command, "generate", str(wsdl), "-o", str(output)])
            row(f"wsdlbind generate, as of {args.baseline}", "module", s, mb)
        for layout in ("module", "package"):
            folder = work / layout
            folder.mkdir()
            output = folder / (f"{name}.py" if layout == "module" else name)
            generate = [wsdlbind, "generate", str(wsdl), "-o", str(output)]
            generate += ["--offline", "--layout", layout]
            s, mb, _ = measured([*generate, "-q"])
            files = sorted(output.glob("*.py")) if layout == "package" else [output]
            lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
            row(
                "wsdlbind generate",
                layout,
                s,
                mb,
                f"({lines:,} lines, {len(files)} files)",
            )
            s, mb, _ = measured([*generate, "--check"])
            row("wsdlbind generate --check, unchanged", layout, s, mb)
            here = {**env, "PYTHONPATH": str(folder)}
            use = [sys.executable, "-c", USE[name]]
            s, mb, _ = measured(use, env={**here, "PYTHONDONTWRITEBYTECODE": "1"})
            row("use one port, no bytecode", layout, s, mb)
            s, mb, _ = measured(
                [sys.executable, "-c", f"import {name}"],
                env={**here, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            row("import, no bytecode", layout, s, mb)
            subprocess.run(use, env=here, check=True)  # writes the bytecode
            s, mb, _ = measured(use, env=here)
            row("use one port, bytecode cached", layout, s, mb)
            if args.mypy:
                (folder / "use.py").write_text(SCRIPT[name], encoding="utf-8")
                ignored = folder / "ignored.ini"  # the README's recipe
                ignored.write_text(
                    f"[mypy]\nstrict = True\n[mypy-{name}]\nignore_errors = True\n"
                    f"[mypy-{name}.*]\nignore_errors = True\n",
                    encoding="utf-8",
                )
                runs: list[tuple[str, dict[str, str], list[str], Path]] = [
                    ("beside it", {}, [], folder),
                    (
                        "beside it, its errors ignored",
                        {},
                        ["--config-file", str(ignored)],
                        folder,
                    ),
                    ("installed", here, [], folder),
                ]
                if layout == "package":
                    full = folder / "full"  # the trust line taken out
                    shutil.copytree(output, full / name)
                    for module in (full / name).glob("*.py"):
                        text = module.read_text(encoding="utf-8")
                        module.write_text(
                            text.replace("# mypy: ignore-errors\n", ""),
                            encoding="utf-8",
                        )
                    (full / "use.py").write_text(SCRIPT[name], encoding="utf-8")
                    runs.insert(1, ("beside it, checked in full", {}, [], full))
                for number, (where, extra, config, cwd) in enumerate(runs):
                    cache = folder / f".mypy_cache_{number}"  # each cold
                    s, mb, out = measured(
                        [
                            str(BIN / "mypy"),
                            "--strict",
                            *config,
                            "--cache-dir",
                            str(cache),
                            "use.py",
                        ],
                        env={**env, **extra},
                        cwd=cwd,
                        fails=True,
                    )
                    verdict = out.strip().splitlines()[-1] if out.strip() else ""
                    row(
                        f"mypy --strict, cold, user script, client {where}",
                        layout,
                        s,
                        mb,
                        f"({verdict})",
                    )
            if args.jedi:
                port, method = COMPLETE[name]
                s, mb, out = measured(
                    [sys.executable, "-c", JEDI, str(folder), name, port, method],
                    env=env,
                    timeout=120,
                )
                row(
                    f"jedi completes {port}().{method[:-4]}…",
                    layout,
                    s,
                    mb,
                    f"({out.strip()})",
                )
        s, mb, _ = measured([wsdlbind, "inspect", str(wsdl), "--offline"])
        row("wsdlbind inspect", "module", s, mb)
        s, mb, _ = measured([wsdlbind, "inspect", "--types", str(wsdl), "--offline"])
        row("wsdlbind inspect --types", "module", s, mb)
        s, mb, _ = measured([sys.executable, "-m", "zeep", str(wsdl)])
        row("python -m zeep (its inspect, for comparison)", "module", s, mb)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"| what ({name}) | module | package |")
    print("|---|---|---|")
    for what, figures in rows.items():
        print(
            f"| {what} | {figures.get('module', '')} | {figures.get('package', '')} |"
        )


if __name__ == "__main__":
    main()
