"""The port classes' shared runtime: ``_Port`` (endpoint, credentials,
retries, the deadline, the SOAP exchange), WS-Security's ``UsernameToken``,
reading answers and their faults, and ``parse_response``."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import (
    Any,
    ClassVar,
    Generic,
    Literal,
    NamedTuple,
    Self,
    TypeVar,
    overload,
)

from lxml import etree

from .async_transport import AsyncTransport, HttpxTransport
from .auth import Auth, BasicAuth, DigestAuth
from .codec import _ELEMENTS, _element_bytes, _kept, _utf8, parse
from .content import _Reader
from .errors import (
    AuthenticationError,
    Fault,
    ResponseError,
    TransportError,
    ValidationError,
)
from .scalars import _M, _Model, _mtom, _sub
from .transport import (
    HttpResponse,
    HttpTransport,
    Transport,
    _debug,
    _is_loopback,
    _merged,
    _proxy_for,
    _xml_parser,
    _xml_text_ok,
)

# Stand-ins for what the generated module defines itself.
_FAULTS: dict[str, tuple[Callable[..., Fault], _Reader]] = {}
_MULTIREFS: _Multirefs | None = None
_USER_AGENT = "wsdlbind"


# -- included in the generated module --

#: What inlines SOAP encoding's multi-reference values in an answer's Body
#: (its first element, the Body, the element limit): ``_MULTIREFS``, set only
#: in a module generated from a WSDL that uses SOAP encoding.
_Multirefs = Callable[[etree._Element, etree._Element, int], None]


_WSSE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)
_WSU = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)
_TOKEN_PROFILE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
)
_MESSAGE_SECURITY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"
)


#: How many elements an answer may hold, by default: a 64 MiB answer (the
#: transport's default limit) of elements of 32 bytes on average. Memory goes
#: with elements more than with bytes: libxml2 takes about 120 bytes for an
#: element, however short (``<a/>`` is 4 bytes), and a typed object more.
_MAX_ELEMENTS = 2_000_000


class UsernameToken:
    """WS-Security credentials (the OASIS UsernameToken profile) for every request.

    With ``digest`` (the default) the password never travels: the header holds
    Base64(SHA-1(nonce + created + password)) with a fresh random nonce and the
    current time, as ONVIF devices and most WS-Security services expect; without
    it, the password is sent as text, which the client allows over https only.
    A new token is made for each attempt, so a retry never replays a nonce.
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        digest: bool = True,
        must_understand: bool = True,
        timestamp: float | None = None,
    ) -> None:
        """``timestamp``: seconds each request stays valid, for a WS-Security
        Timestamp (``wsu:Created``, ``wsu:Expires``) beside the token."""
        for name, value in (("Username", username), ("Password", password)):
            if not _xml_text_ok(value):
                raise ValidationError(
                    f"UsernameToken.{name}",
                    "holds a character XML cannot carry (a control character)",
                )
        self.username = username
        self._password = password
        self.digest = digest
        self.must_understand = must_understand
        self.timestamp = None if timestamp is None else SecurityTimestamp(timestamp)

    def __repr__(self) -> str:
        return f"UsernameToken({self.username!r}, digest={self.digest})"

    def header(
        self,
        envelope_ns: str,
        *,
        nonce: bytes | None = None,
        created: datetime.datetime | None = None,
    ) -> etree._Element:
        """The ``wsse:Security`` header element; ``nonce`` and ``created`` are
        for tests and replays of recorded exchanges, made fresh when left out."""
        moment = created or datetime.datetime.now(datetime.UTC)
        security = _security(envelope_ns, self.must_understand)
        if self.timestamp is not None:
            self.timestamp.add_to(security, moment)
        token = _sub(security, "{" + _WSSE + "}UsernameToken")
        _sub(token, "{" + _WSSE + "}Username").text = self.username
        password = _sub(token, "{" + _WSSE + "}Password")
        if not self.digest:
            password.set("Type", _TOKEN_PROFILE + "#PasswordText")
            password.text = self._password
            return security
        import base64
        import hashlib
        import secrets

        nonce = secrets.token_bytes(16) if nonce is None else nonce
        stamp = _utc_stamp(moment)
        sha1 = hashlib.sha1(nonce + stamp.encode() + self._password.encode())
        password.set("Type", _TOKEN_PROFILE + "#PasswordDigest")
        password.text = base64.b64encode(sha1.digest()).decode("ascii")
        encoded = _sub(token, "{" + _WSSE + "}Nonce")
        encoded.set("EncodingType", _MESSAGE_SECURITY + "#Base64Binary")
        encoded.text = base64.b64encode(nonce).decode("ascii")
        _sub(token, "{" + _WSU + "}Created").text = stamp
        return security


class SecurityTimestamp:
    """A WS-Security Timestamp alone (``wsse=SecurityTimestamp(300)``): when
    each request was made and when it expires, ``expires_in`` seconds later.
    Services that check freshness without credentials in the message ask for
    it; ``UsernameToken(..., timestamp=300)`` puts one beside the token."""

    def __init__(self, expires_in: float = 300.0, *, must_understand: bool = True):
        if not (math.isfinite(expires_in) and 0 < expires_in <= 10 * 366 * 86400):
            raise ValueError(
                f"SecurityTimestamp(expires_in={expires_in!r}): give a positive number"
                " of seconds, at most ten years"
            )
        self.expires_in = expires_in
        self.must_understand = must_understand

    def __repr__(self) -> str:
        return f"SecurityTimestamp({self.expires_in!r})"

    def header(
        self, envelope_ns: str, *, created: datetime.datetime | None = None
    ) -> etree._Element:
        """The ``wsse:Security`` header element holding the Timestamp."""
        security = _security(envelope_ns, self.must_understand)
        self.add_to(security, created or datetime.datetime.now(datetime.UTC))
        return security

    def add_to(self, security: etree._Element, moment: datetime.datetime) -> None:
        stamp = _sub(security, "{" + _WSU + "}Timestamp")
        _sub(stamp, "{" + _WSU + "}Created").text = _utc_stamp(moment)
        expires = moment + datetime.timedelta(seconds=self.expires_in)
        _sub(stamp, "{" + _WSU + "}Expires").text = _utc_stamp(expires)


