"""``wsdlbind mock`` (generator/mock.py): sample answers the schema accepts,
served on 127.0.0.1 to a real client, and the samples' values within facets."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
import xmlschema
from lxml import etree
from wsdlbind import load, mock, pipeline
from wsdlbind.model import Facets

from tests import inline
from tests.conftest import import_path
from tests.schemas import Validator
from tests.test_corpus import CORPUS, EXPECTED, SCHEMA_REFUSED

ROOT = Path(__file__).resolve().parents[1]
CALLFIRE = ROOT / "wsdl" / "callfire" / "callfire.wsdl"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"


def invalid_answers(service: mock.Mock, source: Path, folder: Path) -> list[str]:
    """Each served answer's body element checked by lxml's XMLSchema against
    every schema of ``source``: the operations whose answer it refuses."""
    validator = Validator(load.load(str(source), offline=True), folder)
    refused = []
    for canned in served(service):
        if canned.status != 200:
            continue
        for element in etree.fromstring(canned.body)[0]:
            problem = validator.check(element)
            if problem is not None:
                refused.append(f"{canned.operation}: {problem}")
    return refused


def served(service: mock.Mock) -> list[mock.Canned]:
    """Every answer ``service`` gives, once each."""
    found = {id(c): c for cs in service.answers.values() for c in cs}
    return list(found.values())


@contextlib.contextmanager
def running(service: mock.Mock) -> Iterator[str]:
    """``service`` served on a free port of 127.0.0.1: its address."""
    server = service.server(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def envelope(body: str, version: str = SOAP11_ENV) -> bytes:
    return (
        f'<e:Envelope xmlns:e="{version}"><e:Body>{body}</e:Body></e:Envelope>'.encode()
    )


@pytest.fixture(scope="module")
def callfire() -> mock.Mock:
    return mock.Mock.build(str(CALLFIRE), offline=True)


# -- what is served --------------------------------------------------------------


def test_every_callfire_operation_answers_what_its_schema_accepts(
    callfire: mock.Mock, tmp_path: Path
) -> None:
    assert callfire.operations == 98
    assert callfire.warnings == []
    answers = [c for c in served(callfire) if c.status == 200]
    assert len(answers) == 98
    assert invalid_answers(callfire, CALLFIRE, tmp_path) == []


def test_the_client_reads_every_answer_over_http(
    callfire: mock.Mock, golden: ModuleType
) -> None:
    """Every operation of every port of the committed client, called with a
    sample request at the mock: each answer is read into its declared type."""
    project, _ = pipeline.prepare(str(CALLFIRE), offline=True)
    samples = mock.Samples(project, golden)
    calls = 0
    with running(callfire) as url:
        for port in project.ports:
            client = getattr(golden, port.py_name)("user", "secret", endpoint=url)
            for op in port.operations:
                request = samples.instance(project.element(op.input.element))
                result = getattr(client, op.py_name)(request)
                empty = op.output is None or op.output.element is None
                assert (result is None) == empty, op.name
                calls += 1
            batch = getattr(client, "CreateContactBatch", None)
            if batch is not None:
                assert batch(BroadcastId=1, ToNumber=["13105551216"]) == 0
    assert calls == 98


@pytest.mark.parametrize(
    "entry",
    sorted(
        e
        for e, outcome in EXPECTED.items()
        if outcome is None and e not in SCHEMA_REFUSED
    ),
    ids=lambda e: e.split("/")[0] + "/" + e.rsplit("/", 1)[-1],
)
def test_corpus_answers_are_what_their_schemas_accept(
    shared: Path, tmp_path: Path, entry: str
) -> None:
    """Real WSDLs of every era, vim25's 615 operations among them: every
    answer valid, none refused."""
    service = mock.Mock.build(str(CORPUS / entry), offline=True)
    assert service.warnings == []
    assert invalid_answers(service, CORPUS / entry, tmp_path) == []


# -- sample values ---------------------------------------------------------------------

FACETED = """
  <xs:simpleType name="Code"><xs:restriction base="xs:string">
    <xs:pattern value="[A-Z]{3}-\\d{4}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Long"><xs:restriction base="xs:token">
    <xs:minLength value="12"/><xs:pattern value="[a-z]+"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Five"><xs:restriction base="xs:string">
    <xs:length value="5"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Narrow"><xs:restriction base="xs:decimal">
    <xs:minExclusive value="10.5"/><xs:maxInclusive value="11"/>
    <xs:fractionDigits value="1"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Big"><xs:restriction base="xs:integer">
    <xs:minInclusive value="1000"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Negative"><xs:restriction base="xs:negativeInteger">
    <xs:minExclusive value="-3"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Digits"><xs:restriction base="xs:decimal">
    <xs:totalDigits value="2"/><xs:minInclusive value="50"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Hex"><xs:restriction base="xs:hexBinary">
    <xs:length value="4"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Codes"><xs:restriction>
    <xs:simpleType><xs:list itemType="t:Code"/></xs:simpleType>
    <xs:minLength value="3"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Either"><xs:union memberTypes="t:Big xs:date"/></xs:simpleType>
  <xs:simpleType name="Colour"><xs:restriction base="xs:string">
    <xs:enumeration value="red"/><xs:enumeration value="green"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="Later"><xs:restriction base="xs:date">
    <xs:minInclusive value="2030-06-01"/></xs:restriction></xs:simpleType>
  <xs:complexType name="Shape" abstract="true"><xs:sequence>
    <xs:element name="name" type="t:Code"/></xs:sequence></xs:complexType>
  <xs:complexType name="Circle"><xs:complexContent><xs:extension base="t:Shape">
    <xs:sequence><xs:element name="radius" type="t:Narrow"/></xs:sequence>
  </xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Tree"><xs:sequence>
    <xs:element name="label" type="t:Five"/>
    <xs:choice>
      <xs:element name="children" type="t:Tree" maxOccurs="unbounded"/>
      <xs:element name="leaf" type="xs:boolean"/>
    </xs:choice>
  </xs:sequence></xs:complexType>
  <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="Answer"><xs:complexType><xs:sequence>
    <xs:element name="code" type="t:Code"/>
    <xs:element name="long" type="t:Long"/>
    <xs:element name="narrow" type="t:Narrow"/>
    <xs:element name="big" type="t:Big" minOccurs="2" maxOccurs="3"/>
    <xs:element name="negative" type="t:Negative"/>
    <xs:element name="digits" type="t:Digits"/>
    <xs:element name="hex" type="t:Hex"/>
    <xs:element name="codes" type="t:Codes"/>
    <xs:element name="either" type="t:Either"/>
    <xs:element name="colour" type="t:Colour"/>
    <xs:element name="later" type="t:Later"/>
    <xs:element name="shape" type="t:Shape"/>
    <xs:element name="tree" type="t:Tree"/>
    <xs:element name="fixed" type="xs:int" fixed="7"/>
    <xs:any namespace="##other" processContents="lax"/>
  </xs:sequence>
  <xs:attribute name="id" type="xs:ID" use="required"/>
  <xs:attribute name="when" type="xs:dateTime" use="required"/>
  </xs:complexType></xs:element>
