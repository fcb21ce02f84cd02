"""Every service in ../shared/wsdl-corpus: generated, imported, and on the wire.

Each entry WSDL either generates and its module imports, or fails with the
intended message listed in EXPECTED (and in the README's table). For the ones
that generate, a request drawn from valid values (``tests/strategies.py``) for
each operation (a fixed, seeded sample of 40 where a WSDL has more) must
validate against the service's own schemas, compiled by lxml, and equal the
body zeep builds from the same values where zeep can; and the module must
need no formatter (``ruff format --check``) and pass ``ruff check`` and
``mypy --strict``. The largest, vim25 (615 operations, a 21 MB module),
takes about a minute of the run.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.errors import WsdlbindError
from wsdlbind.load import WELL_KNOWN_ADDRESSES, WELL_KNOWN_DIR
from wsdlbind.model import Operation, Port, Project

from tests.conftest import SHARED, import_path
from tests.schemas import compile_schema
from tests.strategies import Values, to_zeep
from tests.test_callfire import canonical
from tests.test_quality import assert_clean

CORPUS = SHARED / "wsdl-corpus"

#: entry WSDL -> None (generates) or the start of the intended error.
EXPECTED: dict[str, str | None] = {
    "zeep-testfiles/wsdl_files/claim.wsdl": None,
    "zeep-testfiles/wsdl_files/http.wsdl": "no SOAP port to generate a client for",
    "zeep-testfiles/wsdl_files/soap.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_header.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_import_main.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_transport_err.wsdl": None,
    "zeep-testfiles/integration/hello_world_recursive.wsdl": None,
    "zeep-testfiles/integration/recursive_schema_main.wsdl": None,
    "zeep-testfiles/integration/test_http_post.wsdl": "no SOAP port to generate",
    "xsdata-fixtures/calculator/services.wsdl": None,
    "xsdata-fixtures/hello/hello.wsdl": None,
    "noaa-ndfd/ndfdXML.wsdl": None,
    "ups-track/Track.wsdl": None,
    "salesforce-partner/partner.wsdl": None,
    "fedex/ShipService_v26.wsdl": None,
    "fedex/RateService_v28.wsdl": None,
    "gowsdl-epcis/EPCglobal-epcis-query-1_2.wsdl": None,
    "generali-gbs/GBS/Enterprise/Organisation/V1/GetOrganisationGBS-V1.wsdl": (
        "binding OrganisationInterface-SOAP11-HTTPBinding (named by no service), "
        "operation GetOrganisation: element"
    ),
    "generali-gbs/GBS/Enterprise/Program/V1/NotifyProgramGBS-V1.wsdl": None,
    "generali-gbs/GBS/Enterprise/Program/V1/ProgramFeedbackService.wsdl": None,
    "onvif-device-media/devicemgmt.wsdl": None,
    "onvif-device-media/media.wsdl": None,
    "exchange-ews/services.wsdl": None,
    "bingads-campaign/campaignmanagement_service.xml": None,
    "travelport-air/air_v52_0/Air.wsdl": None,
    "vmware-vim25/vimService.wsdl": None,  # 18 MB of code: about 30 s in all
}
#: entry -> operations its client must have (the big ones, counted by zeep too)
OPERATIONS = {"vmware-vim25/vimService.wsdl": 615, "exchange-ews/services.wsdl": 122}


#: entry -> why lxml cannot compile its schemas (requests are then checked by zeep only)
SCHEMA_REFUSED = {
    # ArrayOfTransitionsType breaks the Unique Particle Attribution rule: an
    # xs:choice of Transition and AbsoluteDateTransition, where the second is in
    # the first's substitution group. libxml2 enforces the rule; zeep does not.
    "exchange-ews/services.wsdl": "The content model is not determinist",
}
SAMPLE = 40
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: entry -> figures for the README's corpus table; written to the file named by
#: WSDLBIND_CORPUS_REPORT when set
REPORT: dict[str, dict[str, Any]] = {}
ONE_EXAMPLE = settings(
    max_examples=1,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def corpus(shared: Path) -> Iterator[Path]:
    yield CORPUS
    report = os.environ.get("WSDLBIND_CORPUS_REPORT")
    if report:
        Path(report).write_text(json.dumps(REPORT, indent=1, sort_keys=True))


@pytest.mark.parametrize("entry", sorted(EXPECTED), ids=lambda e: e.split("/")[0])
def test_corpus_entry(corpus: Path, tmp_path: Path, entry: str) -> None:
    expected = EXPECTED[entry]
    if expected is not None:
        with pytest.raises(WsdlbindError) as caught:
            pipeline.generate(str(corpus / entry), offline=True)
        assert expected in caught.value.format_message()
        return
    result = pipeline.generate(str(corpus / entry), offline=True)
    out = tmp_path / "client.py"
    out.write_text(result.code, encoding="utf-8")
    assert_clean(out)  # needs no formatter, and ruff and mypy --strict pass
    module = import_path(out)
    assert module.__all__
    generated = sum(len(p.operations) for p in result.project.ports)
    assert generated == OPERATIONS.get(entry, generated)

    try:
        schema = compile_schema(result.loaded, tmp_path)
    except etree.XMLSchemaParseError as exc:
        assert SCHEMA_REFUSED.get(entry, "(none)") in str(exc)
        schema = None
    zeep = _zeep_client(corpus / entry)
    operations = sample_operations(result.project, entry)
    outcomes = {
        f"{port.py_name}.{op.name}": check_request(
            result.project, module, schema, zeep, port, op
        )
        for port, op in operations
    }
    failures = [
        f"{name}: {problem}"
        for name, outcome in outcomes.items()
        for problem in outcome.problems
    ]
    REPORT[entry] = {
        "operations": sum(len(p.operations) for p in result.project.ports),
        "checked": len(outcomes),
        "valid": sum(o.valid is True for o in outcomes.values()),
        "equal_to_zeep": sum(o.equal_to_zeep is True for o in outcomes.values()),
        "zeep_cannot": {n: o.zeep_error for n, o in outcomes.items() if o.zeep_error},
        "with_headers": sum(bool(op.headers) for _, op in operations),
    }
    assert not failures, "\n".join(failures)


def sample_operations(project: Project, entry: str) -> list[tuple[Port, Operation]]:
    """Every operation with a request element, or a fixed, seeded sample of them."""
    operations = [
        (port, op)
        for port in project.ports
        for op in port.operations
        if op.input.element is not None
    ]
    if len(operations) > SAMPLE:
        operations = random.Random(entry).sample(operations, SAMPLE)
    return operations


@dataclass
class Outcome:
    valid: bool | None = None  # None: no schema to check against
    equal_to_zeep: bool | None = None  # None: zeep could not build it
    zeep_error: str = ""
    problems: list[str] = field(default_factory=list)


def check_request(
    project: Project,
    module: ModuleType,
    schema: etree.XMLSchema | None,
    zeep: Any,
    port: Port,
    op: Operation,
) -> Outcome:
    """How a request for ``op``, drawn from valid values, fares on the wire."""
    assert op.input.element is not None
    request_type = project.element(op.input.element)
    client = getattr(module, port.py_name)(endpoint="http://127.0.0.1:9/")
    outcome = Outcome()
    values = Values(project, module, zeep_safe=True)
    header_types = [project.element(h.element) for h in op.headers if h.element]

    @ONE_EXAMPLE
    @given(
        values.instance(request_type),
        st.tuples(*(values.instance(t) for t in header_types)),
    )
    def check(request: Any, headers: tuple[Any, ...]) -> None:
        # The typed SOAP headers the binding declares travel too, and are
        # checked against the schemas like the body.
        built = client.build_envelope(request, headers)
        # The request roots lxml writes into are reused: a second build of the
        # same request must give the same bytes, whatever the first left behind.
        assert client.build_envelope(request, headers) == built
        envelope = etree.fromstring(built)
        ours = envelope[-1][0]
        sent_headers = list(envelope[0]) if headers else []
        assert len(sent_headers) == len(headers)
        if schema is not None:
            outcome.valid = all(schema.validate(el) for el in [ours, *sent_headers])
            if not outcome.valid:
                outcome.problems.append(f"invalid: {schema.error_log.last_error}")
        if zeep is None:
            outcome.zeep_error = "zeep cannot load the WSDL offline"
            return
        try:
            theirs = _zeep_body(zeep, project, port, op, request)
        except Exception as exc:  # zeep's own limits: recorded, not ours to fix
            outcome.zeep_error = f"{type(exc).__name__}: {exc}"
            return
        if any(
            f.element is not None and f.element.xsi_type
            for f in request_type.all_fields
        ):
            ours = _without_encoding(ours)  # zeep writes rpc/encoded without it
        outcome.equal_to_zeep = canonical(ours) == canonical(theirs)
        if not outcome.equal_to_zeep:
            a, b = canonical(ours), canonical(theirs)
            pairs = enumerate(zip(a, b, strict=False))
            at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
            outcome.problems.append(
                f"differs from zeep at character {at}:\n  ours   …{a[max(0, at - 150) : at + 250]!r}"
                f"\n  zeep's …{b[max(0, at - 150) : at + 250]!r}"
            )

    check()
    return outcome


def _without_encoding(element: etree._Element) -> etree._Element:
    """A copy without the SOAP encoding marks: encodingStyle and xsi:type."""
    copy = etree.fromstring(etree.tostring(element))
    for el in copy.iter():
        for name in list(el.attrib):
            if name.endswith("}encodingStyle") or name == f"{{{XSI}}}type":
                del el.attrib[name]
    return copy


def _zeep_client(wsdl: Path) -> Any:
    """zeep on the same WSDL, or None where zeep cannot load it offline.

    zeep's transport is given wsdlbind's copies of the well-known schemas (EWS
    imports xml.xsd from w3.org), through ``Transport.load``, zeep's own hook.
    """
    zeep = pytest.importorskip("zeep")

    class Offline(zeep.Transport):  # type: ignore[misc]
        def load(self, url: str) -> bytes:
            known = WELL_KNOWN_ADDRESSES.get(url)
            if known is not None:
                return (WELL_KNOWN_DIR / known).read_bytes()
            if url.startswith(("http://", "https://")):
                raise OSError(f"offline: not fetching {url}")
            return bytes(super().load(url))

    try:
        return zeep.Client(str(wsdl), transport=Offline())
    except Exception:  # recorded in the report as zeep's limit, not a failure
        return None


def _zeep_body(
    client: Any, project: Project, port: Port, op: Operation, request: Any
) -> etree._Element:
    if port.service:
        service = client.bind(port.service, port.name)
    else:  # a binding no service names: zeep makes a service for it on request
        binding = next(
            key for key in client.wsdl.bindings if key.endswith("}" + port.binding)
        )
        service = client.create_service(binding, "http://127.0.0.1:9/")
    if project.element(op.input.element).is_simple_value:
        envelope = client.create_message(service, op.name, request.value)
    else:
        values = to_zeep(client, request, project, None)
        envelope = client.create_message(service, op.name, **values)
    return envelope[-1][0]


@pytest.mark.parametrize(
    "entry",
    sorted(e for e, expected in EXPECTED.items() if expected is None),
    ids=lambda e: e.split("/")[0],
)
def test_corpus_entry_as_a_package(corpus: Path, tmp_path: Path, entry: str) -> None:
    """The package layout of each entry needs no formatter, passes ruff and
    mypy --strict, imports without loading a type, and reads and writes each
    sampled request as the module does."""
    result = pipeline.generate(str(corpus / entry), offline=True)
    packaged = pipeline.generate(str(corpus / entry), offline=True, layout="package")
    name = f"corpus_{tmp_path.name.replace('-', '_')}"
    pipeline.write_package(tmp_path / name, packaged.files)
    assert_clean(tmp_path / name)
    (tmp_path / "module.py").write_text(result.code, encoding="utf-8")
    module = import_path(tmp_path / "module.py")
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(name)
        assert {m for m in sys.modules if m.startswith(name + ".")} == {
            f"{name}._runtime"
        }
        assert sorted(package.__all__) == sorted(module.__all__)
        values = Values(result.project, module, zeep_safe=True)
        for _, op in sample_operations(result.project, entry):
            assert op.input.element is not None
            request_type = result.project.element(op.input.element)
            cls = getattr(package, request_type.py_name)
            read_and_written_alike(module, package, cls, values.instance(request_type))
    finally:
        sys.path.remove(str(tmp_path))
        for loaded in [m for m in sys.modules if m.split(".")[0] == name]:
            del sys.modules[loaded]


def read_and_written_alike(
    module: ModuleType, package: ModuleType, cls: type, requests: Any
) -> None:
    """A request the module writes, read by the package into ``cls`` and
    written again, gives the same bytes."""

    @ONE_EXAMPLE
    @given(requests)
    def same(request: Any) -> None:
        element = module.serialize(request)
        again = package.serialize(package.parse(cls, element))
        assert etree.tostring(again) == etree.tostring(element)

    same()
