"""Figures for every WSDL of ../shared/wsdl-corpus: what the README's table shows.

    python bench/corpus.py [--json FILE]

Per entry: SOAP operations generated against those the WSDL's SOAP bindings
declare, generation time, module size, and the time a fresh process takes to
import the module (bytecode cached, as users run). Requests on the wire are
proven by tests/test_corpus.py; run it with WSDLBIND_CORPUS_REPORT=FILE to get
its counts (operations checked, valid, equal to zeep).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wsdlbind import load, pipeline  # noqa: E402
from wsdlbind.errors import WsdlbindError  # noqa: E402

from tests.test_corpus import CORPUS, EXPECTED  # noqa: E402

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP_BINDINGS = (
    "http://schemas.xmlsoap.org/wsdl/soap/",
    "http://schemas.xmlsoap.org/wsdl/soap12/",
)


def declared_operations(loaded: load.LoadedWsdl) -> int:
    """Operations of the SOAP bindings in the loaded WSDL documents."""
    count = 0
    for doc in loaded.documents:
        if doc.kind != "wsdl":
            continue
        for binding in doc.root.iterfind(f"{{{WSDL}}}binding"):
            if any(
                binding.find(f"{{{ns}}}binding") is not None for ns in SOAP_BINDINGS
            ):
                count += len(binding.findall(f"{{{WSDL}}}operation"))
    return count


def import_seconds(module: Path, rounds: int = 3) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(module.parent)
    code = f"import {module.stem}"
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # .pyc
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    rows = {}
    folder = Path(tempfile.mkdtemp(prefix="wsdlbind-corpus-"))
    for number, entry in enumerate(sorted(EXPECTED)):
        path = CORPUS / entry
        started = time.perf_counter()
        try:
            result = pipeline.generate(str(path), offline=True)
        except WsdlbindError as exc:
            rows[entry] = {"error": exc.format_message().splitlines()[0]}
            print(f"{entry}: {rows[entry]['error']}")
            continue
        seconds = time.perf_counter() - started
        out = folder / f"corpus_{number}.py"
        out.write_text(result.code, encoding="utf-8")
        rows[entry] = {
            "generated": sum(len(p.operations) for p in result.project.ports),
            "declared": declared_operations(result.loaded),
            "generate_s": round(seconds, 2),
            "size_kb": round(out.stat().st_size / 1024),
            "import_ms": round(import_seconds(out) * 1000),
            "warnings": len(result.warnings),
        }
        print(f"{entry}: {rows[entry]}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
