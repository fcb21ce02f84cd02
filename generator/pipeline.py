"""load → model → render, for one WSDL: what ``wsdlbind generate`` runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import load, model, naming, shape, stamp
from .errors import GenerationWarning, InternalError, ModelError, OutputError
from .render import Renderer, compiling


@dataclass
class Generated:
    source: str
    code: str  # the module; for a package, its __init__
    warnings: list[GenerationWarning]
    project: model.Project  # what the code was rendered from
    loaded: load.LoadedWsdl  # the documents it was modelled from
    files: dict[str, str] = field(default_factory=dict)  # a package's, by name


def build_project(loaded: load.LoadedWsdl) -> model.Project:
    """The model stage's input: the documents translated into wsdlbind's model."""
    names = {doc.uri: load.message_name(doc.uri) for doc in loaded.documents}
    from . import xsd  # xsdata: not imported for a stamp check

    translation = xsd.translate(loaded.documents, names)
    project = model.Project(
        ports=translation.ports,
        types=translation.types,
        elements=translation.elements,
        source_hash=loaded.source_hash,
        warnings=translation.warnings,
        broken=translation.broken,
    )
    declared = [w for w in project.warnings if w.message.startswith("skipped:")]
    if project.ports and declared and not any(p.operations for p in project.ports):
        # Every operation uses something that cannot be generated: say what.
        first = declared[0]
        raise ModelError(
            f"{first.where}: {first.message.removeprefix('skipped: ')}",
            hint="no operation of this WSDL could be generated"
            + (f" ({len(declared)} skipped)" if len(declared) > 1 else ""),
        )
    if not project.ports:
        raise ModelError(
            f"{load.message_name(loaded.entry)}: no SOAP port to generate a client for",
            hint="the WSDL needs a wsdl:service whose port uses a SOAP 1.1 or 1.2 binding",
        )
    return project


def prepare(
    source: str, *, offline: bool = False
) -> tuple[model.Project, list[model.TypeDef]]:
    """Load and model ``source``: the project and, in module order, its classes."""
    return _model(build_project(load.load(source, offline=offline)))


def _model(
    project: model.Project, policy: model.CallPolicy = model.NO_RETRY
) -> tuple[model.Project, list[model.TypeDef]]:
    """What the ports reach, each type's shape decided, everything named, and
    the operations marked as the call ``policy`` says."""
    types = shape.decide_all(project, model.reachable(project))
    naming.assign(project, types)
    policy.apply(project)
    return project, types


def generate(
    source: str,
    *,
    offline: bool = False,
    templates: Path | None = None,
    progress: Callable[[str], object] | None = None,
    layout: str = "module",
    policy: model.CallPolicy = model.NO_RETRY,
) -> Generated:
    """Generate the client module's source text for the WSDL at ``source``
    (with ``layout="package"``, the package's files).

    The text is compiled before it is returned: a module that would not
    compile is a wsdlbind bug, reported as one, and never written.
    ``progress`` is told what is being done as each stage begins; ``policy``
    says which calls may be retried.
    """
    tell = progress or (lambda text: None)
    tell("reading the documents")
    loaded = load.load(source, offline=offline)
    name = Path(source).name if "://" not in source else source
    with InternalError.guard(f"generating from {load.message_name(loaded.entry)}"):
        tell(f"{len(loaded.documents)} documents read; resolving the types")
        project, types = _model(build_project(loaded), policy)
        operations = sum(len(p.operations) for p in project.ports)
        tell(f"{len(types):,} classes, {operations:,} operations; writing the code")
        options = stamp.options_hash(templates, layout, policy)
        renderer = Renderer(project, name, templates, stamp.line(options))
        files: dict[str, str] = {}
        try:
            if layout == "package":
                files = renderer.render_package(types)
                compiling.compile_all(list(files.items()), lambda: None)
                code = files["__init__.py"]
            else:
                code = renderer.render(types, compile_as=name)
        except SyntaxError as exc:
            where = f"{exc.filename}, line" if layout == "package" else "line"
            raise InternalError(
                f"the {layout} generated from {name} does not compile "
                f"({where} {exc.lineno}: {exc.msg}); nothing was written"
            ) from exc
        if files:
            files = stamp.sealed_package(files)
            code = files["__init__.py"]
        else:
            code = stamp.sealed(code)
    return Generated(
        source=source,
        code=code,
        warnings=project.warnings,
        project=project,
        loaded=loaded,
        files=files,
    )


def up_to_date(
    source: str,
    output: Path,
    *,
    offline: bool = False,
    templates: Path | None = None,
    layout: str = "module",
    policy: model.CallPolicy = model.NO_RETRY,
) -> bool:
    """Whether the module (or package) at ``output`` is what :func:`generate`
    would write, told from its stamp without generating it (see
    :mod:`generator.stamp`)."""
    options = stamp.options_hash(templates, layout, policy)
    if layout == "package":
        files = on_disk(output)
        if "__init__.py" not in files:
            return False
        loaded = load.load(source, offline=offline, models=False)
        return stamp.package_up_to_date(files, loaded.source_hash, options)
    try:
        code = output.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        return False
    loaded = load.load(source, offline=offline, models=False)
    return stamp.up_to_date(code, loaded.source_hash, options)


def on_disk(folder: Path) -> dict[str, str]:
    """The files of a package that wsdlbind wrote in ``folder``, by name: the
    modules whose docstring's first line says so (see ``stamp.PACKAGE_MARK``).
    Anything else there is not wsdlbind's, and is left alone."""
    found = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if stamp.PACKAGE_MARK in text.partition("\n")[0]:
            found[path.name] = text
    return found


def write(path: Path, code: str) -> None:
    """Write the module, replacing the file only once it is complete."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.tmp")
        partial.write_text(code, encoding="utf-8", newline="\n")
        partial.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the output ({exc.strerror})") from None


def write_package(folder: Path, files: dict[str, str]) -> None:
    """Write a package's files into ``folder``, each replaced only once it is
    complete and ``__init__.py`` last (an interrupted write leaves the old
    one, whose stamp no longer matches), then remove the files an earlier
    generation wrote that this one does not have. A file wsdlbind did not
    write (see :func:`on_disk`) is never replaced or removed."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"{folder}: not a folder, and the package layout writes one",
            hint="give -o the package's folder (no .py), or use --layout module",
        )
    ours = on_disk(folder)
    theirs = sorted(n for n in files if (folder / n).exists() and n not in ours)
    if theirs:
        raise OutputError(
            f"{folder / theirs[0]}: wsdlbind did not write this file, and the package"
            " would replace it; nothing was written",
            hint="give -o a new or empty folder for the package",
        )
    for name in sorted(files, key=lambda n: n == "__init__.py"):
        write(folder / name, files[name])
    for name in sorted(set(ours) - set(files)):
        try:
            (folder / name).unlink()
        except OSError as exc:
            raise OutputError(
                f"{folder / name}: cannot remove it ({exc.strerror})"
            ) from None
