"""Fixtures shared by the test suite.

- ``shared``: the ``../shared`` folder beside the checkout (vendor WSDL, corpus).
  Absent in a user's clone, the tests that need it skip with a reason; with
  ``WSDLBIND_REQUIRE_SHARED=1`` (set by ``.ci/run``) they fail instead.
- every test runs with outbound sockets limited to loopback, so no test can
  reach the network by accident;
- ``generate_module``: generate a client from a WSDL path and import it.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from wsdlbind import model, pipeline

from tests import inline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VENDOR_WSDL = SHARED / "callfire-wsdl" / "callfire-service-http-soap12.wsdl"
VENDOR_XSD = SHARED / "callfire-wsdl" / "callfire-service.xsd"
OWN_WSDL = ROOT / "wsdl" / "callfire" / "callfire.wsdl"
GOLDEN = ROOT / "generated" / "callfire.py"
#: How this repository generates CallFire's clients (its [tool.wsdlbind]
#: input): reads and requests with a RequestId are retried.
CALLFIRE_POLICY = model.CallPolicy(("Get*", "Query*"), "RequestId")
CALLFIRE_FLAGS = (
    "--retry",
    "Get*",
    "--retry",
    "Query*",
    "--idempotency-key",
    "RequestId",
)

_counter = itertools.count()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder, or a skip (a failure under WSDLBIND_REQUIRE_SHARED=1)."""
    if not VENDOR_WSDL.is_file():
        reason = f"{SHARED} is absent: the vendor WSDL and the corpus live there"
        if os.environ.get("WSDLBIND_REQUIRE_SHARED") == "1":
            pytest.fail(f"{reason} (WSDLBIND_REQUIRE_SHARED=1 forbids skipping)")
        pytest.skip(reason)
    return SHARED


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # AF_UNIX and friends
    return host in ("localhost", "::1") or host.startswith("127.")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any outbound connection that is not to this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(
            address
        ):
            raise ConnectionRefusedError(f"test tried to reach {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def import_path(path: Path) -> ModuleType:
    """Import a generated module from a file under a fresh module name."""
    name = f"wsdlbind_test_{path.stem}_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def generate_module(tmp_path: Path) -> Callable[[Path], ModuleType]:
    """Generate a client from a WSDL file and import it."""

    def generate(wsdl: Path, policy: model.CallPolicy = model.NO_RETRY) -> ModuleType:
        result = pipeline.generate(str(wsdl), offline=True, policy=policy)
        out = tmp_path / f"client_{next(_counter)}.py"
        out.write_text(result.code, encoding="utf-8")
        return import_path(out)

    return generate


@pytest.fixture
def write_wsdl(tmp_path: Path) -> Callable[..., Path]:
    """Write inline documents into a folder; return the path of the first."""

    def write(**documents: str) -> Path:
        folder = tmp_path / f"wsdl_{next(_counter)}"
        folder.mkdir()
        paths = []
        for name, text in documents.items():
            path = folder / name.replace("__", ".")
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths[0]

    return write


@pytest.fixture
def inline_module(
    write_wsdl: Callable[..., Path], generate_module: Callable[[Path], ModuleType]
) -> Callable[..., ModuleType]:
    """Generate and import a client from ``inline.wsdl(schema, operations, **options)``."""

    def generate(
        schema: str,
        operations: list[tuple[str, str, str | None]],
        policy: model.CallPolicy = model.NO_RETRY,
        **options: Any,
    ) -> ModuleType:
        return generate_module(
            write_wsdl(t__wsdl=inline.wsdl(schema, operations, **options)), policy
        )

    return generate


@pytest.fixture(scope="session")
def vendor(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """A client generated from the vendor's WSDL, imported."""
    out = tmp_path_factory.mktemp("vendor") / "callfire_vendor.py"
    out.write_text(
        pipeline.generate(str(VENDOR_WSDL), offline=True, policy=CALLFIRE_POLICY).code,
        encoding="utf-8",
    )
    return import_path(out)


@pytest.fixture(scope="session")
def vendor_schema(shared: Path) -> Any:
    """The vendor's XSD, compiled by lxml: what a request must validate against."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(VENDOR_XSD)))


@pytest.fixture(scope="session")
def zeep_client(shared: Path) -> Any:
    """zeep on the vendor's WSDL: the independent oracle for envelopes."""
    zeep = pytest.importorskip("zeep")
    return zeep.Client(str(VENDOR_WSDL))


@pytest.fixture(scope="session")
def golden() -> Iterator[ModuleType]:
    """The committed generated/callfire.py, imported."""
    yield import_path(GOLDEN)
