"""Names from a WSDL become safe, distinct, deterministic identifiers."""

from __future__ import annotations

import ast
import keyword
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from wsdlbind import naming, pipeline

from tests import inline


def test_kept_when_already_a_good_name() -> None:
    assert naming.class_name("CreateContactBatch") == "CreateContactBatch"
    assert naming.field_name("ToNumber") == "ToNumber"


def test_keywords_digits_punctuation_and_non_ascii() -> None:
    assert naming.field_name("class") == "class_"
    assert naming.field_name("match") == "match_"  # soft keyword
    assert naming.field_name("1st") == "_1st"
    assert naming.field_name("first-name.v2") == "first_name_v2"
    assert naming.field_name("Résumé") == "Resume"
    assert naming.field_name("日本") == "value"
    assert naming.field_name("self") == "self_"


def test_class_names_never_shadow_builtins_or_module_names() -> None:
    assert naming.class_name("str") == "str_"
    assert naming.class_name("Exception") == "Exception_"
    assert naming.class_name("Fault") == "Fault_"
    assert naming.class_name("_private") == "private"
    assert naming.class_name("1st") == "T1st_"


def test_enum_members() -> None:
    assert naming.enum_member("in-progress") == "IN_PROGRESS"
    assert naming.enum_member("") == "EMPTY"
    assert naming.enum_member("1st") == "V_1ST"
    assert naming.enum_member("name") == "NAME_"


def test_unique_is_case_insensitive_when_asked() -> None:
    taken = naming.FoldedNames(["Bar"])
    assert naming.unique("Foo", taken) == "Foo"
    assert naming.unique("foo", taken) == "foo_2"
    assert naming.unique("FOO", taken) == "FOO_3"
    assert naming.unique("BAR", taken) == "BAR_2"
    assert naming.unique("foo", set()) == "foo"
    exact = {"Foo"}
    assert naming.unique("foo", exact) == "foo" and exact == {"Foo", "foo"}


@given(st.text())
def test_any_text_gives_an_identifier(text: str) -> None:
    for name in (
        naming.field_name(text),
        naming.class_name(text),
        naming.enum_member(text),
    ):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name)


# -- the reserved lists, checked against what a generated module defines -------------


def _module_tree(
    write_wsdl: Callable[..., Path],
) -> tuple[ast.Module, set[str]]:
    """A module with most of the runtime in it (rpc/encoded arrays, mixed
    content, group classes, wildcards, anyType), and the names of its classes."""
    from tests.test_constructs import ANY_SCHEMA
    from tests.test_rpc import ARRAYS_WSDL

    names: set[str] = set()
    trees = []
    for wsdl in (
        inline.wsdl(
            ANY_SCHEMA
            + """
      <xs:element name="Mixed"><xs:complexType mixed="true"><xs:sequence>
        <xs:choice maxOccurs="unbounded"><xs:element name="a" type="xs:int"/>
          <xs:element name="b" type="xs:int"/></xs:choice>
        <xs:any namespace="##other" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>""",
            [("Send", "Request", "Request"), ("Mix", "Mixed", None)],
        ),
        ARRAYS_WSDL,
    ):
        result = pipeline.generate(str(write_wsdl(n__wsdl=wsdl)), offline=True)
        trees.append(ast.parse(result.code))
        names |= {t.py_name for t in result.project.types.values()}
        names |= {p.py_name for p in result.project.ports}
        names |= {p.async_py_name for p in result.project.ports}
        names |= {
            m.py_name
            for p in result.project.ports
            for o in p.operations
            for m in o.faults
        }
    merged = ast.Module(body=[n for t in trees for n in t.body], type_ignores=[])
    return merged, names


def _bound(node: ast.AST) -> set[str]:
    """Names a function binds: its parameters and the names it assigns."""
    found: set[str] = set()
    if isinstance(node, ast.FunctionDef):
        args = node.args
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            found.add(a.arg)
        for a in (args.vararg, args.kwarg):
            if a is not None:
                found.add(a.arg)
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            found.add(child.id)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            found.add(child.name)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in child.names}
    return found


def test_every_public_module_level_name_is_reserved(
    write_wsdl: Callable[..., Path],
) -> None:
    """No type from a WSDL can be named like something the module defines."""
    tree, generated = _module_tree(write_wsdl)
    defined: set[str] = set()
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.If):  # if TYPE_CHECKING: imports
            pending.extend(node.body)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
    public = {n for n in defined - generated if not n.startswith("_")}
    assert public <= naming.RESERVED_MODULE_NAMES, public - naming.RESERVED_MODULE_NAMES
    # Aliases for names port methods shadow take a prefix nothing else has.
    assert not {n for n in defined if n.startswith(naming.shadow_alias(""))}
    assert not any(
        p.startswith(naming.shadow_alias(""))
        for kind in naming.HELPERS.values()
        for p in kind.values()
    )


def test_no_class_name_can_be_a_local_of_the_functions_using_classes(
    write_wsdl: Callable[..., Path],
) -> None:
    """Writers, readers and port methods refer to generated classes and bind
    these names: a class named so would be shadowed inside them. Their locals
    per field are f_* and v_*, which class names avoid."""
    tree, generated = _module_tree(write_wsdl)
    prefixes = tuple(
        pattern.split("{")[0]
        for kind in naming.HELPERS.values()
        for pattern in kind.values()
    )
    helpers = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith(prefixes)
    ]
    methods = [  # the port classes' operations (not their typed overloads)
        item
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in generated
        for item in node.body
        if isinstance(item, ast.FunctionDef)
        and item.name != "__init__"
        and not any(
            isinstance(d, ast.Name) and d.id == "overload" for d in item.decorator_list
        )
    ]
    assert len(helpers) > 20 and methods
    bound: set[str] = set()
    for node in [*helpers, *methods]:
        bound |= _bound(node)
    per_field = {n for n in bound if n.startswith(("f_", "v_", "_"))}
    reserved = (
        naming.RESERVED_LOCAL_NAMES
        | naming.RESERVED_MODULE_NAMES
        | naming.RESERVED_MEMBER_NAMES
    )
    missing = bound - per_field - reserved
    assert not missing, sorted(missing)
    assert (
        naming.class_name("f_Name") == "Tf_Name"
        and naming.class_name("path") == "path_"
    )


def test_every_port_member_is_reserved_from_operations(
    write_wsdl: Callable[..., Path],
) -> None:
    tree, _ = _module_tree(write_wsdl)
    bases = [
        n
        for n in tree.body
        if isinstance(n, ast.ClassDef)
        and n.name in ("_PortBase", "_Port", "_AsyncPort")
    ]
    assert {b.name for b in bases} == {"_PortBase", "_Port", "_AsyncPort"}
    members: set[str] = set()
    for port in bases:
        functions = [
            n
            for n in port.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        members |= {n.name for n in functions}
        for init in functions:
            if init.name == "__init__":
                members |= {a.arg for a in init.args.kwonlyargs + init.args.args}
                members |= {
                    t.attr
                    for t in ast.walk(init)
                    if isinstance(t, ast.Attribute) and isinstance(t.ctx, ast.Store)
                }
    assert {"username", "transport", "wsa", "aclose", "close"} <= members
    public = {m for m in members if not m.startswith("_")}
    assert public <= naming.RESERVED_MEMBER_NAMES, public - naming.RESERVED_MEMBER_NAMES
