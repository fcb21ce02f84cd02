"""The port classes' shared runtime (generator/runtime/port.py): the envelope,
credentials and their guards, answers, faults."""

from __future__ import annotations

import base64
import datetime
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from lxml import etree
from wsdlbind.runtime import port
from wsdlbind.runtime.errors import Fault, ResponseError, ValidationError
from wsdlbind.runtime.port import (
    UsernameToken,
    _answer_element,
    _answer_root,
    _fault,
    _Port,
    _request,
)

from tests.soap_server import SOAP12_ENV, fault12

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_WSSE = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}"


class _Service(_Port):
    _envelope_ns: ClassVar[str] = SOAP12_ENV
    _default_endpoint: ClassVar[str | None] = "https://api.example/soap"


def test_credentials_in_the_endpoint_become_the_clients_and_leave_the_url() -> None:
    client = _Service(endpoint="https://ann:p%40ss@api.example/soap")
    assert (client.username, client.endpoint) == ("ann", "https://api.example/soap")
    assert "p@ss" not in repr(client)
    assert (
        client._authenticator().headers("POST", client.endpoint)["Authorization"]  # type: ignore[union-attr]
        == "Basic " + base64.b64encode(b"ann:p@ss").decode()
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://ann:pa/ss@api.example/soap",
        "https://ann:p?ss@api.example/soap",
        "https://ann:p#ss@api.example/soap",
        "https://ann:/ss@api.example/soap",
        "https://[::1]:p/ss@api.example/soap",
    ],
)
def test_an_unescaped_delimiter_in_a_password_is_refused_without_echoing_it(
    address: str,
) -> None:
    with pytest.raises(ValueError) as refused:
        _Service(endpoint=address)
    assert str(refused.value) == (  # nothing of the address in it
        "the endpoint URL's host part is not host[:port]: percent-encode '/', '?',"
        " '#' and '@' in a user name or password there (%2F, %3F, %23, %40), or"
        " give them as username= and password="
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://api.example:8443/users/ann@example.com/soap",
        "https://api.example/soap?tenant=ann@example.com",
        "https://[::1]:8443/soap#ann@x",
        "https://[::1]/a@b",
    ],
)
def test_an_at_sign_after_a_valid_host_is_part_of_the_path(address: str) -> None:
    client = _Service(endpoint=address)
    assert (client.endpoint, client.username) == (address, None)


def test_credentials_go_over_plain_http_only_to_this_machine() -> None:
    with pytest.raises(ValueError, match="clear text to api.example"):
        _Service("ann", "pw", endpoint="http://api.example/soap")
    client = _Service("ann", "pw", endpoint="http://127.0.0.1:8080/soap")
    client.endpoint = "http://127.evil.example/soap"  # checked again at send time
    with pytest.raises(ValueError, match="clear text"):
        client._check_clear_text()


def test_soap_versions_send_the_action_where_each_expects_it() -> None:
    assert _Service()._headers("urn:act")["Content-Type"] == (
        'application/soap+xml; charset=utf-8; action="urn:act"'
    )

    class Soap11(_Port):
        _envelope_ns = SOAP11_ENV
        _default_endpoint = "https://api.example/soap"

    assert Soap11()._headers("urn:act")["SOAPAction"] == '"urn:act"'


def test_a_digest_token_proves_the_password_without_sending_it() -> None:
    token = UsernameToken("ann", "secret")
    moment = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
    header = token.header(SOAP12_ENV, nonce=b"\1" * 16, created=moment)
    digest = hashlib.sha1(b"\1" * 16 + b"2026-12-01T10:00:00Z" + b"secret").digest()
    password = header.find(f"{_WSSE}UsernameToken/{_WSSE}Password")
    assert password is not None and password.text == base64.b64encode(digest).decode()
    assert b"secret" not in etree.tostring(header)
    with pytest.raises(ValidationError, match="UsernameToken.Password"):
        UsernameToken("ann", "bell\x07")


def _envelope(inner: str, env: str = SOAP12_ENV) -> etree._Element:
    data = f'<s:Envelope xmlns:s="{env}">{inner}</s:Envelope>'.encode()
    return _answer_root(data, 1000)