def _security(envelope_ns: str, must_understand: bool) -> etree._Element:
    security = etree.Element(
        "{" + _WSSE + "}Security", nsmap={"wsse": _WSSE, "wsu": _WSU}
    )
    if must_understand:
        security.set("{" + envelope_ns + "}mustUnderstand", "1")
    return security


def _utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_WSA = "http://www.w3.org/2005/08/addressing"
_ANONYMOUS = _WSA + "/anonymous"


def _addressing(
    envelope_ns: str, action: str, message_id: str, to: str
) -> list[etree._Element]:
    """WS-Addressing 1.0's headers of a request: Action and To (both to be
    understood, as WCF expects), a fresh MessageID, and ReplyTo anonymous (the
    answer comes back on the same HTTP exchange)."""
    headers = []
    for name, text in (("Action", action), ("MessageID", message_id), ("To", to)):
        el = etree.Element("{" + _WSA + "}" + name, nsmap={"wsa": _WSA})
        el.text = text
        if name != "MessageID":
            el.set("{" + envelope_ns + "}mustUnderstand", "1")
        headers.append(el)
    reply = etree.Element("{" + _WSA + "}ReplyTo", nsmap={"wsa": _WSA})
    _sub(reply, "{" + _WSA + "}Address").text = _ANONYMOUS
    headers.insert(2, reply)
    return headers


class _Send(NamedTuple):
    """One request for a driver to send (see ``_PortBase._steps``)."""

    body: bytes
    headers: dict[str, str]
    timeouts: tuple[float, float]  # (connect, read), seconds
    end: float | None  # the call's deadline, a time.monotonic() time


#: A call as its steps: it yields requests to send (answered with the response,
#: or the TransportError of the attempt) and pauses (seconds, answered with
#: None), and returns the answer's body element. The sync and async ports
#: drive the same steps, so retries, challenges and deadlines are decided once.
_Steps = Generator[_Send | float, HttpResponse | TransportError | None, etree._Element]
_TransportT = TypeVar("_TransportT")


