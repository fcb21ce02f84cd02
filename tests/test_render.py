"""The render stage's filters, and untrusted WSDL text meeting them."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from wsdlbind import pipeline, runtime
from wsdlbind.render import (
    compiling,
    docstring,
    isort_key,
    natural_key,
    pyrepr,
    pytuple,
)
from wsdlbind.render.decide import order_operations
from wsdlbind.render.prune import prune

from tests.conftest import GOLDEN


@given(st.text())
def test_pyrepr_is_a_literal_of_exactly_that_string(text: str) -> None:
    literal = pyrepr(text)
    assert ast.literal_eval(literal) == text
    assert isinstance(ast.parse(literal, mode="eval").body, ast.Constant)


@given(st.text())
@example('"')
@example('ends with a quote"')
@example("a \\")
@example('""" + "')
@example('"""')
def test_no_documentation_text_can_leave_its_docstring(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n    return 1\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 2
    assert isinstance(function.body[1], ast.Return)


def test_docstring_wraps_long_lines_and_closes_on_its_own_line() -> None:
    text = "word " * 40 + "\n\nAttributes:\n    Name: " + "long " * 30
    body = docstring(text, 4)
    lines = body.splitlines()
    assert all(len(line) <= 99 for line in lines)
    assert lines[-1] == "    "
    assert any(line.startswith(" " * 12 + "long") for line in lines)  # hanging indent


def test_tuples_sort_naturally_and_wrap() -> None:
    assert pytuple(["a10", "a2"], sort=True) == '("a2", "a10")'
    assert pytuple(["only"]) == '("only",)'
    wrapped = pytuple([f"field_number_{i}" for i in range(12)], 4)
    assert wrapped.startswith("(\n        ") and wrapped.endswith(",\n    )")
    assert sorted(["b", "A", "CONST", "c2", "c10"], key=isort_key) == [
        "CONST",
        "A",
        "b",
        "c2",
        "c10",
    ]
    assert natural_key("x2") < natural_key("x10")


HOSTILE = '''<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:t="urn:evil" targetNamespace="urn:evil">
  <types>
    <xs:schema targetNamespace="urn:evil" elementFormDefault="qualified">
      <xs:simpleType name="class">
        <xs:annotation><xs:documentation>"""; import os; os.system("touch PWNED") #\\</xs:documentation></xs:annotation>
        <xs:restriction base="xs:string">
          <xs:enumeration value="a &quot;b&quot;"/>
          <xs:enumeration value="class"/>
          <xs:enumeration value=""/>
          <xs:enumeration value="1st"/>
          <xs:enumeration value="1ST"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:complexType name="Foo"><xs:sequence>
        <xs:element name="print" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="foo"><xs:sequence>
        <xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:element name="str">
        <xs:annotation><xs:documentation>Ends with a quote"</xs:documentation></xs:annotation>
        <xs:complexType><xs:sequence>
          <xs:element name="None" type="xs:string" default="'; import os #"/>
          <xs:element name="self" type="xs:string" minOccurs="0"/>
          <xs:element name="endpoint" type="xs:string" minOccurs="0"/>
          <xs:element name="Résumé-Name.v2" type="xs:string" minOccurs="0"/>
          <xs:element name="lambda" type="t:class" minOccurs="0"/>
          <xs:element name="_private" type="t:Foo" minOccurs="0"/>
          <xs:element name="__init__" type="t:foo" minOccurs="0"/>
          <xs:element name="ValidationError" type="xs:string" minOccurs="0"/>
        </xs:sequence>
        <xs:attribute name="import" type="xs:string"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="etree" type="xs:string"/>
    </xs:schema>
  </types>
  <message name="In"><part name="p" element="t:str"/></message>
  <message name="Out"><part name="p" element="t:etree"/></message>
  <portType name="Evil&quot;Port"><operation name="str">
    <documentation>""" + __import__("os").system("touch PWNED2") + """</documentation>
    <input message="t:In"/><output message="t:Out"/></operation></portType>
  <binding name="B" type="t:Evil&quot;Port">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="str"><soap:operation soapAction="urn:x&quot;); import os #"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
    </operation>
  </binding>
  <service name="S"><port name="class" binding="t:B">
    <soap:address location="http://127.0.0.1:9/&quot;+__import__('os')+&quot;"/></port></service>
</definitions>
'''


def test_hostile_names_and_docs_only_define_bindings(
    write_wsdl: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = write_wsdl(evil__wsdl=HOSTILE)
    code = pipeline.generate(str(entry), offline=True).code
    tree = ast.parse(code)
    # At module level: imports, assignments, class and function definitions, the docstring.
    allowed = (
        ast.Import,
        ast.ImportFrom,
        ast.Assign,
        ast.AnnAssign,
        ast.ClassDef,
        ast.FunctionDef,
    )
    for node in tree.body[1:]:
        if isinstance(node, ast.If):  # only the type checker's imports
            assert ast.unparse(node.test) == "TYPE_CHECKING"
            assert all(isinstance(n, ast.Import) for n in node.body) and not node.orelse
            continue
        assert isinstance(node, allowed), ast.dump(node)[:200]
    calls = {
        node.func.attr
        if isinstance(node.func, ast.Attribute)
        else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert "system" not in calls and "__import__" not in calls

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "evil_client.py"
    out.write_text(code, encoding="utf-8")
    from tests.conftest import import_path

    module = import_path(out)
    assert not list(tmp_path.glob("PWNED*"))
    _check_hostile_module(module)


def _check_hostile_module(module: ModuleType) -> None:
    enum_class = module.class_
    assert [m.value for m in enum_class] == ['a "b"', "class", "", "1st", "1ST"]
    assert len({m.name for m in enum_class}) == 5
    assert module.Foo is not module.foo_2  # "Foo" and "foo" stay distinct types
    request = module.str_(None_="x", lambda_=enum_class("class"))
    element = module.serialize(request)
    children = [child.tag for child in element]
    assert children == ["{urn:evil}None", "{urn:evil}lambda"]
    assert module.parse(module.str_, element) == request
    port = module.class__2(
        endpoint="http://127.0.0.1:9/"
    )  # "class" is taken by the enum
    assert callable(port.str)


def test_the_formatter_lays_out_as_ruff_does(tmp_path: Path) -> None:
    """Statements composed by generator.render.pycode, short and too long for a
    line: ruff format finds nothing to change in them."""
    from wsdlbind.render.pycode import (
        And,
        Block,
        Call,
        Ternary,
        assignment,
        if_,
        layout,
    )

    long = "obj." + "VeryLongFieldName" * 3
    b = Block(4)
    b.add(
        lambda i: layout(
            Call(
                "_chosen",
                [
                    "path",
                    '"a / b"',
                    "True",
                    Call("", [long, "x"], collection=True),
                    Call("", ["y"], collection=True),
                ],
            ),
            i,
        )
    )
    with b.under(lambda i: if_(And((f"{long} is None", "branch == 1")), i)):
        b.add("pass")
    with b.under(
        lambda i: if_(And((f"{long} is None", f"len({long}) > 3", "branch_2 == 0")), i)
    ):
        b.add("pass")
    with b.under(
        lambda i: if_(Call("_present", [long, long.replace("Very", "Quite")]), i)
    ):
        b.add("pass")
    b.add(
        lambda i: assignment(
            "value",
            Ternary("None", "a is None", Call("_parse_decimal", [long + "Text"])),
            i,
        )
    )
    b.add(lambda i: assignment("short", Ternary("None", "a is None", "int(a)"), i))
    source = "def f(obj, path, a, branch, branch_2, x, y):\n" + b.text() + "\n"
    path = tmp_path / "laid_out.py"
    path.write_text(source, encoding="utf-8")
    checked = ruff_format_diff(path)
    assert checked.returncode == 0, checked.stdout + source


def test_names_too_long_for_their_lines_lay_out_as_ruff_does(tmp_path: Path) -> None:
    """What very long names (vim25, Bing Ads) need: a call whose name does not
    fit after ``x =`` or ``return``, a long ``for`` target, a long return
    annotation, an argument whose trailing comma ends past the line, sets and
    one-item tuples as arguments."""
    from wsdlbind.render.pycode import (
        Block,
        Call,
        assignment,
        bare_def,
        for_,
        layout,
        pytuple,
        returning,
    )

    name = "ArrayOfHostVFlashManagerVFlashCacheConfigInfoVFlashModuleConfigOption"
    b = Block(4)
    b.add(lambda i: assignment("f_" + name[:40], Call("_read_" + name[:44], ["c"]), i))
    b.add(lambda i: assignment("f_x", Call("_read_" + name, ["child", "strict"]), i))
    with b.under(lambda i: for_("v_x", f"obj.{name}.{name}", i)):  # no help
        b.add("pass")
    with b.under(lambda i: for_("v_" + name, "obj." + name, i)):
        b.add(lambda i: returning(Call("_read_" + name[:68], ["el", "strict"]), i))
    tag = '"{urn:vim25}' + name[:58] + '"'
    namespaces = Call("", ['""', '"http://' + "n" * 64 + '"'], collection=True)
    b.add(
        lambda i: layout(
            Call(
                "_admits_tag",
                [
                    Call("_sub", ["el", tag]),
                    Call("frozenset", [Call("", namespaces.args, brackets="{}")]),
                    Call("", [tag], collection=True),
                ],
            ),
            i,
        )
    )
    b.add(f"t = {pytuple([name], 4, 't = ')}")
    source = (
        f"{bare_def('_blank_' + name, name)}\n    pass\n\n\n"
        "def f(obj, c, child, strict, el):\n" + b.text() + "\n"
    )
    path = tmp_path / "long_names.py"
    path.write_text(source, encoding="utf-8")
    checked = ruff_format_diff(path)
    assert checked.returncode == 0, checked.stdout + source
    compile(source, "long_names.py", "exec")


def ruff_format_diff(path: Path) -> subprocess.CompletedProcess[str]:
    """``ruff format --check --diff`` on ``path``, with ruff's default settings."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--check",
            "--diff",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


# -- private helpers nothing uses are left out (generator/render/prune.py) ---------


def test_private_definitions_nothing_reaches_are_left_out_with_their_comment() -> None:
    code = '''"""A module."""

import re

# The used one.
_USED = re.compile("a")
_ALSO = 1


def _helper() -> int:
    return _ALSO


# Only the unused one has this comment.
_UNUSED = 2


def _dead() -> int:
    return _UNUSED


def public() -> object:
    return _USED, _helper()
'''
    pruned = prune(code)
    assert "_dead" not in pruned and "_UNUSED" not in pruned
    assert "Only the unused one" not in pruned
    assert "# The used one." in pruned and "_helper" in pruned
    compile(pruned, "pruned", "exec")
    assert "\n\n\n\n" not in pruned
    assert prune(pruned) == pruned


def test_a_comment_shared_with_kept_statements_stays() -> None:
    code = "# Ranges.\n_A = 1\n_B = 2\n\n\ndef f() -> int:\n    return _B\n"
    assert prune(code) == "# Ranges.\n_B = 2\n\n\ndef f() -> int:\n    return _B\n"


def test_the_generated_module_keeps_only_the_runtime_it_uses(
    golden: ModuleType,
) -> None:
    source = inspect.getsource(golden)
    assert "def _fmt_hex" not in source  # CallFire has no hexBinary
    assert "def _fmt_datetime" in source and "def _fmt_int(" in source


def test_imports_only_dropped_code_used_go_with_it() -> None:
    code = (
        "from __future__ import annotations\n\nimport math\nimport re\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        "# For annotations.\nif TYPE_CHECKING:\n    import decimal\n\n\n"
        "def _dead(d: decimal.Decimal) -> float:\n    return math.pi\n\n\n"
        "def public() -> Any:\n    return re.compile('a')\n"
    )
    pruned = prune(code)
    assert "math" not in pruned and "decimal" not in pruned
    assert "TYPE_CHECKING" not in pruned and "For annotations" not in pruned
    assert "from typing import Any\n" in pruned and "import re\n" in pruned
    compile(pruned, "pruned", "exec")


# generator.render's ``prune`` is the function; this is its module.
prune_module = importlib.import_module("wsdlbind.render.prune")


def _runtime_and_golden_sources() -> list[tuple[str, str]]:
    sources = [
        (path.name, path.read_text(encoding="utf-8"))
        for path in sorted(Path(runtime.__file__).parent.glob("*.py"))
    ]
    return [*sources, ("callfire.py", GOLDEN.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(
    ("name", "code"), _runtime_and_golden_sources(), ids=lambda v: v[:20]
)
def test_the_scan_finds_the_statements_and_names_the_syntax_tree_has(
    name: str, code: str
) -> None:
    """The text scan prune uses instead of ast (see its docstring) splits the
    module where ast does, and finds every name each statement's tree has."""
    tree = ast.parse(code)
    statements = prune_module.statements(code)
    assert [(s.first, s.last) for s in statements] == [
        (
            min([n.lineno, *(d.lineno for d in getattr(n, "decorator_list", []))]) - 1,
            (n.end_lineno or n.lineno) - 1,
        )
        for n in tree.body
    ], name
    imported = {
        (a.asname or a.name).partition(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    prune_module._mentions(statements, imported)
    for statement, node in zip(statements, tree.body, strict=True):
        names = {
            n.id
            for n in ast.walk(node)
            if isinstance(n, ast.Name) and (n.id.startswith("_") or n.id in imported)
        }
        assert names <= statement.used, (name, statement.first, names - statement.used)


def test_the_scan_is_not_fooled_by_strings_comments_or_attributes() -> None:
    code = (
        'def _kept() -> str:\n    """Text.\n\ndef _dead(): pass\n"""\n'
        '    return f"{_in_fstring!r} {{_not_a_field}}"  # _in_comment\n\n\n'
        "def _dead() -> int:\n    return 1\n\n\n"
        "_in_fstring = 1\n_not_a_field = 2\n_in_comment = 3\n_attribute = 4\n\n\n"
        "def public() -> object:\n    return _kept(), public._attribute\n"
    )
    pruned = prune(code)
    assert "_in_fstring = 1" in pruned
    for dead in (
        "def _dead() -> int",
        "_not_a_field =",
        "_in_comment =",
        "_attribute =",
    ):
        assert dead not in pruned
    assert 'def _dead(): pass\n"""' in pruned  # the docstring is untouched
    compile(pruned, "pruned", "exec")


def test_a_method_named_like_an_import_is_no_use_of_it() -> None:
    code = (
        "import enum\nimport re\n\n\nclass Port:\n    def enum(self) -> None:\n"
        "        pass\n\n    def re(self) -> object:\n        return re.compile('a')\n"
    )
    pruned = prune(code)
    assert "import enum" not in pruned and "import re\n" in pruned


def test_names_inside_nested_f_string_fields_are_found() -> None:
    code = (
        "_NAMES = ['a']\n\n\ndef _q(n: str) -> str:\n    return n\n\n\n"
        "def _opts() -> dict[str, int]:\n    return {}\n\n\n"
        "def public() -> str:\n"
        "    return f\"{', '.join(f'{_q(n)}' for n in _NAMES)} {_render({'k': 1}, _opts())}\"\n"
        "\n\ndef _render(a: object, b: object) -> str:\n    return ''\n"
    )
    pruned = prune(code)
    for used in ("_NAMES =", "def _q", "def _opts", "def _render"):
        assert used in pruned


def test_a_type_checking_block_with_more_than_imports_keeps_what_it_uses() -> None:
    code = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from decimal import Decimal\nelse:\n    Decimal = object\n\n\n"
        "def public() -> object:\n    return Decimal\n"
    )
    assert prune(code) == code


def test_statements_going_on_at_column_0_are_not_split() -> None:
    code = 'import re\n\nX = 1 + \\\n_h()\nY = (\nre.escape("abc")\n)\n\n\ndef _h() -> int:\n    return 1\n'
    assert prune(code, compile_as="joined.py") == code
    with pytest.raises(SyntaxError):  # an indented first line is compiled too
        prune("    x = 1\ny = 2\n", compile_as="indented.py")


def test_a_statement_that_does_not_compile_is_a_syntax_error_with_its_line() -> None:
    code = "import re\n\n\ndef f() -> None:\n    return re.x\n\n\ndef g(:\n    pass\n"
    with pytest.raises(SyntaxError) as raised:
        prune(code, compile_as="broken.py")
    assert (raised.value.filename, raised.value.lineno) == ("broken.py", 8)
    assert prune("x = 1\n", compile_as="fine.py") == "x = 1\n"


def _compiled_in_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make prune compile in pieces of a few characters, in a forked child
    whatever the size: the pids of the children forked, as they are."""
    monkeypatch.setattr(prune_module, "PIECE", 10)
    monkeypatch.setattr(compiling, "PARALLEL_ABOVE", 0)
    # Some test before may have left a thread running: forking is safe here.
    monkeypatch.setattr(compiling, "_can_fork", lambda: True)
    forked: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return forked


def test_an_error_in_a_later_piece_has_the_modules_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forked = _compiled_in_pieces(monkeypatch)
    code = "import re\n\n\nX = re.escape('a')\n\n\nY = 1\n\n\ndef g(:\n    pass\n"
    with pytest.raises(SyntaxError) as raised:
        prune(code, compile_as="late.py")
    assert (raised.value.filename, raised.value.lineno) == ("late.py", 10)
    assert len(forked) == 1


def test_a_piece_cut_inside_a_string_is_no_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _compiled_in_pieces(monkeypatch)
    code = 'X = """text\n\n\nclass Y:\n"""\n\n\nZ = 1\n'
    assert prune(code, compile_as="cut.py") == code


def test_the_child_compiles_its_share_and_says_which_unit_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forked = _compiled_in_pieces(monkeypatch)
    units = [("a.py", "x = 1\n"), ("b.py", "y = 2\n"), ("c.py", "\ndef f(:\n")]
    with pytest.raises(SyntaxError) as raised:
        compiling.compile_all(units, lambda: None, ours=0.0)
    assert (raised.value.filename, raised.value.lineno) == ("c.py", 2)
    assert compiling.compile_all(units[:2], lambda: "done", ours=0.0) == "done"
    assert len(forked) == 2
    with pytest.raises(ChildProcessError):  # each was waited for
        os.waitpid(forked[0], os.WNOHANG)


def test_a_child_that_dies_leaves_its_share_to_the_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _compiled_in_pieces(monkeypatch)
    fork = os.fork

    def dying() -> int:
        pid = fork()
        if pid == 0:
            os._exit(1)
        return pid

    monkeypatch.setattr(os, "fork", dying)
    units = [("a.py", "x = 1\n"), ("b.py", "def f(:\n")]
    with pytest.raises(SyntaxError) as raised:
        compiling.compile_all(units, lambda: None, ours=0.0)
    assert raised.value.filename == "b.py"


def test_an_error_alongside_goes_out_and_the_child_is_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forked = _compiled_in_pieces(monkeypatch)

    def failing() -> None:
        raise KeyError("alongside")

    with pytest.raises(KeyError, match="alongside"):
        compiling.compile_all([("a.py", "x = 1\n"), ("b.py", "y\n")], failing)
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)


def test_no_child_is_forked_while_another_thread_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiling, "PARALLEL_ABOVE", 0)

    def refused() -> int:
        raise AssertionError("forked with a thread running")

    monkeypatch.setattr(os, "fork", refused)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        units = [("a.py", "x = 1\n"), ("b.py", "def f(:\n")]
        with pytest.raises(SyntaxError):
            compiling.compile_all(units, lambda: None)
    finally:
        stop.set()
        other.join()


# -- port methods and the names they shadow (decide.order_operations) --------------

#: Operations named like types other operations use, and like builtins the
#: signatures use: ``Gamma`` takes a ``Delta`` and ``Delta`` returns a ``Gamma``
#: (a cycle); ``Alpha`` takes a ``Beta`` (no cycle).
SHADOWING_SCHEMA = """
  <xs:element name="Alpha"><xs:complexType><xs:sequence>
    <xs:element ref="t:Beta" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Beta"><xs:complexType><xs:sequence>
    <xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Gamma"><xs:complexType><xs:sequence>
    <xs:element ref="t:Delta"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Delta"><xs:complexType><xs:sequence>
    <xs:element ref="t:Gamma" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Plain"><xs:complexType><xs:sequence>
    <xs:element name="s" type="xs:string"/><xs:element name="f" type="xs:float"/>
  </xs:sequence></xs:complexType></xs:element>"""
SHADOWING_OPERATIONS: list[tuple[str, str, str | None]] = [
    ("Beta", "Beta", None),
    ("Alpha", "Alpha", None),
    ("Gamma", "Gamma", "Delta"),
    ("Delta", "Delta", "Gamma"),
    ("str", "Plain", None),
    ("Sequence", "Plain", None),
]


def test_methods_come_before_the_method_that_shadows_a_name_they_use() -> None:
    names = ["A", "B", "C"]
    # A uses B's name, C uses A's: both go first, otherwise the order stays.
    order, aliased = order_operations(names, [{"A", "B"}, {"B"}, {"A"}])
    assert [names[i] for i in order] == ["C", "A", "B"]
    assert aliased == [set(), set(), set()]
    assert order_operations(names, [set(), set(), set()])[0] == [0, 1, 2]


def test_only_methods_on_a_cycle_refer_to_names_by_alias() -> None:
    order, aliased = order_operations(["A", "B", "C"], [{"B"}, {"A"}, {"A", "B"}])
    assert order == [2, 0, 1]
    assert aliased == [set(), {"A"}, set()]


def test_a_module_whose_methods_shadow_its_names_uses_aliases_only_on_a_cycle(
    inline_module: Callable[..., ModuleType],
) -> None:
    module = inline_module(SHADOWING_SCHEMA, SHADOWING_OPERATIONS)
    source = inspect.getsource(module)
    aliases = sorted(line for line in source.splitlines() if line.startswith("_type_"))
    assert aliases == ["_type_Gamma = Gamma", "_type_str = str"]
    order = [
        line.split("(")[0].split()[-1]
        for line in source.splitlines()
        if line.startswith("    def ") and "*args: Any" in line
    ]
    assert order.index("Alpha") < order.index("Beta")
    assert order[-1] == "Sequence"  # every method's soap_headers names Sequence
    assert sorted(order) == sorted(name for name, _, _ in SHADOWING_OPERATIONS)


def test_an_enum_default_a_method_shadows_goes_through_its_alias(
    inline_module: Callable[..., ModuleType],
) -> None:
    """Methods ``Shade`` and ``Tone`` whose requests default to the other's
    enum: a cycle, so one default must name its enum by alias (the method of
    that name is a function by then, without the enum's members)."""
    schema = """
  <xs:simpleType name="Shade"><xs:restriction base="xs:string">
    <xs:enumeration value="dark"/><xs:enumeration value="light"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Tone"><xs:restriction base="xs:string">
    <xs:enumeration value="warm"/><xs:enumeration value="cold"/></xs:restriction>
  </xs:simpleType>
  <xs:element name="ShadeReq"><xs:complexType><xs:sequence>
    <xs:element name="t" type="t:Tone" default="warm" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="ToneReq"><xs:complexType><xs:sequence>
    <xs:element name="s" type="t:Shade" default="dark" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
"""
    module = inline_module(
        schema, [("Shade", "ShadeReq", None), ("Tone", "ToneReq", None)]
    )
    assert module.ToneReq().s is module.Shade.DARK
    assert module.ShadeReq().t is module.Tone.WARM
    source = inspect.getsource(module.Test)
    assert "= _type_Shade.DARK," in source or "= _type_Tone.WARM," in source


def test_long_namespaces_and_names_lay_out_as_ruff_does(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    """What made ruff reformat the Bing Ads and Exchange modules: tags too long
    for an ``elif tag == ...`` line, nillable elements' ``_sub(...).set(...)``
    and a soap_headers union too long for its brackets."""
    from tests import inline

    ns = "http://schemas.example.com/exchange/services/2006/messages/" + "x" * 30
    long = "DeliverMeetingRequestsToDelegates"
    schema = f"""
      <xs:element name="{long}Header"><xs:complexType><xs:sequence>
        <xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="{long}Other"><xs:complexType><xs:sequence>
        <xs:element name="b" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Request"><xs:complexType><xs:sequence>
        <xs:element name="{long}" type="xs:string" nillable="true"/>
        <xs:element name="{long}Count" type="xs:int" nillable="true" minOccurs="0"/>
        <xs:element name="Short" type="xs:int" nillable="true" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>"""
    document = inline.wsdl(schema, [("Send", "Request", "Request")], namespace=ns)
    headers = "".join(
        f'<soap:header message="t:H{i}" part="h" use="literal"/>' for i in (1, 2)
    )
    document = document.replace(
        '<input><soap:body use="literal"/></input>',
        f'<input><soap:body use="literal"/>{headers}</input>',
    ).replace(
        "<portType",
        f'<message name="H1"><part name="h" element="t:{long}Header"/></message>'
        f'<message name="H2"><part name="h" element="t:{long}Other"/></message>'
        "<portType",
    )
    out = tmp_path / "long.py"
    out.write_text(pipeline.generate(str(write_wsdl(l__wsdl=document))).code)
    checked = ruff_format_diff(out)
    assert checked.returncode == 0, checked.stdout[:4000]
    text = out.read_text()
    assert "\n            == " in text  # the tag test split at its operator
    assert "soap_headers: Sequence[\n            etree._Element\n" in text


def test_a_local_from_import_is_no_use_of_the_module_but_yield_from_is_a_use() -> None:
    code = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import decimal\n\n\n"
        "def _gen() -> object:\n    yield 1\n\n\n"
        "def _cause() -> Exception:\n    return KeyError()\n\n\n"
        "def public() -> object:\n    from decimal import Decimal\n\n"
        "    yield from _gen()\n    raise ValueError(Decimal(1)) from _cause()\n"
    )
    pruned = prune(code)
    assert "import decimal" not in pruned and "TYPE_CHECKING" not in pruned
    assert "def _gen" in pruned and "def _cause" in pruned


def test_a_fork_that_fails_compiles_all_of_it_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _compiled_in_pieces(monkeypatch)

    def no_memory() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_memory)
    units = [("a.py", "x = 1\n"), ("b.py", "def f(:\n")]
    with pytest.raises(SyntaxError) as raised:
        compiling.compile_all(units, lambda: None)
    assert raised.value.filename == "b.py"
    assert compiling.compile_all(units[:1], lambda: "done") == "done"
