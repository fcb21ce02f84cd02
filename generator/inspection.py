"""``wsdlbind inspect``: what a WSDL offers, read from wsdlbind's own model."""

from __future__ import annotations

from typing import Any

from .model import (
    ANY_TYPE,
    Check,
    ComplexType,
    EnumType,
    Field,
    Project,
    SimpleType,
    TypeDef,
)


def describe(project: Project, types: list[TypeDef] | None = None) -> dict[str, Any]:
    """Services, ports and operations with their input fields and output type;
    with ``types`` (the module's classes), each of them with its fields too."""
    ports = []
    for port in project.ports:
        operations = []
        for op in port.operations:
            request = project.element(op.input.element) if op.input.element else None
            output = None
            if op.output is not None and op.output.element is not None:
                out = project.element(op.output.element)
                output = (
                    _simple_name(project, out.simple)
                    if out.is_simple_value and out.simple is not None
                    else out.py_name
                )
            operations.append(
                {
                    "name": op.name,
                    "method": op.py_name,
                    "soap_action": op.soap_action,
                    "input": request.py_name if request else None,
                    "fields": _fields(project, request) if request else [],
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
    described: dict[str, Any] = {"ports": ports}
    if types is not None:
        described["types"] = [_type(project, t) for t in types]
    described["warnings"] = [str(w) for w in project.warnings]
    return described


def _type(project: Project, typedef: TypeDef) -> dict[str, Any]:
    """One class of the module: its schema name, and its values or fields (the
    inherited ones too, in the order the constructor takes them)."""
    if isinstance(typedef, EnumType):
        return {
            "class": typedef.py_name,
            "xml": str(typedef.key),
            "kind": "enum",
            "values": typedef.values,
        }
    base = project.types.get(typedef.base) if typedef.base is not None else None
    if typedef.kind == "type":
        xml = str(typedef.key)
    elif typedef.kind == "element" and typedef.element is not None:
        xml = str(typedef.element)
    else:  # a local element's or a group's: named after where it is
        xml = typedef.xml_name
    described: dict[str, Any] = {
        "class": typedef.py_name,
        "xml": xml,
        "kind": typedef.kind,
        "base": base.py_name if base is not None else None,
        "abstract": typedef.abstract,
        "fields": _fields(project, typedef),
    }
    return described


def _simple_name(project: Project, simple: SimpleType) -> str:
    if simple.variety == "list" and simple.item is not None:
        return _simple_name(project, simple.item) + " list"
    if simple.enum is not None and simple.enum in project.types:
        return project.types[simple.enum].py_name
    return f"xs:{simple.builtin}"


def _fields(project: Project, typedef: ComplexType) -> list[dict[str, Any]]:
    choices: dict[int, Check] = {}  # field -> the innermost choice holding it

    def mark(check: Check, choice: Check | None) -> None:
        if check.field is not None and choice is not None:
            choices[id(check.field)] = choice
        for child in check.children:
            mark(child, check if check.kind == "choice" else choice)

    if typedef.check is not None:
        mark(typedef.check, None)
    return [_field(project, f, choices.get(id(f))) for f in typedef.all_fields]


def _field(project: Project, f: Field, choice: Check | None) -> dict[str, Any]:
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
        "type": _field_type(project, f),
        "occurs": occurs,
    }
    if choice is not None:
        required = choice.min >= 1 and not any(c.emptiable for c in choice.children)
        described["choice"] = "required" if required else "optional"
    default = (
        f.element.default
        if f.element
        else (f.attribute.default if f.attribute else None)
    )
    if default is not None:
        described["default"] = default
    return described


def _field_type(project: Project, f: Field) -> str:
    if f.kind == "group" and f.group is not None:
        return project.types[f.group].py_name
    if f.kind == "any":
        return "any element"
    if f.kind == "any_attribute":
        return "any attribute"
    if f.kind == "mixed":
        return "text"
    simple = f.simple or (f.attribute.type if f.attribute else None)
    if f.element is not None:
        item = f.soap_array if f.soap_array is not None else f.element.type
        if isinstance(item, SimpleType):
            simple = item
        elif item == ANY_TYPE:
            return "xs:anyType"
        else:
            return project.types[item].py_name
    return _simple_name(project, simple) if simple is not None else "?"


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
            lines.extend(_field_lines(op["fields"]))
    if "types" in description:
        lines.append("Types:")
    for t in description.get("types", ()):
        if t["kind"] == "enum":
            values = ", ".join(repr(v) for v in t["values"])
            lines.append(f"  {t['class']} (enum {t['xml']}): {values}")
            continue
        base = f", extends {t['base']}" if t["base"] else ""
        abstract = ", abstract" if t["abstract"] else ""
        lines.append(f"  {t['class']} ({t['kind']} {t['xml']}{base}{abstract})")
        lines.extend(_field_lines(t["fields"]))
    for warning in description["warnings"]:
        lines.append(warning)
    return "\n".join(lines)


def _field_lines(fields: list[dict[str, Any]]) -> list[str]:
    lines = []
    for f in fields:
        extra = f", choice ({f['choice']})" if "choice" in f else ""
        default = f", default {f['default']!r}" if "default" in f else ""
        lines.append(f"      {f['name']}: {f['type']} [{f['occurs']}{extra}{default}]")
    return lines
