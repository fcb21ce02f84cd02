"""The whole CallFire API 1.1, as its documentation lists it, in the generated client.

The project's own description (``wsdl/callfire/``) has all 98 documented
operations of the 8 services; ``generated/callfire.py`` is generated from it.

- the services and operations are exactly the documentation's (``operations.tsv``
  of ``../shared/callfire-facts``), each a typed method with a docstring;
- for the 61 operations the vendor's older WSDL also has, a request the whole
  client writes with only the fields the vendor knows validates against the
  vendor XSD and equals what zeep builds from the vendor WSDL, and answers zeep
  renders from the vendor WSDL parse, strictly, into the whole client's results;
- the 37 new operations and the new data types are as the facts state them
  (names, order, types, cardinalities), read by xmlschema, not by wsdlbind;
- every operation's request validates against the project's own XSD, and every
  operation is called once against a loopback server answering a schema-valid
  answer of its documented shape, which parses into the typed result, with
  its soapAction and request element checked;
- every service's faults are typed; ``CreateContactBatch.Start`` (a later
  addition) goes on the wire only when given, after ``ScrubBroadcastDuplicates``;
- the README's example for each service runs against the loopback server.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.model import ComplexType, Operation, Project

from tests.conftest import OWN_WSDL, ROOT, SHARED
from tests.soap_server import SOAP12_ENV, Answer, Request, envelope, fault12, serve
from tests.strategies import Values, to_zeep
from tests.test_callfire import canonical
from tests.test_callfire_vendor import OPERATIONS as VENDOR_OPERATIONS
from tests.test_callfire_vendor import PROJECT as VENDOR_PROJECT

SVC = "http://api.callfire.com/service/xsd"
SOAP12 = f"{{{SOAP12_ENV}}}"
FACTS = SHARED / "callfire-facts" / "operations.tsv"
OWN_XSD = ROOT / "wsdl" / "callfire" / "service.xsd"
DOCUMENTED = {
    "BroadcastService": 14,
    "SubscriptionService": 5,
    "TextService": 7,
    "CallService": 11,
    "CccService": 26,
    "ContactService": 19,
    "NumberService": 10,
    "LabelService": 6,
}
FAST = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

OWN, _ = pipeline.prepare(str(OWN_WSDL), offline=True)
OWN_OPERATIONS = [(p.py_name, op) for p in OWN.ports for op in p.operations]
PORT_OF = {op.name: port for port, op in OWN_OPERATIONS}


def op_id(item: tuple[str, Operation]) -> str:
    return f"{item[0]}.{item[1].name}"


@pytest.fixture(scope="module")
def own_schema() -> etree.XMLSchema:
    """The project's own XSD, compiled by lxml."""
    return etree.XMLSchema(etree.parse(str(OWN_XSD)))


def request_type(project: Project, op: Operation) -> ComplexType:
    assert op.input is not None and op.input.element is not None
    return project.element(op.input.element)


def response_type(project: Project, op: Operation) -> ComplexType | None:
    if op.output is None or op.output.element is None:
        return None
    return project.element(op.output.element)


def one(strategy: st.SearchStrategy[Any]) -> Any:
    """One value drawn from ``strategy``: hypothesis's first, simplest draw, unshrunk."""
    drawn: list[Any] = []

    @settings(
        max_examples=1,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: Any) -> None:
        drawn.append(value)

    draw()
    return drawn[0]


# -- the documentation's services and operations, all of them --------------------


def test_every_documented_operation_is_a_typed_method(golden: ModuleType) -> None:
    counts = {p.py_name: len(p.operations) for p in OWN.ports}
    assert counts == DOCUMENTED and sum(counts.values()) == 98
    for port, op in OWN_OPERATIONS:
        method = getattr(getattr(golden, port), op.py_name)
        # The docstring opens with the description's words, not a stand-in.
        assert op.doc and " ".join(method.__doc__.split()).startswith(
            " ".join(op.doc.split())
        ), f"{port}.{op.name}"
        answer = response_type(OWN, op)
        returns = method.__annotations__["return"]
        if answer is None:
            assert returns == "None", op.name
        elif answer.is_simple_value:  # the value the answer element holds
            wrapper = getattr(golden, answer.py_name)
            assert returns == wrapper.__init__.__annotations__["value"], op.name
        else:
            assert returns == answer.py_name, op.name


