"""The package layout: the rendered module split into modules that load lazily.

A huge WSDL makes a module that takes seconds to compile and that IDEs give
up on. Split, a program that uses one port loads the runtime, that port's
class and, at its first call of an operation, the types that operation needs.

The split works on the rendered module's top-level statements, so it follows
whatever the templates emit:

- a statement is *anchored* to a type (its class and helpers, as the views
  name them), a fault class or a port class;
- a statement that reaches no anchored name is the **runtime**
  (``_runtime.py``): the included runtime, and the patterns and namespace
  maps the schema gives;
- the tables the runtime reads that name types (``_CODECS``, ``_READERS``...:
  dict displays) are **registries**: the runtime holds them empty, and each
  entry goes to the module that defines what it names, which adds it when it
  is imported. A table looked up by name (an xsi:type, a fault's detail) gets
  an index of the module each name is in (see ``_LazyTable``);
- every other statement goes to a **type module**: the types (with their
  helpers) that the same operations need share one, so that an operation's
  first call loads what it uses and no more (see ``_Splitter._clusters``);
  each imports only from the runtime and from modules before it;
- each port class gets a **port module**. It imports the types its method
  bodies use inside the method (where the template leaves :data:`MARKER`), so
  importing it loads no type; its annotations import them for type checkers
  alone;
- the package's ``__init__`` imports the runtime's public names, and loads
  every other public name from its module when first asked (PEP 562), with
  imports under ``TYPE_CHECKING`` so that type checkers and IDEs see them.

What each statement refers to is read with :mod:`symtable`, which tells a
global name from a parameter or a local of the same name: an import too many
is a lint error, and an edge too many could make two modules import each
other.
"""

from __future__ import annotations

import _symtable  # type: ignore[import-not-found]  # CPython has no stubs for it
import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import naming
from ..errors import InternalError, WsdlbindError
from .prune import Statement, statements
from .pycode import (
    LINE_LENGTH,
    Call,
    assignment,
    isort_key,
    layout,
    natural_key,
    pyrepr,
)
from .views import ModuleView

__all__ = ["MARKER", "MODULE_LINES", "Package", "split"]

#: The line a port method's body starts with in a package: where the imports
#: of the types it uses go.
MARKER = "# wsdlbind: the imports of this method"

#: About how many lines a type module has: the unit of what an operation's
#: first call compiles (measured on vim25: see bench/huge.py).
MODULE_LINES = 2500

_FUTURE = "from __future__ import annotations\n"
# A function's or class's statement (decorated or not): code that runs later.
_DEFINITION = re.compile(r"(?:@|async\s+def\s|def\s|class\s)")


@dataclass
class Package:
    """A package's modules: ``{name: (what it holds, its body)}`` (the body
    without docstring; see the ``package_*.jinja`` templates), the module of
    each public name that loads when asked, and those the runtime has."""

    modules: dict[str, tuple[str, str]]
    lazy: dict[str, str]
    eager: list[str]

    @property
    def eager_import(self) -> str:
        """The ``__init__``'s import of the runtime's public names."""
        return _from(f".{naming.PACKAGE_RUNTIME}", self.eager, 0)

    @property
    def checking_imports(self) -> list[str]:
        """The lines (at indent 0) that import every other public name, for
        type checkers."""
        grouped: dict[str, list[str]] = {}
        for name, module in self.lazy.items():
            grouped.setdefault(module, []).append(name)
        code = [_from(f".{m}", grouped[m], 4) for m in sorted(grouped, key=_module_key)]
        return "\n".join(code).split("\n")

    @property
    def lazy_names(self) -> list[tuple[str, str]]:
        return sorted(self.lazy.items(), key=lambda item: isort_key(item[0]))


@dataclass
class _Import:
    """One name the module's imports bind."""

    module: str  # "" for ``import module``
    name: str
    alias: str | None
    checking: bool  # under ``if TYPE_CHECKING:``


