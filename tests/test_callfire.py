"""The main job end to end: the CallFire BroadcastService client and CreateContactBatch.

The committed ``generated/callfire.py`` (from the project's own ``wsdl/``) is the
module under test; the vendor's XSD validates what it sends, zeep on the vendor's
WSDL is the independent oracle for the envelope, and a real HTTP server on
127.0.0.1 plays the service.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from wsdlbind import config, pipeline

from tests.conftest import CALLFIRE_POLICY, GOLDEN, OWN_WSDL, ROOT, VENDOR_WSDL
from tests.soap_server import SOAP12_ENV, Answer, Request, envelope, fault12, serve

ACTION = (
    "http://api.callfire.com/service/wsdl/BroadcastServicePortType/CreateContactBatch"
)
SVC = "http://api.callfire.com/service/xsd"


def canonical(element: etree._Element) -> str:
    """C14N 2.0 with prefixes rewritten and whitespace dropped: "prefixes aside".

    C14N leaves prefixes inside attribute values alone, so an ``xsi:type``
    value is first written as ``{namespace}name``.
    """
    xsi_type = "{http://www.w3.org/2001/XMLSchema-instance}type"
    if any(el.get(xsi_type) for el in element.iter()):
        element = etree.fromstring(etree.tostring(element))
        for el in element.iter():
            value = el.get(xsi_type)
            if value:
                prefix, _, local = value.rpartition(":")
                el.set(xsi_type, f"{{{el.nsmap.get(prefix or None, '')}}}{local}")
    return etree.canonicalize(element, rewrite_prefixes=True, strip_text=True)


def zeep_body(client: Any, **values: Any) -> etree._Element:
    service = client.bind("CallFireApi", "BroadcastServicePort")
    envelope_el = client.create_message(service, "CreateContactBatch", **values)
    return envelope_el.find(f"{{{SOAP12_ENV}}}Body")[0]


# -- the request on the wire -----------------------------------------------------------


REQUESTS = {
    "numbers": dict(
        BroadcastId=3,
        Name="My list",
        ToNumber=["13105551216", "13105551217"],
        ScrubBroadcastDuplicates=True,
    ),
    "numbers-with-client-data": dict(
        BroadcastId=3, ToNumber=["+13105551216", ("13105551217", "vip")]
    ),
    "escaping": dict(
        BroadcastId=9, Name='<a & "b">\u00e9', ToNumber=[("13105551216", "x<y&z>'\"")]
    ),
    "contact-list": dict(
        BroadcastId=2**63 - 1,
        Name="From list",
        ContactListId=79,
        RequestId="urn:uuid:5f1d7c1e-1111-4222-8333-444455556666",
    ),
}


def build(module: ModuleType, values: dict[str, Any]) -> Any:
    values = dict(values)
    if "ToNumber" in values:
        values["ToNumber"] = [
            module.ToNumber(n[0], ClientData=n[1]) if isinstance(n, tuple) else n
            for n in values["ToNumber"]
        ]
    return module.CreateContactBatch(**values)


@pytest.mark.parametrize("case", REQUESTS)
def test_request_body_validates_against_vendor_xsd(
    golden: ModuleType, vendor_schema: etree.XMLSchema, case: str
) -> None:
    body = golden.serialize(build(golden, REQUESTS[case]))
    vendor_schema.assertValid(body)


@pytest.mark.parametrize("case", REQUESTS)
def test_request_body_equals_zeeps(
    golden: ModuleType, zeep_client: Any, case: str
) -> None:
    values = dict(REQUESTS[case])
    ours = golden.serialize(build(golden, values))
    to_number = zeep_client.get_type("{http://api.callfire.com/data}ToNumber")
    if "ToNumber" in values:
        values["ToNumber"] = [
            to_number(n[0], ClientData=n[1]) if isinstance(n, tuple) else n
            for n in values["ToNumber"]
        ]
    # wsdlbind sends schema defaults the caller left alone; zeep omits them.
    values.setdefault("Name", "API Contact Batch")
    values.setdefault("ScrubBroadcastDuplicates", False)
    assert canonical(ours) == canonical(zeep_body(zeep_client, **values))


def test_vendor_wsdl_puts_the_same_bytes_on_the_wire(
    golden: ModuleType, generate_module: Any, shared: Path
) -> None:
    vendor = generate_module(VENDOR_WSDL, CALLFIRE_POLICY)
    for values in REQUESTS.values():
        ours = etree.tostring(golden.serialize(build(golden, values)))
        theirs = etree.tostring(vendor.serialize(build(vendor, values)))
        assert ours == theirs


def test_schema_default_and_request_object_form(golden: ModuleType) -> None:
    request = golden.CreateContactBatch(BroadcastId=1, ContactListId=2)
    assert request.Name == "API Contact Batch"
    assert request.ScrubBroadcastDuplicates is False
    assert request.RequestId is None
    assert request == golden.CreateContactBatch(BroadcastId=1, ContactListId=2)
    assert "BroadcastId=1" in repr(request)


# -- envelope bytes -------------------------------------------------------------------


def body_of(envelope_bytes: bytes) -> etree._Element:
    return etree.fromstring(envelope_bytes)[-1][0]


def test_a_requests_bytes_never_depend_on_the_requests_before_it(
    golden: ModuleType,
) -> None:
    """Request roots are reused (see _element_bytes); what one request leaves in
    lxml (a prefix it had to make up, a half-written tree) must not show later."""
    service = golden.BroadcastService("u", "p")
    nested = golden.CreateBroadcast(
        Broadcast=golden.Broadcast(
            Name="x",
            TextBroadcastConfig=golden.TextBroadcastConfig(Message="hi"),
        )
    )
    # an attribute from a namespace no schema names: lxml makes up its prefix
    foreign = golden.CreateContactBatch(
        BroadcastId=1,
        ToNumber=[golden.ToNumber("1", any_attributes={"{urn:other}tag": "t"})],
    )
    plain = golden.CreateContactBatch(BroadcastId=2, ToNumber=["13105551216"])
    invalid = golden.CreateContactBatch(BroadcastId=3, ToNumber=["1", "not a number"])
    requests = [nested, foreign, plain]
    first = [service.build_envelope(r) for r in requests]
    for order in ([2, 1, 0], [1, 1, 0, 2, 0], [0, 2, 2, 1]):
        for i in order:
            assert service.build_envelope(requests[i]) == first[i]
        with pytest.raises(golden.ValidationError):
            service.build_envelope(invalid)  # fails halfway through
    # The data namespace is declared once, on the request element.
    start_tag = first[0].split(b"<ns0:CreateBroadcast", 1)[1].split(b">", 1)[0]
    assert b'xmlns:ns1="http://api.callfire.com/data"' in start_tag
    assert first[0].count(b"xmlns:ns1=") == 1
    # The content is the same as serialize() writes into a fresh element.
    for request, built in zip(requests, first, strict=True):
        fresh = golden.serialize(request)
        assert etree.canonicalize(
            body_of(built), rewrite_prefixes=True
        ) == etree.canonicalize(fresh, rewrite_prefixes=True)


def test_new_elements_declare_a_namespace_only_where_none_is_in_scope(
    golden: ModuleType,
) -> None:
    """Elements are copies of a model made once per tag (see _sub). Under a request
    root, which declares every namespace its content uses, they declare none; under
    serialize()'s bare root they declare theirs once, each namespace with its own
    prefix, whatever was written before."""
    service = golden.BroadcastService("u", "p")
    broadcast = golden.Broadcast(
        Name="x", TextBroadcastConfig=golden.TextBroadcastConfig(Message="hi")
    )
    request = golden.CreateBroadcast(Broadcast=broadcast)
    sent = service.build_envelope(request)
    assert sent.count(b"xmlns:") == 3  # soap, and ns0 and ns1 on the request root

    def declarations(element: Any) -> list[tuple[str, str]]:
        found = []
        for el in element.iter():
            parent = el.getparent()
            inherited = {} if parent is None else parent.nsmap
            found += [(p, ns) for p, ns in el.nsmap.items() if inherited.get(p) != ns]
        return found

    first = etree.tostring(golden.serialize(request))
    service.build_envelope(golden.CreateContactBatch(BroadcastId=1, ContactListId=2))
    again = golden.serialize(request)
    assert etree.tostring(again) == first
    declared = declarations(again)  # the root's, and Broadcast's
    assert sorted(ns for _, ns in declared) == [
        "http://api.callfire.com/data",
        "http://api.callfire.com/service/xsd",
    ]
    assert len({prefix for prefix, _ in declared}) == 2  # no prefix is rebound
    assert golden.parse(golden.CreateBroadcast, again) == request


def test_threads_building_requests_at_once_each_get_their_own_bytes(
    golden: ModuleType,
) -> None:
    service = golden.BroadcastService("u", "p")

    def request(thread: int, i: int) -> Any:
        return (
            golden.CreateContactBatch(
                BroadcastId=thread * 1000 + i, ToNumber=[f"1310555{i:04d}"] * (i % 40)
            )
            if i % 40
            else golden.CreateContactBatch(BroadcastId=thread, ContactListId=i)
        )

    expected = {
        (t, i): service.build_envelope(request(t, i))
        for t in range(4)
        for i in range(300)
    }

    def wrong(thread: int) -> list[int]:
        return [
            i
            for i in range(300)
            if service.build_envelope(request(thread, i)) != expected[thread, i]
        ]

    # The model elements new elements are copied from (see _sub) are made again,
    # by the workers at once, and copied in threads other than the one that
    # made them.
    golden._MODELS.clear()
    with ThreadPoolExecutor(4) as pool:  # a worker's exception is raised here
        assert list(pool.map(wrong, range(4))) == [[], [], [], []]


# -- validation before sending -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        (
            dict(BroadcastId=3),
            "CreateContactBatch",
            "exactly one of ToNumber / ContactListId",
        ),
        (
            dict(BroadcastId=3, ToNumber=["1"], ContactListId=2),
            "CreateContactBatch",
            "exactly one of ToNumber / ContactListId",
        ),
        (
            dict(BroadcastId=3, ToNumber=["1310-555"]),
            "CreateContactBatch.ToNumber",
            "does not match the pattern",
        ),
        (
            dict(BroadcastId=3, ToNumber=[("555 1234", "x")]),
            "CreateContactBatch.ToNumber.value",
            "does not match the pattern",
        ),
        (
            dict(BroadcastId=2**63, ContactListId=1),
            "CreateContactBatch.BroadcastId",
            "out of range",
        ),
        (
            dict(BroadcastId=1, ContactListId=-(2**63) - 1),
            "CreateContactBatch.ContactListId",
            "out of range",
        ),
        (
            dict(BroadcastId="3", ContactListId=1),
            "CreateContactBatch.BroadcastId",
            "expected an integer",
        ),
        (
            dict(BroadcastId=None, ContactListId=1),
            "CreateContactBatch.BroadcastId",
            "required",
        ),
    ],
    ids=[
        "neither",
        "both",
        "bad-number",
        "bad-number-object",
        "long-too-big",
        "long-too-small",
        "wrong-type",
        "missing-broadcast-id",
    ],
)
def test_invalid_request_raises_before_any_traffic(
    golden: ModuleType, values: dict[str, Any], field: str, rule: str
) -> None:
    with serve(lambda r: Answer(500, b"")) as (url, seen):
        client = golden.BroadcastService("user", "secret", endpoint=url)
        with pytest.raises(golden.ValidationError) as caught:
            client.CreateContactBatch(build(golden, values))
    assert caught.value.field == field
    assert rule in caught.value.rule
    assert seen == []


def test_missing_required_keyword_is_a_type_error(golden: ModuleType) -> None:
    with pytest.raises(TypeError, match="BroadcastId"):
        golden.CreateContactBatch(ContactListId=1)


# -- end to end against a SOAP 1.2 server --------------------------------------------


def callfire_like(schema: etree.XMLSchema, answer_id: int) -> Any:
    """A handler that checks what the vendor's service checks, then answers an id."""

    def handle(request: Request) -> Answer:
        expected_auth = "Basic " + base64.b64encode(b"user:s3cret").decode()
        if request.headers.get("Authorization") != expected_auth:
            return Answer(401, b"unauthorized", "text/plain")
        content_type = request.headers.get("Content-Type", "")
        if (
            not content_type.startswith("application/soap+xml")
            or f'action="{ACTION}"' not in content_type
        ):
            return Answer(
                400, fault12("soap:Sender", f"bad content type {content_type}")
            )
        body = etree.fromstring(request.body).find(f"{{{SOAP12_ENV}}}Body")[0]
        if not schema.validate(body):
            return Answer(400, fault12("soap:Sender", str(schema.error_log.last_error)))
        return Answer(
            200, envelope(f'<CreatedId xmlns="{SVC}">{answer_id}</CreatedId>')
        )

    return handle