def test_operations_are_the_documentations_in_its_order(shared: Path) -> None:
    with FACTS.open(encoding="utf-8") as facts:
        documented = [
            (row["service"], row["operation"])
            for row in csv.DictReader(facts, delimiter="\t")
        ]
    assert [(port, op.name) for port, op in OWN_OPERATIONS] == documented


def test_every_port_has_the_vendors_address(golden: ModuleType) -> None:
    for port in DOCUMENTED:
        path = port.removesuffix("Service").lower()
        endpoint = getattr(golden, port)("user", "password").endpoint
        assert endpoint == f"https://www.callfire.com/api/1.1/soap12/{path}"


# -- wire compatibility with the vendor's description ------------------------------


@pytest.mark.parametrize("item", VENDOR_OPERATIONS, ids=op_id)
def test_vendor_operations_put_the_vendors_bytes_on_the_wire(
    vendor: ModuleType,
    golden: ModuleType,
    vendor_schema: etree.XMLSchema,
    zeep_client: Any,
    item: tuple[str, Operation],
) -> None:
    port, op = item
    assert PORT_OF[op.name] == port
    (own_op,) = [o for p, o in OWN_OPERATIONS if o.name == op.name]
    ours = getattr(golden, request_type(OWN, own_op).py_name)
    values = Values(VENDOR_PROJECT, vendor, zeep_safe=True)
    service = zeep_client.bind("CallFireApi", f"{port}Port")

    typedef = request_type(VENDOR_PROJECT, op)

    # Half the requests hold every field they may: a field out of place shows.
    @FAST
    @given(st.booleans().flatmap(lambda full: values.instance(typedef, eager=full)))
    def check(vendors_request: Any) -> None:
        # The same values, as the whole client holds them: only fields the vendor knows.
        request = golden.parse(ours, vendor.serialize(vendors_request), strict=True)
        body = golden.serialize(request)
        vendor_schema.assertValid(body)
        kwargs = to_zeep(zeep_client, vendors_request, VENDOR_PROJECT, None)
        theirs = zeep_client.create_message(service, op.name, **kwargs)
        assert canonical(body) == canonical(theirs.find(f"{SOAP12}Body")[0])

    check()


VENDOR_WITH_OUTPUT = [
    item for item in VENDOR_OPERATIONS if response_type(VENDOR_PROJECT, item[1])
]


@pytest.mark.parametrize("item", VENDOR_WITH_OUTPUT, ids=op_id)
def test_vendor_shaped_answers_parse_into_the_whole_clients_results(
    vendor: ModuleType,
    golden: ModuleType,
    zeep_client: Any,
    item: tuple[str, Operation],
) -> None:
    _, op = item
    (own_op,) = [o for p, o in OWN_OPERATIONS if o.name == op.name]
    theirs, ours = response_type(VENDOR_PROJECT, op), response_type(OWN, own_op)
    assert theirs is not None and ours is not None and op.output is not None
    element = zeep_client.get_element(str(op.output.element))
    values = Values(VENDOR_PROJECT, vendor, zeep_safe=True)
    cls = getattr(golden, ours.py_name)

    @FAST
    @given(st.booleans().flatmap(lambda full: values.instance(theirs, eager=full)))
    def check(answer: Any) -> None:
        holder = etree.Element("holder")
        if theirs.is_simple_value:
            element.render(holder, answer.value)
        else:
            kwargs = to_zeep(zeep_client, answer, VENDOR_PROJECT, None)
            element.render(holder, element(**kwargs))
        parsed = golden.parse(cls, holder[0], strict=True)  # nothing unknown to it
        again = golden.serialize(parsed, tag=holder[0].tag)
        assert canonical(again) == canonical(holder[0])

    check()


# -- every operation, on the project's own description -----------------------------


