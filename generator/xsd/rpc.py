"""rpc style: the element an rpc message travels in, made from its parts.

An rpc body is an element named after the operation (its answer: the name +
"Response"), in the soap:body namespace, holding one element per message
part. wsdlbind makes it a global element of the model, like any other, so
its class, writer and reader come from the same stages as a document-style
message's. SOAP-encoded arrays (restrictions of soapenc:Array) are read in
:mod:`.schema`; here, a part's SOAP-encoding type is read as the XSD type it
stands for.
"""

from __future__ import annotations

from ..errors import ModelError
from ..model import (
    ANY_TYPE,
    AttributeUse,
    ComplexType,
    ElementDecl,
    ElementParticle,
    ModelGroup,
    Particle,
    QName,
    SimpleType,
    TypeRef,
)
from ..namespaces import SOAP_ENCODING, XSD
from .schema import Components


class PartError(Exception):
    """A part's type cannot be built: it costs the operation (see services)."""


def part_type(components: Components, declared: QName) -> tuple[QName, TypeRef]:
    """The type a ``type=`` part names, as announced with xsi:type, and in the
    model. ``soapenc:string`` and co are the XSD types of the same name."""
    if declared.namespace == SOAP_ENCODING and declared.local != "Array":
        declared = QName(XSD, declared.local)
    if declared == QName(SOAP_ENCODING, "Array"):
        return declared, ANY_TYPE
    try:
        return declared, components.type_ref(declared, None, None)
    except ModelError as exc:
        raise PartError(exc.format_message()) from None


def add_wrapper(
    components: Components,
    wire: QName,
    particles: list[ElementParticle],
    side: str,
    encoding_envelope: str | None,
) -> None:
    """Add the wrapper element ``wire`` holding ``particles``; with
    ``encoding_envelope`` (rpc/encoded), it says so in ``encodingStyle``."""
    key = QName(wire.namespace, f"{wire.local}@rpc")
    content: list[Particle] = list(particles)
    ct = ComplexType(
        key=key,
        xml_name=wire.local,
        kind="element",
        element=wire,
        content=ModelGroup("sequence", content),
        doc=f"The rpc-style {'answer' if side == 'output' else 'request'} "
        f"element {wire.local}, one child per message part.",
    )
    if encoding_envelope is not None:
        ct.attributes.append(
            AttributeUse(
                QName(encoding_envelope, "encodingStyle"),
                SimpleType("anyURI"),
                fixed=SOAP_ENCODING,
            )
        )
    components.types[key] = ct
    components.elements[wire] = ElementDecl(wire, key, is_global=True)