def test_the_answer_element_is_the_bodys_first_child() -> None:
    env = "{" + SOAP12_ENV + "}"
    root = _envelope("<s:Header/><s:Body><r/></s:Body>")
    first = _answer_element(root, env, strict=False)
    assert first is not None and first.tag == "r"
    assert _answer_element(_envelope("<s:Body/>"), env, strict=False) is None
    with pytest.raises(ResponseError, match="2 Body"):
        _answer_element(_envelope("<s:Body/><s:Body/>"), env, strict=False)


def test_multi_references_are_inlined_only_where_the_module_reads_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = "{" + SOAP12_ENV + "}"
    root = _envelope('<s:Body><r><a href="#1"/></r><m id="1">x</m></s:Body>')
    first = _answer_element(root, env, strict=False)
    assert first is not None and first[0].get("href") == "#1"
    seen: list[etree._Element] = []
    monkeypatch.setattr(port, "_MULTIREFS", lambda f, body, limit: seen.append(f))
    assert _answer_element(root, env, strict=False) is first and seen == [first]


def test_an_answer_with_a_dtd_is_not_read() -> None:
    data = b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'
    with pytest.raises((ResponseError, etree.XMLSyntaxError)):
        _answer_root(data, 1000)


def test_faults_read_in_both_soap_versions() -> None:
    root = etree.fromstring(fault12("soap:Sender", "bad id", subcode="c:NoSuchId"))
    fault = _fault(root[0][0], "{" + SOAP12_ENV + "}", strict=False)
    assert (fault.code, fault.subcodes, fault.reason) == (
        "soap:Sender",
        ["c:NoSuchId"],
        "bad id",
    )
    old = etree.fromstring(
        f'<s:Fault xmlns:s="{SOAP11_ENV}"><faultcode>s:Server</faultcode>'
        "<faultstring>down</faultstring></s:Fault>"
    )
    assert str(_fault(old, "{" + SOAP11_ENV + "}", strict=False)) == "s:Server: down"