class Loopback:
    """A loopback CallFire: checks each request against the XSD, answers in turn."""

    def __init__(self, schema: etree.XMLSchema) -> None:
        self.schema = schema
        self.answers: list[bytes] = []
        self.seen: list[tuple[str, str]] = []  # (soapAction, request element)

    def __call__(self, request: Request) -> Answer:
        body = etree.fromstring(request.body).find(f"{SOAP12}Body")
        assert body is not None
        action = re.search(r'action="([^"]*)"', request.headers["Content-Type"])
        self.seen.append((action.group(1) if action else "", body[0].tag))
        if len(body) == 1 and not self.schema.validate(body[0]):
            error = str(self.schema.error_log.last_error)
            return Answer(400, fault12("soap:Sender", error))
        return Answer(200, self.answers.pop(0))


@pytest.fixture(scope="module")
def loopback(own_schema: etree.XMLSchema) -> Iterator[tuple[str, Loopback]]:
    handler = Loopback(own_schema)
    with serve(handler) as (url, _):
        yield url, handler


def answer_for(golden: ModuleType, op: Operation, result: Any) -> bytes:
    """The envelope a server answers ``op`` with when its result is ``result``."""
    if result is None:
        return envelope("")
    assert op.output is not None and op.output.element is not None
    element = golden.serialize(result, tag=str(op.output.element))
    return envelope(etree.tostring(element).decode())


@pytest.mark.parametrize("item", OWN_OPERATIONS, ids=op_id)
def test_each_operation_is_called_once_against_a_loopback_server(
    golden: ModuleType,
    own_schema: etree.XMLSchema,
    loopback: tuple[str, Loopback],
    item: tuple[str, Operation],
) -> None:
    port, op = item
    url, server = loopback
    values = Values(OWN, golden)
    requests = values.instance(request_type(OWN, op))
    answer = response_type(OWN, op)
    request = one(requests)
    own_schema.assertValid(golden.serialize(request))
    # An answer holding all it may: every field of the result type is read.
    result = None if answer is None else one(values.instance(answer, eager=True))
    server.answers.append(answer_for(golden, op, result))
    service = getattr(golden, port)("user", "password", endpoint=url)
    got = getattr(service, op.py_name)(request)
    action = f"http://api.callfire.com/service/wsdl/{port}PortType/{op.name}"
    assert server.seen[-1] == (action, str(request_type(OWN, op).element))
    if answer is None:
        assert got is None
    elif answer.is_simple_value:
        assert got == result.value
    else:
        assert got == result and type(got) is type(result)


@pytest.mark.parametrize("item", OWN_OPERATIONS, ids=op_id)
def test_every_request_validates_against_the_projects_xsd(
    golden: ModuleType, own_schema: etree.XMLSchema, item: tuple[str, Operation]
) -> None:
    _, op = item
    values = Values(OWN, golden)

    @FAST
    @given(values.instance(request_type(OWN, op)))
    def check(request: Any) -> None:
        own_schema.assertValid(golden.serialize(request))

    check()


@pytest.mark.parametrize("item", OWN_OPERATIONS, ids=op_id)
def test_every_operations_faults_are_typed(
    golden: ModuleType, loopback: tuple[str, Loopback], item: tuple[str, Operation]
) -> None:
    url, server = loopback
    port, op = item
    request = one(Values(OWN, golden).instance(request_type(OWN, op)))
    detail = (
        f'<ServiceFaultInfo xmlns="{SVC}"><FaultCode>NOT_FOUND</FaultCode>'
        f"<Message>nothing by that id in {port}</Message></ServiceFaultInfo>"
    )
    server.answers.append(fault12("soap:Receiver", "Not found", detail))
    service = getattr(golden, port)("user", "password", endpoint=url)
    with pytest.raises(golden.ServiceFault) as caught:
        getattr(service, op.py_name)(request)
    info = caught.value.info
    assert isinstance(info, golden.ServiceFaultInfo)
    assert info.FaultCode is golden.FaultCode.NOT_FOUND and port in info.Message


# -- later additions ---------------------------------------------------------------


