"""``wsdlbind inspect``: what a WSDL offers, read from wsdlbind's own model."""

from __future__ import annotations

from typing import Any

from generator.model import XSD, Field, Project, QName


def describe(project: Project) -> dict[str, Any]:
    """Services, ports and operations with their input fields and output type."""
    ports = []
    for port in project.ports:
        operations = []
        for op in port.operations:
            request = project.element(op.input.element) if op.input.element else None
            output = None
            if op.output is not None and op.output.element is not None:
                out = project.element(op.output.element)
                text = out.text_field
                output = (
                    _type_name(text.type)
                    if out.is_simple_value and text
                    else out.py_name
                )
            operations.append(
                {
                    "name": op.name,
                    "method": op.py_name,
                    "soap_action": op.soap_action,
                    "input": request.py_name if request else None,
                    "fields": [
                        _field(f)
                        for f in (project.all_fields(request) if request else [])
                    ],
                    "output": output,
                    "style": op.style,
                    "headers": [
                        project.element(h.element).py_name
                        for h in op.headers
                        if h.element is not None
                    ],
                    "faults": sorted({m.py_name for m in op.faults if m.py_name}),
                }
            )
        ports.append(
            {
                "service": port.service,
                "port": port.name,
                "class": port.py_name,
                "binding": port.binding,
                "style": ", ".join(sorted({op.style for op in port.operations}))
                or "document/literal",
                "soap_version": port.soap_version,
                "address": port.address,
                "operations": operations,
            }
        )
    return {"ports": ports, "warnings": [str(w) for w in project.warnings]}


def _type_name(qname: QName) -> str:
    return f"xs:{qname.local}" if qname.namespace == XSD else qname.local


def _field(f: Field) -> dict[str, Any]:
    if f.repeated:
        occurs = "repeated"
    elif f.optional:
        occurs = "optional"
    else:
        occurs = "required"
    described: dict[str, Any] = {
        "name": f.py_name,
        "xml": f.xml_name,
        "kind": f.kind,
        "type": _type_name(f.type) + (" list" if f.tokens else ""),
        "occurs": occurs,
    }
    if f.choice is not None:
        described["choice"] = "required" if f.choice.required else "optional"
    if f.default is not None:
        described["default"] = f.default
    return described


def as_text(description: dict[str, Any]) -> str:
    """The human-readable form of :func:`describe`."""
    lines = []
    for port in description["ports"]:
        lines.append(
            f"{port['class']}: service {port['service']}, port {port['port']}, "
            f"SOAP {port['soap_version']} {port['style']}, {port['address'] or 'no address'}"
        )
        for op in port["operations"]:
            lines.append(f"  {op['method']}({op['input']}) -> {op['output'] or 'None'}")
            if op["headers"]:
                lines.append(f"      SOAP headers: {', '.join(op['headers'])}")
            for f in op["fields"]:
                extra = f", choice ({f['choice']})" if "choice" in f else ""
                default = f", default {f['default']!r}" if "default" in f else ""
                lines.append(
                    f"      {f['name']}: {f['type']} [{f['occurs']}{extra}{default}]"
                )
    for warning in description["warnings"]:
        lines.append(warning)
    return "\n".join(lines)