@dataclass
class _Part:
    """What goes into one module of the package."""

    name: str
    what: str
    statements: list[int] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)  # registry entries, as code
    tail_names: set[str] = field(default_factory=set)  # the names they use


def split(
    text: str, view: ModuleView, public: list[str], keep: frozenset[str] = frozenset()
) -> Package:
    """Split ``text``, a module rendered from ``view`` (with its port methods
    marked), into a package whose ``__init__`` has the ``public`` names.
    Private definitions nothing uses are left out (see :mod:`.prune`), except
    those named in ``keep``."""
    return _Splitter(text, view, keep).package(public)


class _Splitter:
    def __init__(self, text: str, view: ModuleView, keep: frozenset[str]) -> None:
        self.view = view
        self.lines = text.split("\n")
        self.found = statements(text)
        self.imports: dict[str, list[_Import]] = {}
        skipped: set[int] = set()
        for index, st in enumerate(self.found):
            if st.source:
                self._read_imports(st)
                skipped.add(index)
            elif st.names == ["__all__"] or self._text(st).startswith('"""'):
                skipped.add(index)
        defined: dict[str, list[int]] = {}
        for index, st in enumerate(self.found):
            if index not in skipped:
                for name in st.names:
                    defined.setdefault(name, []).append(index)
        refs = {
            i: _references(self._text(st))
            for i, st in enumerate(self.found)
            if i not in skipped
        }
        # What the module uses: as prune does, but with the exact names.
        live: set[int] = set()
        pending = [
            i
            for i in refs
            if self.found[i].defines is None or keep & set(self.found[i].names)
        ]
        while pending:
            index = pending.pop()
            if index not in live:
                live.add(index)
                pending += [d for n in refs[index] for d in defined.get(n, ())]
        self.refs = {i: refs[i] for i in sorted(live)}
        self.defined = {
            n: kept
            for n, at in defined.items()
            if (kept := [i for i in at if i in live])
        }
        self.deps = {
            i: {d for name in names for d in self.defined.get(name, ()) if d != i}
            for i, names in self.refs.items()
        }
        self.module_of: dict[int, str] = {}
        self.rank: dict[str, int] = {}
        self.tables: dict[int, str] = {}  # each registry's code in the runtime

    def _text(self, st: Statement) -> str:
        return "\n".join(self.lines[st.first : st.last + 1])

    def _read_imports(self, st: Statement) -> None:
        for node in ast.parse(st.source).body:
            checking = isinstance(node, ast.If)
            for item in node.body if isinstance(node, ast.If) else [node]:
                if isinstance(item, ast.Import):
                    for a in item.names:
                        bound = a.asname or a.name.partition(".")[0]
                        self.imports.setdefault(bound, []).append(
                            _Import("", a.name, a.asname, checking)
                        )
                elif isinstance(item, ast.ImportFrom) and item.module != "__future__":
                    for a in item.names:
                        self.imports.setdefault(a.asname or a.name, []).append(
                            _Import(item.module or "", a.name, a.asname, checking)
                        )

    # -- where each statement goes ---------------------------------------------

    def package(self, public: list[str]) -> Package:
        view = self.view
        anchors: dict[str, str] = {}
        for t in view.types:
            for name in (t.name, *t.helpers.values(), t.alias):
                if name:
                    anchors[name] = t.name
        for f in view.faults:
            anchors[f.name] = f.name
        port_classes = [n for p in view.ports for n in (p.name, p.async_name) if n]
        unit: dict[int, str] = {}
        ports: dict[str, int] = {}
        for index in self.refs:
            for name in self.found[index].names:
                if name in port_classes:
                    ports[name] = index
                elif name in anchors:
                    unit[index] = anchors[name]
        registries = {
            i
            for i in self.refs
            if i not in unit
            and i not in ports.values()
            and any(d in unit for d in self.deps[i])
            and _dict_display(self._text(self.found[i]))
        }
        tainted = self._tainted(set(unit) | set(ports.values()), registries)
        runtime_part = [
            i for i in self.refs if i not in tainted and i not in registries
        ]
        self._check_tables(runtime_part, registries)
        aliases = {
            i: target
            for i in tainted
            if i not in unit
            and i not in ports.values()
            and (target := _alias(self._text(self.found[i]))) is not None
            and self._users(i) <= set(ports.values())
        }
        port_statements = set(ports.values())
        nodes = [
            i
            for i in sorted(tainted)
            if i not in port_statements and i not in aliases and i not in registries
        ]
        self.port_refs = {
            i: _runtime_references(self._text(self.found[i])) for i in ports.values()
        }
        chunks = self._clusters(nodes, unit, [ports[n] for n in port_classes])
        port_names, type_names = naming.package_modules(port_classes, len(chunks))
        for name, chunk in zip(type_names, chunks, strict=True):
            for i in chunk:
                self.module_of[i] = name
        for i in [*runtime_part, *registries]:
            self.module_of[i] = naming.PACKAGE_RUNTIME
        self.rank = {naming.PACKAGE_RUNTIME: 0} | {
            name: n for n, name in enumerate(type_names, start=1)
        }
        parts = {naming.PACKAGE_RUNTIME: _Part(naming.PACKAGE_RUNTIME, "runtime")}
        for name, chunk in zip(type_names, chunks, strict=True):
            parts[name] = _Part(name, _describe(chunk, unit))
            parts[name].statements = sorted(chunk)
        parts[naming.PACKAGE_RUNTIME].statements = sorted(runtime_part)
        tables = self._split_registries(registries, parts)
        modules = {}
        for part in parts.values():
            if part.name == naming.PACKAGE_RUNTIME:
                modules[part.name] = (
                    part.what,
                    self._runtime_module(part, tables),
                )
            else:
                modules[part.name] = (part.what, self._type_module(part))
        for cls, module in zip(port_classes, port_names, strict=True):
            modules[module] = (
                f"the port class {cls}",
                self._port_module(ports[cls], aliases),
            )
            self.module_of[ports[cls]] = module
        lazy: dict[str, str] = {}
        eager: list[str] = []
        for name in public:
            found = self._module_of_name(name)
            if found is None:
                raise InternalError(f"the package has no {name}, which __all__ lists")
            if found == naming.PACKAGE_RUNTIME:
                eager.append(name)
            else:
                lazy[name] = found
        return Package(modules, lazy, eager)

    def _check_tables(self, runtime: list[int], registries: set[int]) -> None:
        """Refuse a runtime statement that reads a registry as the module is
        imported (not in a function): in a package the registry is filled
        later, as its type modules load, so it would read it empty."""
        names = {n for i in registries for n in self.found[i].names}
        for i in runtime:
            text = self._text(self.found[i])
            read = sorted(self.refs[i] & names)
            if read and not _DEFINITION.match(text):
                raise WsdlbindError(
                    f"the templates: `{text.split(chr(10))[0]}` reads {read[0]} when"
                    " the module is imported, and in a package that table fills only"
                    " as its types' modules load",
                    hint="write it as a dict display of its own entries (as the"
                    " built-in codec.py.jinja writes _READERS), or use --layout module",
                )

    def _tainted(self, anchored: set[int], registries: set[int]) -> set[int]:
        """The statements that reach an anchored one (not through a registry)."""
        users: dict[int, list[int]] = {}
        for i, deps in self.deps.items():
            if i not in registries:
                for d in deps:
                    users.setdefault(d, []).append(i)
        tainted = set(anchored)
        pending = list(anchored)
        while pending:
            for user in users.get(pending.pop(), ()):
                if user not in tainted:
                    tainted.add(user)
                    pending.append(user)
        return tainted

    def _users(self, index: int) -> set[int]:
        return {i for i, deps in self.deps.items() if index in deps}

    def _clusters(
        self, nodes: list[int], unit: dict[int, str], ports: list[int]
    ) -> list[list[int]]:
        """The statements of the type modules, module by module, each module
        after those it imports from.

        A type's statements count as one, and types that refer to each other
        (a strongly connected component) stay together. Each component is
        owned by the operations whose first call needs it (the port methods
        that reach it): the components of one owner set make a module, so
        importing it for one of those operations loads nothing the operation
        does not need (what a component needs is owned by all its owners and
        more, and comes earlier). Owner sets of less than :data:`MODULE_LINES`
        / 4 lines share modules with their neighbours in this order, and the
        types no operation reaches (found by xsi:type or a fault's detail, at
        run time) make modules of :data:`MODULE_LINES`, in dependency order.
        """
        key = {i: unit.get(i, str(i)) for i in nodes}
        members: dict[str, list[int]] = {}
        for i in nodes:
            members.setdefault(key[i], []).append(i)
        edges: dict[str, list[str]] = {}
        for k, group in members.items():
            targets = {key[d] for i in group for d in self.deps[i] if d in key}
            targets.discard(k)
            edges[k] = sorted(targets, key=lambda t: members[t][0])
        components = _components(sorted(members, key=lambda k: members[k][0]), edges)
        component_of = {k: n for n, c in enumerate(components) for k in c}
        reaches = [{component_of[t] for k in c for t in edges[k]} for c in components]
        owners: list[set[int]] = [set() for _ in components]
        operation = 0
        for port in ports:
            for _, refs in self.port_refs[port][2]:
                found = [
                    key[d] for n in refs for d in self.defined.get(n, ()) if d in key
                ]
                if not found:
                    continue
                operation += 1
                pending = [component_of[k] for k in found]
                while pending:
                    n = pending.pop()
                    if operation not in owners[n]:
                        owners[n].add(operation)
                        pending += reaches[n]
        by_owners: dict[frozenset[int], list[int]] = {}
        for n, owned in enumerate(owners):
            if owned:
                by_owners.setdefault(frozenset(owned), []).append(n)
        # Larger owner sets first: what a component needs has a larger one.
        runs = sorted(by_owners.items(), key=lambda item: (-len(item[0]), min(item[0])))
        unowned = [[n] for n, owned in enumerate(owners) if not owned]

        def lines(n: int) -> int:
            return sum(
                self.found[i].last - self.found[i].first + 1
                for k in components[n]
                for i in members[k]
            )

        modules: list[list[int]] = []
        filling: list[int] = []
        size = 0
        for run in [(True, r) for _, r in runs] + [(False, u) for u in unowned]:
            is_owned, comps = run
            run_lines = sum(lines(n) for n in comps)
            if is_owned and run_lines >= MODULE_LINES // 4:
                if filling:
                    modules.append(filling)
                    filling, size = [], 0
                modules.append(comps)
                continue
            filling += comps
            size += run_lines
            if size >= MODULE_LINES:
                modules.append(filling)
                filling, size = [], 0
        if filling:
            modules.append(filling)
        return [
            sorted(i for n in module for k in components[n] for i in members[k])
            for module in modules
        ]

    # -- registries --------------------------------------------------------------

    def _split_registries(self, registries: set[int], parts: dict[str, _Part]) -> _Part:
        """Give each registry entry to its module, as an item assignment; the
        runtime's part of them (the empty tables, the indexes) is returned."""
        runtime_part = _Part(naming.PACKAGE_RUNTIME, "")
        for index in sorted(registries):
            st = self.found[index]
            text = self._text(st)
            node = ast.parse(text).body[0]
            assert isinstance(node, ast.Assign | ast.AnnAssign)
            assert isinstance(node.value, ast.Dict)
            target = st.names[0]
            head = text[: _offset(text, node.value)]
            lines = text.split("\n")
            by_module: dict[str, list[str]] = {}
            index_of: dict[str, str] = {}
            for k, v in zip(node.value.keys, node.value.values, strict=True):
                if k is None:
                    raise WsdlbindError(
                        f"the templates: the table {target} takes entries with **,"
                        " which the package layout cannot give to the modules of"
                        " their types",
                        hint="write each entry out, or use --layout module",
                    )
                names = {
                    n.id
                    for part in (k, v)
                    for n in ast.walk(part)
                    if isinstance(n, ast.Name)
                }
                module = max(
                    (m for n in names if (m := self._module_of_name(n)) is not None),
                    key=self.rank.__getitem__,
                    default=naming.PACKAGE_RUNTIME,
                )
                by_module.setdefault(module, []).append(_item(target, k, v, lines))
                part = (
                    runtime_part if module == naming.PACKAGE_RUNTIME else parts[module]
                )
                part.tail_names |= names | {target}
                if not isinstance(k, ast.Name):
                    index_of[ast.literal_eval(k)] = module
            if index_of:
                code = (
                    head
                    + "_LazyTable(\n    {\n"
                    + "".join(
                        f"        {pyrepr(key)}: {pyrepr(module)},\n"
                        for key, module in index_of.items()
                    )
                    + "    },\n    __name__,\n)"
                )
                runtime_part.tail_names |= _names_in(head + "{}") | {"_LazyTable"}
            else:
                code = head + "{}"
                runtime_part.tail_names |= _names_in(head + "{}")
            kept = by_module.pop(naming.PACKAGE_RUNTIME, [])
            self.tables[index] = "\n".join([code, *kept])
            for module, entries in by_module.items():
                parts[module].tail.append("\n".join(entries))
        return runtime_part

    # -- the modules ---------------------------------------------------------------

    def _body(self, indexes: Iterable[int]) -> list[str]:
        """The statements' code, each with the comment right above it."""
        return [self._comment(i) + self._text(self.found[i]) for i in indexes]

    def _comment(self, index: int) -> str:
        """The comment right above a statement (no blank line between), with
        its line breaks."""
        first = last = self.found[index].first
        while first > 0 and self.lines[first - 1].startswith("#"):
            first -= 1
        return "".join(line + "\n" for line in self.lines[first:last])

    def _type_module(self, part: _Part) -> str:
        used = set().union(part.tail_names, *(self.refs[i] for i in part.statements))
        own = {n for i in part.statements for n in self.found[i].names}
        imports = self._imports(used - own, set(), part.name)
        return _module_text(imports, [*self._body(part.statements), *part.tail])

    def _runtime_module(self, part: _Part, tables: _Part) -> str:
        """The runtime's statements, each registry (see ``self.tables``) where
        its statement was: empty, or an index of the modules that fill it."""
        used = set().union(tables.tail_names, *(self.refs[i] for i in part.statements))
        order = sorted([*part.statements, *self.tables])
        own = {n for i in order for n in self.found[i].names}
        imports = self._imports(used - own, set(), part.name)
        body = [
            self._comment(i) + self.tables[i]
            if i in self.tables
            else self._body([i])[0]
            for i in order
        ]
        return _module_text(imports, body)

    def _port_module(self, index: int, aliases: dict[int, str]) -> str:
        """A port class's module: the class, each method importing the types
        its body uses where the template left :data:`MARKER`; at the top, what
        the class statement evaluates, and (for type checkers alone) what
        only annotations name."""
        text = self._text(self.found[index])
        level, annotations, methods = self.port_refs[index]
        body_refs = set().union(*(refs for _, refs in methods))
        lines: list[str] = []
        marked: set[int] = set()
        for number, line in enumerate(text.split("\n")):
            if line.strip() != MARKER:
                lines.append(line)
                continue
            first, refs = next(m for m in reversed(methods) if m[0] <= number)
            marked.add(first)
            lazy = self._grouped(n for n in refs if self._type_module_of(n))
            indent = len(line) - len(line.lstrip())
            for module in sorted(lazy, key=_module_key):
                code = _from("." + module, lazy[module], indent)
                lines += [" " * indent + part for part in code.split("\n")]
            if lazy:
                lines.append("")  # as ruff lays out a block's imports
        for first, refs in methods:
            if first not in marked and any(self._type_module_of(n) for n in refs):
                method = text.split("\n")[first].strip()
                raise WsdlbindError(
                    f"the ports template: the body of `{method}` uses generated"
                    " types, and has no line `{{ module.imports_marker }}` where"
                    " the package layout imports them",
                    hint="start each port method's body with that line, as the"
                    " built-in ports.py.jinja does, or use --layout module",
                )
        eager = level | {n for n in body_refs if not self._type_module_of(n)}
        # The runtime is loaded already: the names annotations take from it too.
        eager |= {
            n for n in annotations if self._module_of_name(n) == naming.PACKAGE_RUNTIME
        }
        # An alias of a type a method shadows: the type imported under that
        # name, for type checkers alone unless the class evaluates it (a default).
        alias_of = {self.found[i].names[0]: target for i, target in aliases.items()}
        aliased = {n: t for n, t in alias_of.items() if n in annotations | level}
        checking = {
            n
            for n in annotations - eager - set(aliased)
            if self._type_module_of(n) or n in self.imports
        }
        imports = self._imports((eager - set(aliased)) | checking, checking, "")
        for name, target in sorted(aliased.items()):
            source = self._type_module_of(target)
            if source is None:
                raise InternalError(f"{name} aliases {target}, which no module defines")
            at_run_time = name in level
            code = _from(f".{source}", [f"{target} as {name}"], 0 if at_run_time else 4)
            imports.append((not at_run_time, code))
        return _module_text(imports, ["\n".join(lines)])

    def _type_module_of(self, name: str) -> str | None:
        """The type module (not the runtime) that defines ``name``, if one does."""
        module = self._module_of_name(name)
        return None if module == naming.PACKAGE_RUNTIME else module

    def _grouped(self, names: Iterable[str]) -> dict[str, list[str]]:
        """``names`` by the module that defines them."""
        grouped: dict[str, list[str]] = {}
        for n in names:
            module = self._module_of_name(n)
            if module is None:
                raise InternalError(f"no module of the package defines {n}")
            grouped.setdefault(module, []).append(n)
        return grouped

    def _imports(
        self, needed: set[str], checking: set[str], here: str
    ) -> list[tuple[bool, str]]:
        """The import statements binding ``needed`` (those in ``checking`` for
        type checkers alone), as (under TYPE_CHECKING, code)."""
        standard: dict[tuple[bool, str], list[_Import]] = {}
        package: dict[tuple[bool, str], list[str]] = {}
        for name in needed:
            if name in self.imports and name not in self.defined:
                for found in self.imports[name]:
                    checks = found.checking or name in checking
                    standard.setdefault((checks, found.module), []).append(found)
                continue
            module = self._module_of_name(name)
            if module is not None and module != here:
                package.setdefault((name in checking, module), []).append(name)
        out: list[tuple[bool, str]] = []
        for (checks, module), items in standard.items():
            indent = 4 if checks else 0
            if not module:
                out += [(checks, f"import {i.name}") for i in items]
            else:
                names = [i.name + (f" as {i.alias}" if i.alias else "") for i in items]
                out.append((checks, _from(module, names, indent)))
        for (checks, module), names in package.items():
            out.append((checks, _from("." + module, names, 4 if checks else 0)))
        if any(checks for checks, _ in out) and "TYPE_CHECKING" not in needed:
            return self._imports(needed | {"TYPE_CHECKING"}, checking, here)
        return out

    def _module_of_name(self, name: str) -> str | None:
        for d in self.defined.get(name, ()):
            module = self.module_of.get(d)
            if module is not None:
                return module
        return None


