"""HTTP authentication (generator/runtime/auth.py): the challenge parser, and
Digest against a server on 127.0.0.1 that checks each answer as RFC 7616 says."""

from __future__ import annotations

import hashlib
from typing import ClassVar

import pytest
from wsdlbind.runtime.auth import DigestAuth, _challenges
from wsdlbind.runtime.errors import AuthenticationError
from wsdlbind.runtime.port import _Port
from wsdlbind.runtime.transport import HttpResponse

from tests.soap_server import SOAP12_ENV, Answer, Request, envelope, serve


class _Service(_Port):
    _envelope_ns: ClassVar[str] = SOAP12_ENV
    _default_endpoint: ClassVar[str | None] = None


def test_challenges_are_split_with_their_parameters() -> None:
    value = (
        'Negotiate, Digest realm="a, \\"b\\"", nonce=xyz, qop="auth,auth-int",'
        " NTLM TlRMTVNTUAACAAAA==, Basic realm=r"
    )
    assert _challenges(value) == [
        ("negotiate", {}),
        ("digest", {"realm": 'a, "b"', "nonce": "xyz", "qop": "auth,auth-int"}),
        ("ntlm", {"": "TlRMTVNTUAACAAAA=="}),
        ("basic", {"realm": "r"}),
    ]


def _fields(header: str) -> dict[str, str]:
    scheme, params = _challenges(header)[0]
    assert scheme == "digest"
    return params


class DigestServer:
    """Answers 401 with a Digest challenge until a request proves the password."""

    def __init__(
        self,
        algorithm: str,
        password: str = "s3cret",
        qop: bool = True,
        ok: bytes = envelope("<ok/>"),
    ) -> None:
        self.algorithm, self.password, self.qop, self.ok = algorithm, password, qop, ok
        self.nonce = "n0nce"
        self.counts: list[str] = []

    def _h(self, text: str) -> str:
        name = "sha256" if self.algorithm.startswith("SHA-256") else "md5"
        return hashlib.new(name, text.encode()).hexdigest()

    def __call__(self, request: Request) -> Answer:
        given = request.headers.get("Authorization", "")
        if given.startswith("Digest ") and self._proves(_fields(given), request.path):
            return Answer(200, self.ok)
        qop = ', qop="auth"' if self.qop else ""
        challenge = (
            f'Digest realm="soap", nonce="{self.nonce}", opaque="op",'
            f" algorithm={self.algorithm}{qop}"
        )
        return Answer(401, b"", headers=[("WWW-Authenticate", challenge)])

    def _proves(self, f: dict[str, str], path: str) -> bool:
        assert f["uri"] == path and f["opaque"] == "op" and f["realm"] == "soap"
        secret = self._h(f"{f['username']}:soap:{self.password}")
        if self.algorithm.endswith("-sess"):
            secret = self._h(f"{secret}:{f['nonce']}:{f['cnonce']}")
        request = self._h(f"POST:{f['uri']}")
        if self.qop:
            self.counts.append(f["nc"])
            expected = self._h(
                f"{secret}:{f['nonce']}:{f['nc']}:{f['cnonce']}:auth:{request}"
            )
        else:
            expected = self._h(f"{secret}:{f['nonce']}:{request}")
        return f["response"] == expected


@pytest.mark.parametrize(
    ("algorithm", "qop"),
    [("MD5", True), ("SHA-256", True), ("SHA-256-sess", True), ("MD5", False)],
)
def test_digest_answers_the_challenge_without_sending_the_password(
    algorithm: str, qop: bool
) -> None:
    server = DigestServer(algorithm, qop=qop)
    with serve(server) as (url, seen):
        client = _Service("ann", "s3cret", endpoint=url, auth="digest")
        client._call(
            "urn:a", _Request(), None, safe=False, request_id=None, soap_headers=()
        )
        client._call(
            "urn:a", _Request(), None, safe=False, request_id=None, soap_headers=()
        )
    # A challenge, its answer, then the next call answers it at once.
    assert [r.headers.get("Authorization", "")[:6] for r in seen] == [
        "",
        "Digest",
        "Digest",
    ]
    if qop:
        assert server.counts == ["00000001", "00000002"]
    assert not any(b"s3cret" in r.body or "s3cret" in str(r.headers) for r in seen)


def test_digest_with_a_wrong_password_ends_in_authentication_error() -> None:
    with serve(DigestServer("SHA-256", password="other")) as (url, seen):
        client = _Service("ann", "s3cret", endpoint=url, auth="digest")
        with pytest.raises(AuthenticationError, match="HTTP 401"):
            client._call(
                "urn:a", _Request(), None, safe=False, request_id=None, soap_headers=()
            )
    assert len(seen) == 2  # asked once, answered once, refused: no loop


