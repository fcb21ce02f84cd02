"""The stamp that lets ``--check`` tell an up-to-date module without generating
it (generator/stamp.py), and ``--check`` using it."""

from __future__ import annotations

from pathlib import Path

import pytest
from wsdlbind import __version__, model, pipeline, stamp

from tests.conftest import CALLFIRE_POLICY, GOLDEN, OWN_WSDL


def module(options: str = "0123456789abcdef", inputs: str = "feedfacefeedface") -> str:
    code = f'"""Doc.\n\nInput hash: {inputs}. Do not edit.\n{stamp.line(options)}\n"""\nx = 1\n'
    return stamp.sealed(code)


def test_a_sealed_module_is_up_to_date_with_its_own_inputs_and_options() -> None:
    code = module()
    assert f"Stamp: wsdlbind {__version__}, options 0123456789abcdef, output " in code
    assert "output 0000000000000000" not in code
    assert stamp.up_to_date(code, "feedfacefeedface", "0123456789abcdef")


@pytest.mark.parametrize(
    "change",
    [
        lambda code: code.replace("x = 1", "x = 2"),  # a hand edit
        lambda code: code + "\n",
        lambda code: code.replace(f"wsdlbind {__version__}", "wsdlbind 0.0.1"),
        lambda code: code.replace("Input hash: feedfacefeedface", "Input hash: 00"),
        lambda code: code.replace("Stamp:", "Stump:"),
    ],
)
def test_any_change_to_the_module_or_its_stamp_is_drift(change: object) -> None:
    code = change(module())  # type: ignore[operator]
    assert not stamp.up_to_date(code, "feedfacefeedface", "0123456789abcdef")


def test_other_inputs_or_options_are_drift() -> None:
    code = module()
    assert not stamp.up_to_date(code, "0000000000000000", "0123456789abcdef")
    assert not stamp.up_to_date(code, "feedfacefeedface", "fedcba9876543210")


def test_the_options_hash_follows_the_users_templates(tmp_path: Path) -> None:
    builtin = stamp.options_hash(None)
    (tmp_path / "ports.py.jinja").write_text("a", encoding="utf-8")
    mine = stamp.options_hash(tmp_path)
    assert mine != builtin
    (tmp_path / "ports.py.jinja").write_text("b", encoding="utf-8")
    assert stamp.options_hash(tmp_path) != mine


def test_the_committed_module_is_up_to_date_without_generating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(pipeline, "build_project", never)
    assert pipeline.up_to_date(
        str(OWN_WSDL), GOLDEN, offline=True, policy=CALLFIRE_POLICY
    )
    assert not pipeline.up_to_date(str(OWN_WSDL), GOLDEN.with_name("absent.py"))
    # Another call policy makes another module.
    assert not pipeline.up_to_date(str(OWN_WSDL), GOLDEN, offline=True)
    other = model.CallPolicy(("Get*",), "RequestId")
    assert not pipeline.up_to_date(str(OWN_WSDL), GOLDEN, offline=True, policy=other)