def _module_text(imports: list[tuple[bool, str]], body: list[str]) -> str:
    """A module's text after its docstring: ``from __future__``, its imports in
    isort's sections (those for type checkers alone in ``if TYPE_CHECKING:``),
    and its statements two lines apart."""
    head = [_FUTURE.strip(), *_sections([c for checks, c in imports if not checks])]
    checking = _sections([c for checks, c in imports if checks])
    if checking:
        block = "\n\n".join(checking)
        head.append(
            "if TYPE_CHECKING:\n"
            + "\n".join("    " + line if line else "" for line in block.split("\n"))
        )
    return "\n\n".join(head) + "\n\n\n" + "\n\n\n".join(body)


def _sections(imports: list[str]) -> list[str]:
    """Import statements in isort's sections (the standard library, lxml, this
    package), each sorted: ``import x`` first, then ``from x import``."""
    sections: list[list[str]] = [[], [], []]
    for code in imports:
        module = code.split()[1]
        at = 2 if module.startswith(".") else 1 if module.startswith("lxml") else 0
        sections[at].append(code)
    return ["\n".join(sorted(s, key=_import_key)) for s in sections if s]


def _import_key(code: str) -> tuple[int, str, str]:
    words = code.split()
    return (0 if words[0] == "import" else 1, *_module_key(words[1]))


