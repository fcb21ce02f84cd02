"""The schema fuzzer: random but valid WSDL + XSD documents, checked end to end.

Each case (``tests/fuzz_schemas.py``) must generate without an error, give a
module that imports, and, for every request element, take valid values drawn
from wsdlbind's model to XML that the case's own schemas accept (compiled by
lxml) and that reads back equal. Then a random change to the request (a
field left out, one item too many, a second branch of a choice) must either
raise ``ValidationError`` or still give valid XML: the client never sends
what the schema rejects. And the sample ``wsdlbind mock`` would answer with
for each element is valid too.

The normal run draws a fixed, seeded set of cases; set ``WSDLBIND_FUZZ_EXAMPLES``
to draw more, from a fresh seed each run (``WSDLBIND_FUZZ_SEED`` repeats one).
Every failure found stays in ``tests/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import copy
import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from lxml import etree
from wsdlbind import pipeline
from wsdlbind.mock import Samples
from wsdlbind.model import ComplexType, Project, QName

from tests.conftest import import_path
from tests.fuzz_schemas import TNS, Case, cases
from tests.schemas import Validator
from tests.strategies import Values

_LONG = "WSDLBIND_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("WSDLBIND_FUZZ_EXAMPLES", "100"))
_numbers = itertools.count()


def check_case(case: Case, data: st.DataObject, folder: Path) -> None:
    """Everything the fuzzer asks of one case."""
    folder = folder / f"case{next(_numbers)}"
    folder.mkdir()
    wsdl = folder / "case.wsdl"
    wsdl.write_text(case.wsdl(), encoding="utf-8")
    result = pipeline.generate(str(wsdl), offline=True)  # 1: no error, compiled
    out = folder / "client.py"
    out.write_text(result.code, encoding="utf-8")
    module = import_path(out)  # 2
    schema = Validator(result.loaded, folder)
    project = result.project
    values = Values(project, module)
    client = getattr(module, project.ports[0].py_name)(endpoint="http://127.0.0.1:9/")
    samples = Samples(project, module)
    for name in case.requests:
        ct = project.element(QName(TNS, name))
        sample = samples.element(QName(TNS, name))  # 6: wsdlbind mock's
        problem = schema.check(sample)
        assert problem is None, f"mock sample: {problem}\n{etree.tostring(sample)!r}"
        request = data.draw(values.instance(ct), label=name)
        body = etree.fromstring(client.build_envelope(request))[-1][0]
        problem = schema.check(body)
        assert problem is None, (  # 3
            f"{problem}\n{request!r}\n{etree.tostring(body).decode()}"
        )
        again = module.parse(type(request), copy.deepcopy(body), strict=True)
        if again != request:  # 5
            # Where a repeated group's occurrences could be split another way
            # on the wire (a repeated member at the end of each), the reader
            # takes as much as it can per occurrence: the same XML, and what it
            # reads comes back the same.
            rewritten = module.serialize(again)
            assert _canonical(rewritten) == _canonical(body), (
                f"read back:\n{again!r}\nsent:\n{request!r}"
            )
            assert module.parse(type(request), rewritten, strict=True) == again
        changed = data.draw(mutations(project, values, request), label="changed")
        try:
            element = module.serialize(changed)
        except module.ValidationError:
            continue
        problem = schema.check(element)
        assert problem is None, (  # 3: what passes the checks is valid
            f"sent without a ValidationError, but invalid: "
            f"{problem}\n{etree.tostring(element).decode()}"
        )


def _canonical(element: etree._Element) -> str:
    return etree.canonicalize(element, rewrite_prefixes=True)


def mutations(project: Project, values: Values, request: Any) -> st.SearchStrategy[Any]:
    """The request with one field, at any depth, changed: left out, emptied,
    given one more item, or given where it was not."""

    @st.composite
    def change(draw: st.DrawFn) -> Any:
        changed = copy.deepcopy(request)
        targets = list(_objects(changed))
        obj = draw(st.sampled_from(targets))
        typedef = _typedef(project, obj)
        fields = [
            f
            for f in typedef.all_fields
            if f.kind in ("element", "group", "any", "attribute")
        ]
        if not fields:
            return changed
        f = draw(st.sampled_from(fields))
        current = getattr(obj, f.py_name)
        how = draw(st.sampled_from(["remove", "add", "set"]))
        if how == "remove":
            setattr(obj, f.py_name, [] if isinstance(current, list) else None)
        elif how == "add" and isinstance(current, list) and current:
            current.append(copy.deepcopy(current[-1]))
        elif f.kind == "attribute":
            setattr(obj, f.py_name, draw(values.attribute(f, 3)))
        else:
            setattr(
                obj,
                f.py_name,
                draw(values.field(f, max(f.min, 1), f.max, 3, force=True)),
            )
        return changed

    return change()


def _objects(value: Any) -> list[Any]:
    """Every generated object inside ``value`` (itself first)."""
    found = [value]
    for name in getattr(type(value), "_fields", ()):
        item = getattr(value, name)
        for inner in item if isinstance(item, list) else [item]:
            if hasattr(type(inner), "_fields"):
                found.extend(_objects(inner))
    return found


def _typedef(project: Project, obj: Any) -> ComplexType:
    return next(
        t
        for t in project.types.values()
        if isinstance(t, ComplexType) and t.py_name == type(obj).__name__
    )


_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not _LONG,
)


@_settings
@given(case=cases(), data=st.data())
def test_random_valid_schemas_give_correct_clients(
    case: Case, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_case(case, data, tmp_path_factory.mktemp("fuzz"))


if "WSDLBIND_FUZZ_SEED" in os.environ:
    test_random_valid_schemas_give_correct_clients = seed(
        int(os.environ["WSDLBIND_FUZZ_SEED"])
    )(test_random_valid_schemas_give_correct_clients)
