"""What a user of a huge WSDL lives with: issue 18's table, measured on vim25.

    python bench/huge.py                 # generation, --check, inspect, imports
    python bench/huge.py --mypy          # and mypy --strict, cold, on a user script
    python bench/huge.py --smoke         # a small WSDL instead: checks it still works

Each figure is one run of a fresh process (wall time and its peak resident
memory, from ``resource.getrusage`` of that child alone), next to the same
work done by zeep (``python -m zeep``) where zeep has an equivalent.
Nothing here is asserted: tests/test_bench.py only checks the script runs.
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

#: A user's script: one port, one operation's request (vim25's names; the
#: smoke run's CallFire names).
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


def measured(
    command: list[str], *, fails: bool = False, **kwargs: object
) -> tuple[float, float, str]:
    """Run ``command`` in a child that reports its own wall time and peak memory:
    (seconds, MB, its output). It must succeed, unless ``fails`` may."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "t = time.perf_counter() - t\n"
        "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(r.stdout + r.stderr)\n"
        "print(f'{t} {m} {r.returncode}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        capture_output=True,
        text=True,
        check=True,
        **kwargs,  # type: ignore[arg-type]
    )
    seconds, mb, code = result.stdout.split()
    if code != "0" and not fails:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return float(seconds), float(mb), result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small WSDL, quickly")
    parser.add_argument("--mypy", action="store_true", help="also time mypy --strict")
    args = parser.parse_args()
    if args.smoke:
        wsdl, name = SMALL, "callfire"
    elif VIM25.exists():
        wsdl, name = VIM25, "vim25"
    else:
        raise SystemExit(f"{VIM25} is not here: this benchmark needs ../shared")
    rows: list[tuple[str, str, str]] = []

    def row(what: str, seconds: float, mb: float, other: str = "") -> None:
        rows.append((what, f"{seconds:.2f} s, {mb:.0f} MB", other))
        print(f"{what}: {seconds:.2f} s, {mb:.0f} MB {other}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="wsdlbind-huge-"))
    try:
        module = work / f"{name}.py"
        wsdlbind = str(BIN / "wsdlbind")
        s, mb, _ = measured(
            [wsdlbind, "generate", str(wsdl), "-o", str(module), "--offline", "-q"]
        )
        lines = module.read_text(encoding="utf-8").count("\n")
        size = module.stat().st_size / 1e6
        row("wsdlbind generate", s, mb, f"({lines:,} lines, {size:.1f} MB)")
        s, mb, _ = measured(
            [wsdlbind, "generate", "--check", str(wsdl), "-o", str(module), "--offline"]
        )
        row("wsdlbind generate --check, unchanged", s, mb)
        s, mb, _ = measured([wsdlbind, "inspect", str(wsdl), "--offline"])
        row("wsdlbind inspect", s, mb)
        s, mb, _ = measured([wsdlbind, "inspect", "--types", str(wsdl), "--offline"])
        row("wsdlbind inspect --types", s, mb)
        s, mb, _ = measured([sys.executable, "-m", "zeep", str(wsdl)])
        row("python -m zeep (its inspect, for comparison)", s, mb)
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPATH": str(work),
        }
        s, mb, _ = measured(
            [sys.executable, "-B", "-c", f"import {name}"],
            env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        row("import, no bytecode", s, mb)
        subprocess.run([sys.executable, "-c", f"import {name}"], env=env, check=True)
        s, mb, _ = measured([sys.executable, "-c", f"import {name}"], env=env)
        row("import, bytecode cached", s, mb)
        if args.mypy:
            script = work / "use.py"
            script.write_text(SCRIPT[name], encoding="utf-8")
            cache = work / ".mypy_cache"
            s, mb, out = measured(
                [
                    str(BIN / "mypy"),
                    "--strict",
                    "--cache-dir",
                    str(cache),
                    str(script),
                ],
                env={**env, "MYPYPATH": str(work)},
                cwd=work,
                fails=True,
            )
            errors = out.strip().splitlines()[-1] if out.strip() else ""
            row("mypy --strict on a 10-line user script, cold", s, mb, f"({errors})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"| what ({name}) | wsdlbind | |")
    print("|---|---|---|")
    for what, figure, other in rows:
        print(f"| {what} | {figure} | {other} |")


if __name__ == "__main__":
    main()
