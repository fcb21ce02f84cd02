"""The async clients (``AsyncBroadcastService`` and co): the same typed methods,
validation, faults, retries and deadlines as the sync ones, over httpx, against
a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import GOLDEN
from tests.soap_server import Answer, Request, envelope, fault12, serve
from tests.test_client_runtime import TYPED_DETAIL, created

pytest.importorskip("httpx")


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_many_concurrent_calls_share_a_pool(golden: ModuleType) -> None:
    def answer(request: Request) -> Answer:
        number = request.body.count(b":ToNumber>") // 2
        return Answer(200, created(number).body, delay=0.02)

    async def calls(url: str) -> list[int]:
        async with golden.AsyncBroadcastService("u", "p", endpoint=url) as svc:
            return await asyncio.gather(
                *(
                    svc.CreateContactBatch(BroadcastId=1, ToNumber=["1310555"] * n)
                    for n in range(1, 101)
                )
            )

    with serve(answer) as (url, seen):
        results = run(calls(url))
    assert results == list(range(1, 101))
    assert len(seen) == 100
    assert seen[0].headers["User-Agent"].startswith("wsdlbind/")


def test_a_cancelled_call_leaves_the_client_usable(golden: ModuleType) -> None:
    slow = {"delay": 2.0}

    def answer(request: Request) -> Answer:
        return Answer(200, created(9).body, delay=slow.pop("delay", 0.0))

    async def scenario(url: str) -> int:
        svc = golden.AsyncBroadcastService("u", "p", endpoint=url)
        task = asyncio.create_task(
            svc.CreateContactBatch(BroadcastId=1, ContactListId=2)
        )
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        started = time.monotonic()
        result: int = await svc.CreateContactBatch(BroadcastId=1, ContactListId=2)
        assert time.monotonic() - started < 1.5  # not behind the cancelled one
        await svc.aclose()
        return result

    with serve(answer) as (url, _):
        assert run(scenario(url)) == 9


def test_a_fault_is_the_same_typed_exception(golden: ModuleType) -> None:
    async def call(url: str) -> None:
        async with golden.AsyncBroadcastService("u", "p", endpoint=url) as svc:
            await svc.CreateContactBatch(BroadcastId=1, ContactListId=2)

    fault = fault12("soap:Sender", "Archived", TYPED_DETAIL)
    with serve(lambda r: Answer(500, fault)) as (url, _):
        with pytest.raises(golden.ServiceFault) as raised:
            run(call(url))
    assert raised.value.info.FaultCode.value == "BAD_REQUEST"


def test_a_safe_call_is_retried_and_an_unsafe_one_is_not(golden: ModuleType) -> None:
    batch = envelope(
        '<ContactBatch xmlns="http://api.callfire.com/data" id="4"><Name>n</Name>'
        "<Status>ACTIVE</Status><BroadcastId>3</BroadcastId>"
        "<Created>2026-01-01T00:00:00Z</Created></ContactBatch>"
    )
    answers = iter([Answer(503, b""), Answer(200, batch), Answer(503, b"")])

    async def calls(url: str) -> None:
        svc = golden.AsyncBroadcastService("u", "p", endpoint=url, backoff=0.01)
        assert (await svc.GetContactBatch(Id=4)).id == 4
        with pytest.raises(golden.TransportError, match="HTTP 503"):
            await svc.ControlContactBatch(Id=4, Enabled=True)
        await svc.aclose()

    with serve(lambda r: next(answers)) as (url, seen):
        run(calls(url))
    assert len(seen) == 3  # two for the read, one for the change


def test_the_deadline_bounds_the_whole_call(golden: ModuleType) -> None:
    async def call(url: str) -> None:
        async with golden.AsyncBroadcastService("u", "p", endpoint=url) as svc:
            await svc.CreateContactBatch(BroadcastId=1, ContactListId=2, deadline=0.3)

    with serve(lambda r: Answer(200, created(1).body, delay=2.0)) as (url, _):
        started = time.monotonic()
        with pytest.raises(golden.TransportError, match="deadline passed"):
            run(call(url))
    assert time.monotonic() - started < 1.5


def test_requests_are_checked_before_anything_is_sent(golden: ModuleType) -> None:
    async def call(url: str) -> None:
        async with golden.AsyncBroadcastService("u", "p", endpoint=url) as svc:
            await svc.CreateContactBatch(BroadcastId=1)  # neither numbers nor a list

    with serve(lambda r: created(1)) as (url, seen):
        with pytest.raises(golden.ValidationError, match="ToNumber|ContactListId"):
            run(call(url))
    assert seen == []


def test_without_httpx_the_error_says_what_to_install(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def missing(name: str, *args: Any) -> Any:
        if name == "httpx":
            raise ImportError("No module named 'httpx'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(
        ImportError, match=r"pip install httpx \(or wsdlbind\[async\]\)"
    ):
        golden.AsyncBroadcastService("u", "p")


def test_the_sync_client_never_imports_httpx() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import callfire\n"
        "callfire.BroadcastService('u', 'p')\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(GOLDEN.parent)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_one_client_serves_several_event_loops_and_reopens_after_aclose(
    golden: ModuleType,
) -> None:
    with serve(lambda r: created(3)) as (url, _):
        svc = golden.AsyncBroadcastService("u", "p", endpoint=url)
        call = svc.CreateContactBatch
        assert run(call(BroadcastId=1, ContactListId=2)) == 3
        assert run(call(BroadcastId=1, ContactListId=2)) == 3  # a new loop

        async def after_close() -> int:
            await svc.aclose()
            result: int = await call(BroadcastId=1, ContactListId=2)
            return result

        assert run(after_close()) == 3


def test_async_answers_are_bounded_once_decompressed(golden: ModuleType) -> None:
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(64)) + packer.flush()
    header = [("Content-Encoding", "gzip")]

    async def call(url: str) -> None:
        transport = golden.HttpxTransport(max_response_bytes=1 << 20)
        await transport.post(url, b"", {}, (5.0, 5.0))

    with serve(lambda r: Answer(200, bomb, headers=header)) as (url, seen):
        with pytest.raises(golden.TransportError, match="once decompressed"):
            run(call(url))
    assert seen[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_an_all_proxy_counts_as_the_first_hop_for_httpx(
    golden: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(ValueError, match="through the proxy proxy.example"):
        golden.AsyncBroadcastService("u", "p", endpoint="http://127.0.0.1:9/x")