def test_create_contact_batch_against_a_real_server(
    golden: ModuleType, vendor_schema: etree.XMLSchema
) -> None:
    with serve(callfire_like(vendor_schema, 332)) as (url, seen):
        service = golden.BroadcastService(
            username="user", password="s3cret", endpoint=url
        )
        batch_id = service.CreateContactBatch(
            BroadcastId=3,
            Name="My list",
            ToNumber=["13105551216", "13105551217"],
            ScrubBroadcastDuplicates=True,
        )
    assert batch_id == 332 and type(batch_id) is int
    assert len(seen) == 1 and seen[0].path == "/api/1.1/soap12/broadcast"


def test_request_object_can_be_passed_instead_of_keywords(
    golden: ModuleType, vendor_schema: etree.XMLSchema
) -> None:
    with serve(callfire_like(vendor_schema, 7)) as (url, _):
        service = golden.BroadcastService("user", "s3cret", endpoint=url)
        request = golden.CreateContactBatch(BroadcastId=3, ContactListId=79)
        assert service.CreateContactBatch(request) == 7
        with pytest.raises(
            TypeError, match="request object|CreateContactBatch or its fields"
        ):
            service.CreateContactBatch(request, Name="x")


def test_fault_answer_raises_fault_with_code_reason_and_detail(
    golden: ModuleType,
) -> None:
    detail = (
        f'<ServiceFaultInfo xmlns="{SVC}"><FaultCode>NOT_FOUND</FaultCode>'
        "<Message>no broadcast 3</Message></ServiceFaultInfo>"
    )
    answer = fault12(
        "soap:Receiver", "Broadcast not found", detail, subcode="cf:NotFound"
    )
    with serve(lambda r: Answer(500, answer)) as (url, _):
        service = golden.BroadcastService("user", "s3cret", endpoint=url)
        with pytest.raises(golden.Fault) as caught:
            service.CreateContactBatch(BroadcastId=3, ContactListId=1)
    fault = caught.value
    assert fault.code == "soap:Receiver"
    assert fault.subcodes == ["cf:NotFound"]
    assert fault.reason == "Broadcast not found"
    assert fault.detail is not None
    info = golden.parse(golden.ServiceFaultInfo, fault.detail[0])
    assert (
        info.FaultCode is golden.FaultCode.NOT_FOUND
        and info.Message == "no broadcast 3"
    )
    assert "s3cret" not in str(fault)