"""


def build(
    write_wsdl: Callable[..., Path], schema: str, ops: list[tuple[str, str, str | None]]
) -> tuple[mock.Mock, Path]:
    wsdl = write_wsdl(m__wsdl=inline.wsdl(schema, ops))
    return mock.Mock.build(str(wsdl), offline=True), wsdl


def test_sample_values_keep_within_their_facets(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    service, wsdl = build(write_wsdl, FACETED, [("Get", "Ask", "Answer")])
    assert service.warnings == []
    assert invalid_answers(service, wsdl, tmp_path) == []
    answer = etree.fromstring(served(service)[0].body)[0][0]
    text = {child.tag.rpartition("}")[2]: child.text for child in answer}
    assert re.fullmatch(r"[A-Z]{3}-\d{4}", text["code"] or "")
    assert len(text["long"] or "") >= 12
    assert 10.5 < float(text["narrow"] or "") <= 11
    assert len((text["codes"] or "").split()) == 3
    assert text["colour"] == "red"
    assert text["fixed"] == "7"
    assert len(answer.findall("{urn:test}big")) == 2
    shape = answer.find("{urn:test}shape")
    assert shape is not None
    xsi_type = shape.get("{http://www.w3.org/2001/XMLSchema-instance}type") or ""
    assert xsi_type.rpartition(":")[2] == "Circle"  # the abstract type's subtype


def test_a_pattern_python_cannot_read_answers_a_fault_that_says_so(
    write_wsdl: Callable[..., Path],
) -> None:
    """XSD's ``\\p{Lu}`` is not Python's: no sample could be checked, so the
    operation answers a fault and the mock warns at its start; the others
    are served."""
    schema = """
  <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="Upper"><xs:simpleType><xs:restriction base="xs:string">
    <xs:pattern value="\\p{Lu}{2}"/></xs:restriction></xs:simpleType></xs:element>
  <xs:element name="Plain" type="xs:string"/>