def _module_key(module: str) -> tuple[str, str]:
    return module.lstrip(".").lower(), module


def _member_key(name: str) -> tuple[int, list[tuple[int, str | int]], str]:
    """isort's order of the names one import statement binds: constants,
    classes, the rest; each without case first (a private ``_Model`` is not
    a class to it)."""
    group, _ = isort_key(name)
    return group, natural_key(name.lower()), name


def _from(module: str, names: list[str], indent: int) -> str:
    """``from module import names``, on one line when it fits (at ``indent``),
    else one name a line."""
    names = sorted(set(names), key=_member_key)
    flat = f"from {module} import {', '.join(names)}"
    if indent + len(flat) <= LINE_LENGTH:
        return flat
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"


def _item(target: str, key: ast.expr, value: ast.expr, lines: list[str]) -> str:
    """A registry entry as ``target[key] = value``, laid out as ruff does."""
    key_code = _segment(lines, key)
    if isinstance(value, ast.Tuple):
        items: list[str | Call] = [_segment(lines, e) for e in value.elts]
        if len(f"{target}[{key_code}] = (") > LINE_LENGTH:  # the key split out
            return f"{target}[\n    {key_code}\n" + layout(
                Call("] = ", items, collection=True), 0
            )
        return assignment(f"{target}[{key_code}]", Call("", items, collection=True), 0)
    value_code = _segment(lines, value)
    flat = f"{target}[{key_code}] = {value_code}"
    if len(flat) <= LINE_LENGTH:
        return flat
    # As ruff lays out a long item assignment: the value in parentheses while
    # the line up to them fits (whether the value then fits or not), else the
    # key split out.
    if len(f"{target}[{key_code}] = (") <= LINE_LENGTH:
        return f"{target}[{key_code}] = (\n    {value_code}\n)"
    return f"{target}[\n    {key_code}\n] = {value_code}"