def test_a_declared_fault_detail_gives_its_typed_fault(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Typed(Fault):
        def __init__(self, reason: str, *, info: Any, **rest: Any) -> None:
            super().__init__(reason, **rest)
            self.info = info

    monkeypatch.setattr(
        port, "_FAULTS", {"{urn:x}Info": (Typed, lambda el, strict: el.text)}
    )
    root = etree.fromstring(
        fault12("soap:Receiver", "no", '<i:Info xmlns:i="urn:x">7</i:Info>')
    )
    fault = _fault(root[0][0], "{" + SOAP12_ENV + "}", strict=False)
    assert isinstance(fault, Typed) and fault.info == "7"


class _Request:
    def __init__(self, Id: int | None = None) -> None:  # noqa: N803 - a WSDL's name
        self.Id = Id


def test_a_method_takes_one_request_object_or_its_fields() -> None:
    given = _Request(1)
    assert _request(_Request, "Get", (given,), {}) is given
    assert _request(_Request, "Get", (), {"Id": 2}).Id == 2
    with pytest.raises(TypeError, match="takes one _Request or its fields"):
        _request(_Request, "Get", (given,), {"Id": 2})


def test_an_answer_of_more_elements_than_the_limit_is_refused_before_parsing() -> None:
    empty = b"<r>" + b"<x/>" * 100 + b"</r>"  # 101 elements in 409 bytes
    with pytest.raises(ResponseError, match="more than 100 elements"):
        _answer_root(empty, 100)
    assert len(_answer_root(empty, 101)) == 100


def test_end_tags_are_not_counted_and_comments_count_as_elements() -> None:
    items = b"<x>1</x><!-- a comment --><?pi?>" * 30
    data = b"<?xml version='1.0'?><r>" + items + b"</r>"  # 92 nodes, 123 "<"
    assert len(_answer_root(data, 92)) == 90
    with pytest.raises(ResponseError):
        _answer_root(data, 91)


def test_a_short_answer_is_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under four bytes an element, the limit cannot be passed: no count."""

    class Data(bytes):
        def count(self, *args: Any) -> int:
            raise AssertionError("counted")

    assert _answer_root(Data(b"<r><x/></r>"), 3).tag == "r"
    with pytest.raises(AssertionError, match="counted"):
        _answer_root(Data(b"<r><x/></r>"), 2)


# -- Fake: a stand-in for a port in a user's tests ----------------------------------


def _readme_fake_example() -> str:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- fake-example -->")[1].split("<!-- /fake")[0]
    return block.split("```python\n")[1].split("```")[0]


def test_the_readmes_fake_example_runs(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "generated.callfire", golden)
    exec(_readme_fake_example(), {})  # noqa: S102 - the README's own code


def test_the_readmes_fake_example_passes_mypy_strict(
    golden: ModuleType, tmp_path: Path
) -> None:
    """The fake's port is typed as the port class: a user's function that
    takes a BroadcastService takes it, and its answers keep their types."""
    (tmp_path / "generated").mkdir()
    shutil.copy(golden.__file__, tmp_path / "generated" / "callfire.py")
    (tmp_path / "example.py").write_text(
        _readme_fake_example() + "reveal_type(fake.port.CreateContactBatch)\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "example.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert "error" not in checked.stdout, checked.stdout
    assert "Revealed type" in checked.stdout and ") -> int" in checked.stdout


def test_a_fake_checks_requests_as_a_call_does_and_records_only_those_sent(
    golden: ModuleType,
) -> None:
    fake = golden.Fake(golden.BroadcastService)
    with pytest.raises(golden.ValidationError, match="give exactly one of"):
        fake.port.CreateContactBatch(BroadcastId=3)  # neither ToNumber nor a list
    assert fake.calls == []
    with pytest.raises(TypeError, match="takes one CreateContactBatch or its fields"):
        fake.port.CreateContactBatch(golden.GetBroadcast(Id=1))
    assert isinstance(fake.port, golden.BroadcastService)
    assert type(fake.port).__name__ == "FakeBroadcastService"


def test_a_fake_answers_in_turn_and_with_what_a_function_of_the_request_gives(
    golden: ModuleType,
) -> None:
    fake = golden.Fake(golden.BroadcastService)
    fault = golden.Fault("no such broadcast", code="soap:Receiver")
    fake.answer(
        "GetBroadcast",
        lambda request: golden.Broadcast(Name=f"#{request.Id}"),
        fault,
    )
    assert fake.port.GetBroadcast(Id=7) == golden.Broadcast(Name="#7")
    for _ in range(2):  # the last answer again, each time
        with pytest.raises(golden.Fault, match="no such broadcast"):
            fake.port.GetBroadcast(Id=8)
    assert [c.request.Id for c in fake.calls] == [7, 8, 8]
    assert fake.port.DeleteBroadcastSchedule(Id=1) is None  # answers nothing


def test_a_fake_says_what_it_was_not_told(golden: ModuleType) -> None:
    fake = golden.Fake(golden.BroadcastService)
    with pytest.raises(LookupError) as caught:
        fake.port.GetBroadcast(Id=1)
    assert str(caught.value) == (
        "BroadcastService.GetBroadcast was called with no answer given: "
        "call fake.answer('GetBroadcast', ...) first"
    )
    with pytest.raises(ValueError) as wrong:
        fake.answer("GetBroadcst", 1)
    assert str(wrong.value).startswith(
        "BroadcastService has no operation 'GetBroadcst'; it has ControlBroadcast, "
    )


def test_an_async_port_has_a_fake_too(golden: ModuleType) -> None:
    import asyncio

    fake = golden.Fake(golden.AsyncBroadcastService)
    fake.answer("CreateContactBatch", 5)

    async def attach() -> int:
        result: int = await fake.port.CreateContactBatch(BroadcastId=1, ContactListId=2)
        return result

    assert asyncio.run(attach()) == 5
    assert fake.calls[0].request == golden.CreateContactBatch(
        BroadcastId=1, ContactListId=2
    )