"""
    service, _ = build(
        write_wsdl, schema, [("Shout", "Ask", "Upper"), ("Say", "Plain", "Plain")]
    )
    assert [str(w) for w in service.warnings] == [
        "warning: operation Shout: no sample answer: pattern '\\\\p{Lu}{2}' of an anonymous"
        " string uses XSD-only regex syntax"
    ]
    canned = service.answer(envelope('<Ask xmlns="urn:test"/>', SOAP12_ENV), {})
    assert canned.status == 500
    reason = etree.fromstring(canned.body).findtext(f".//{{{SOAP12_ENV}}}Text")
    assert reason == (
        "Shout: no sample answer: pattern '\\\\p{Lu}{2}' of an anonymous string"
        " uses XSD-only regex syntax"
    )
    assert (
        service.answer(envelope('<Plain xmlns="urn:test"/>', SOAP12_ENV), {}).status
        == 200
    )


EDGES = """
  <xs:simpleType name="Colour"><xs:restriction base="xs:string">
    <xs:enumeration value="red"/><xs:enumeration value="green"/>
  </xs:restriction></xs:simpleType>
  <xs:complexType name="Price"><xs:simpleContent><xs:extension base="xs:decimal">
    <xs:attribute name="currency" type="xs:string"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="Exact" type="xs:string" fixed="exactly this"/>
  <xs:element name="Kept"><xs:complexType><xs:sequence>
    <xs:element name="tone" type="t:Colour" fixed="green"/>
    <xs:element name="price" type="t:Price" fixed="9.5"/>
    <xs:element name="entity" type="xs:ENTITY" minOccurs="0"/>
    <xs:element name="name" type="xs:QName"/>
    <xs:element name="ref" type="xs:IDREF"/>
    <xs:element name="fixedref" type="xs:IDREF" fixed="x9"/>
    <xs:element name="key" type="xs:ID"/>
    <xs:element name="refs" type="xs:IDREFS"/>
    <xs:element name="other" type="xs:ID"/>
    <xs:any namespace="##any" processContents="strict"/>
  </xs:sequence>
  <xs:attribute name="id" type="xs:ID" use="required"/>
  <xs:attribute name="also" type="xs:ENTITY"/>
  </xs:complexType></xs:element>
  <xs:element name="Dangling"><xs:complexType><xs:sequence>
    <xs:element name="ref" type="xs:IDREF"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Entity" type="xs:ENTITY"/>
  <xs:element name="Zoned" type="xs:date" fixed="2001-01-01Z"/>
  <xs:element name="Kind"><xs:simpleType><xs:restriction base="xs:QName">
    <xs:enumeration value="t:Big"/></xs:restriction></xs:simpleType></xs:element>
