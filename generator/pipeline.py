"""load → model → render, for one WSDL: what ``wsdlbind generate`` runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import load, model, xsdata_adapter
from generator.errors import GenerationWarning, ModelError, OutputError
from generator.render import Renderer


@dataclass
class Generated:
    source: str
    code: str
    warnings: list[GenerationWarning]
    project: model.Project  # what the code was rendered from
    loaded: load.LoadedWsdl  # the documents it was modelled from


def build_project(loaded: load.LoadedWsdl) -> model.Project:
    """The model stage: the translated documents, reduced to what ports reach, named."""
    translation = xsdata_adapter.translate(doc.model for doc in loaded.documents)
    project = model.Project(
        ports=translation.ports,
        types=translation.types,
        elements=translation.elements,
        source_hash=loaded.source_hash,
        warnings=translation.warnings,
    )
    model.use_soap_arrays(project, loaded.soap_arrays())
    if not project.ports:
        raise ModelError(
            f"{load.display_name(loaded.entry)}: no SOAP port to generate a client for",
            hint="the WSDL needs a wsdl:service whose port uses a SOAP 1.1 or 1.2 binding",
        )
    return project


def prepare(
    source: str, *, offline: bool = False
) -> tuple[model.Project, list[model.TypeDef]]:
    """Load and model ``source``: the project and, in module order, the types it uses."""
    return _model(build_project(load.load(source, offline=offline)))


def _model(project: model.Project) -> tuple[model.Project, list[model.TypeDef]]:
    types = model.reachable(project)
    model.assign_names(project, types)
    return project, types


def generate(
    source: str, *, offline: bool = False, templates: Path | None = None
) -> Generated:
    """Generate the client module's source text for the WSDL at ``source``."""
    loaded = load.load(source, offline=offline)
    project, types = _model(build_project(loaded))
    name = Path(source).name if "://" not in source else source
    code = Renderer(project, name, templates).render(types)
    return Generated(
        source=source,
        code=code,
        warnings=project.warnings,
        project=project,
        loaded=loaded,
    )


def write(path: Path, code: str) -> None:
    """Write the module, replacing the file only once it is complete."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.tmp")
        partial.write_text(code, encoding="utf-8", newline="\n")
        partial.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the output ({exc.strerror})") from None
