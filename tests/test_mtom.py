"""MTOM/XOP answers: a ``multipart/related`` answer whose base64Binary values
are ``xop:Include``s of other parts is read into the same bytes fields."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from tests.soap_server import Answer, Request, serve

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SCHEMA = """
  <xs:element name="GetPhoto"><xs:complexType><xs:sequence>
    <xs:element name="Id" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Photo"><xs:complexType><xs:sequence>
    <xs:element name="Name" type="xs:string"/>
    <xs:element name="Data" type="xs:base64Binary"/>
    <xs:element name="Thumb" minOccurs="0"><xs:simpleType>
      <xs:restriction base="xs:base64Binary"><xs:pattern value="[A-Za-z0-9+/=]*"/>
      </xs:restriction></xs:simpleType></xs:element>
  </xs:sequence><xs:attribute name="Sig" type="xs:base64Binary"/></xs:complexType>
  </xs:element>"""
IMAGE = bytes(range(256)) * 40 + b"\r\n--not-the-boundary\r\n"


def multipart(parts: list[tuple[str, str, bytes]], start: str = "root") -> Answer:
    boundary = "MIMEBoundary_a1b2"
    body = b""
    for content_id, content_type, data in parts:
        body += (
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nContent-ID: <{content_id}>\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    content_type = (
        f'multipart/related; type="application/xop+xml"; boundary="{boundary}";'
        f' start="<{start}>"; start-info="application/soap+xml"'
    )
    return Answer(200, body, content_type)


def envelope(data: str, thumb: str = "") -> bytes:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP12}"><soap:Body>'
        '<Photo xmlns="urn:test" xmlns:xop="http://www.w3.org/2004/08/xop/include">'
        f"<Name>cat</Name><Data>{data}</Data>{thumb}</Photo></soap:Body></soap:Envelope>"
    ).encode()


@pytest.fixture
def module(inline_module: Callable[..., ModuleType]) -> ModuleType:
    return inline_module(
        SCHEMA, [("GetPhoto", "GetPhoto", "Photo"), ("PutPhoto", "Photo", "Photo")]
    )


def test_xop_includes_are_read_into_the_bytes_fields(module: ModuleType) -> None:
    root = envelope(
        '<xop:Include href="cid:image%401"/>',
        '<Thumb><xop:Include href="cid:thumb"/></Thumb>',
    )
    answer = multipart(
        [
            ("root", 'application/xop+xml; type="application/soap+xml"', root),
            ("image@1", "image/png", IMAGE),
            ("thumb", "image/png", b"\x00small"),
        ]
    )
    with serve(lambda r: answer) as (url, _):
        photo = module.Test(endpoint=url).GetPhoto(Id=1)
    assert (photo.Name, photo.Data, photo.Thumb) == ("cat", IMAGE, b"\x00small")


def test_a_part_the_answer_does_not_hold_is_a_response_error(
    module: ModuleType,
) -> None:
    root = envelope('<xop:Include href="cid:missing"/>')
    answer = multipart([("root", "application/xop+xml", root)])
    with serve(lambda r: answer) as (url, _):
        with pytest.raises(module.ResponseError, match="names no part: 'cid:missing'"):
            module.Test(endpoint=url).GetPhoto(Id=1)


def test_a_multipart_answer_without_xop_reads_as_its_root_part(
    module: ModuleType,
) -> None:
    answer = multipart([("root", "application/xop+xml", envelope("AAEC"))])
    with serve(lambda r: answer) as (url, _):
        assert module.Test(endpoint=url).GetPhoto(Id=1).Data == b"\x00\x01\x02"


def test_mtom_requests_send_each_base64_element_as_a_part(module: ModuleType) -> None:
    import email.parser
    import email.policy

    from lxml import etree

    seen_parts: list[dict[str, bytes]] = []

    def server(request: Request) -> Answer:
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            head + request.body
        )
        parts = {
            str(p["Content-ID"]).strip("<>"): p.get_payload(decode=True)
            for p in message.get_payload()
        }
        seen_parts.append(parts)
        return Answer(200, envelope("AAEC"))

    with serve(server) as (url, seen):
        svc = module.Test(endpoint=url, mtom=True)
        # Thumb's type has a pattern: checked on its base64 text, not the part.
        photo = module.Photo(Name="cat", Data=IMAGE, Thumb=b"tiny", Sig=b"\x01\x02")
        assert svc.PutPhoto(photo).Data == b"\x00\x01\x02"
    content_type = seen[0].headers["Content-Type"]
    assert content_type.startswith('multipart/related; type="application/xop+xml"')
    (parts,) = seen_parts
    root_id = next(k for k in parts if k.startswith("root."))
    root = etree.fromstring(parts.pop(root_id))
    xop = "{http://www.w3.org/2004/08/xop/include}Include"
    includes = {
        etree.QName(i.getparent()).localname: i.get("href") for i in root.iter(xop)
    }
    assert set(includes) == {"Data", "Thumb"}  # elements only: Sig stays text
    photo_el = root.find(".//{urn:test}Photo")
    assert photo_el is not None and photo_el.get("Sig") == "AQI="
    by_href = {f"cid:{k.replace('@', '%40')}": v for k, v in parts.items()}
    assert by_href[includes["Data"]] == IMAGE
    assert by_href[includes["Thumb"]] == b"tiny"
    assert b"wsdlbind-xop" not in seen[0].body.replace(b"@wsdlbind", b"")


def test_without_mtom_base64_goes_as_text(module: ModuleType) -> None:
    with serve(lambda r: Answer(200, envelope("AAEC"))) as (url, seen):
        module.Test(endpoint=url).PutPhoto(Name="cat", Data=b"\x00\x01\x02")
    assert b"<ns0:Data>AAEC</ns0:Data>" in seen[0].body


def test_the_root_parts_type_carries_the_action_as_one_parameter(
    module: ModuleType,
) -> None:
    import email.parser
    import email.policy

    with serve(lambda r: Answer(200, envelope("AAEC"))) as (url, seen):
        module.Test(endpoint=url, mtom=True).PutPhoto(Name="c", Data=b"1")
    head = f"Content-Type: {seen[0].headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        head + seen[0].body
    )
    root = message.get_payload()[0]
    assert root.get_param("type") == 'application/soap+xml; action="urn:test/PutPhoto"'


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            '<xop:Include href="cid:p"/><xop:Include href="cid:p"/>',
            "not its element's only content",
        ),
        ('x<xop:Include href="cid:p"/>', "not its element's only content"),
    ],
)
def test_an_include_that_could_multiply_the_answer_is_refused(
    module: ModuleType, data: str, error: str
) -> None:
    answer = multipart(
        [("root", "application/xop+xml", envelope(data)), ("p", "image/png", IMAGE)]
    )
    with serve(lambda r: answer) as (url, _):
        with pytest.raises(module.ResponseError, match=error):
            module.Test(endpoint=url).GetPhoto(Id=1)


def test_a_part_included_twice_is_refused(module: ModuleType) -> None:
    root = envelope(
        '<xop:Include href="cid:p"/>', '<Thumb><xop:Include href="cid:p"/></Thumb>'
    )
    answer = multipart([("root", "application/xop+xml", root), ("p", "x/y", IMAGE)])
    with serve(lambda r: answer) as (url, _):
        with pytest.raises(
            module.ResponseError, match="includes the part 'cid:p' twice"
        ):
            module.Test(endpoint=url).GetPhoto(Id=1)