def test_start_goes_after_scrub_broadcast_duplicates_only_when_given(
    golden: ModuleType, own_schema: etree.XMLSchema, vendor_schema: etree.XMLSchema
) -> None:
    fields = {"BroadcastId": 3, "ContactListId": 79, "ScrubBroadcastDuplicates": True}
    started = golden.serialize(golden.CreateContactBatch(**fields, Start=True))
    names = [etree.QName(child).localname for child in started]
    assert names[-2:] == ["ScrubBroadcastDuplicates", "Start"]
    assert started[-1].text == "true"
    own_schema.assertValid(started)
    plain = golden.serialize(golden.CreateContactBatch(**fields))
    assert [etree.QName(child).localname for child in plain][-1] != "Start"
    assert plain.find(f"{{{SVC}}}Start") is None
    vendor_schema.assertValid(plain)  # old servers keep working


# -- the README's example per service ------------------------------------------------


def readme_service_examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- service-examples -->")[1].split(
        "<!-- /service-examples -->"
    )[0]
    return re.findall(r"### (\w+)\n.*?```python\n(.*?)```", section, re.S)


def test_readme_has_one_example_per_service_create_contact_batch_first() -> None:
    examples = readme_service_examples()
    assert [name for name, _ in examples] == list(DOCUMENTED)
    first_calls = re.findall(r"\bsvc\.(\w+)\(", examples[0][1])
    assert first_calls == ["CreateContactBatch", "CreateContactBatch"]
    assert "Start=True" in examples[0][1]


@pytest.mark.parametrize(
    "example",
    readme_service_examples(),
    ids=lambda e: e[0] if isinstance(e, tuple) else e,
)
def test_readme_service_example_runs(
    golden: ModuleType,
    loopback: tuple[str, Loopback],
    monkeypatch: pytest.MonkeyPatch,
    example: tuple[str, str],
) -> None:
    port, code = example
    url, server = loopback
    cls = getattr(golden, port)
    monkeypatch.setattr(cls, "_default_endpoint", url)
    values = Values(OWN, golden)
    called = re.findall(r"\bsvc\.(\w+)\(", code)
    for name in called:
        op = next(
            (o for p, o in OWN_OPERATIONS if p == port and o.py_name == name), None
        )
        if op is None:
            continue
        answer = response_type(OWN, op)
        result = None if answer is None else one(values.instance(answer))
        server.answers.append(answer_for(golden, op, result))
    monkeypatch.setitem(sys.modules, "generated.callfire", golden)
    exec(code, {})  # noqa: S102 - the README's own code
    assert not server.answers, "every answer prepared for the example was asked for"


# -- the description against the documented facts ------------------------------------

PREFIXES = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "svc": SVC,
    "data": "http://api.callfire.com/data",
}


