"""The render stage: views of the model, the code emitted from them, and the
jinja2 templates that lay the module out.

- :mod:`.decide`: model → views, every decision about a field made once;
- :mod:`.emit`: writers, readers and checks, composed from the views;
- :mod:`.pycode`: the formatter (ruff's layout) and safe literals;
- the templates (``templates/``) hold only what varies by WSDL; the static
  runtime is real Python (:mod:`generator.runtime`), included verbatim.

Users may replace any template by name with ``--templates DIR`` (a
``ChoiceLoader`` puts their folder first), copying only the file they change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import jinja2

from .. import runtime
from ..model import Project, TypeDef
from . import package
from .decide import Decisions
from .prune import prune
from .pycode import (
    Call,
    annotated,
    assignment,
    bare_def,
    docstring,
    isort_key,
    layout,
    natural_key,
    pyrepr,
    pytuple,
)
from .views import (
    FieldView,
    ModuleView,
    OperationView,
    PortView,
    TypeView,
    ValueCodec,
)

__all__ = [
    "Renderer",
    "docstring",
    "environment",
    "isort_key",
    "natural_key",
    "pyrepr",
    "pytuple",
]


class Renderer:
    """Build the views for one project and render the module template."""

    def __init__(
        self,
        project: Project,
        source: str,
        templates: Path | None = None,
        stamp: str = "",
    ) -> None:
        self.project = project
        self.source = source
        self.stamp = stamp
        self.env = environment(templates)

    def module_view(self, types: list[TypeDef]) -> ModuleView:
        view = Decisions(self.project).module_view(types, self.source)
        view.stamp = self.stamp
        return view

    def render(self, types: list[TypeDef], *, compile_as: str | None = None) -> str:
        """The module's text; with ``compile_as``, checked to compile (a
        SyntaxError if not; see :func:`prune`)."""
        view = self.module_view(types)
        text = self.env.get_template("module.py.jinja").render(module=view)
        return prune(text, compile_as=compile_as)

    def render_package(self, types: list[TypeDef]) -> dict[str, str]:
        """The package layout: each file's name and text (see
        :mod:`.package`). The caller compiles them."""
        view = self.module_view(types)
        view.imports_marker = package.MARKER
        text = self.env.get_template("module.py.jinja").render(module=view)
        # The runtime's tables looked up by name are lazy in a package.
        split = package.split(
            text, view, public_names(view), keep=frozenset({"_LazyTable"})
        )
        part = self.env.get_template("package_part.py.jinja")
        files = {
            f"{name}.py": part.render(module=view, what=what, body=body)
            for name, (what, body) in split.modules.items()
        }
        init = self.env.get_template("package_init.py.jinja")
        files["__init__.py"] = init.render(module=view, package=split)
        return dict(sorted(files.items()))


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    builtin_dir = resources.files("wsdlbind.templates")  # see pyproject.toml
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_dir)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Python source; values pass through pyrepr/docstring
    )
    env.filters.update(
        isort=lambda names: sorted(names, key=isort_key),
        layout=layout,
        docstring=docstring,
        pyrepr=pyrepr,
        pytuple=pytuple,
        params=params,
        param_lines=param_lines,
        class_doc=class_doc,
        port_doc=port_doc,
        operation_doc=operation_doc,
        assignment=assignment,
        bare_def=bare_def,
        public_names=public_names,
        str_fast_check=str_fast_check,
    )
    env.globals["call"] = make_call
    env.globals["runtime"] = runtime.included
    return env


def make_call(
    head: str, *args: str | Call, tail: str = "", collection: bool = False
) -> Call:
    """``call(head, *args, tail=...)`` in templates: a statement for ``layout``."""
    return Call(head, list(args), tail, collection)


def params(
    fields: Iterable[FieldView],
    indent: int,
    *,
    self_param: bool = True,
    then: Sequence[str] = (),
) -> str:
    """Constructor parameters, one a line: a simple content's value may be given
    by position, everything else by keyword only. ``then``: more keyword
    parameters, as ``name: annotation = default`` texts (see param_lines)."""
    pad = " " * indent
    lines = [f"{pad}self,"] if self_param else []
    keyword_only = False
    for f in fields:
        if f.kind != "text" and not keyword_only:
            lines.append(f"{pad}*,")
            keyword_only = True
        default = "" if f.default is None else f" = {f.default}"
        lines.append(annotated(f.name, f.param, f"{default},", indent))
    if then:
        if not keyword_only:
            lines.append(f"{pad}*,")
        lines.append(param_lines(then, indent))
    return "\n".join(lines)


def param_lines(items: Sequence[str], indent: int) -> str:
    """Parameters one a line, each ``/``, ``*`` or ``name: annotation[ = default]``,
    a long annotation split as ruff splits it."""
    pad = " " * indent
    lines = []
    for item in items:
        name, colon, rest = item.partition(": ")
        if not colon:
            lines.append(f"{pad}{item},")
            continue
        annotation, equals, default = rest.rpartition(" = ")
        if not equals:
            annotation, default = rest, ""
        tail = f" = {default}," if equals else ","
        lines.append(annotated(name, annotation, tail, indent))
    return "\n".join(lines)


def str_fast_check(codec: ValueCodec, value: str) -> Call | str:
    """A condition true when ``value`` is not a plain string its checks accept.

    It answers only "take the fast path or not": on the slow path every value
    goes through the full checks again, which name the field and the rule.
    """
    tests = [f"type({value}) is not str"]
    pattern, low, high = (*codec.fmt_extra, "None", "None", "None")[:3]
    if pattern != "None":
        tests.append(f"{pattern}.fullmatch({value}) is None")
    if low != "None":
        tests.append(f"len({value}) < {low}")
    if high != "None":
        tests.append(f"len({value}) > {high}")
    return " or ".join(tests)


def class_doc(t: TypeView) -> str:
    """A class docstring: the schema's text, then one line per documented field."""
    if t.element_of:
        default = f"The content of the element ``{t.element_of}``."
    else:
        default = f"The XML Schema type ``{t.xsi_type or t.name}``."
    doc = t.doc or default
    documented = [f for f in t.own if f.doc]
    if documented:
        doc += "\n\nAttributes:\n" + "\n".join(
            f"    {f.name}: {_first_paragraph(f.doc)}" for f in documented
        )
    return doc