"""


def test_fixed_values_ids_and_what_cannot_be_made(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """A fixed value is given as fixed (a global element's, an enumeration's,
    simple content's); an optional part that cannot be made is left out; each
    xs:ID is new and each IDREF names one, as an independent validator (which,
    unlike libxml2, checks IDs) confirms; a strict wildcard holds an element
    other than the one being made. What cannot be made at all answers a fault
    that says why."""
    service, wsdl = build(
        write_wsdl,
        EDGES,
        [
            ("Exact", "Ask", "Exact"),
            ("Kept", "Kept", "Kept"),
            ("Dangling", "Dangling", "Dangling"),
            ("Entity", "Entity", "Entity"),
            ("Kind", "Kind", "Kind"),
            ("Zoned", "Zoned", "Zoned"),
        ],
    )
    assert invalid_answers(service, wsdl, tmp_path) == []
    oracle = xmlschema.XMLSchema10(str(tmp_path / "all.xsd"))
    body = {c.operation: etree.fromstring(c.body)[0][0] for c in served(service)}
    assert body["Exact"].text == "exactly this"
    kept = body["Kept"]
    assert [e.reason for e in oracle.iter_errors(kept)] == []
    text = {etree.QName(child).localname: child.text for child in kept}
    assert (text["tone"], text["price"], text["name"]) == ("green", "9.5", "sample")
    assert "entity" not in text and kept.get("also") is None
    ids = [kept.get("id"), text["key"], text["other"]]
    assert len(set(ids)) == 3, ids
    assert text["ref"] in ids and set((text["refs"] or "").split()) <= set(ids)
    wildcard = kept[-1]
    assert etree.QName(wildcard).localname not in ("Kept", "other")
    assert {str(w) for w in service.warnings} == {
        "warning: operation Dangling: no sample answer: an xs:IDREF needs an xs:ID"
        " in the same answer, and {urn:test}Dangling has none the sample could give",
        "warning: operation Entity: no sample answer: an xs:ENTITY value names an"
        " unparsed entity of a DTD, which a SOAP message cannot have",
        "warning: operation Kind: no sample answer: an anonymous QName is given as"
        " 't:Big' by the schema, and its namespace comes from the schema's prefixes,"
        " which are not kept",
        "warning: operation Zoned: no sample answer: xs:date is given as"
        " '2001-01-01Z' by the schema, and the module holds a date without its"
        " time zone",
    }
    assert "x9" in ids  # a fixed IDREF's ID


MOMENTS = [
    ("date", "2001-01-01", "2001-01-01"),
    ("dateTime", "2001-01-01T00:00:00", "2001-01-01T00:00:00"),
    ("dateTime", "2001-01-01T00:00:00Z", "2030-12-31T23:59:59Z"),
    ("time", "00:00:00", "12:00:00"),
    ("gYear", "2001", "2001"),
    ("gYearMonth", "2001-01", "2001-01"),
    ("gMonth", "--01", "--06"),  # nothing is before the first month, or day
    ("gMonthDay", "--01-01", "--12-31"),
    ("gDay", "---01", "---02"),
    ("duration", "P1D", "P1D"),
    ("duration", "P1Y", "P2Y"),
]


def test_dates_times_durations_and_g_types_keep_within_their_ranges(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """Each type three times, its usual sample (the low bound) excluded by an
    exclusive bound: a range above it, one below it (where there is a value
    below), and one between two bounds; lxml checks the ranges."""
    fields = []
    for kind, low, high in MOMENTS:
        for facets in (
            f'<xs:minExclusive value="{low}"/>',
            f'<xs:maxExclusive value="{high}"/>',
            f'<xs:minExclusive value="{low}"/><xs:maxInclusive value="{high}"/>'
            if low != high
            else f'<xs:maxInclusive value="{high}"/><xs:minInclusive value="{low}"/>',
        ):
            fields.append(
                f'<xs:element name="v{len(fields)}"><xs:simpleType>'
                f'<xs:restriction base="xs:{kind}">{facets}</xs:restriction>'
                "</xs:simpleType></xs:element>"
            )
    schema = (
        '<xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType>'
        '</xs:element><xs:element name="Moments"><xs:complexType><xs:sequence>'
        + "".join(fields)
        + "</xs:sequence></xs:complexType></xs:element>"
    )
    service, wsdl = build(write_wsdl, schema, [("Get", "Ask", "Moments")])
    assert service.warnings == []
    assert invalid_answers(service, wsdl, tmp_path) == []
    values = [child.text for child in etree.fromstring(served(service)[0].body)[0][0]]
    assert values[:3] == ["2001-01-02", "2000-12-31", "2001-01-01"]
    assert values[-3:] == ["P12MT1S", "P23MT0S", "P2Y"]


@pytest.mark.parametrize(
    "pattern",
    [
        r"[A-Z]{2}\d{3,5}",
        r"(ab|cd)+x?",
        r"[^a-z0-9]{3}",
        r"\w+@\w+\.(com|org)",
        r"(\d{3})-[a-c]{2,}",
        r"[\s]?\S{4}",
        r"0x[0-9a-fA-F]{8}",
        r".{7}",
        r"[+-]?(\d+(\.\d*)?|\.\d+)",
    ],
)
def test_a_pattern_sample_matches_it(pattern: str) -> None:
    samples = list(mock._regex_samples(pattern, Facets(min_length=20)))
    assert samples, pattern
    assert all(re.fullmatch(pattern, s) for s in samples), samples
    assert any(len(s) >= 20 for s in samples) or "{" in pattern, samples


# -- telling requests apart -------------------------------------------------------

SHARED_REQUEST = """
  <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="One" type="xs:int"/>
  <xs:element name="Two" type="xs:string"/>
"""


def test_operations_sharing_a_request_are_told_apart_by_their_action(
    write_wsdl: Callable[..., Path],
) -> None:
    service, _ = build(
        write_wsdl, SHARED_REQUEST, [("First", "Ask", "One"), ("Second", "Ask", "Two")]
    )
    body = envelope('<Ask xmlns="urn:test"/>', SOAP12_ENV)
    kind = 'application/soap+xml; charset=utf-8; action="urn:test/Second"'
    assert service.answer(body, {"content-type": kind}).operation == "Second"
    assert (
        service.answer(
            body, {"content-type": kind.replace("Second", "First")}
        ).operation
        == "First"
    )


def test_a_request_no_operation_takes_is_a_fault_naming_it(
    write_wsdl: Callable[..., Path],
) -> None:
    service, _ = build(write_wsdl, SHARED_REQUEST, [("First", "Ask", "One")])
    canned = service.answer(envelope('<Other xmlns="urn:else"/>', SOAP12_ENV), {})
    assert canned.status == 400  # SOAP 1.2's HTTP binding: a Sender fault
    reason = etree.fromstring(canned.body).findtext(f".//{{{SOAP12_ENV}}}Text")
    assert reason is not None
    assert reason.endswith("m.wsdl takes a {urn:else}Other body")
    garbled = service.answer(b"<not xml", {})
    assert garbled.status == 500
    assert etree.QName(etree.fromstring(garbled.body)).namespace == SOAP11_ENV
    assert b"the request is not XML" in garbled.body
    garbled = service.answer(b"<not xml", {"content-type": "application/soap+xml"})
    assert (garbled.status, garbled.content_type.split(";")[0]) == (
        400,
        "application/soap+xml",
    )


def test_requests_are_read_as_soap_servers_read_them(
    write_wsdl: Callable[..., Path],
) -> None:
    """A comment before the body's element, an ``Action`` parameter in any
    case, a chunked body, and an MTOM (multipart/related) request whose root
    part is the envelope: each reaches its operation over HTTP."""
    service, _ = build(
        write_wsdl, SHARED_REQUEST, [("First", "Ask", "One"), ("Second", "Ask", "Two")]
    )
    ask = envelope('<!-- hello --><Ask xmlns="urn:test"/>', SOAP12_ENV)
    second = service.answer(
        ask, {"content-type": 'application/soap+xml; Action="urn:test/Second"'}
    )
    assert second.operation == "Second"
    boundary = "MIME_boundary"
    mtom = (
        (
            f"--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8;"
            ' type="application/soap+xml"\r\nContent-ID: <root@test>\r\n\r\n'
        ).encode()
        + ask
        + f"\r\n--{boundary}--\r\n".encode()
    )
    with running(service) as url:
        for body, headers in (
            (
                ask,
                {
                    "Content-Type": "application/soap+xml",
                    "SOAPAction": "urn:test/Second",
                    "Transfer-Encoding": "chunked",
                },
            ),
            (
                mtom,
                {
                    "Content-Type": f'multipart/related; boundary="{boundary}";'
                    ' type="application/xop+xml"; start="<root@test>";'
                    ' start-info="application/soap+xml";'
                    ' action="urn:test/Second"'
                },
            ),
        ):
            request = urllib.request.Request(
                url, data=iter([body[:10], body[10:]]), headers=headers
            )
            if "Transfer-Encoding" not in headers:
                request = urllib.request.Request(url, data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
                got = answer.read()
            assert answer.status == 200, got
            assert b"Two" in got and b"One" not in got, got  # Second's answer


def test_the_client_gets_the_served_answer_and_a_get_says_what_it_is(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    service, wsdl = build(write_wsdl, SHARED_REQUEST, [("First", "Ask", "One")])
    out = tmp_path / "client.py"
    out.write_text(pipeline.generate(str(wsdl), offline=True).code, encoding="utf-8")
    client_module = import_path(out)
    with running(service) as url:
        port = client_module.Test(endpoint=url)
        assert port.First() == 0
        with urllib.request.urlopen(url, timeout=10) as page:  # noqa: S310 - loopback
            assert (
                page.read()
                .decode()
                .endswith("1 operations; POST SOAP requests here.\n")
            )


# -- the command ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"]
)
def test_the_command_serves_until_ctrl_c(golden: ModuleType, stop: int) -> None:
    """Stopped by Ctrl-C or SIGTERM, even started with SIGINT ignored (as in
    the background of a script, where this suite may run)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wsdlbind", "mock", str(CALLFIRE), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.fullmatch(
            r"wsdlbind mock: 98 operations of wsdl/callfire/callfire\.wsdl on "
            r"(http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)\n",
            first,
        )
        assert found, first
        port = golden.BroadcastService("user", "secret", endpoint=found.group(1))
        assert port.CreateContactBatch(BroadcastId=1, ContactListId=2) == 0
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out == "wsdlbind mock: stopped\n"
    assert "Traceback" not in err