def _segment(lines: list[str], node: ast.expr) -> str:
    """``node``'s source (what :func:`ast.get_source_segment` gives, without
    splitting the text again for each node: a registry has thousands)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    end = node.end_col_offset if node.end_col_offset is not None else None
    chosen = [line.encode() for line in lines[first : last + 1]]  # offsets: UTF-8
    chosen[-1] = chosen[-1][:end]
    chosen[0] = chosen[0][node.col_offset :]
    return b"\n".join(chosen).decode()


def _names_in(code: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}


def _offset(text: str, node: ast.expr) -> int:
    """Where ``node`` starts in ``text``."""
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[: node.lineno - 1]) + node.col_offset


def _dict_display(text: str) -> bool:
    """Whether ``text`` assigns a dict display to one name."""
    head = text.partition("=")[2].lstrip()
    if not head.startswith("{"):
        return False
    node = ast.parse(text).body[0]
    return isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
        node.value, ast.Dict
    )


def _alias(text: str) -> str | None:
    """``B`` when ``text`` is ``A = B``, one name given another."""
    target, equals, value = text.partition(" = ")
    if equals and target.isidentifier() and value.isidentifier():
        return value
    return None


# symtable's Symbol objects cost 5 µs each to make (each searches its table's
# children), and vim25 has 380,000: the flags are read from the tables as the
# symtable module reads them itself.
_USE = _symtable.USE
_SCOPE_OFF, _SCOPE_MASK = _symtable.SCOPE_OFF, _symtable.SCOPE_MASK
_GLOBAL = {_symtable.GLOBAL_IMPLICIT, _symtable.GLOBAL_EXPLICIT}
# Python 3.12 inlines comprehensions (PEP 709): their loop variables show in
# the enclosing table, marked so.
_COMP_ITER = getattr(_symtable, "DEF_COMP_ITER", 0)
# Python 3.14's annotations are scopes of their own (PEP 649).
_ANNOTATION = getattr(_symtable, "TYPE_ANNOTATION", None)


def _table(text: str) -> Any:  # noqa: ANN401 - _symtable's entries are untyped
    return _symtable.symtable(text, "<statement>", "exec")


def _references(text: str) -> set[str]:
    """The global names a top-level statement refers to, annotations included
    (read without postponed annotations, so that they count)."""
    out: set[str] = set()
    _collect(_table(text), out, top=True)
    return out


def _runtime_references(
    text: str,
) -> tuple[set[str], set[str], list[tuple[int, set[str]]]]:
    """For a class statement: what it evaluates when it runs (bases,
    decorators, defaults); what its methods' annotations name besides; and
    what each method's body refers to, by the method's first line (0-based).
    Read twice: with annotations postponed, as the module has them, and
    without, where a method's annotations count in the class's scope."""
    table = _table(_FUTURE + text)
    level = _used(table)
    methods: list[tuple[int, set[str]]] = []
    for cls in table.children:
        level |= _class_level(cls)
        for fn in cls.children:
            refs: set[str] = set()
            _collect(fn, refs, top=False)
            # 1-based, after the line _FUTURE adds: 0-based in ``text``.
            methods.append((fn.lineno - 2, refs))
    methods.sort(key=lambda m: m[0])
    annotations: set[str] = set()
    for cls in _table(text).children:
        annotations |= _class_level(cls)
    return level, annotations - level, methods


def _class_level(table: Any) -> set[str]:  # noqa: ANN401 - as _table
    """The names a class body refers to; a method's name too, as an annotation
    before its ``def`` names the global."""
    out = _used(table)
    for child in table.children:
        if _ANNOTATION is not None and child.type == _ANNOTATION:
            _collect(child, out, top=False)
    return out


def _used(table: Any) -> set[str]:  # noqa: ANN401 - as _table
    """The names a table's own scope refers to (bound there or not)."""
    return {
        n
        for n, flags in table.symbols.items()
        if flags & _USE and not flags & _COMP_ITER
    }