def port_doc(p: PortView, kind: str = "sync") -> str:
    """A port class's docstring; ``kind`` is ``"async"`` for its async twin."""
    doc = p.doc or f"Client for the {p.name} port."
    address = p.address or "(none, pass endpoint=)"
    doc = f"{doc}\n\nSOAP {p.soap_version}; default endpoint: {address}"
    if kind == "async":
        doc += (
            f"\n\n{p.name}'s methods as coroutines, over an AsyncTransport"
            " (httpx's by default)."
        )
    return doc


def operation_doc(op: OperationView, form: str = "") -> str:
    """A port method's docstring: the WSDL's text, then how this form is called.

    ``form`` is ``"request"`` (the request object), ``"fields"`` (its fields as
    keywords; the documented ones listed) or ``""`` (the implementation, which
    ``help()`` shows).
    """
    doc = op.doc or f"Call the {op.xml_name} operation."
    returns = "Returns nothing." if op.returns == "None" else f"Returns {op.returns}."
    if form == "request":
        doc += f"\n\n``request``: the ``{op.request.name}`` to send. {returns}"
    elif form == "fields":
        doc += f"\n\nThe fields of ``{op.request.name}``, as keywords. {returns}"
    else:
        doc += (
            f"\n\nPass the request object (``{op.request.name}``) or its fields"
            f" as keywords. {returns}"
        )
    if op.retry:
        doc += (
            " Retried on a connection failure or HTTP 502/503/504: it matches"
            f" ``{op.retry}``, configured as safe to repeat."
        )
    elif op.request_id:
        doc += (
            f" Retried on a connection failure or HTTP 502/503/504: its"
            f" ``{op.request_id}`` (a fresh UUID when left empty) lets the service"
            " drop a repeat."
        )
    if op.headers:
        names = ", ".join(f"``{h}``" for h in op.headers)
        doc += (
            f" SOAP headers it takes: {names}; give them in ``soap_headers``, here"
            " or on the client."
        )
    if op.answer_headers:
        names = ", ".join(f"``{c}``" for c, _, _ in op.answer_headers)
        doc += (
            f" Its answer's SOAP headers ({names}) go into the list given as"
            " ``answer_headers``."
        )
    documented = [f for f in op.fields if f.doc]
    if form == "fields" and documented:
        doc += "\n\nArgs:\n" + "\n".join(
            f"    {f.name}: {_first_paragraph(f.doc)}" for f in documented
        )
    return doc


def public_names(module: ModuleView) -> list[str]:
    """What ``__all__`` lists: errors, transport, codec entry points, types, ports."""
    return [
        *runtime.public_names(),
        *(t.name for t in module.types),
        *(f.name for f in module.faults),
        *(name for p in module.ports for name in (p.name, p.async_name)),
    ]


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())
