"""WSDL services: ports, bindings and operations, from xsdata's WSDL models.

Every SOAP binding becomes a client class: through the service ports that
name it, or on its own (the caller then gives the endpoint). An operation
that uses what wsdlbind cannot generate costs only that operation: a warning
names it and the construct, and the rest of the WSDL is generated.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from lxml import etree
from xsdata.formats.dataclass.models.generics import AnyElement
from xsdata.models.wsdl import Binding, Definitions, Message, PortType

from .. import namespaces
from ..errors import GenerationWarning, ModelError
from ..model import (
    ElementDecl,
    ElementParticle,
    Operation,
    Port,
    QName,
)
from ..model import Message as ModelMessage
from ..namespaces import (
    SOAP11_BINDING,
    SOAP11_ENV,
    SOAP12_BINDING,
    SOAP12_ENV,
)
from . import rpc
from .docs import wsdl_documentation
from .schema import Components

_T = TypeVar("_T")

#: Printable ASCII: what a soapAction keeps as it is when it is sent.
_URI_CHARACTERS = "".join(chr(c) for c in range(0x21, 0x7F))


class Unsupported(Exception):
    """An operation uses a construct wsdlbind does not generate: it is skipped."""


@dataclass
class _Tables:
    """The named WSDL components of every loaded WSDL, by QName."""

    messages: dict[QName, Message]
    port_types: dict[QName, PortType]
    bindings: dict[QName, Binding]
    # WS-Addressing's Action of each operation's input, where the WSDL gives
    # one: by (portType, operation name), read from the documents themselves.
    actions: dict[tuple[QName, str], str] = field(default_factory=dict)
    port_type_names: dict[int, QName] = field(default_factory=dict)


def translate_ports(
    definitions: list[Definitions],
    components: Components,
    warnings: list[GenerationWarning],
    actions: dict[tuple[QName, str], str] | None = None,
) -> list[Port]:
    """The ports of the services the WSDLs define; ``actions``: the WS-Addressing
    Action of operations' inputs (see :func:`addressing_actions`)."""
    tables = _Tables({}, {}, {}, dict(actions or {}))
    for d in definitions:
        tns = d.target_namespace or ""
        tables.messages.update((QName(tns, m.name), m) for m in d.messages)
        tables.port_types.update((QName(tns, p.name), p) for p in d.port_types)
        tables.bindings.update((QName(tns, b.name), b) for b in d.bindings)
        tables.port_type_names.update((id(p), QName(tns, p.name)) for p in d.port_types)

    targets: list[tuple[str, str, str, Binding, str | None, Any, Definitions]] = []
    bound: set[int] = set()
    for d in definitions:
        for service in d.services:
            for wsdl_port in service.ports:
                where = f"service {service.name}, port {wsdl_port.name}"
                binding = _lookup(tables.bindings, wsdl_port.binding, wsdl_port.ns_map)
                if binding is None:
                    raise ModelError(
                        f"{where}: binding {wsdl_port.binding} is not defined"
                    )
                bound.add(id(binding))
                address = _address(wsdl_port.extended)
                targets.append(
                    (where, service.name, wsdl_port.name, binding, address, service, d)
                )
    for d in definitions:
        for binding in d.bindings:
            if id(binding) not in bound and _soap_version(binding) is not None:
                bound.add(id(binding))
                where = f"binding {binding.name} (named by no service)"
                targets.append((where, "", binding.name, binding, None, None, d))

    ports: list[Port] = []
    for where, service_name, port_name, binding, address, service, d in targets:
        version = _soap_version(binding)
        if version is None:
            warnings.append(
                GenerationWarning(
                    where,
                    "skipped: not a SOAP binding (HTTP GET/POST is not supported)",
                )
            )
            continue
        port_type = _lookup(tables.port_types, binding.type, binding.ns_map)
        if port_type is None:
            raise ModelError(f"{where}: portType {binding.type} is not defined")
        port = Port(
            service=service_name,
            name=port_name,
            binding=binding.name,
            soap_version=version,
            address=address,
            doc=wsdl_documentation(port_type) or wsdl_documentation(service),
        )
        context = _Context(tables, components, warnings, binding, version, d)
        for b_op in binding.operations:
            op_where = f"{where}, operation {b_op.name}"
            try:
                op = context.operation(b_op, port_type, op_where)
            except Unsupported as exc:
                warnings.append(GenerationWarning(op_where, f"skipped: {exc}"))
                continue
            if op is not None:
                port.operations.append(op)
        ports.append(port)
    return ports