def _collect(table: Any, out: set[str], *, top: bool) -> None:  # noqa: ANN401
    """The names ``table`` refers to: in its own scope all of them (``top``),
    and in the scopes within it the globals."""
    if top:
        out |= _used(table)
    else:
        out |= {
            n
            for n, flags in table.symbols.items()
            if flags & _USE and (flags >> _SCOPE_OFF) & _SCOPE_MASK in _GLOBAL
        }
    for child in table.children:
        _collect(child, out, top=False)


def _components(start: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of ``edges``, each after those it
    reaches (Tarjan's algorithm, without recursion: vim25's chains are long),
    searched from the nodes of ``start`` in that order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in start:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, at = work.pop()
            if at == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            while at < len(targets) and targets[at] in index:
                target = targets[at]
                if target in on_stack:
                    low[node] = min(low[node], index[target])
                at += 1
            if at < len(targets):
                work.append((node, at + 1))
                work.append((targets[at], 0))
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component[::-1])
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def _describe(chunk: list[int], unit: dict[int, str]) -> str:
    """What a type module holds, for its docstring."""
    names = sorted({unit[i] for i in chunk if i in unit}, key=str.lower)
    if not names:
        return "shared definitions of the types"
    if len(names) <= 3:
        return "the types " + ", ".join(names)
    return f"{len(names)} types, {names[0]} to {names[-1]}"