def split_top(text: str) -> list[str]:
    """``a; b{c; d}; e(f; g)`` -> its top-level items."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "{(" and 1 or (char in "})" and -1 or 0)
        if char == ";" and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def qualified(name: str) -> str:
    prefix, _, local = name.rstrip("?").partition(":")
    return f"{{{PREFIXES[prefix]}}}{local}"


def fact_items(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """The facts' notation (see ``../shared/callfire-facts/README.md``) as
    ``(name, type, minOccurs, maxOccurs)``, bases first; ``@name`` for an
    attribute (its use as maxOccurs). ``?`` marks (inferred) are dropped: the
    description follows each inference."""
    found: list[tuple[str, str | None, str | None, str | None]] = []
    for item in split_top(text):
        item = re.sub(r"^\[POSITION\?\]\s*", "", item).replace(" (no base)", "")
        base = re.fullmatch(r"(?:extends )?(\w+):(\w+)\{(.*)\}", item)
        if base:
            found += fact_items(base.group(3))
            continue
        item = re.sub(
            r"\((?:default|named|ref|inline)[^()]*(?:\([^()]*\)[^()]*)*\)", "", item
        )
        ref = re.fullmatch(r"ref (\w+:\w+):([\d?]+):(\w+\??)", item)
        if ref:
            name = ref.group(1).split(":")[1]
            found.append(
                (name, "ref", ref.group(2).rstrip("?"), ref.group(3).rstrip("?"))
            )
            continue
        name, _, rest = item.partition(":")
        parts = rest.split(":")
        if name.startswith("@"):
            use = parts[2].rstrip("?") if len(parts) == 3 else None
            found.append((name, None, None, use))
        elif len(parts) >= 2 and re.fullmatch(r"[\d?]+", parts[-2]):
            kind = ":".join(parts[:-2]) or None
            found.append((name, kind, parts[-2].rstrip("?"), parts[-1].rstrip("?")))
        else:  # no cardinality stated
            found.append((name, None, None, None))
    return found


def content_of(element: Any, skip_base: bool = False) -> list[tuple[Any, ...]]:
    own = list(element.type.content.iter_elements())
    if skip_base and element.type.base_type is not None:
        base = element.type.base_type
        own = own[len(list(base.content.iter_elements())) if base.is_complex() else 0 :]
    return own


def assert_matches(element: Any, facts: str, *, skip_base: bool = False) -> None:
    children = content_of(element, skip_base)
    items = [i for i in fact_items(facts) if not i[0].startswith("@")]
    where = element.name
    assert [etree.QName(c.name).localname for c in children] == [i[0] for i in items], (
        where
    )
    for child, (name, kind, low, high) in zip(children, items, strict=True):
        if low is not None:
            assert str(child.min_occurs) == low, f"{where}/{name} minOccurs"
            assert (child.max_occurs is None) == (high == "unbounded"), (
                f"{where}/{name}"
            )
        if kind in (None, "ref"):
            assert kind is None or child.ref is not None, f"{where}/{name} is a ref"
            continue
        listed = re.fullmatch(r"LIST\((.+)\)\??", kind)
        if listed:
            assert child.type.is_list(), f"{where}/{name} is a list"
            assert child.type.item_type.name == qualified(listed.group(1)), where
        else:
            assert child.type.name == qualified(kind), f"{where}/{name} type"
    for name, _, _, use in (i for i in fact_items(facts) if i[0].startswith("@")):
        attribute = element.type.attributes[name[1:]]
        assert use is None or attribute.use == use, f"{where}/{name} use"


@pytest.fixture(scope="module")
def described(shared: Path) -> Any:
    """The project's own schemas, read by xmlschema: an oracle apart from wsdlbind."""
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(OWN_XSD)).maps.elements


def facts_rows(shared: Path, name: str) -> list[dict[str, str]]:
    with (SHARED / "callfire-facts" / name).open(encoding="utf-8") as table:
        return list(csv.DictReader(table, delimiter="\t"))


def test_the_37_new_operations_are_as_the_facts_state(
    shared: Path, described: Any
) -> None:
    ops = {op.name: op for _, op in OWN_OPERATIONS}
    new = [
        r for r in facts_rows(shared, "operations.tsv") if r["in_vendor_wsdl"] == "no"
    ]
    assert len(new) == 37
    for row in new:
        op = ops[row["operation"]]
        request = request_type(OWN, op)
        assert op.input is not None and str(op.input.element) == qualified(
            row["request_element"]
        )
        facts = "; ".join(
            t
            for t in (row["request_base_chain"], row["request_own_fields_in_order"])
            if t
        )
        assert_matches(described[str(op.input.element)], facts)
        assert request.py_name
        answer = row["response_content"]
        if answer.startswith("(no parts"):
            assert op.output is None or op.output.element is None, op.name
            continue
        assert op.output is not None and str(op.output.element) == qualified(
            row["response_element"].split(" ")[0]
        ), op.name
        if not answer.startswith(("data:", "svc:CreatedId")):
            assert_matches(described[str(op.output.element)], answer)


def test_the_new_data_types_are_as_the_facts_state(
    shared: Path, described: Any
) -> None:
    rows = [
        r
        for r in facts_rows(shared, "types.tsv")
        if r["namespace"].endswith("/data")
        and r["kind"].startswith("element")
        and r["status_vs_vendor_xsd"].startswith("new")
    ]
    assert len(rows) >= 10
    for row in rows:
        name = row["name"].split(" ")[0]
        element = described[f"{{{PREFIXES['data']}}}{name}"]
        extension = row["base_or_extension"].startswith("extension")
        assert_matches(element, row["content_in_order"], skip_base=extension)
