"""Every service, operation and type of the vendor's CallFire WSDL, proven on the wire.

For each of the 61 operations, hypothesis draws valid requests (from wsdlbind's
own model, see ``tests/strategies.py``): each must validate against the vendor
XSD and equal zeep's envelope; each response element rendered by zeep must
parse back into the value it came from; and every type round-trips.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.model import ComplexType, Operation

from tests.conftest import VENDOR_WSDL
from tests.strategies import Values, to_zeep
from tests.test_callfire import canonical

SOAP12 = "{http://www.w3.org/2003/05/soap-envelope}"
FAST = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

if VENDOR_WSDL.is_file():
    PROJECT, TYPES = pipeline.prepare(str(VENDOR_WSDL), offline=True)
    OPERATIONS = [(p.py_name, op) for p in PROJECT.ports for op in p.operations]
else:  # ../shared is absent: the `shared` fixture skips (or fails in CI)
    PROJECT, TYPES, OPERATIONS = None, [], []


def op_id(item: tuple[str, Operation]) -> str:
    return f"{item[0]}.{item[1].name}"


def test_all_ports_and_operations_are_generated(vendor: ModuleType) -> None:
    ports = {p.py_name: len(p.operations) for p in PROJECT.ports}
    assert ports == {
        "BroadcastService": 14,
        "SubscriptionService": 5,
        "TextService": 7,
        "CallService": 8,
        "ContactService": 11,
        "NumberService": 10,
        "LabelService": 6,
    }
    assert sum(ports.values()) == 61
    for port, op in OPERATIONS:
        assert callable(getattr(getattr(vendor, port), op.py_name))


@pytest.mark.parametrize("item", OPERATIONS, ids=op_id)
def test_request_validates_and_equals_zeeps(
    vendor: ModuleType,
    vendor_schema: etree.XMLSchema,
    zeep_client: Any,
    item: tuple[str, Operation],
) -> None:
    port, op = item
    request_type = PROJECT.element(op.input.element)
    values = Values(PROJECT, vendor, zeep_safe=True)
    service = zeep_client.bind("CallFireApi", f"{port}Port")

    @FAST
    @given(values.instance(request_type))
    def check(request: Any) -> None:
        ours = vendor.serialize(request)
        vendor_schema.assertValid(ours)
        kwargs = to_zeep(zeep_client, request, PROJECT, None)
        theirs = zeep_client.create_message(service, op.name, **kwargs)
        assert canonical(ours) == canonical(theirs.find(f"{SOAP12}Body")[0])

    check()


WITH_OUTPUT = [item for item in OPERATIONS if item[1].output and item[1].output.element]


@pytest.mark.parametrize("item", WITH_OUTPUT, ids=op_id)
def test_response_rendered_by_zeep_parses_back(
    vendor: ModuleType,
    vendor_schema: etree.XMLSchema,
    zeep_client: Any,
    item: tuple[str, Operation],
) -> None:
    _, op = item
    assert op.output is not None and op.output.element is not None
    response_type = PROJECT.element(op.output.element)
    element = zeep_client.get_element(str(op.output.element))
    values = Values(PROJECT, vendor, zeep_safe=True)
    cls = getattr(vendor, response_type.py_name)

    @FAST
    @given(values.instance(response_type))
    def check(response: Any) -> None:
        holder = etree.Element("holder")
        if response_type.is_simple_value:
            element.render(holder, response.value)
        else:
            element.render(
                holder, element(**to_zeep(zeep_client, response, PROJECT, None))
            )
        vendor_schema.assertValid(holder[0])
        parsed = vendor.parse(cls, holder[0], strict=True)
        assert parsed == response
        again = vendor.serialize(parsed, tag=holder[0].tag)
        assert canonical(again) == canonical(holder[0])  # and back to an equal tree

    check()


ROUND_TRIP = [
    t
    for t in TYPES
    if isinstance(t, ComplexType) and t.kind != "group" and not t.abstract
]


@pytest.mark.parametrize("typedef", ROUND_TRIP, ids=lambda t: t.py_name)
def test_every_type_round_trips(vendor: ModuleType, typedef: ComplexType) -> None:
    values = Values(PROJECT, vendor)
    cls = getattr(vendor, typedef.py_name)

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(values.instance(typedef))
    def check(value: Any) -> None:
        element = vendor.serialize(value, tag="{urn:wsdlbind:test}value")
        again = etree.fromstring(etree.tostring(element))
        assert vendor.parse(cls, again, strict=True) == value

    check()


def test_unknown_response_elements_are_skipped_unless_strict(
    vendor: ModuleType,
) -> None:
    xml = (
        '<ContactBatch xmlns="http://api.callfire.com/data" id="5"><Name>n</Name>'
        "<Status>ACTIVE</Status><BroadcastId>3</BroadcastId>"
        "<Created>2026-01-02T03:04:05Z</Created><AddedTomorrow>x</AddedTomorrow></ContactBatch>"
    )
    element = etree.fromstring(xml)
    batch = vendor.parse(vendor.ContactBatch, element)
    assert batch.id == 5 and batch.Status is vendor.BatchStatus.ACTIVE
    with pytest.raises(vendor.ResponseError, match="AddedTomorrow"):
        vendor.parse(vendor.ContactBatch, element, strict=True)


def test_docstrings_are_clean_text(vendor: ModuleType) -> None:
    docs = [
        vendor.BroadcastService.__doc__,
        vendor.BroadcastService.CreateContactBatch.__doc__,
    ]
    docs += [getattr(vendor, t.py_name).__doc__ for t in TYPES]
    for doc in docs:
        assert doc and "<" not in doc and "&lt;" not in doc and "xmlns" not in doc


def test_choice_branch_that_is_a_sequence_must_be_whole(vendor: ModuleType) -> None:
    vendor.serialize(vendor.GetRecordingData(CallId=1, Name="greeting"))
    vendor.serialize(vendor.GetRecordingData(RecordingId=7))
    with pytest.raises(
        vendor.ValidationError, match="GetRecordingData.Name: is required"
    ):
        vendor.serialize(vendor.GetRecordingData(CallId=1))
    with pytest.raises(
        vendor.ValidationError, match="exactly one of CallId \\+ Name / RecordingId"
    ):
        vendor.serialize(vendor.GetRecordingData(CallId=1, Name="n", RecordingId=7))