def test_a_stale_nonce_is_answered_again() -> None:
    auth = DigestAuth("ann", "pw")
    challenge = 'Digest realm="r", nonce="one", qop="auth"'
    assert auth.challenge(_answer(challenge), "POST", "http://h/")
    auth.headers("POST", "http://h/")
    assert not auth.challenge(_answer(challenge), "POST", "http://h/")
    assert auth.challenge(_answer(challenge + ", stale=true"), "POST", "http://h/")
    assert auth.challenge(_answer(challenge.replace("one", "two")), "POST", "http://h/")


def test_only_digest_challenges_it_can_answer_are_taken() -> None:
    auth = DigestAuth("ann", "pw")
    assert not auth.challenge(_answer('Basic realm="r"'), "POST", "http://h/")
    assert not auth.challenge(
        _answer('Digest realm="r", nonce="n", qop="auth-int"'), "POST", "http://h/"
    )
    assert not auth.challenge(
        _answer('Digest realm="r", nonce="n", algorithm=SHA-512-256'), "POST", "h"
    )
    assert auth.headers("POST", "http://h/") == {}


def test_a_user_name_a_quoted_string_cannot_carry_goes_as_username_star() -> None:
    auth = DigestAuth("Jäsøn Doe", "pw")
    auth.challenge(_answer('Digest realm="r", nonce="n"'), "POST", "http://h/x")
    header = auth.headers("POST", "http://h/x")["Authorization"]
    assert "username*=UTF-8''J%C3%A4s%C3%B8n%20Doe" in header


def test_an_auth_object_answers_a_challenge_of_its_own_on_the_same_connection() -> None:
    class TokenAuth:
        """A scheme bound to the connection, as NTLM is: a challenge, then proof."""

        def __init__(self) -> None:
            self.proof: str | None = None

        def headers(self, method: str, url: str) -> dict[str, str]:
            if self.proof is None:
                return {"Authorization": "Token hello"}
            return {"Authorization": f"Token {self.proof}"}

        def challenge(self, response: HttpResponse, method: str, url: str) -> bool:
            offered = _challenges(response.headers.get("WWW-Authenticate", ""))
            self.proof = offered[0][1][""][::-1]
            return True

    def server(request: Request) -> Answer:
        if request.headers["Authorization"] == "Token cba":
            return Answer(200, envelope("<ok/>"))
        return Answer(401, b"", headers=[("WWW-Authenticate", "Token abc")])

    with serve(server) as (url, seen):
        client = _Service(endpoint=url, auth=TokenAuth())
        client._call(
            "urn:a", _Request(), None, safe=False, request_id=None, soap_headers=()
        )
    assert [r.headers["Authorization"] for r in seen] == ["Token hello", "Token cba"]
    assert seen[0].client_port == seen[1].client_port


def test_auth_must_be_a_known_scheme_or_an_auth_object() -> None:
    with pytest.raises(ValueError, match="auth='ntlm': give 'basic', 'digest'"):
        _Service(endpoint="https://h/", auth="ntlm")


def _answer(challenge: str) -> HttpResponse:
    return HttpResponse(401, {"WWW-Authenticate": challenge}, b"")


class _Request:
    """Stands in for a request object: build_envelope is replaced below."""


@pytest.fixture(autouse=True)
def _plain_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        _Port, "build_envelope", lambda self, request, soap_headers=(), **_: b"<r/>"
    )


def test_threads_sharing_digest_credentials_each_answer_the_same_nonce() -> None:
    """A 401 for a request that carried no answer is a challenge, not a
    refusal, whatever other threads answered with that nonce meanwhile."""
    import threading

    auth = DigestAuth("ann", "pw")
    challenge = _answer('Digest realm="r", nonce="shared", qop="auth"')
    assert auth.challenge(challenge, "POST", "http://h/")
    auth.headers("POST", "http://h/")  # this thread answered "shared"
    taken: list[bool] = []
    other = threading.Thread(
        target=lambda: taken.append(auth.challenge(challenge, "POST", "http://h/"))
    )
    other.start()
    other.join()
    assert taken == [True]  # its own request had not answered it
    assert not auth.challenge(challenge, "POST", "http://h/")  # this one had


def test_security_timestamp_refuses_what_cannot_be_a_time() -> None:
    from wsdlbind.runtime.port import SecurityTimestamp

    with pytest.raises(ValueError, match="at most ten years"):
        SecurityTimestamp(1e12)
