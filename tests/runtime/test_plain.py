"""Plain data (generator/runtime/plain.py): ``to_dict``, ``from_dict`` and
``json_default``, on the CallFire client and on a module with every kind of
scalar, as a user's code calls them."""

from __future__ import annotations

import datetime
import decimal
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from wsdlbind import pipeline

from tests import inline
from tests.strategies import Values

SCALARS = """
      <xs:simpleType name="Color"><xs:restriction base="xs:string">
        <xs:enumeration value="red"/><xs:enumeration value="dark-blue"/>
      </xs:restriction></xs:simpleType>
      <xs:complexType name="Point"><xs:sequence>
        <xs:element name="X" type="xs:decimal"/>
        <xs:element name="Label" type="xs:string" minOccurs="0"/>
      </xs:sequence></xs:complexType>
      <xs:element name="Shape"><xs:complexType><xs:sequence>
        <xs:element name="When" type="xs:dateTime" minOccurs="0"/>
        <xs:element name="Day" type="xs:date" minOccurs="0"/>
        <xs:element name="At" type="xs:time" minOccurs="0"/>
        <xs:element name="Color" type="t:Color" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="Data" type="xs:base64Binary" minOccurs="0"/>
        <xs:element name="Ratio" type="xs:double" minOccurs="0"/>
        <xs:element name="Count" type="xs:int"/>
        <xs:element name="Point" type="t:Point" minOccurs="0" maxOccurs="unbounded"/>
        <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="2"/>
      </xs:sequence></xs:complexType></xs:element>
"""


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ModuleType]:
    from tests.conftest import import_path

    folder = tmp_path_factory.mktemp("plain")
    wsdl = folder / "shapes.wsdl"
    wsdl.write_text(inline.wsdl(SCALARS, [("Draw", "Shape", None)]), encoding="utf-8")
    result = pipeline.generate(str(wsdl), offline=True)
    (folder / "shapes.py").write_text(result.code, encoding="utf-8")
    return result.project, import_path(folder / "shapes.py")


def test_to_dict_is_schema_order_with_none_left_out(golden: ModuleType) -> None:
    batch = golden.CreateContactBatch(
        BroadcastId=3,
        ToNumber=["13105551216", golden.ToNumber("13105551217", ClientData="vip")],
    )
    plain = golden.to_dict(batch)
    assert plain == {
        "BroadcastId": 3,
        "Name": "API Contact Batch",
        "ToNumber": [
            "13105551216",
            {"value": "13105551217", "ClientData": "vip", "any_attributes": {}},
        ],
        "ScrubBroadcastDuplicates": False,
    }
    assert list(plain) == [
        "BroadcastId",
        "Name",
        "ToNumber",
        "ScrubBroadcastDuplicates",
    ]
    kept = golden.to_dict(batch, keep_none=True)
    assert list(kept) == list(golden.CreateContactBatch._fields)
    assert kept["RequestId"] is None and kept["ContactListId"] is None
    assert golden.from_dict(golden.CreateContactBatch, plain) == batch
    assert golden.from_dict(golden.CreateContactBatch, kept) == batch


def test_typed_values_stay_typed_and_json_default_writes_them_as_text(
    shapes: tuple[Any, ModuleType],
) -> None:
    _, m = shapes
    when = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    element = etree.fromstring('<x:Extra xmlns:x="urn:other">1</x:Extra>')
    shape = m.Shape(
        When=when,
        Day=when.date(),
        At=datetime.time(9, 30),
        Color=[m.Color.DARK_BLUE],
        Data=b"\x00\xff",
        Ratio=0.5,
        Count=2,
        Point=[m.Point(X=decimal.Decimal("1.10"))],
        any=[element],
    )
    plain = m.to_dict(shape)
    assert plain["When"] is when and plain["Data"] == b"\x00\xff"
    assert plain["Color"] == ["dark-blue"]
    assert plain["Point"] == [{"X": decimal.Decimal("1.10")}]
    text = json.dumps(plain, default=m.json_default)
    assert json.loads(text) == {
        "When": "2026-12-01T09:30:00+00:00",
        "Day": "2026-12-01",
        "At": "09:30:00",
        "Color": ["dark-blue"],
        "Data": "AP8=",
        "Ratio": 0.5,
        "Count": 2,
        "Point": [{"X": "1.10"}],
        "any": ['<x:Extra xmlns:x="urn:other">1</x:Extra>'],
    }
    back = m.from_dict(m.Shape, json.loads(text))
    assert back == shape and back.Point[0].X == decimal.Decimal("1.10")
    assert json.dumps(m.NIL, default=m.json_default) == "null"
    with pytest.raises(TypeError, match="object is not JSON serializable"):
        m.json_default(object())


