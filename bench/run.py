"""Benchmarks: the generated client against zeep, xsdata and hand-written lxml.

Run from the repository root, with the test extras installed:

    python bench/run.py            # the full run (a few minutes)
    python bench/run.py --smoke    # tiny sizes, one round: checks it still works

Every candidate's output is first checked to be the same (canonical XML for
requests, the same values for responses), so a fast wrong answer cannot win.
Candidates alternate within each round; the table shows each candidate's
median time and the median of its per-round ratios (candidate time / wsdlbind
time, so bigger means wsdlbind is faster).

Answers are timed from their bytes, each library doing what its client does
with an answer: wsdlbind's ``parse_response`` (what its ports run) and zeep's
``process_reply`` (what its service proxy runs). xsdata's envelope classes are
SOAP 1.1 only, so it reads the answer element of the parsed document, as the
hand-written code does.

The baselines are written here: ``handwritten_request`` and
``handwritten_parse`` are what a careful person would write with lxml by hand
for these two calls, with no validation and no generality.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
VENDOR_WSDL = (
    ROOT.parent / "shared" / "callfire-wsdl" / "callfire-service-http-soap12.wsdl"
)
OWN_WSDL = ROOT / "wsdl" / "callfire" / "callfire.wsdl"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SVC = "http://api.callfire.com/service/xsd"
DATA = "http://api.callfire.com/data"


Samples = dict[str, list[float]]  # seconds (or MB) by candidate, one per round


# -- the hand-written baselines --------------------------------------------------------


def handwritten_request(broadcast_id: int, name: str, numbers: list[str]) -> bytes:
    """A CreateContactBatch envelope, built directly with lxml."""
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
    body = etree.SubElement(envelope, f"{{{SOAP12}}}Body")
    request = etree.SubElement(body, f"{{{SVC}}}CreateContactBatch")
    etree.SubElement(request, f"{{{SVC}}}BroadcastId").text = str(broadcast_id)
    etree.SubElement(request, f"{{{SVC}}}Name").text = name
    tag = f"{{{SVC}}}ToNumber"
    for number in numbers:
        etree.SubElement(request, tag).text = number
    etree.SubElement(request, f"{{{SVC}}}ScrubBroadcastDuplicates").text = "false"
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


@dataclass
class Batch:
    id: int
    Name: str
    Status: str
    BroadcastId: int
    Created: datetime.datetime
    Size: int | None
    Remaining: int | None


def answer_element(data: bytes) -> etree._Element:
    """The answer element in the Body of a SOAP 1.2 envelope, which is its last child.

    Every candidate starts with this, so it takes lxml's cheapest route: a
    search (``find``) would add some 4 µs to each candidate's time and blur the
    differences at one batch. ``compare`` checks every answer anyway.
    """
    return etree.fromstring(data)[-1][0]


def handwritten_parse(data: bytes) -> tuple[int, list[Batch]]:
    """A QueryContactBatches answer read into typed objects, directly with lxml."""
    result = answer_element(data)
    total = int(result.findtext(f"{{{SVC}}}TotalResults"))
    batches = []
    for el in result.iterfind(f"{{{DATA}}}ContactBatch"):
        size = el.findtext(f"{{{DATA}}}Size")
        remaining = el.findtext(f"{{{DATA}}}Remaining")
        batches.append(
            Batch(
                id=int(el.get("id")),
                Name=el.findtext(f"{{{DATA}}}Name"),
                Status=el.findtext(f"{{{DATA}}}Status"),
                BroadcastId=int(el.findtext(f"{{{DATA}}}BroadcastId")),
                Created=datetime.datetime.fromisoformat(
                    el.findtext(f"{{{DATA}}}Created")
                ),
                Size=None if size is None else int(size),
                Remaining=None if remaining is None else int(remaining),
            )
        )
    return total, batches


def lxml_share(data: bytes, parser: etree.XMLParser) -> int:
    """lxml's part of reading an answer, and nothing else: parse it, take each
    batch's id and each child's tag and text (what any typed reader must), free it.

    Not a candidate: it builds no objects. It shows the floor under every reader
    that walks lxml's tree, and so the best ratio to zeep such a reader can get.
    ``parser`` is wsdlbind's own, so that both parse alike.
    """
    touched = 0
    for batch in etree.fromstring(data, parser)[-1][0]:
        batch.get("id")
        for child in batch:
            child.tag  # noqa: B018 -- the access is the work being measured
            child.text  # noqa: B018
            touched += 1
    return touched


def lxml_share_typed(data: bytes, parser: etree.XMLParser) -> int:
    """``lxml_share`` plus the conversions a typed reader cannot skip: the ids and
    the three integers, the dateTime, the status looked up among its values;
    each text checked against XML Schema's lexical rules the cheapest way there
    is (ASCII digits for an integer: ``int()`` alone takes ``1_000`` and other
    scripts' digits; the separators of a dateTime: ``fromisoformat`` alone takes
    ISO 8601's basic format and a space for the ``T``).

    Not a candidate either: it makes no objects, checks nothing else and takes
    the children by position, which is only right for an answer in schema order
    (as this benchmark's is). It is the floor under any typed reader over
    lxml's tree that reads values as XML Schema defines them, and so the best
    ratio to zeep such a reader can get.
    """
    statuses = {"ACTIVE": "ACTIVE"}
    separators = frozenset({"--T::", "--T::Z", "--T::+:", "--T::-:"})
    batches = iter(etree.fromstring(data, parser)[-1][0])
    int(next(batches).text or "")  # TotalResults
    touched = 0
    for batch in batches:
        t = batch.get("id") or ""
        if t.isdigit() and t.isascii():
            int(t)
        children = list(batch)
        for child in children:
            child.tag  # noqa: B018 -- the access is the work being measured
        name, status, broadcast, created, size, remaining = children
        name.text  # noqa: B018
        statuses.get(status.text or "")
        t = broadcast.text or ""  # unrolled, as a generated reader is
        if t.isdigit() and t.isascii():
            int(t)
        t = size.text or ""
        if t.isdigit() and t.isascii():
            int(t)
        t = remaining.text or ""
        if t.isdigit() and t.isascii():
            int(t)
        t = created.text or ""
        if t[4::3] in separators:
            datetime.datetime.fromisoformat(t)
        touched += 1
    return touched


# -- the candidates ------------------------------------------------------------------


def numbers(count: int) -> list[str]:
    return [f"1310555{i:07d}" for i in range(count)]


def response_xml(count: int) -> bytes:
    items = "".join(
        f'<d:ContactBatch id="{i}"><d:Name>Batch {i} &amp; co</d:Name><d:Status>ACTIVE'
        f"</d:Status><d:BroadcastId>{1000 + i}</d:BroadcastId><d:Created>"
        f"2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00Z</d:Created><d:Size>{i * 3}</d:Size>"
        f"<d:Remaining>{i}</d:Remaining></d:ContactBatch>"
        for i in range(count)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP12}">'
        f'<soap:Body><s:ContactBatchQueryResult xmlns:s="{SVC}" xmlns:d="{DATA}">'
        f"<s:TotalResults>{count}</s:TotalResults>{items}</s:ContactBatchQueryResult>"
        f"</soap:Body></soap:Envelope>"
    ).encode()


def dense_answer(count: int, item: str) -> bytes:
    """A QueryContactBatches answer of ``count`` copies of ``item``."""
    return (
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body>'
        f'<s:ContactBatchQueryResult xmlns:s="{SVC}" xmlns:d="{DATA}" xmlns:o="urn:o">'
        f"<s:TotalResults>{count}</s:TotalResults>{item * count}"
        "</s:ContactBatchQueryResult></soap:Body></soap:Envelope>"
    ).encode()


#: The least a ContactBatch can hold, and its Name's padding.
TYPED_ITEM = (
    "<d:ContactBatch id='1'><d:Name>{}</d:Name><d:Status>ACTIVE</d:Status>"
    "<d:BroadcastId>1</d:BroadcastId><d:Created>2026-01-01T00:00:00Z</d:Created>"
    "<d:Size>1</d:Size><d:Remaining>1</d:Remaining></d:ContactBatch>"
)


def answer_memory(env: dict[str, str], smoke: bool) -> list[tuple[str, float, float]]:
    """Peak memory reading one answer (``parse_response``, what the ports run),
    and that as a multiple of the answer's size: a typical answer, then the
    worst the default limits (64 MiB, 2,000,000 elements) let through: empty
    elements the schema does not declare, and typed items up to the element
    limit (7 elements each, with text to make the 64 MiB)."""
    scale = 1000 if smoke else 1
    padded = TYPED_ITEM.format("x" * 25)  # 64 MiB in all
    cases: dict[str, tuple[Callable[..., bytes], tuple[Any, ...]]] = {
        "typical (100,000 batches)": (response_xml, (100_000 // scale,)),
        "empty unknown elements, to the limit": (
            dense_answer,
            (1_999_990 // scale, "<o:x/>"),
        ),
        "typed items, to both limits": (dense_answer, (285_700 // scale, padded)),
    }
    results = []
    for label, (build, arguments) in cases.items():
        setup = (
            f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import run as b\n"
            f"import callfire_own as c; data = b.{build.__name__}(*{arguments!r})"
        )
        peak = peak_rss_mb(
            setup, "r = c.parse_response(c.ContactBatchQueryResult, data)", env
        )
        results.append((label, len(build(*arguments)) / 1e6, peak))
    return results


class Candidates:
    """Builds the request and parses the response with each candidate library."""

    def __init__(self, workdir: Path) -> None:
        sys.path.insert(0, str(workdir))
        self.wsdlbind = importlib.import_module("callfire")
        self.service = self.wsdlbind.BroadcastService("user", "secret")
        import zeep

        self.zeep = zeep.Client(str(VENDOR_WSDL))
        self.zeep_service = self.zeep.bind("CallFireApi", "BroadcastServicePort")
        self.zeep_query = self.zeep_service._binding.get("QueryContactBatches")
        self.zeep_answers: dict[bytes, Any] = {}
        self.xsdata_models = importlib.import_module("cfx")
        from xsdata.formats.dataclass.parsers import XmlParser
        from xsdata.formats.dataclass.serializers import XmlSerializer

        self.xsdata_serializer = XmlSerializer()
        self.xsdata_parser = XmlParser()

    def runs(self, work: str, argument: Any) -> dict[str, Callable[[], Any]]:
        """Each candidate's ``<work>_<name>`` method, bound to ``argument``."""
        names = {"wsdlbind": "wsdlbind", "zeep": "zeep", "xsdata": "xsdata"}
        names["lxml by hand"] = "handwritten"
        return {
            label: functools.partial(getattr(self, f"{work}_{name}"), argument)
            for label, name in names.items()
        }

    # requests
    def request_wsdlbind(self, batch: list[str]) -> bytes:
        request = self.wsdlbind.CreateContactBatch(
            BroadcastId=3, Name="My list", ToNumber=batch
        )
        return self.service.build_envelope(request)

    def request_zeep(self, batch: list[str]) -> bytes:
        envelope = self.zeep.create_message(
            self.zeep_service,
            "CreateContactBatch",
            BroadcastId=3,
            Name="My list",
            ToNumber=batch,
            ScrubBroadcastDuplicates=False,
        )
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

    def request_xsdata(self, batch: list[str]) -> bytes:
        models = self.xsdata_models
        body = models.CreateContactBatch(
            broadcast_id=3,
            name="My list",
            to_number=[models.ToNumber(value=n) for n in batch],
            scrub_broadcast_duplicates=False,
        )
        envelope = models.BroadcastServicePortTypeCreateContactBatchInput(
            body=models.BroadcastServicePortTypeCreateContactBatchInput.Body(
                create_contact_batch=body
            )
        )
        return self.xsdata_serializer.render(envelope).encode()

    def request_handwritten(self, batch: list[str]) -> bytes:
        return handwritten_request(3, "My list", batch)

    # Answers: what each library does with the bytes of an answer, timed; ``rows``
    # normalises the results to (total, [(id, name, status, broadcast, created,
    # size, left)]) for the check, untimed.
    def parse_wsdlbind(self, data: bytes) -> Any:
        # What a port does with each answer: parse_response, the public form.
        return self.wsdlbind.parse_response(self.wsdlbind.ContactBatchQueryResult, data)

    def parse_zeep(self, data: bytes) -> Any:
        # What zeep's service proxy does with each answer (its binding's
        # process_reply), given the HTTP response its transport returned.
        response = self.zeep_answers.get(data)
        if response is None:
            import requests

            response = requests.Response()
            response._content = data
            response.status_code = 200
            response.headers["Content-Type"] = "application/soap+xml; charset=utf-8"
            self.zeep_answers = {data: response}
        return self.zeep_service._binding.process_reply(
            self.zeep, self.zeep_query, response
        )

    def parse_xsdata(self, data: bytes) -> Any:
        # xsdata's client would parse the whole envelope, but its generated
        # envelope classes are SOAP 1.1 only: it reads the answer element.
        return self.xsdata_parser.parse(
            answer_element(data), self.xsdata_models.ContactBatchQueryResult
        )

    def parse_handwritten(self, data: bytes) -> Any:
        return handwritten_parse(data)

    @staticmethod
    def rows(candidate: str, result: Any) -> Any:
        if candidate == "xsdata":
            return result.total_results, [
                (
                    b.id,
                    b.name,
                    b.status.value,
                    b.broadcast_id,
                    b.created.to_datetime(),
                    b.size,
                    b.remaining,
                )
                for b in result.contact_batch
            ]
        if candidate == "lxml by hand":
            total, batches = result
        else:
            total, batches = result.TotalResults, result.ContactBatch
        return total, [
            (
                b.id,
                b.Name,
                b.Status.value if candidate == "wsdlbind" else b.Status,
                b.BroadcastId,
                b.Created,
                b.Size,
                b.Remaining,
            )
            for b in batches
        ]


def request_body(candidate: str, data: bytes) -> str:
    """The request element of an envelope, canonical, prefixes aside.

    The body is compared, not the envelope: xsdata writes every envelope in the
    SOAP 1.1 namespace, even for this SOAP 1.2 service.
    """
    body = next(el for el in etree.fromstring(data) if el.tag.endswith("}Body"))
    return etree.canonicalize(body[0], rewrite_prefixes=True, strip_text=True)


def timed(function: Callable[[], Any]) -> float:
    """Seconds per call; quick calls are repeated so one sample lasts ~20 ms.

    Each sample starts and ends by settling malloc (see ``settle_malloc``): a
    candidate pays for freeing what it allocated, and for nothing another left.
    """

    def sample(repeat: int) -> float:
        gc.collect()
        settle_malloc()
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        settle_malloc()
        return (time.perf_counter() - started) / repeat

    once = sample(1)
    if once > 0.02:
        return once
    return sample(min(2000, int(0.02 / max(once, 1e-6)) + 1))


def settle_malloc() -> None:
    """Have glibc merge the small blocks freed so far, as it does at the next
    request for a large block (this one, 4 KB).

    libxml2 frees a parsed tree as one small block per node, some 130,000 for
    the 10,000-batch answer, and merging them takes about 10 ms. Left alone,
    that work falls on whatever asks for a large block next: the candidate
    itself, when it frees a long result list, or the next one timed.
    """
    bytes(4096)


def compare(
    title: str,
    runs: dict[str, Callable[[], Any]],
    same: Callable[[str, Any], Any],
    rounds: int,
) -> Samples:
    """Check every candidate gives the same answer, then time them, alternating.

    ``same(candidate, answer)`` makes answers comparable; it is not timed.
    """
    answers = {name: same(name, run()) for name, run in runs.items()}
    expected = answers["wsdlbind"]
    for name, answer in answers.items():
        if answer != expected:
            raise SystemExit(f"{title}: {name} gives a different answer than wsdlbind")
    return alternating(runs, rounds)


def alternating(runs: dict[str, Callable[[], Any]], rounds: int) -> Samples:
    """Seconds per call of each run, one sample a round, the runs taking turns."""
    samples: Samples = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            samples[name].append(timed(run))
    return samples


def commands_seconds(
    commands: dict[str, tuple[list[str], Path]], env: dict[str, str], rounds: int
) -> Samples:
    """Wall time of each ``(command, cwd)``, output discarded, one a round.

    The commands take turns, round after round, as the candidates of
    ``compare`` do: a slow spell of the machine falls on all of them, not on
    whichever ran during it.
    """
    samples: Samples = {name: [] for name in commands}
    for _ in range(rounds):
        for name, (command, cwd) in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, env=env, cwd=cwd, capture_output=True)
            samples[name].append(time.perf_counter() - started)
    return samples


def peak_rss_mb(setup: str, work: str, env: dict[str, str]) -> float:
    """Peak resident memory a fresh process adds while doing ``work``, in MB.

    Read from /proc/self/status (VmHWM): ``ru_maxrss`` would not do, as Linux
    carries it over from the parent across exec, and the parent is this big
    benchmark process.
    """
    code = (
        f"{setup}\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        f"before = peak()\n{work}\nprint((peak() - before) / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


# -- the run -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    args = parser.parse_args()
    if not VENDOR_WSDL.is_file():
        raise SystemExit(
            f"{VENDOR_WSDL} is missing: the benchmarks use the vendor WSDL"
        )
    smoke = args.smoke
    rounds = 1 if smoke else 7
    request_sizes = [1, 10] if smoke else [1, 1_000, 100_000]
    response_sizes = [1, 10] if smoke else [1, 1_000, 10_000]

    workdir = Path(tempfile.mkdtemp(prefix="wsdlbind-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(workdir)
    wsdlbind = [sys.executable, "-m", "wsdlbind", "generate", "--quiet", "--offline"]
    subprocess.run(
        [*wsdlbind, str(VENDOR_WSDL), "-o", str(workdir / "callfire.py")],
        check=True,
        cwd=ROOT,
    )
    shutil.copy(ROOT / "generated" / "callfire.py", workdir / "callfire_own.py")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "xsdata",
            "generate",
            str(VENDOR_WSDL),
            "--package",
            "cfx",
        ],
        check=True,
        cwd=workdir,
        env=env,
        capture_output=True,
    )
    candidates = Candidates(workdir)
    rows: list[tuple[str, Samples]] = []

    for size in request_sizes:
        title = f"CreateContactBatch request, {size:,} numbers"
        runs = candidates.runs("request", numbers(size))
        rows.append((title, compare(title, runs, request_body, rounds)))

    for size in response_sizes:
        title = f"parse QueryContactBatches answer, {size:,} batches"
        runs = candidates.runs("parse", response_xml(size))
        rows.append((title, compare(title, runs, candidates.rows, rounds)))
    # How much of the largest answer is lxml's own work, and lxml's with the
    # conversions (see lxml_share and lxml_share_typed): against zeep, the best
    # any reader walking lxml's tree can do.
    size = response_sizes[-1]
    data = response_xml(size)
    parser = candidates.wsdlbind._xml_parser()
    if (lxml_share(data, parser), lxml_share_typed(data, parser)) != (6 * size, size):
        raise SystemExit("the lxml floors did not read every batch of the answer")
    share = {
        "wsdlbind": runs["wsdlbind"],
        "zeep": runs["zeep"],
        "lxml alone (no objects)": functools.partial(lxml_share, data, parser),
        "lxml + conversions": functools.partial(lxml_share_typed, data, parser),
    }
    title = f"lxml's share of the {size:,}-batch answer"
    rows.append((title, alternating(share, rounds)))

    # A new process: import and a ready client, bytecode cached as users run;
    # "wsdlbind" is the committed client of the whole API (98 operations), and
    # "wsdlbind, vendor WSDL" the one generated from the vendor's (61).
    start_rounds = 3 if smoke else 15
    scripts = {
        "wsdlbind": "import callfire_own; callfire_own.BroadcastService('u', 'p')",
        "wsdlbind, vendor WSDL": "import callfire; callfire.BroadcastService('u', 'p')",
        "zeep": f"import zeep; zeep.Client({str(VENDOR_WSDL)!r})",
        "xsdata": "import cfx",
        "lxml by hand": "import lxml.etree",
    }
    for code in scripts.values():  # warm up: write the .pyc files
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    start = commands_seconds(
        {name: ([sys.executable, "-c", code], ROOT) for name, code in scripts.items()},
        env,
        start_rounds,
    )
    rows.append(("new process: import + ready client", start))

    gen_rounds = 1 if smoke else 3
    xsdata = [sys.executable, "-m", "xsdata", "generate", str(VENDOR_WSDL)]
    generation = commands_seconds(
        {
            "wsdlbind": (
                [*wsdlbind, str(VENDOR_WSDL), "-o", str(workdir / "again.py")],
                ROOT,
            ),
            "xsdata": ([*xsdata, "--package", "cfx_again"], workdir),
        },
        env,
        gen_rounds,
    )
    rows.append(("generate from the whole vendor WSDL", generation))

    big = request_sizes[-1]
    setup = f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import run as b; numbers = b.numbers({big})"
    memory = {
        "wsdlbind": [
            peak_rss_mb(
                setup + "\nimport callfire_own as c; s = c.BroadcastService('u', 'p')",
                "s.build_envelope(c.CreateContactBatch(BroadcastId=3, Name='My list', ToNumber=numbers))",
                env,
            )
        ],
        "lxml by hand": [
            peak_rss_mb(setup, "b.handwritten_request(3, 'My list', numbers)", env)
        ],
    }
    rows.append((f"peak memory (MB) for the {big:,}-number request", memory))

    report(rows)
    print()
    for label, size_mb, peak in answer_memory(env, smoke):
        print(
            f"{'peak memory reading an answer, ' + label:<70}"
            f" {size_mb:>7.1f} MB -> {peak:>6.0f} MB ({peak / size_mb:.1f}x its size)"
        )
    # The generated module's size, so that it stays lean as features come.
    for name, path in (
        ("the committed client (whole API)", ROOT / "generated" / "callfire.py"),
        ("the client of the vendor WSDL", workdir / "callfire.py"),
    ):
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"{'module size, ' + name:<81} {lines:>8,} lines")
    shutil.rmtree(workdir, ignore_errors=True)


def report(rows: list[tuple[str, Samples]]) -> None:
    """The table: each candidate's median, and the median of its per-round ratios
    to wsdlbind.

    Candidates run back to back within a round, so a slow spell of the machine
    (this one has spells of 10-40%) lengthens a round's samples alike and
    leaves its ratios alone, where it can move a ratio of two medians.
    """
    print(f"{'work':<52} {'candidate':<28} {'median':>11} {'vs wsdlbind':>12}")
    for title, samples in rows:
        unit = "MB" if "memory" in title else "s"
        base = samples["wsdlbind"]
        for name, values in samples.items():
            value = statistics.median(values)
            ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
            shown = f"{value:.2f} MB" if unit == "MB" else _seconds(value)
            print(f"{title:<52} {name:<28} {shown:>11} {ratio:>11.2f}x")
        title = ""


def _seconds(value: float) -> str:
    if value < 0.001:
        return f"{value * 1e6:.1f} µs"
    return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    main()
