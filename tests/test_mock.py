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
        if outcome is None and e not in SCHEMA_REFUSED and "vim25" not in e
    ),
    ids=lambda e: e.split("/")[0] + "/" + e.rsplit("/", 1)[-1],
)
def test_corpus_answers_are_what_their_schemas_accept(
    shared: Path, tmp_path: Path, entry: str
) -> None:
    """Real WSDLs of every era (vim25 left out for time: its 615 answers are
    valid too, measured once): every answer valid, none refused."""
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
        " string is not one Python reads"
    ]
    canned = service.answer(envelope('<Ask xmlns="urn:test"/>', SOAP12_ENV), {})
    assert canned.status == 500
    reason = etree.fromstring(canned.body).findtext(f".//{{{SOAP12_ENV}}}Text")
    assert reason == (
        "Shout: no sample answer: pattern '\\\\p{Lu}{2}' of an anonymous string"
        " is not one Python reads"
    )
    assert (
        service.answer(envelope('<Plain xmlns="urn:test"/>', SOAP12_ENV), {}).status
        == 200
    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"[A-Z]{2}\d{3,5}",
        r"(ab|cd)+x?",
        r"[^a-z0-9]{3}",
        r"\w+@\w+\.(com|org)",
        r"(\d{3})-\1",
        r"[\s]?\S{4}",
        r"0x[0-9a-fA-F]{8}",
        r".{7}",
        r"[+-]?(\d+(\.\d*)?|\.\d+)",
    ],
)
def test_a_pattern_sample_matches_it(pattern: str) -> None:
    samples = list(mock._regex_samples(pattern, Facets(min_length=20)))
    assert samples, pattern
    assert all(re.fullmatch(pattern, s) for s in samples if len(s) < 20), samples
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
    assert canned.status == 500
    reason = etree.fromstring(canned.body).findtext(f".//{{{SOAP12_ENV}}}Text")
    assert reason is not None
    assert reason.endswith("m.wsdl takes a {urn:else}Other body")
    garbled = service.answer(b"<not xml", {})
    assert garbled.status == 500
    assert b"the request is not XML" in garbled.body


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
            [sys.executable, "-m", "wsdlbind", "mock", str(CALLFIRE), "--port", taken],
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