def test_wrong_credentials_are_a_transport_error_with_status(
    golden: ModuleType, vendor_schema: etree.XMLSchema
) -> None:
    with serve(callfire_like(vendor_schema, 1)) as (url, _):
        service = golden.BroadcastService("user", "wrong", endpoint=url)
        with pytest.raises(golden.TransportError) as caught:
            service.CreateContactBatch(BroadcastId=3, ContactListId=1)
    assert caught.value.status == 401


def test_unreachable_endpoint_is_a_transport_error(golden: ModuleType) -> None:
    with serve(lambda r: Answer(200, b"")) as (url, _):
        pass  # the server is gone: nothing listens on that port any more
    service = golden.BroadcastService("user", "s3cret", endpoint=url, timeout=5)
    with pytest.raises(golden.TransportError, match="127.0.0.1"):
        service.CreateContactBatch(BroadcastId=3, ContactListId=1)


def test_password_stays_out_of_repr(golden: ModuleType) -> None:
    service = golden.BroadcastService("user", "s3cret")
    assert "s3cret" not in repr(service) and "s3cret" not in str(service)
    assert service.endpoint == "https://www.callfire.com/api/1.1/soap12/broadcast"


# -- the golden record and its quality -----------------------------------------------


def test_regenerating_reproduces_the_committed_module_byte_for_byte() -> None:
    (job,) = config.load_jobs(ROOT / "pyproject.toml")
    assert job.policy == CALLFIRE_POLICY  # what the other tests generate with
    result = pipeline.generate(str(OWN_WSDL), offline=True, policy=job.policy)
    assert result.code == GOLDEN.read_text(encoding="utf-8"), (
        "generated/callfire.py is stale: run `wsdlbind generate`"
    )


