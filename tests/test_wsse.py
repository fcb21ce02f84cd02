"""WS-Security UsernameToken: the header, against zeep's, and checked by a server.

The server below verifies a digest the way the OASIS Username Token Profile
defines it, Base64(SHA-1(nonce + created + password)), from the bytes it
receives, and remembers nonces: a replayed one would be refused.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from tests.soap_server import Answer, Request, envelope, serve
from tests.test_callfire import canonical

WSSE = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}"
WSU = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WHEN = datetime.datetime(2026, 11, 27, 1, 2, 3, tzinfo=datetime.UTC)
BATCH = envelope(
    '<ContactBatch xmlns="http://api.callfire.com/data" id="4"><Name>n</Name>'
    "<Status>ACTIVE</Status><BroadcastId>3</BroadcastId>"
    "<Created>2026-01-01T00:00:00Z</Created></ContactBatch>"
)


def zeep_security(**options: Any) -> etree._Element:
    """zeep's Security header for the same token: the independent oracle."""
    from zeep.wsse.username import UsernameToken

    holder = etree.Element(f"{{{SOAP12}}}Envelope")
    etree.SubElement(holder, f"{{{SOAP12}}}Header")
    UsernameToken("camera", "s3cret", zulu_timestamp=True, **options).apply(holder, {})
    security: etree._Element = holder[0][0]
    return security


def without_must_understand(element: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(element))
    copy.attrib.pop(f"{{{SOAP12}}}mustUnderstand")
    return copy


def test_digest_token_equals_zeeps(golden: ModuleType) -> None:
    token = golden.UsernameToken("camera", "s3cret")
    ours = token.header(SOAP12, nonce=b"0123456789abcdef", created=WHEN)
    assert ours.get(f"{{{SOAP12}}}mustUnderstand") == "1"
    theirs = zeep_security(use_digest=True, nonce="0123456789abcdef", created=WHEN)
    assert canonical(without_must_understand(ours)) == canonical(theirs)


def test_text_token_equals_zeeps(golden: ModuleType) -> None:
    ours = golden.UsernameToken("camera", "s3cret", digest=False).header(SOAP12)
    assert canonical(without_must_understand(ours)) == canonical(zeep_security())


class DigestChecker:
    """Accepts a request only with a valid, fresh UsernameToken digest."""

    def __init__(self, password: str, fail_first: int = 0) -> None:
        self.password = password
        self.nonces: list[str] = []
        self.fail_first = fail_first

    def __call__(self, request: Request) -> Answer:
        problem = self.problem(request)
        if problem:
            return Answer(401, problem.encode(), "text/plain")
        if len(self.nonces) <= self.fail_first:
            return Answer(0, b"", drop=True, reset=True)
        return Answer(200, BATCH)

    def problem(self, request: Request) -> str:
        token = etree.fromstring(request.body).find(
            f"{{{SOAP12}}}Header/{WSSE}Security/{WSSE}UsernameToken"
        )
        if token is None:
            return "no UsernameToken"
        nonce = token.findtext(f"{WSSE}Nonce") or ""
        created = token.findtext(f"{WSU}Created") or ""
        expected = base64.b64encode(
            hashlib.sha1(
                base64.b64decode(nonce) + created.encode() + self.password.encode()
            ).digest()
        ).decode()
        if token.findtext(f"{WSSE}Password") != expected:
            return "wrong digest"
        if nonce in self.nonces:
            return "a replayed nonce"
        when = datetime.datetime.fromisoformat(created)
        if abs((datetime.datetime.now(datetime.UTC) - when).total_seconds()) > 60:
            return "a stale Created time"
        self.nonces.append(nonce)
        return ""


def test_server_accepts_the_digest_and_every_call_has_a_fresh_nonce(
    golden: ModuleType,
) -> None:
    checker = DigestChecker("s3cret")
    with serve(checker) as (url, seen):
        client = golden.BroadcastService(
            endpoint=url, wsse=golden.UsernameToken("camera", "s3cret")
        )
        assert client.GetContactBatch(Id=4).id == 4
        assert client.GetContactBatch(Id=4).id == 4
    assert len(set(checker.nonces)) == 2
    assert b"s3cret" not in seen[0].body


def test_a_retry_sends_a_new_nonce(golden: ModuleType) -> None:
    checker = DigestChecker("s3cret", fail_first=1)
    with serve(checker) as (url, _):
        client = golden.BroadcastService(
            endpoint=url, wsse=golden.UsernameToken("camera", "s3cret"), backoff=0
        )
        assert client.GetContactBatch(Id=4).id == 4
    assert len(checker.nonces) == 2 and checker.nonces[0] != checker.nonces[1]


def test_a_text_password_goes_over_plain_http_only_to_this_machine(
    golden: ModuleType,
) -> None:
    text = golden.UsernameToken("camera", "s3cret", digest=False)
    with pytest.raises(ValueError, match="clear text"):
        golden.BroadcastService(endpoint="http://192.0.2.7/onvif", wsse=text)
    digest = golden.UsernameToken("camera", "s3cret")
    golden.BroadcastService(endpoint="http://192.0.2.7/onvif", wsse=digest)
    golden.BroadcastService(endpoint="http://127.0.0.1:9/onvif", wsse=text)


def test_a_wrong_password_is_refused_by_the_checker(golden: ModuleType) -> None:
    with serve(DigestChecker("s3cret")) as (url, _):
        client = golden.BroadcastService(
            endpoint=url, wsse=golden.UsernameToken("camera", "guess")
        )
        with pytest.raises(golden.AuthenticationError, match="wrong digest"):
            client.GetContactBatch(Id=4)


# -- the Timestamp -----------------------------------------------------------------


def test_a_timestamp_beside_the_token_says_when_the_request_expires(
    golden: ModuleType,
) -> None:
    token = golden.UsernameToken("camera", "s3cret", timestamp=300)
    security = token.header(SOAP12, nonce=b"n" * 16, created=WHEN)
    stamp, user = security[0], security[1]
    assert stamp.tag == f"{WSU}Timestamp" and user.tag == f"{WSSE}UsernameToken"
    assert [child.tag for child in stamp] == [f"{WSU}Created", f"{WSU}Expires"]
    assert stamp.findtext(f"{WSU}Created") == "2026-11-27T01:02:03Z"
    assert stamp.findtext(f"{WSU}Expires") == "2026-11-27T01:07:03Z"
    # The token's own Created is the same moment.
    assert user.findtext(f"{WSU}Created") == "2026-11-27T01:02:03Z"


def test_a_timestamp_alone_goes_in_every_request(golden: ModuleType) -> None:
    with serve(lambda r: Answer(200, BATCH)) as (url, seen):
        svc = golden.BroadcastService(endpoint=url, wsse=golden.SecurityTimestamp(60))
        svc.GetContactBatch(Id=4)
    header = etree.fromstring(seen[0].body)[0]
    (security,) = header
    (stamp,) = security
    created = datetime.datetime.fromisoformat(stamp.findtext(f"{WSU}Created") or "")
    expires = datetime.datetime.fromisoformat(stamp.findtext(f"{WSU}Expires") or "")
    assert expires - created == datetime.timedelta(seconds=60)
    assert security.get(f"{{{SOAP12}}}mustUnderstand") == "1"
    with pytest.raises(ValueError, match="give a positive number"):
        golden.SecurityTimestamp(0)