def test_from_dict_says_what_does_not_fit(shapes: tuple[Any, ModuleType]) -> None:
    _, m = shapes
    cases: list[tuple[dict[str, Any], str]] = [
        ({"Count": 1, "Size": 2}, "Shape: Shape has no field 'Size'"),
        ({}, "Shape: Shape missing 1 required keyword-only argument: 'Count'"),
        ({"Count": "two"}, "Shape.Count: expected int, got 'two'"),
        ({"Count": 1, "Color": ["green"]}, "Shape.Color[0]: 'green' is not a Color:"),
        (
            {"Count": 1, "Point": {"X": "1"}},
            "Shape.Point: expected a list, got {'X': '1'}",
        ),
        (
            {"Count": 1, "Point": [{"X": "one"}]},
            "Shape.Point[0].X: 'one' is not a Decimal:",
        ),
        ({"Count": 1, "Data": "%%"}, "Shape.Data: '%%' is not a bytes:"),
    ]
    for data, message in cases:
        with pytest.raises(m.ValidationError) as caught:
            m.from_dict(m.Shape, data)
        assert str(caught.value).startswith(message), (data, str(caught.value))
    with pytest.raises(TypeError, match="to_dict takes a generated object, not dict"):
        m.to_dict({"Count": 1})


ROUND_TRIP = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)


def _round_trip(m: ModuleType) -> Callable[[Any], None]:
    def check(obj: Any) -> None:
        text = json.dumps(m.to_dict(obj), default=m.json_default)
        assert m.from_dict(type(obj), json.loads(text)) == obj

    return check


def test_every_shape_survives_json(shapes: tuple[Any, ModuleType]) -> None:
    project, m = shapes
    values = Values(project, m)
    shape = next(t for t in project.types.values() if t.py_name == "Shape")
    ROUND_TRIP(given(values.instance(shape))(_round_trip(m)))()


def test_every_callfire_request_survives_json(golden: ModuleType) -> None:
    project, _ = pipeline.prepare(
        str(Path(__file__).parents[2] / "wsdl" / "callfire" / "callfire.wsdl"),
        offline=True,
    )
    values = Values(project, golden)
    check = _round_trip(golden)
    for port in project.ports:
        for op in port.operations:
            assert op.input.element is not None
            request = project.element(op.input.element)
            settings(ROUND_TRIP, max_examples=3)(
                given(values.instance(request))(check)
            )()


def test_the_readmes_plain_data_example_runs(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- plain-data-example -->")[1].split("<!-- /plain")[0]
    code = block.split("```python\n")[1].split("```")[0]
    monkeypatch.setitem(sys.modules, "generated.callfire", golden)
    exec(code, {})  # noqa: S102 - the README's own code


LIMITS = """
      <xs:complexType name="Base"><xs:sequence>
        <xs:element name="A" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:complexType name="Derived"><xs:complexContent><xs:extension base="t:Base">
        <xs:sequence><xs:element name="B" type="xs:int"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:element name="Hold"><xs:complexType><xs:sequence>
        <xs:element name="Item" type="t:Base" minOccurs="0"/>
        <xs:element name="N" type="xs:int" nillable="true" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="M" type="xs:int" nillable="true" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
"""


def test_what_does_not_survive_json_is_what_the_readme_says(
    tmp_path: Path,
) -> None:
    from tests.conftest import import_path

    wsdl = tmp_path / "limits.wsdl"
    wsdl.write_text(inline.wsdl(LIMITS, [("Put", "Hold", None)]), encoding="utf-8")
    (tmp_path / "limits.py").write_text(
        pipeline.generate(str(wsdl), offline=True).code, encoding="utf-8"
    )
    m = import_path(tmp_path / "limits.py")

    def again(obj: Any) -> Any:
        text = json.dumps(m.to_dict(obj), default=m.json_default)
        return m.from_dict(type(obj), json.loads(text))

    # A derived object where its base is declared: its own fields do not fit.
    with pytest.raises(m.ValidationError, match="Hold.Item: Base has no field 'B'"):
        again(m.Hold(Item=m.Derived(A=1, B=2)))
    # NIL: kept in a list, None elsewhere.
    back = again(m.Hold(N=[1, m.NIL], M=m.NIL))
    assert back.N == [1, m.NIL] and back.M is None
    m.serialize(back)  # still a request that can be sent