def test_a_port_in_use_is_an_error_that_says_what_to_do(callfire: mock.Mock) -> None:
    with running(callfire) as url:
        taken = url.rstrip("/").rsplit(":", 1)[1]
        done = subprocess.run(
            # A WSDL that is not there: the port is opened first, so its
            # error comes before the WSDL is read.
            [sys.executable, "-m", "wsdlbind", "mock", "absent.wsdl", "--port", taken],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2:] == [
        f"Error: 127.0.0.1:{taken}: cannot listen there (Address already in use)",
        "  hint: give --port a free port, or --port 0 for any",
    ]


def test_the_port_is_open_while_the_answers_are_made() -> None:
    """The server listens before its answers are made (the command's port
    error comes first, see above); until they are set, a request gets 503."""
    server = mock.listen(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert post(url, envelope("<Ask/>"), {"Content-Type": "text/xml"})[0] == 503
    finally:
        server.shutdown()
        server.server_close()


def test_a_choice_takes_the_branch_whose_instance_ends_soonest(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """Each type's first branch is itself and its second the next type, the
    last of which holds a text: the sample takes the way down that ends, at
    once, rather than try every recursion to the depth limit."""
    chain = "".join(
        f'<xs:complexType name="L{n}"><xs:choice>'
        f'<xs:element name="again" type="t:L{n}"/>'
        f'<xs:element name="next" type="t:L{n + 1}"/>'
        "</xs:choice></xs:complexType>"
        for n in range(8)
    )
    schema = (
        chain + '<xs:complexType name="L8"><xs:sequence><xs:element name="end"'
        ' type="xs:int"/></xs:sequence></xs:complexType>'
        '<xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType>'
        '</xs:element><xs:element name="Deep" type="t:L0"/>'
        '<xs:element name="Tree"><xs:complexType><xs:choice>'
        '<xs:element name="children" type="t:L0" minOccurs="2" maxOccurs="9"/>'
        '<xs:element name="leaf" type="xs:boolean"/>'
        "</xs:choice></xs:complexType></xs:element>"
    )
    service, wsdl = build(
        write_wsdl, schema, [("Get", "Ask", "Deep"), ("Tree", "Tree", "Tree")]
    )
    assert service.warnings == []
    assert invalid_answers(service, wsdl, tmp_path) == []
    answer = etree.fromstring(served(service)[0].body)[0][0]
    assert [etree.QName(e).localname for e in answer.iter()][1:] == [
        *["next"] * 8,
        "end",
    ]
    tree = etree.fromstring(served(service)[1].body)[0][0]
    assert [etree.QName(e).localname for e in tree] == ["leaf"]  # a text: 0 levels


BLOCKED = """
  <xs:complexType name="Shape" abstract="true"><xs:sequence>
    <xs:element name="name" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Circle"><xs:complexContent><xs:extension base="t:Shape">
    <xs:sequence><xs:element name="radius" type="xs:int"/></xs:sequence>
  </xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Square"><xs:complexContent><xs:restriction base="t:Shape">
    <xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence>
  </xs:restriction></xs:complexContent></xs:complexType>
  <xs:complexType name="Sealed" abstract="true" block="#all"><xs:sequence/>
  </xs:complexType>
  <xs:complexType name="Opened"><xs:complexContent><xs:extension base="t:Sealed">
    <xs:sequence/></xs:extension></xs:complexContent></xs:complexType>
  <xs:element name="Head" type="t:Shape" abstract="true" block="substitution"/>
  <xs:element name="Member" type="t:Square" substitutionGroup="t:Head"/>
  <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="Drawn"><xs:complexType><xs:sequence>
    <xs:element name="shape" type="t:Shape" block="extension"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="Closed"><xs:complexType><xs:sequence>
    <xs:element name="it" type="t:Sealed"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Held"><xs:complexType><xs:sequence>
    <xs:element ref="t:Head"/></xs:sequence></xs:complexType></xs:element>
"""


def test_block_keeps_out_the_derivations_and_substitutes_it_names(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """An element that blocks extension gets the restriction, not the first
    subtype; a type that blocks every derivation, or an element that blocks
    substitution (the model leaves out the substitutes its block stops), has
    no sample, and says so."""
    service, wsdl = build(
        write_wsdl,
        BLOCKED,
        [
            ("Draw", "Ask", "Drawn"),
            ("Close", "Closed", "Closed"),
            ("Hold", "Held", "Held"),
        ],
    )
    assert invalid_answers(service, wsdl, tmp_path) == []
    drawn = etree.fromstring(served(service)[0].body)[0][0][0]
    xsi_type = drawn.get("{http://www.w3.org/2001/XMLSchema-instance}type") or ""
    assert xsi_type.rpartition(":")[2] == "Square"
    assert [str(w) for w in service.warnings] == [
        "warning: operation Close: no sample answer: {urn:test}Sealed is abstract,"
        " with no concrete subtype its block allows",
        "warning: operation Hold: no sample answer: element {urn:test}Head is"
        " abstract",  # and its block stops its one substitute
    ]