@dataclass
class _Context:
    tables: _Tables
    components: Components
    warnings: list[GenerationWarning]
    binding: Binding
    version: Literal["1.1", "1.2"]
    definitions: Definitions

    def operation(self, b_op: Any, port_type: PortType, where: str) -> Operation | None:
        pt_op = next((o for o in port_type.operations if o.name == b_op.name), None)
        if pt_op is None:
            raise ModelError(f"{where}: not in portType {port_type.name}")
        soap_op = _extension_attrs(b_op.extended, "operation")
        default_style = _extension_attrs(self.binding.extended, "binding").get(
            "style", "document"
        )
        style = soap_op.get("style", default_style)
        if style not in ("document", "rpc"):
            raise Unsupported(f"unknown style {style!r}")
        body = _extension_attrs(b_op.input.extended, "body") if b_op.input else {}
        use = body.get("use", "literal")
        if use not in ("literal", "encoded"):
            raise Unsupported(f"unknown soap:body use {use!r}")
        if style == "document" and use == "encoded":
            self.warnings.append(
                GenerationWarning(
                    where,
                    'document style with use="encoded" is generated as literal',
                )
            )
            use = "literal"
        if pt_op.input is None:
            raise Unsupported("an operation with no input (a notification)")
        soap_action = soap_op.get("soapAction", "")
        if not soap_action.isascii():
            # An IRI: sent as the URI it maps to (RFC 3987, 3.1), its other
            # characters percent-encoded in UTF-8, as HTTP headers are ASCII.
            soap_action = urllib.parse.quote(soap_action, safe=_URI_CHARACTERS)
        if not soap_action.isprintable():
            # It goes into an HTTP header, where a line break would end it.
            raise Unsupported(f"a soapAction HTTP cannot carry: {soap_action!r}")

        headers, header_faults = self._headers(b_op, where)
        answer_headers, _ = self._headers(b_op, where, side="output")
        input_msg = self._message(
            pt_op.input, b_op.input, b_op, style, use, "input", where
        )
        output_msg = (
            self._message(pt_op.output, b_op.output, b_op, style, use, "output", where)
            if pt_op.output is not None
            else None
        )
        faults = [self._fault(f, b_op, where) for f in pt_op.faults]
        known = {f.element for f in faults}
        port_type_name = self.tables.port_type_names.get(id(port_type), QName("", ""))
        wsa_action = self.tables.actions.get((port_type_name, pt_op.name), "")
        if not wsa_action and not soap_action:
            wsa_action = _default_action(port_type_name, pt_op)
        if not (wsa_action.isascii() and wsa_action.isprintable()):
            wsa_action = urllib.parse.quote(wsa_action, safe=_URI_CHARACTERS)
        return Operation(
            name=b_op.name,
            soap_action=soap_action,
            wsa_action=wsa_action,
            input=input_msg,
            output=output_msg,
            faults=faults + [m for m in header_faults if m.element not in known],
            doc=wsdl_documentation(pt_op),
            headers=headers,
            output_headers=answer_headers,
            style=f"{style}/{use}",
        )

    def _lookup_message(self, ref: Any, where: str) -> Message:
        msg = _lookup(self.tables.messages, ref.message, ref.ns_map)
        if msg is None:
            raise ModelError(f"{where}: message {ref.message} is not defined")
        return msg

    def _message(
        self,
        ref: Any,
        bound: Any,
        b_op: Any,
        style: str,
        use: str,
        side: str,
        where: str,
    ) -> ModelMessage:
        msg = self._lookup_message(ref, where)
        parts = _body_parts(msg, bound)
        if style == "rpc":
            body = _extension_attrs(bound.extended if bound else [], "body")
            name = b_op.name + ("Response" if side == "output" else "")
            namespace = body.get("namespace") or self.definitions.target_namespace or ""
            wire = QName(namespace, name)
            try:
                self._rpc_wrapper(wire, parts, use == "encoded", side, where)
            except rpc.PartError as exc:
                raise Unsupported(str(exc)) from None
            return ModelMessage(msg.name, wire)
        if not parts:
            return ModelMessage(msg.name, None)
        if len(parts) > 1:
            raise Unsupported(
                f"message {msg.name} has {len(parts)} body parts; document style "
                "with several parts is not supported yet"
            )
        part = parts[0]
        if not part.element:
            raise Unsupported(
                f"message {msg.name}: part {part.name} names a type, not an element "
                "(document style needs element parts)"
            )
        wire = _resolve(part.element, part.ns_map)
        if wire not in self.components.elements:
            raise ModelError(
                f"{where}: element {wire} (message {msg.name}) is not defined in any schema",
                hint="check the xs:import that should provide that namespace",
            )
        self._usable(wire)
        self.components.element_class(wire)
        return ModelMessage(msg.name, wire)

    def _usable(self, *names: object) -> None:
        """Raise Unsupported if a component the operation needs could not be
        built: that costs this operation only, and the warning says why."""
        for name in names:
            cause = self.components.broken.get(name)  # type: ignore[call-overload]
            if cause is not None:
                raise Unsupported(cause.format_message().replace("\n", " "))

    def _rpc_wrapper(
        self, wire: QName, parts: list[Any], encoded: bool, side: str, where: str
    ) -> None:
        if wire in self.components.elements:
            return  # the same wrapper, from another binding of the operation
        particles = [self._rpc_part(part, encoded, where) for part in parts]
        envelope = SOAP12_ENV if self.version == "1.2" else SOAP11_ENV
        rpc.add_wrapper(
            self.components, wire, particles, side, envelope if encoded else None
        )

    def _rpc_part(self, part: Any, encoded: bool, where: str) -> ElementParticle:
        """A part's child in the wrapper: unqualified for a ``type=`` part (with
        its xsi:type when encoded), the global element for an ``element=`` one."""
        components = self.components
        if not part.type:
            name = _resolve(part.element or "", part.ns_map)
            if name not in components.elements:
                raise ModelError(
                    f"{where}: element {name} (part {part.name}) is not defined"
                )
            self._usable(name)
            return ElementParticle(components.elements[name])
        declared, type_ref = rpc.part_type(components, _resolve(part.type, part.ns_map))
        self._usable(type_ref)
        return ElementParticle(
            ElementDecl(
                QName("", part.name), type_ref, xsi_type=declared if encoded else None
            )
        )

    def _fault(self, ref: Any, b_op: Any, where: str) -> ModelMessage:
        msg = self._lookup_message(ref, where)
        if not msg.parts:
            return ModelMessage(msg.name, None)
        part = msg.parts[0]
        if part.element:
            wire = _resolve(part.element, part.ns_map)
            if wire not in self.components.elements:
                raise ModelError(
                    f"{where}: element {wire} (fault {msg.name}) is not defined"
                )
            self.components.element_class(wire)
            return ModelMessage(msg.name, wire)
        # Apache Axis 1: <part name="fault" type="tns:X"/>, the detail holding an
        # element named after the part.
        declared = _resolve(part.type or "", part.ns_map)
        type_ref = self.components.type_ref(declared, None, None)
        namespace = self.definitions.target_namespace or ""
        wire = QName(namespace, part.name)
        if wire not in self.components.elements:
            self.components.elements[wire] = ElementDecl(wire, type_ref, is_global=True)
        self.components.element_class(wire)
        return ModelMessage(msg.name, wire)

    def _headers(
        self, b_op: Any, where: str, side: str = "input"
    ) -> tuple[list[ModelMessage], list[ModelMessage]]:
        """The soap:headers of the operation's input (or output), and their
        soap:headerfaults."""
        headers: list[ModelMessage] = []
        header_faults: list[ModelMessage] = []
        bound = b_op.input if side == "input" else b_op.output
        for ext in _extensions(bound.extended if bound else [], "header"):
            found = self._header(ext, b_op, where)
            if found is not None and found not in headers:
                headers.append(found)
            for child in ext.children:
                if isinstance(child, AnyElement) and (child.qname or "").endswith(
                    "}headerfault"
                ):
                    fault = self._header(child, b_op, where, fault=True)
                    if fault is not None:
                        header_faults.append(fault)
        return headers, header_faults

    def _header(
        self, ext: AnyElement, b_op: Any, where: str, *, fault: bool = False
    ) -> ModelMessage | None:
        """The element a soap:header puts in the Header (a soap:headerfault: in
        the detail of a fault, named after its message like other faults)."""
        attrs = ext.attributes
        name = attrs.get("message", "")
        msg = _lookup(self.tables.messages, name, b_op.ns_map)
        parts = msg.parts if msg is not None else []
        part = next((p for p in parts if p.name == attrs.get("part")), None)
        if msg is None or part is None or not part.element:
            self.warnings.append(
                GenerationWarning(
                    where,
                    f"SOAP header {name}/{attrs.get('part')} is not an element part "
                    "of a known message: pass it as an element with soap_headers=",
                )
            )
            return None
        wire = _resolve(part.element, part.ns_map)
        if wire not in self.components.elements:
            raise ModelError(
                f"{where}: header element {wire} (message {msg.name}) "
                "is not defined in any schema"
            )
        self._usable(wire)
        self.components.element_class(wire)
        return ModelMessage(msg.name if fault else part.name, wire)


