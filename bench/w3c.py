"""Run the W3C XML Schema test suite's data-binding areas (tests/w3c.py):
every valid instance of a valid schema, read and written back by a module
wsdlbind generates. Prints the share that passes per area, and with
``--failures`` each failure's stage and reason.

    python bench/w3c.py [--area Particles] [--failures] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.w3c import run, valid_tests  # noqa: E402

SUITE = ROOT.parent / "shared" / "w3c-xsdtests"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", help="only this test set (Particles, ...)")
    parser.add_argument("--failures", action="store_true", help="print each failure")
    parser.add_argument("--limit", type=int, help="at most this many tests")
    options = parser.parse_args()
    if not SUITE.is_dir():
        sys.exit(f"{SUITE} is absent: the W3C tests live in ../shared")
    tests = valid_tests(SUITE)
    if options.area:
        tests = [t for t in tests if t.area == options.area]
    if options.limit:
        tests = tests[: options.limit]
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for test in tests:
            outcome = run(test, Path(folder))
            totals[test.area][outcome.status] += 1
            if options.failures and outcome.status not in ("pass", "skipped", "values"):
                detail = outcome.detail.strip().replace("\n", "\n    ")[:1500]
                print(f"{test.area} {test.name}: {outcome.status}\n    {detail}")
    print(
        "\npass: written back equal to the instance; values: equal but for how"
        " values are spelled (1E2 for 100.0, 1 for true)"
    )
    print(
        f"\n{'area':<16}{'tests':>7}{'skipped':>9}{'pass':>7}{'share':>8}"
        f"{'values':>8}{'share':>8}  failures"
    )
    all_counted = all_passed = all_values = 0
    for area, counts in sorted(totals.items()):
        total = sum(counts.values())
        counted = total - counts["skipped"]
        passed = counts["pass"]
        same = passed + counts["values"]
        all_counted += counted
        all_passed += passed
        all_values += same
        failures = ", ".join(
            f"{k} {v}"
            for k, v in counts.most_common()
            if k not in ("pass", "skipped", "values")
        )
        share = f"{100 * passed / counted:.1f}%" if counted else "-"
        share2 = f"{100 * same / counted:.1f}%" if counted else "-"
        print(
            f"{area:<16}{total:>7}{counts['skipped']:>9}{passed:>7}{share:>8}"
            f"{same:>8}{share2:>8}  {failures}"
        )
    share = f"{100 * all_passed / all_counted:.1f}%" if all_counted else "-"
    share2 = f"{100 * all_values / all_counted:.1f}%" if all_counted else "-"
    print(
        f"{'all':<16}{'':>7}{'':>9}{all_passed:>7}{share:>8}{all_values:>8}"
        f"{share2:>8}  of {all_counted}"
    )
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