class _PortBase(Generic[_TransportT]):
    """What every port class shares, sync or async: endpoint, credentials,
    options, the envelope, and each call's steps."""

    _envelope_ns: ClassVar[str]
    _default_endpoint: ClassVar[str | None]

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        *,
        endpoint: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        deadline: float | None = None,
        retries: int = 2,
        backoff: float = 0.25,
        transport: _TransportT | None = None,
        soap_headers: Sequence[etree._Element | _Model] = (),
        on_exchange: Callable[[bytes, HttpResponse | None], None] | None = None,
        allow_insecure_http: bool = False,
        strict: bool = False,
        wsse: UsernameToken | SecurityTimestamp | None = None,
        max_response_elements: int = _MAX_ELEMENTS,
        auth: Literal["basic", "digest"] | Auth = "basic",
        http_headers: Mapping[str, str] | None = None,
        huge_tree: bool = False,
        wsa: bool = False,
        mtom: bool = False,
    ) -> None:
        """A client for ``endpoint`` (default: the WSDL's address), as ``username``.

        ``timeout`` bounds each read of the answer and ``connect_timeout`` the
        connection, in seconds; ``deadline`` (seconds, or ``None``: no limit)
        bounds a whole call, retries and pauses included, however slowly the
        server answers (each method also takes ``deadline=`` for one call).
        Calls that are safe to repeat (the methods whose docstrings say so: as
        configured when the module was generated, by operation name or by an
        idempotency key in the request, filled in when left empty) are retried
        up to ``retries`` times on connection failures and HTTP 502/503/504,
        after ``backoff`` seconds doubled each time, with jitter; the others are
        never sent twice. ``transport`` replaces
        the HTTP stack; ``soap_headers`` (elements, or objects of the classes the
        WSDL declares as headers) go into every request's SOAP Header;
        ``on_exchange`` sees each request's bytes and its answer (``None`` if none
        came). Credentials go over plain http only to this machine, unless
        ``allow_insecure_http``. With ``strict``, an answer holding elements the
        schema does not declare raises ``ResponseError`` instead of being read.
        ``wsse`` adds WS-Security UsernameToken credentials to every request.
        An answer of more than ``max_response_elements`` elements is refused
        before it is parsed (``ResponseError``); with the transport's
        ``max_response_bytes``, it bounds the memory one answer can take.
        ``auth`` is how ``username`` and ``password`` go over HTTP: ``"basic"``
        (in every request), ``"digest"`` (an answer to the server's challenge,
        never the password itself), or an ``Auth`` object of your own.
        ``http_headers`` go into every request (each method also takes
        ``http_headers=`` for one call); ``huge_tree`` reads answers with text
        nodes over 10 MB or nesting deeper than 256 levels (still with no
        entities and no DTD). With ``wsa``, each request carries WS-Addressing
        1.0 headers (Action, a fresh MessageID per attempt, To, ReplyTo
        anonymous), and an answer whose ``RelatesTo`` names another message is
        refused (one with none too, when ``strict``). With ``mtom``, requests
        go as MTOM (``multipart/related``, XOP): each base64Binary value in an
        element is an attachment of its own bytes instead of base64 text.
        Answers in MTOM are read whatever ``mtom`` says.
        """
        self.username = username
        self._password = password
        if auth not in ("basic", "digest") and not (
            callable(getattr(auth, "headers", None))
            and callable(getattr(auth, "challenge", None))
        ):
            raise ValueError(
                f"auth={auth!r}: give 'basic', 'digest' or an object with the"
                " headers() and challenge() methods of the Auth protocol"
            )
        self.auth = auth
        self._digest: DigestAuth | None = None
        self.http_headers = dict(http_headers or {})
        self.huge_tree = huge_tree
        self.wsa = wsa
        self.mtom = mtom
        self.wsse = wsse
        self.allow_insecure_http = allow_insecure_http
        self.transport: _TransportT = (
            transport if transport is not None else self._default_transport()
        )
        self.endpoint = endpoint or self._default_endpoint or ""
        if not self.endpoint:
            raise ValueError(
                f"{type(self).__name__} needs endpoint=: the WSDL gives no address"
            )
        self._check_clear_text()
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.soap_headers = list(soap_headers)
        self.on_exchange = on_exchange
        self.strict = strict
        self.max_response_elements = max_response_elements

    def _default_transport(self) -> _TransportT:
        raise NotImplementedError

    @property
    def endpoint(self) -> str:
        """The address requests go to; credentials in it become the client's."""
        return self._endpoint

    @endpoint.setter
    def endpoint(self, value: str) -> None:
        # Only an address with an "@" can hold credentials, or be misread because
        # of them; others need no parsing (which spares every program's start-up
        # the import of urllib.parse).
        if "@" in value:
            from urllib import parse as url_parse

            parts = url_parse.urlsplit(value)
            _check_authority(parts.netloc.rpartition("@")[2])
            if parts.username is not None or parts.password is not None:
                if self.username is not None or self._password is not None:
                    raise ValueError(
                        "credentials both in the endpoint URL and as username/password:"
                        " give them once, as username= and password="
                    )
                self.username = url_parse.unquote(parts.username or "")
                self._password = url_parse.unquote(parts.password or "")
                host = parts.netloc.rpartition("@")[2]
                value = url_parse.urlunsplit(parts._replace(netloc=host))
        self._endpoint = value

    def _check_clear_text(self) -> None:
        """Refuse to send credentials over plain http past this machine: decided
        by address (``127.0.0.0/8``, ``::1``, ``localhost``), and with a proxy in
        the way, by the proxy's, which is the first hop."""
        credentials = self.username is not None or self._password is not None
        credentials |= isinstance(self.wsse, UsernameToken) and not self.wsse.digest
        credentials |= not isinstance(self.auth, str)  # whatever it sends
        # An https:// address needs no parsing here, which spares the start-up of
        # every program the import of urllib.parse (and of ipaddress with it).
        if (
            not credentials
            or self.allow_insecure_http
            or self.endpoint.startswith("https://")
        ):
            return
        from urllib import parse as url_parse

        parts = url_parse.urlsplit(self.endpoint)
        if parts.scheme != "http":
            return
        host = parts.hostname or ""
        # The default transports take the proxy from the environment (httpx
        # from ALL_PROXY too).
        proxy = (
            _proxy_for(
                "http", host, all_proxy=isinstance(self.transport, HttpxTransport)
            )
            if isinstance(self.transport, HttpTransport | HttpxTransport)
            else None
        )
        hop = (proxy.hostname or "") if proxy is not None else host
        if not _is_loopback(hop):
            via = f" (through the proxy {hop})" if proxy is not None else ""
            raise ValueError(
                f"refusing to send credentials in clear text to {host}{via}: "
                "use https, or pass allow_insecure_http=True"
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, username={self.username!r})"

    def build_envelope(
        self,
        request: Any,
        soap_headers: Sequence[etree._Element | _Model] = (),
        *,
        first: Sequence[etree._Element] = (),
    ) -> bytes:
        """The SOAP envelope a request object is sent in, without sending it
        (``first``: header elements that come before all others)."""
        start, end = _FRAMES[self._envelope_ns]
        if not (self.soap_headers or soap_headers or self.wsse is not None or first):
            return start + _element_bytes(request) + end
        headers = [*first, *self.soap_headers, *soap_headers]
        if self.wsse is not None:
            headers.insert(len(first), self.wsse.header(self._envelope_ns))
        # Each part is serialized on its own and the envelope around them is
        # constant bytes: lxml gives the same document as from one tree, and
        # neither an Envelope per call nor copies of the header elements are made.
        parts = [start.replace(b"<soap:Body>", b"<soap:Header>")]
        parts += [  # elements as given; headers the WSDL declares, from their class
            _utf8(h) if isinstance(h, etree._Element) else _element_bytes(h)
            for h in headers
        ]
        parts += [b"</soap:Header><soap:Body>", _element_bytes(request), end]
        return b"".join(parts)

    def _headers(
        self, action: str, http_headers: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """The HTTP headers of a request, before authentication adds its own."""
        headers = {"User-Agent": _USER_AGENT}
        if self._envelope_ns == "http://www.w3.org/2003/05/soap-envelope":
            headers["Content-Type"] = (
                f'application/soap+xml; charset=utf-8; action="{action}"'
            )
        else:
            headers["Content-Type"] = "text/xml; charset=utf-8"
            headers["SOAPAction"] = f'"{action}"'
        headers = _merged(headers, self.http_headers)
        if http_headers:
            headers = _merged(headers, http_headers)
        return headers

    def _authenticator(self) -> Auth | None:
        """What authenticates this client's requests now (None: nothing)."""
        if not isinstance(self.auth, str):
            return self.auth
        if self.username is None and self._password is None:
            return None
        username, password = self.username or "", self._password or ""
        if self.auth == "basic":
            return BasicAuth(username, password)
        digest = self._digest
        if digest is None or (digest.username, digest._password) != (
            username,
            password,
        ):
            digest = self._digest = DigestAuth(username, password)
        return digest

    def _begin(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None,
    ) -> tuple[_Steps, list[Any] | None]:
        """A port method's arguments (the request object, or its fields as
        keywords, and ``soap_headers``, ``http_headers``, ``deadline``,
        ``answer_headers``) as the steps of the call, and the list its
        answer's headers go into (None: not asked for)."""
        args, fields = call
        options: dict[str, Any] = {
            name: fields.pop(name)
            for name in ("soap_headers", "http_headers", "deadline", "answer_headers")
            if name in fields
        }
        answer = options.pop("answer_headers", None)
        request = _request(cls, operation, args, fields)
        steps = self._steps(
            action,
            request,
            response_tag,
            safe=safe,
            request_id=request_id,
            wsa_action=wsa_action,
            **options,
        )
        return steps, answer

    def _result(
        self,
        el: etree._Element,
        operation: str,
        read: Callable[[etree._Element, bool], _M] | None,
        answer: list[Any] | None,
        readers: tuple[tuple[str, _Reader], ...],
    ) -> _M | None:
        """The answer's body element read with ``read``; its headers put into
        ``answer`` when the call asked for them."""
        if answer is not None:
            answer.extend(self._answer_headers(el, readers))
        return self._read(el, operation, read)

    def _answer_headers(
        self, el: etree._Element, readers: tuple[tuple[str, _Reader], ...]
    ) -> list[Any]:
        """The answer's SOAP headers: those the binding declares read into their
        classes, any other as the element it is."""
        root = el.getroottree().getroot()
        header = (
            root[0] if len(root) and root[0].tag == root.tag[:-8] + "Header" else None
        )
        if header is None:
            return []
        by_tag = dict(readers)
        found: list[Any] = []
        for child in header:
            if not isinstance(child.tag, str):
                continue
            reader = by_tag.get(child.tag)
            if reader is None:
                found.append(child)
                continue
            try:
                found.append(reader(child, self.strict))
            except (ValueError, TypeError) as exc:
                name = etree.QName(child).localname
                raise ResponseError(
                    f"cannot read the answer's {name} header: {exc}"
                ) from exc
        return found

    def _read(
        self,
        el: etree._Element,
        operation: str,
        read: Callable[[etree._Element, bool], _M] | None,
    ) -> _M | None:
        if read is None:
            return None
        try:
            return read(el, self.strict)
        except (ValueError, TypeError) as exc:
            raise ResponseError(f"cannot read the {operation} response: {exc}") from exc

    def _steps(
        self,
        action: str,
        request: Any,
        response_tag: str | None,
        *,
        safe: bool,
        request_id: str | None,
        soap_headers: Sequence[etree._Element | _Model] = (),
        deadline: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        wsa_action: str | None = None,
    ) -> _Steps:
        """One call: the request sent (again, if that is safe and needed), and
        the answer's body element returned. ``wsa_action``: WS-Addressing's
        Action, when the WSDL gives one other than the soapAction."""
        import time

        if request_id is not None:
            # The service drops a request whose key it has seen: with one key
            # for all attempts, a retry can never create a second resource.
            if getattr(request, request_id) is None:
                import copy
                import uuid

                request = copy.copy(request)
                setattr(request, request_id, f"urn:uuid:{uuid.uuid4()}")
            safe = True
        self._check_clear_text()  # the endpoint may have changed since
        message_id = None
        body = b""
        if self.wsa and wsa_action:
            # WS-Addressing's SOAP binding: the HTTP action is wsa:Action.
            action = wsa_action
        base = self._headers(action, http_headers)
        auth = self._authenticator()
        attempt = challenges = 0
        seconds = self.deadline if deadline is None else deadline
        end = None if seconds is None else time.monotonic() + seconds
        while True:
            # Each attempt its own nonce and time, and its own MessageID.
            if not body or self.wsse is not None or self.wsa:
                first: list[etree._Element] = []
                if self.wsa:
                    import uuid

                    message_id = f"urn:uuid:{uuid.uuid4()}"
                    first = _addressing(
                        self._envelope_ns, action, message_id, self.endpoint
                    )
                if self.mtom:
                    body, base = self._mtom_request(
                        request, soap_headers, first, action, http_headers
                    )
                else:
                    body = self.build_envelope(request, soap_headers, first=first)
            headers = base
            if auth is not None:
                headers = _merged(base, auth.headers("POST", self.endpoint))
            _debug(
                "POST %s action=%s (%d bytes, attempt %d)",
                self.endpoint,
                action,
                len(body),
                attempt + 1,
            )
            timeouts = (self.connect_timeout, self.timeout)
            left = None if end is None else end - time.monotonic()
            outcome: HttpResponse | TransportError | None
            if left is not None and left <= 0:
                outcome = TransportError(
                    f"POST {self.endpoint}: the {seconds} s deadline passed"
                )
            else:
                if left is not None:  # each read bounded by what is left
                    timeouts = (min(timeouts[0], left), min(timeouts[1], left))
                outcome = yield _Send(body, headers, timeouts, end)
            # A response is anything shaped like HttpResponse (a transport may
            # build its own module's copy of it): only an error is told apart.
            if isinstance(outcome, TransportError):
                if self.on_exchange is not None:
                    self.on_exchange(body, None)
                if (
                    outcome.status is None
                    and safe
                    and attempt < self.retries
                    and _before(end)
                ):
                    _debug("retrying after: %s", outcome)
                    yield self._pause(attempt, end)
                    attempt += 1
                    continue
                raise outcome
            response = outcome
            assert response is not None  # a driver answers every request
            if self.on_exchange is not None:
                self.on_exchange(body, response)
            _debug(
                "HTTP %d from %s (%d bytes)",
                response.status,
                self.endpoint,
                len(response.body),
            )
            if (
                response.status in (502, 503, 504)
                and safe
                and attempt < self.retries
                and _before(end)
            ):
                yield self._pause(attempt, end)
                attempt += 1
                continue
            if (
                response.status == 401
                and auth is not None
                and challenges < 3
                and _before(end)
                and auth.challenge(response, "POST", self.endpoint)
            ):
                # The server did not take the request: sending it again, with
                # the challenge answered, is safe for any operation.
                challenges += 1
                continue
            return self._answer(response, response_tag, message_id)

    def _check_relates_to(
        self, root: etree._Element, env: str, message_id: str
    ) -> None:
        """The answer to a request with WS-Addressing must be a reply to it."""
        related = _relates_to(root, env)
        if related and message_id not in related:
            raise ResponseError(
                f"the answer relates to {related[0]!r}, not to this request"
                f" ({message_id}): another call's answer"
            )
        if not related and self.strict:
            raise ResponseError(
                "the answer has no WS-Addressing RelatesTo (strict=True asks for one)"
            )

    def _mtom_request(
        self,
        request: Any,
        soap_headers: Sequence[etree._Element | _Model],
        first: Sequence[etree._Element],
        action: str,
        http_headers: Mapping[str, str] | None,
    ) -> tuple[bytes, dict[str, str]]:
        """The request as MTOM: the envelope, each base64Binary element's value
        an ``xop:Include`` of a part of its own; and its HTTP headers."""
        import secrets

        token = secrets.token_hex(8)
        _mtom.marker, _mtom.parts = f"wsdlbind-xop-{token}-", []
        try:
            envelope = self.build_envelope(request, soap_headers, first=first)
            values: list[bytes] = _mtom.parts
        finally:
            _mtom.parts = None
        root_id, boundary = f"root.{token}@wsdlbind", f"MIME_boundary_{token}"
        pieces = [b""]
        for i, value in enumerate(values):
            marker = f"wsdlbind-xop-{token}-{i}.".encode()
            include = (
                f'<xop:Include xmlns:xop="{_XOP}" href="cid:{i}.{token}%40wsdlbind"/>'
            ).encode()
            if b">" + marker + b"<" in envelope:  # an element's whole content
                envelope = envelope.replace(marker, include, 1)
                pieces.append(
                    f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
                    f"Content-Transfer-Encoding: binary\r\n"
                    f"Content-ID: <{i}.{token}@wsdlbind>\r\n\r\n".encode()
                    + value
                    + b"\r\n"
                )
            else:  # in an attribute: base64 text, as without MTOM
                import base64

                envelope = envelope.replace(marker, base64.b64encode(value), 1)
        soap12 = self._envelope_ns == "http://www.w3.org/2003/05/soap-envelope"
        # The root part's type holds the action as a quoted string in a quoted
        # string (MTOM's SOAP 1.2 binding): its quotes escaped.
        inner = f'application/soap+xml; action=\\"{action}\\"' if soap12 else "text/xml"
        pieces[0] = (
            f"--{boundary}\r\nContent-Type: application/xop+xml; charset=utf-8;"
            f' type="{inner}"\r\nContent-Transfer-Encoding: binary\r\n'
            f"Content-ID: <{root_id}>\r\n\r\n".encode()
            + envelope
            + b"\r\n"
        )
        pieces.append(f"--{boundary}--\r\n".encode())
        headers = self._headers(action, http_headers)
        start_info = "application/soap+xml" if soap12 else "text/xml"
        headers["Content-Type"] = (
            f'multipart/related; type="application/xop+xml"; boundary="{boundary}";'
            f' start="<{root_id}>"; start-info="{start_info}"'
        )
        if soap12:
            headers["Content-Type"] += f'; action="{action}"'
        return b"".join(pieces), headers

    def _pause(self, attempt: int, end: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: backoff with jitter,
        never past the deadline."""
        import random
        import time

        pause = random.uniform(0, min(30.0, self.backoff * 2**attempt))
        if end is not None:
            pause = max(0.0, min(pause, end - time.monotonic()))
        return pause

    def _answer(
        self,
        response: HttpResponse,
        response_tag: str | None,
        message_id: str | None = None,
    ) -> etree._Element:
        env = "{" + self._envelope_ns + "}"
        status, data = response.status, response.body
        attachments = None
        content_type = next(
            (v for k, v in response.headers.items() if k.lower() == "content-type"), ""
        )
        if content_type.lower().startswith("multipart/related"):
            data, attachments = _mime_parts(data, content_type)
        try:
            root = _answer_root(data, self.max_response_elements, self.huge_tree)
        except etree.XMLSyntaxError as exc:
            if not 200 <= status < 300:
                raise _http_error(status, self.endpoint, data) from None
            raise ResponseError(f"the response is not well-formed XML: {exc}") from None
        if root.tag != env + "Envelope":
            if not 200 <= status < 300:
                raise _http_error(status, self.endpoint, data)
            raise ResponseError(f"expected a SOAP {env}Envelope, got <{root.tag}>")
        if attachments is not None:
            _include_xop(root, attachments)
        first = _answer_element(  # a Fault is raised here
            root, env, self.strict, self.max_response_elements
        )
        if not 200 <= status < 300:
            raise _http_error(status, self.endpoint, data)
        if message_id is not None:
            self._check_relates_to(root, env, message_id)
        if response_tag is not None and (first is None or first.tag != response_tag):
            got = "an empty Body" if first is None else f"<{first.tag}>"
            raise ResponseError(f"expected <{response_tag}> in the response, got {got}")
        return first if first is not None else root


class _Port(_PortBase[Transport]):
    """What every port class shares: the base, driven over a ``Transport``."""

    def _default_transport(self) -> Transport:
        return HttpTransport()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the transport's kept-alive connections."""
        close = getattr(self.transport, "close", None)
        if callable(close):
            close()

    @overload
    def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: None,
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> None: ...

    @overload
    def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: Callable[[etree._Element, bool], _M],
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> _M: ...

    def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: Callable[[etree._Element, bool], _M] | None,
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> _M | None:
        """What every port method does: the request made from its arguments,
        sent, and the answer read with ``read``."""
        steps, answer = self._begin(
            cls,
            operation,
            call,
            action,
            response_tag,
            safe=safe,
            request_id=request_id,
            wsa_action=wsa_action,
        )
        return self._result(self._run(steps), operation, read, answer, answer_readers)

    def _call(
        self, action: str, request: Any, response_tag: str | None, **options: Any
    ) -> etree._Element:
        """Send ``request`` with ``action``; the answer's body element."""
        return self._run(self._steps(action, request, response_tag, **options))

    def _run(self, steps: _Steps) -> etree._Element:
        """Drive a call's steps: send each request, wait out each pause."""
        import time

        outcome: HttpResponse | TransportError | None = None
        try:
            while True:
                step = steps.send(outcome)
                if not isinstance(step, _Send):
                    time.sleep(step)
                    outcome = None
                    continue
                try:
                    if step.end is not None and isinstance(
                        self.transport, HttpTransport
                    ):
                        outcome = self.transport.post(
                            self.endpoint,
                            step.body,
                            step.headers,
                            step.timeouts,
                            deadline=step.end,
                        )
                    else:
                        outcome = self.transport.post(
                            self.endpoint, step.body, step.headers, step.timeouts
                        )
                except TransportError as exc:
                    outcome = exc
        except StopIteration as done:
            result: etree._Element = done.value
            return result
        finally:
            steps.close()


class _AsyncPort(_PortBase[AsyncTransport]):
    """What every async port class shares: the same base and steps, driven
    with ``await`` over an ``AsyncTransport`` (httpx's by default). A call
    cancelled while it waits leaves the transport's pool usable."""

    def _default_transport(self) -> AsyncTransport:
        return HttpxTransport()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the transport's kept-alive connections."""
        aclose: Callable[[], Any] | None = getattr(self.transport, "aclose", None)
        if callable(aclose):
            await aclose()

    @overload
    async def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: None,
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> None: ...

    @overload
    async def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: Callable[[etree._Element, bool], _M],
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> _M: ...

    async def _exchange(
        self,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: Callable[[etree._Element, bool], _M] | None,
        *,
        safe: bool,
        request_id: str | None,
        wsa_action: str | None = None,
        answer_readers: tuple[tuple[str, _Reader], ...] = (),
    ) -> _M | None:
        """What every async port method does (see ``_Port._exchange``)."""
        steps, answer = self._begin(
            cls,
            operation,
            call,
            action,
            response_tag,
            safe=safe,
            request_id=request_id,
            wsa_action=wsa_action,
        )
        el = await self._run(steps)
        return self._result(el, operation, read, answer, answer_readers)

    async def _run(self, steps: _Steps) -> etree._Element:
        """Drive a call's steps with await; the deadline bounds each send."""
        import asyncio
        import time

        outcome: HttpResponse | TransportError | None = None
        try:
            while True:
                step = steps.send(outcome)
                if not isinstance(step, _Send):
                    await asyncio.sleep(step)
                    outcome = None
                    continue
                post = self.transport.post(
                    self.endpoint, step.body, step.headers, step.timeouts
                )
                try:
                    if step.end is None:
                        outcome = await post
                    else:
                        async with asyncio.timeout(step.end - time.monotonic()):
                            outcome = await post
                except TransportError as exc:
                    outcome = exc
                except TimeoutError:
                    outcome = TransportError(
                        f"POST {self.endpoint} failed: the call's deadline passed"
                    )
        except StopIteration as done:
            result: etree._Element = done.value
            return result
        finally:
            steps.close()


# -- a stand-in for a port in tests --


class FakeCall(NamedTuple):
    """One call a ``Fake`` port received: the method's name, and the request
    object, checked as a real call checks it before sending."""

    operation: str
    request: Any


_P = TypeVar("_P", bound="_PortBase[Any]")


class Fake(Generic[_P]):
    """A stand-in for a port class in your tests: ``Fake(BroadcastService)``.

    ``fake.port`` is a ``BroadcastService`` (a subclass made for the fake), with
    the same typed methods; pass it to the code under test. It sends nothing:
    each call makes and checks its request as a real call does (a broken rule
    raises ``ValidationError``), records it in ``fake.calls``, and answers what
    ``fake.answer()`` gave for that method. An operation with no answer given
    raises ``LookupError``, unless it answers nothing.
    """

    def __init__(self, port: type[_P]) -> None:
        self.calls: list[FakeCall] = []
        self._answers: dict[str, list[Any]] = {}
        self._operations = sorted(
            n for n, v in vars(port).items() if callable(v) and n[:1] != "_"
        )
        fake = self
        if issubclass(port, _AsyncPort):

            async def _exchange_async(port: Any, *args: Any, **options: Any) -> Any:
                return fake._called(port, *args, **options)

            exchange: Any = _exchange_async
        else:

            def _exchange(port: Any, *args: Any, **options: Any) -> Any:
                return fake._called(port, *args, **options)

            exchange = _exchange
        stand_in = type(
            f"Fake{port.__name__}",
            (port,),
            {
                "_exchange": exchange,
                "__module__": port.__module__,
                "__doc__": port.__doc__,
            },
        )
        # Never contacted: the address and transport only satisfy the
        # constructor (an async port's default would need httpx).
        self.port: _P = stand_in(endpoint="https://fake.invalid/", transport=object())
        self._name = port.__name__

    def answer(self, operation: str, *results: Any) -> None:
        """What the method ``operation`` answers: each of ``results`` in turn,
        the last one again for every later call. A result that is an exception
        (a ``Fault``, a ``TransportError``, or its class) is raised; a function is called with
        the request object, and what it returns is the answer."""
        if operation not in self._operations:
            raise ValueError(
                f"{self._name} has no operation {operation!r}; "
                f"it has {', '.join(self._operations)}"
            )
        if not results:
            raise ValueError(f"give {operation} at least one answer")
        self._answers[operation] = list(results)

    def _called(
        self,
        port: Any,
        cls: type[Any],
        operation: str,
        call: tuple[tuple[Any, ...], dict[str, Any]],
        action: str,
        response_tag: str | None,
        read: Any,
        **options: Any,
    ) -> Any:
        args, fields = call
        headers = fields.pop("soap_headers", ())
        for name in ("http_headers", "deadline", "answer_headers"):
            fields.pop(name, None)
        request = _request(cls, operation, args, fields)
        port.build_envelope(request, headers)  # the checks a real call makes
        self.calls.append(FakeCall(operation, request))
        queue = self._answers.get(operation)
        if queue is None:
            if read is None:
                return None
            raise LookupError(
                f"{self._name}.{operation} was called with no answer "
                f"given: call fake.answer({operation!r}, ...) first"
            )
        result = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(result, BaseException) or (
            isinstance(result, type) and issubclass(result, BaseException)
        ):
            raise result
        if callable(result) and not isinstance(result, _Model):
            result = result(request)
        return result


_XOP = "http://www.w3.org/2004/08/xop/include"


def _mime_parts(body: bytes, content_type: str) -> tuple[bytes, dict[str, bytes]]:
    """An MTOM answer (``multipart/related``): its root part, the XML, and the
    other parts' bytes by Content-ID. The email package reads the MIME."""
    import email.parser
    import email.policy

    head = f"Content-Type: {content_type}\r\n\r\n".encode("ascii", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    payloads = message.get_payload()
    if not message.is_multipart() or not isinstance(payloads, list):
        raise ResponseError("the multipart/related answer has no parts")
    given = message.get_param("start")
    start = given.strip("<>") if isinstance(given, str) else ""
    parts: dict[str, bytes] = {}
    root: bytes | None = None
    for part in payloads:
        if isinstance(part, str):
            continue  # a preamble's text, not a part
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        content_id = str(part.get("Content-ID", "")).strip().strip("<>")
        if root is None and (not start or content_id == start):
            root = payload
        else:
            parts[content_id] = payload
    if root is None:
        raise ResponseError(f"the multipart/related answer has no part <{start}>")
    return root, parts


def _include_xop(root: etree._Element, parts: dict[str, bytes]) -> None:
    """Put each ``xop:Include``'s part in its place, as the base64 text the
    element holds without MTOM, so that readers need not know of it."""
    import base64
    from urllib import parse as url_parse

    used: set[str] = set()
    for include in list(root.iter("{" + _XOP + "}Include")):
        href = include.get("href", "")
        content_id = url_parse.unquote(href[4:]) if href.startswith("cid:") else ""
        if content_id not in parts:
            raise ResponseError(f"the answer's xop:Include names no part: {href!r}")
        parent = include.getparent()
        assert parent is not None  # the root is an Envelope, never an Include
        # XOP: an Include is its element's whole content, and each part is
        # included once, so the answer can grow by no more than base64 does.
        if (
            len(parent) != 1
            or (parent.text or "").strip()
            or (include.tail or "").strip()
        ):
            raise ResponseError(
                f"the answer's xop:Include {href!r} is not its element's only content"
            )
        if content_id in used:
            raise ResponseError(f"the answer includes the part {href!r} twice")
        used.add(content_id)
        parent.text = base64.b64encode(parts[content_id]).decode("ascii")
        parent.remove(include)


def _relates_to(root: etree._Element, env: str) -> list[str]:
    header = root[0] if len(root) and root[0].tag == env + "Header" else None
    if header is None:
        return []
    return [
        (el.text or "").strip()
        for el in header.iterchildren("{" + _WSA + "}RelatesTo")
        if el.get("RelationshipType", _WSA + "/reply") == _WSA + "/reply"
    ]


def parse_response(
    cls: type[_M],
    data: bytes,
    *,
    strict: bool = False,
    max_elements: int = _MAX_ELEMENTS,
    huge_tree: bool = False,
) -> _M:
    """Read an answer as it comes over the wire (a SOAP 1.1 or 1.2 envelope) into
    a ``cls`` instance, as the port classes do with every answer.

    For answers recorded, or received some other way. The XML is read without
    entities, DTDs or network access. A SOAP Fault raises ``Fault`` (the typed
    subclass when the WSDL declares its detail); anything but an envelope whose
    Body holds ``cls``'s element raises ``ResponseError``, as does an answer of
    more than ``max_elements`` elements (see ``_answer_root``). ``huge_tree``
    reads text nodes over 10 MB and nesting deeper than 256 levels.
    """
    tag = _ELEMENTS.get(cls)
    if tag is None:
        raise TypeError(f"{cls.__name__} is not the type of a global element")
    try:
        root = _answer_root(data, max_elements, huge_tree)
    except etree.XMLSyntaxError as exc:
        raise ResponseError(f"the response is not well-formed XML: {exc}") from None
    if root.tag not in _ENVELOPES:
        raise ResponseError(f"expected a SOAP Envelope, got <{root.tag}>")
    first = _answer_element(root, root.tag[: -len("Envelope")], strict, max_elements)
    if first is None or first.tag != tag:
        got = "an empty Body" if first is None else f"<{first.tag}>"
        raise ResponseError(f"expected <{tag}> in the response, got {got}")
    return parse(cls, first, strict=strict)


def _answer_root(
    data: bytes, max_elements: int, huge_tree: bool = False
) -> etree._Element:
    """An answer's root element; raises etree.XMLSyntaxError if it is not XML,
    and ResponseError if it holds more than ``max_elements`` elements.

    The elements are counted in the bytes, before anything is parsed: each
    starts with a ``<`` (entities, which could make more, are never expanded),
    as do comments and processing instructions, which take memory as elements
    do and count as such; end tags are taken off when the first count is
    over. An answer shorter than four bytes an element (``<a/>``) cannot be
    over, and is not counted at all.
    """
    if len(data) > 4 * max_elements:
        count = data.count(b"<")
        if count > max_elements:
            count -= data.count(b"</")
        if count > max_elements:
            raise ResponseError(
                f"the response holds more than {max_elements:,} elements: refused"
                " before it was read (max_response_elements= raises the limit)"
            )
    try:
        parser: etree.XMLParser = _kept.huge_parser if huge_tree else _kept.parser
    except AttributeError:  # this thread's first answer
        # One per thread, not per answer: making one added 40% to reading a
        # small answer, and lxml makes threads take turns with a shared one.
        parser = _xml_parser(huge_tree)
        if huge_tree:
            _kept.huge_parser = parser
        else:
            _kept.parser = parser
    root = etree.fromstring(data, parser)
    if root.getroottree().docinfo.internalDTD is not None:
        raise ResponseError(
            "the response has a DTD, which SOAP forbids; it was not read"
        )
    return root


def _answer_element(
    root: etree._Element, env: str, strict: bool, max_elements: int = _MAX_ELEMENTS
) -> etree._Element | None:
    """The first element in an envelope's Body (None if empty); raises its Fault."""
    # The Body comes last, but SOAP 1.1 allows more after it: then it is looked for.
    body = root[-1] if len(root) else None
    if len(root) > 2 or (len(root) == 2 and root[0].tag != env + "Header"):
        bodies = list(root.iterchildren(env + "Body"))
        if len(bodies) > 1:
            raise ResponseError(f"the envelope holds {len(bodies)} Body elements")
        body = bodies[0] if bodies else None
    elif body is None or body.tag != env + "Body":
        body = None
    first = body[0] if body is not None and len(body) else None
    if first is not None and first.tag == env + "Fault":
        raise _fault(first, env, strict)
    if (
        _MULTIREFS is not None
        and first is not None
        and body is not None
        and len(body) > 1
    ):
        _MULTIREFS(first, body, max_elements)
    return first


# The constant bytes before and after the request element, by SOAP version.
_FRAMES = {
    envelope_ns: (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<soap:Envelope xmlns:soap="{envelope_ns}"><soap:Body>'.encode(),
        b"</soap:Body></soap:Envelope>",
    )
    for envelope_ns in (
        "http://schemas.xmlsoap.org/soap/envelope/",
        "http://www.w3.org/2003/05/soap-envelope",
    )
}
_ENVELOPES = tuple("{" + envelope_ns + "}Envelope" for envelope_ns in _FRAMES)


def _before(end: float | None) -> bool:
    """Whether a deadline (a ``time.monotonic()`` time, or none) is still ahead."""
    if end is None:
        return True
    import time

    return time.monotonic() < end


def _check_authority(authority: str) -> None:
    """Refuse an address whose host part is not ``host[:port]``.

    A password holding an unescaped ``/``, ``?`` or ``#`` ends the URL's
    authority early (``https://user:pa/ss@host/`` names the host ``user``), and
    the rest of the password would go to that host in the request line. Such an
    authority has a port that is not a number, which is refused here without
    echoing the address. A password whose text before that character is all
    digits cannot be told from a port; pass credentials as username= and
    password= to be safe from it.
    """
    if authority.startswith("["):  # an IPv6 literal, [::1]:8080
        rest = authority.partition("]")[2]
        colon, port = rest[:1], rest[1:]
        valid = not rest or (colon == ":" and port.isascii() and port.isdigit())
    else:
        _, colon, port = authority.partition(":")
        valid = not colon or (port.isascii() and port.isdigit())
    if not valid:
        raise ValueError(
            "the endpoint URL's host part is not host[:port]: percent-encode '/', '?',"
            " '#' and '@' in a user name or password there (%2F, %3F, %23, %40), or"
            " give them as username= and password="
        )


def _http_error(status: int, endpoint: str, data: bytes) -> TransportError:
    excerpt = data[:200].decode("utf-8", "replace")
    error = AuthenticationError if status in (401, 403) else TransportError
    return error(
        f"HTTP {status} from {endpoint}: {excerpt!r}", status=status, body=data
    )


def _request(
    cls: type[_M], operation: str, args: tuple[Any, ...], fields: dict[str, Any]
) -> _M:
    """The request object of a port method called with one object or with keywords."""
    if not args:
        return cls(**fields)
    if len(args) == 1 and not fields and isinstance(args[0], cls):
        return args[0]
    raise TypeError(f"{operation}() takes one {cls.__name__} or its fields as keywords")


def _fault(el: etree._Element, env: str, strict: bool) -> Fault:
    """The exception for a SOAP Fault: typed when its detail is one the WSDL declares."""
    if env == "{http://www.w3.org/2003/05/soap-envelope}":
        codes = [v.text or "" for v in el.iterfind(f"{env}Code//{env}Value")]
        reason = el.findtext(f"{env}Reason/{env}Text") or ""
        detail = el.find(f"{env}Detail")
    else:
        codes = [el.findtext("faultcode") or ""]
        reason = el.findtext("faultstring") or ""
        detail = el.find("detail")
    code, subcodes = (codes[0] if codes else ""), codes[1:]
    for child in detail if detail is not None else ():
        known = _FAULTS.get(child.tag) if isinstance(child.tag, str) else None
        if known is not None:
            fault_class, reader = known
            try:
                info = reader(child, strict)
            except (ValueError, TypeError, ResponseError):
                break  # a detail that does not parse leaves the plain Fault
            return fault_class(
                reason, code=code, subcodes=subcodes, detail=detail, info=info
            )
    return Fault(reason, code=code, subcodes=subcodes, detail=detail)