def _body_parts(msg: Message, bound: Any) -> list[Any]:
    """The parts of ``msg`` that go in the SOAP body (not in headers)."""
    extended = bound.extended if bound is not None else []
    headers = {
        h["part"] for h in _all_extension_attrs(extended, "header") if h.get("part")
    }
    named = _extension_attrs(extended, "body").get("parts")
    if named is not None:
        return [p for p in msg.parts if p.name in named.split()]
    return [p for p in msg.parts if p.name not in headers]


def _resolve(prefixed: str, ns_map: Mapping[Any, str]) -> QName:
    """A name as a WSDL writes it (``tns:Foo``), or as xsdata already resolved
    it in extension attributes (``{urn:x}Foo``)."""
    if prefixed.startswith("{"):
        return QName.parse(prefixed)
    prefix, _, local = prefixed.rpartition(":")
    return QName(ns_map.get(prefix or None, ""), local)


def _lookup(
    table: dict[QName, _T], prefixed: str, ns_map: Mapping[Any, str]
) -> _T | None:
    """A WSDL component by QName; an unprefixed name that its default namespace
    does not resolve (a common slip in hand-written WSDLs) is matched by local
    name when only one component has it."""
    found = table.get(_resolve(prefixed, ns_map))
    if found is None and ":" not in prefixed:
        matches = [v for k, v in table.items() if k.local == prefixed]
        if len(matches) == 1:
            return matches[0]
    return found


