"""Concurrency benchmark: 100 ``CreateContactBatch`` calls at once to a server on
127.0.0.1 that answers each after 20 ms.

Run from the repository root, with the test extras installed:

    python bench/concurrency.py            # 7 rounds
    python bench/concurrency.py --smoke    # 1 round, 10 calls: checks it works

The server runs in a process of its own (its threads would otherwise take
turns with the clients for the GIL). Each answer's batch id is the count of
numbers sent, so every answer is checked. Candidates, each from a new client
per round: wsdlbind's async client (the
calls gathered on one ``AsyncBroadcastService`` over httpx), zeep's
``AsyncClient`` (also over httpx), and wsdlbind's sync client on 8 threads
sharing one ``BroadcastService``. Every answer is checked. The table shows each
candidate's median wall time and the median of its per-round ratios to
wsdlbind's async client.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generated"))

import callfire  # noqa: E402 - the committed client, from generated/

from tests.soap_server import envelope  # noqa: E402

VENDOR_WSDL = (
    ROOT.parent / "shared" / "callfire-wsdl" / "callfire-service-http-soap12.wsdl"
)
SVC = "http://api.callfire.com/service/xsd"
DELAY = 0.02


def numbers(n: int) -> list[str]:
    return [f"1310555{i:04d}" for i in range(n)]


async def wsdlbind_async(url: str, calls: int) -> list[int]:
    async with callfire.AsyncBroadcastService("u", "p", endpoint=url) as svc:
        return list(
            await asyncio.gather(
                *(
                    svc.CreateContactBatch(BroadcastId=1, ToNumber=numbers(n))
                    for n in range(1, calls + 1)
                )
            )
        )


async def zeep_async(url: str, calls: int) -> list[int]:
    import httpx
    import zeep
    from zeep.proxy import AsyncServiceProxy
    from zeep.transports import AsyncTransport

    wsdl_client = httpx.Client()
    transport = AsyncTransport(client=httpx.AsyncClient(), wsdl_client=wsdl_client)
    client = zeep.AsyncClient(str(VENDOR_WSDL), transport=transport)
    # zeep's create_service makes a sync proxy even on an AsyncClient.
    binding = client.wsdl.bindings[
        "{http://api.callfire.com/service/wsdl/http/soap12}BroadcastServiceBinding"
    ]
    service = AsyncServiceProxy(client, binding, address=url)
    try:
        return list(
            await asyncio.gather(
                *(
                    service.CreateContactBatch(BroadcastId=1, ToNumber=numbers(n))
                    for n in range(1, calls + 1)
                )
            )
        )
    finally:
        await transport.aclose()
        wsdl_client.close()


def wsdlbind_threads(url: str, calls: int) -> list[int]:
    with callfire.BroadcastService("u", "p", endpoint=url) as svc:
        with ThreadPoolExecutor(8) as pool:
            return list(
                pool.map(
                    lambda n: svc.CreateContactBatch(
                        BroadcastId=1, ToNumber=numbers(n)
                    ),
                    range(1, calls + 1),
                )
            )


def run_server() -> None:
    """The server process: an asyncio HTTP/1.1 server, keep-alive, each answer
    after DELAY; it prints its URL and serves until stdin closes. Written on
    asyncio streams rather than http.server, whose cost per request (about
    2.5 ms of one core) would be the ceiling for every candidate."""

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                count = body.count(b":ToNumber>") // 2
                answer = envelope(f'<CreatedId xmlns="{SVC}">{count}</CreatedId>')
                await asyncio.sleep(DELAY)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
        port = server.sockets[0].getsockname()[1]
        print(f"http://127.0.0.1:{port}/api/1.1/soap12/broadcast", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        server.close()

    asyncio.run(main())


@contextlib.contextmanager
def server_process() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1 round, 10 calls")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        run_server()
        return
    rounds, calls = (1, 10) if options.smoke else (7, 100)
    candidates: dict[str, Any] = {
        "wsdlbind async (httpx)": lambda url: asyncio.run(wsdlbind_async(url, calls)),
        "zeep AsyncClient (httpx)": lambda url: asyncio.run(zeep_async(url, calls)),
        "wsdlbind sync, 8 threads": lambda url: wsdlbind_threads(url, calls),
    }
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    expected = list(range(1, calls + 1))
    with server_process() as url:
        for _ in range(rounds):
            for name, run in candidates.items():
                started = time.perf_counter()
                got = run(url)
                samples[name].append(time.perf_counter() - started)
                if [int(x) for x in got] != expected:
                    raise SystemExit(f"{name} gave other answers than were sent")
    base = samples["wsdlbind async (httpx)"]
    print(
        f"{calls} concurrent CreateContactBatch calls, server answering after"
        f" {DELAY * 1000:.0f} ms; median of {rounds} round(s)"
    )
    for name, times in samples.items():
        ratio = statistics.median(t / b for t, b in zip(times, base, strict=True))
        print(f"  {name:<28} {statistics.median(times) * 1000:8.1f} ms  {ratio:5.2f}x")


if __name__ == "__main__":
    main()