def test_generated_module_imports_only_stdlib_and_lxml() -> None:
    tree = __import__("ast").parse(GOLDEN.read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if type(node).__name__ == "Import":
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif type(node).__name__ == "ImportFrom":
            imported.add((node.module or "").split(".")[0])
    import sys

    third_party = {name for name in imported if name not in sys.stdlib_module_names}
    assert third_party == {"lxml"}


# -- round trip under hypothesis -----------------------------------------------------

_xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
    ),
    max_size=20,
)
_numbers = st.from_regex(r"\+?[0-9]{1,15}|[a-zA-Z_]{1,8}", fullmatch=True)


@st.composite
def contact_batches(draw: st.DrawFn, module: ModuleType) -> Any:
    use_numbers = draw(st.booleans())
    numbers = draw(
        st.lists(
            st.one_of(
                _numbers.map(lambda n: module.ToNumber(n)),
                st.tuples(_numbers, _xml_text).map(
                    lambda t: module.ToNumber(t[0], ClientData=t[1])
                ),
            ),
            min_size=1,
            max_size=5,
        )
    )
    return module.CreateContactBatch(
        RequestId=draw(
            st.none() | st.just("urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e")
        ),
        BroadcastId=draw(st.integers(-(2**63), 2**63 - 1)),
        # An empty <Name/> has the schema's default: "" would read back as it.
        Name=draw(st.none() | _xml_text.filter(bool)),
        ToNumber=numbers if use_numbers else None,
        ContactListId=None if use_numbers else draw(st.integers(-(2**63), 2**63 - 1)),
        ScrubBroadcastDuplicates=draw(st.none() | st.booleans()),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_round_trip_and_schema_validity(
    golden: ModuleType, vendor_schema: etree.XMLSchema, data: st.DataObject
) -> None:
    request = data.draw(contact_batches(golden))
    wire = etree.tostring(golden.serialize(request))
    element = etree.fromstring(wire)
    vendor_schema.assertValid(element)
    assert golden.parse(golden.CreateContactBatch, element) == request