def _soap_version(binding: Binding) -> Literal["1.1", "1.2"] | None:
    for ext in binding.extended:
        if isinstance(ext, AnyElement) and ext.qname:
            if ext.qname == f"{{{SOAP12_BINDING}}}binding":
                return "1.2"
            if ext.qname == f"{{{SOAP11_BINDING}}}binding":
                return "1.1"
    return None


def _address(extended: list[object]) -> str | None:
    for ext in _extensions(extended, "address"):
        return ext.attributes.get("location")
    return None


def _extensions(extended: list[object], local: str) -> Iterator[AnyElement]:
    for ext in extended:
        if (
            isinstance(ext, AnyElement)
            and ext.qname
            and ext.qname.endswith(f"}}{local}")
        ):
            yield ext


def _all_extension_attrs(extended: list[object], local: str) -> list[dict[str, str]]:
    return [dict(ext.attributes) for ext in _extensions(extended, local)]


def _extension_attrs(extended: list[object], local: str) -> dict[str, str]:
    for ext in _extensions(extended, local):
        return dict(ext.attributes)
    return {}


#: The namespaces WS-Addressing's Action attribute has had on a portType's
#: input: the W3C WSDL binding (2006), its metadata (2007), and the 2004
#: member submission.
_ACTION_NAMESPACES = (
    "http://www.w3.org/2007/05/addressing/metadata",
    "http://www.w3.org/2006/05/addressing/wsdl",
    "http://schemas.xmlsoap.org/ws/2004/08/addressing",
)


def _default_action(port_type: QName, op: Any) -> str:
    """WS-Addressing's default Action of an input (Metadata 1.0, 4.4.4): the
    target namespace, the portType's name and the input's, joined by ``/``
    (``:`` in a URN)."""
    delimiter = ":" if port_type.namespace.lower().startswith("urn:") else "/"
    name = op.input.name or (op.name + "Request" if op.output is not None else op.name)
    start = port_type.namespace
    if start and not start.endswith(delimiter):
        start += delimiter
    return f"{start}{port_type.local}{delimiter}{name}"


def addressing_actions(root: etree._Element) -> dict[tuple[QName, str], str]:
    """The WS-Addressing Action of each portType operation's input in one WSDL
    document (``wsaw:Action``, ``wsam:Action``), which xsdata's model does not
    keep, by (portType, operation name)."""
    found: dict[tuple[QName, str], str] = {}
    tns = root.get("targetNamespace") or ""
    for port_type in root.iterfind(f"{{{namespaces.WSDL}}}portType"):
        name = QName(tns, port_type.get("name") or "")
        for op in port_type.iterfind(f"{{{namespaces.WSDL}}}operation"):
            given = op.find(f"{{{namespaces.WSDL}}}input")
            if given is None:
                continue
            for namespace in _ACTION_NAMESPACES:
                action = given.get(f"{{{namespace}}}Action")
                if action is not None:
                    found[(name, op.get("name") or "")] = action.strip()
                    break
    return found
