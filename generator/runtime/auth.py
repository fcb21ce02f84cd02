"""HTTP authentication at run time: the ``Auth`` protocol a client's ``auth=``
takes, and the two schemes built in, Basic (RFC 7617) and Digest (RFC 7616)."""

from __future__ import annotations

import _thread
from typing import Protocol

from .transport import HttpResponse, _basic

# -- included in the generated module --


# -- HTTP authentication -------------------------------------------------------------


class Auth(Protocol):
    """How a client authenticates over HTTP (``auth=`` takes one).

    ``headers(method, url)`` gives the headers to add to a request about to go
    out, at every attempt. When the server answers 401, ``challenge(response,
    method, url)`` sees the answer (its ``WWW-Authenticate`` header) and returns
    True to have the request sent again, with the headers ``headers`` then
    gives, or False to give up (the call raises ``AuthenticationError``). A
    request is sent again for at most three challenges. ``HttpTransport`` sends
    the request after a 401 on the connection the 401 came on, so schemes bound
    to a connection (NTLM, Negotiate) can be plugged in (see the README).
    """

    def headers(self, method: str, url: str) -> dict[str, str]: ...

    def challenge(self, response: HttpResponse, method: str, url: str) -> bool: ...


class BasicAuth:
    """HTTP Basic: the user name and password in every request (over https)."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password

    def __repr__(self) -> str:
        return f"BasicAuth({self.username!r})"

    def headers(self, method: str, url: str) -> dict[str, str]:
        return {"Authorization": _basic(self.username, self._password)}

    def challenge(self, response: HttpResponse, method: str, url: str) -> bool:
        return False  # the credentials were sent: they are wrong


class DigestAuth:
    """HTTP Digest (RFC 7616, SHA-256 or MD5, with their ``-sess`` forms, and
    ``qop=auth``): the password itself never travels, only a hash that proves
    it, bound to the server's nonce, the request and a fresh client nonce.

    The first request goes without credentials; the server's challenge is kept
    and each later request answers it (with a new nonce count), until the
    server asks again: a new nonce, or one it calls stale, is answered; the
    same one again means the credentials are wrong.
    """

    _ALGORITHMS = ("SHA-256", "SHA-256-SESS", "MD5", "MD5-SESS")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password
        import contextvars

        self._lock = _thread.allocate_lock()
        self._params: dict[str, str] | None = None
        self._count = 0
        # The nonce the last request of this thread (or asyncio task) answered:
        # a 401 refuses credentials only if that very request offered them.
        self._answered: contextvars.ContextVar[str | None] = contextvars.ContextVar(
            f"wsdlbind-digest-{id(self)}", default=None
        )

    def __repr__(self) -> str:
        return f"DigestAuth({self.username!r})"

    def challenge(self, response: HttpResponse, method: str, url: str) -> bool:
        offered = [
            params
            for scheme, params in _challenges(_header(response, "WWW-Authenticate"))
            if scheme == "digest"
            and params.get("algorithm", "MD5").upper() in self._ALGORITHMS
            and "nonce" in params
            and (not params.get("qop") or "auth" in _items(params["qop"]))
        ]
        if not offered:
            return False
        params = min(
            offered,
            key=lambda p: self._ALGORITHMS.index(p.get("algorithm", "MD5").upper()),
        )
        answered = self._answered.get()
        self._answered.set(None)
        if answered == params["nonce"] and params.get("stale", "").lower() != "true":
            return False  # answered, and refused: the credentials are wrong
        with self._lock:
            if self._params is None or self._params.get("nonce") != params["nonce"]:
                self._params, self._count = params, 0
        return True

    def headers(self, method: str, url: str) -> dict[str, str]:
        import hashlib
        import os
        from urllib import parse as url_parse

        with self._lock:
            if self._params is None:
                return {}
            params = self._params
            self._count += 1
            count = f"{self._count:08x}"
        self._answered.set(params["nonce"])
        algorithm = params.get("algorithm", "MD5")
        name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"

        def digest(text: str) -> str:
            return hashlib.new(name, text.encode("utf-8")).hexdigest()

        parts = url_parse.urlsplit(url)
        uri = url_parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        realm, nonce = params.get("realm", ""), params["nonce"]
        cnonce = os.urandom(16).hex()
        secret = digest(f"{self.username}:{realm}:{self._password}")
        if algorithm.upper().endswith("-SESS"):
            secret = digest(f"{secret}:{nonce}:{cnonce}")
        request = digest(f"{method}:{uri}")
        fields = [_user_field(self.username), f'realm="{_quoted(realm)}"']
        fields += [f'nonce="{_quoted(nonce)}"', f'uri="{_quoted(uri)}"']
        fields.append(f"algorithm={algorithm}")
        if params.get("qop"):
            proof = digest(f"{secret}:{nonce}:{count}:{cnonce}:auth:{request}")
            fields += [f'response="{proof}"', "qop=auth", f"nc={count}"]
            fields.append(f'cnonce="{cnonce}"')
        else:  # RFC 2069's form, which RFC 7616 keeps for old servers
            fields.append(f'response="{digest(f"{secret}:{nonce}:{request}")}"')
        if "opaque" in params:
            fields.append(f'opaque="{_quoted(params["opaque"])}"')
        return {"Authorization": "Digest " + ", ".join(fields)}


def _header(response: HttpResponse, name: str) -> str:
    """A header's value, whatever the case of its name."""
    for key, value in response.headers.items():
        if key.lower() == name.lower():
            return value
    return ""


def _challenges(value: str) -> list[tuple[str, dict[str, str]]]:
    """The challenges in a ``WWW-Authenticate`` value (RFC 9110, 11.6.1): each
    scheme, lowercased, with its parameters (names lowercased, quotes undone).
    Several challenges may share one value, separated by commas."""
    found: list[tuple[str, dict[str, str]]] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] in " \t,":
            i += 1
        start = i
        while i < n and value[i] not in " \t,=":
            i += 1
        word = value[start:i]
        while i < n and value[i] in " \t":
            i += 1
        if not word:
            i += 1
            continue
        if i < n and value[i] == "=" and found:  # a parameter of the last scheme
            i += 1
            while i < n and value[i] in " \t":
                i += 1
            if i < n and value[i] == '"':
                i += 1
                chars = []
                while i < n and value[i] != '"':
                    if value[i] == "\\" and i + 1 < n:
                        i += 1
                    chars.append(value[i])
                    i += 1
                i += 1
                text = "".join(chars)
            else:
                start = i
                while i < n and value[i] not in " \t,":
                    i += 1
                text = value[start:i]
            found[-1][1][word.lower()] = text
        else:
            found.append((word.lower(), {}))
            # A token68 (NTLM's, Negotiate's): the rest up to a comma.
            start = i
            while i < n and value[i] != ",":
                i += 1
            rest = value[start:i].strip()
            if rest and "=" not in rest.rstrip("="):
                found[-1][1][""] = rest
            elif rest:
                i = start
    return found


def _items(value: str) -> list[str]:
    return [item.strip().lower() for item in value.split(",")]


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _user_field(username: str) -> str:
    """``username="..."``, or RFC 7616's ``username*`` for names a quoted string
    cannot carry as is."""
    if username.isascii() and username.isprintable():
        return f'username="{_quoted(username)}"'
    from urllib import parse as url_parse

    return f"username*=UTF-8''{url_parse.quote(username, safe='')}"
