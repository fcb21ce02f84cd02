"""The load stage: documents, imports, and the errors a user sees for bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import load
from generator.errors import LoadError
from tests.conftest import OWN_WSDL

WSDL_HEAD = (
    '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">'
)


def test_follows_wsdl_and_schema_imports_relative_to_the_importer() -> None:
    loaded = load.load(str(OWN_WSDL))
    names = [load.display_name(d.uri, loaded.entry) for d in loaded.documents]
    assert names == [
        "callfire.wsdl",
        "ports.wsdl",
        "service.xsd",
        "data.xsd",
    ]
    assert [d.kind for d in loaded.documents] == ["wsdl", "wsdl", "xsd", "xsd"]


def test_source_hash_does_not_depend_on_where_the_checkout_lives(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    for path in OWN_WSDL.parent.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    here = load.load(str(OWN_WSDL)).source_hash
    assert load.load(str(copy / OWN_WSDL.name)).source_hash == here
    changed = copy / "data.xsd"
    changed.write_bytes(changed.read_bytes() + b"<!-- changed -->\n")
    assert load.load(str(copy / OWN_WSDL.name)).source_hash != here


def test_import_cycle_is_followed_once(write_wsdl: Callable[..., Path]) -> None:
    schema_a = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">'
        '<xs:import namespace="urn:b" schemaLocation="b.xsd"/></xs:schema>'
    )
    schema_b = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b">'
        '<xs:import namespace="urn:a" schemaLocation="a.xsd"/></xs:schema>'
    )
    entry = write_wsdl(
        main__wsdl=WSDL_HEAD
        + '<types><xs:schema><xs:import namespace="urn:a" schemaLocation="a.xsd"/></xs:schema>'
        "</types></definitions>",
        a__xsd=schema_a,
        b__xsd=schema_b,
    )
    loaded = load.load(str(entry))
    assert len(loaded.documents) == 3


def test_not_xml_names_file_line_and_column(write_wsdl: Callable[..., Path]) -> None:
    entry = write_wsdl(broken__wsdl="<definitions>\n  <types>\n</definitions>\n")
    with pytest.raises(LoadError) as caught:
        load.load(str(entry))
    message = caught.value.format_message()
    assert "broken.wsdl:3:" in message and "not well-formed XML" in message


def test_a_schema_is_not_accepted_as_the_entry(write_wsdl: Callable[..., Path]) -> None:
    entry = write_wsdl(
        only__xsd='<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'
    )
    with pytest.raises(LoadError, match="not a WSDL"):
        load.load(str(entry))


def test_other_xml_is_not_a_wsdl(write_wsdl: Callable[..., Path]) -> None:
    entry = write_wsdl(page__wsdl="<html><body>Moved</body></html>")
    with pytest.raises(
        LoadError,
        match=r"not a WSDL 1.1 or XML Schema document \(root element is html\)",
    ):
        load.load(str(entry))


def test_missing_import_names_the_importer_and_line(
    write_wsdl: Callable[..., Path],
) -> None:
    entry = write_wsdl(
        main__wsdl=WSDL_HEAD + "\n<types>\n<xs:schema>\n"
        '<xs:import namespace="urn:x" schemaLocation="gone/types.xsd"/>\n'
        "</xs:schema></types></definitions>"
    )
    with pytest.raises(LoadError) as caught:
        load.load(str(entry))
    message = caught.value.format_message()
    assert "gone/types.xsd: no such file (imported by main.wsdl, line 4)" in message


def test_url_input_with_offline_is_refused_without_network() -> None:
    with pytest.raises(LoadError, match="--offline forbids network access"):
        load.load(
            "https://www.callfire.com/api/1.1/wsdl/callfire-service-http-soap12.wsdl",
            offline=True,
        )


def test_local_wsdl_never_downloads_an_import(write_wsdl: Callable[..., Path]) -> None:
    entry = write_wsdl(
        main__wsdl=WSDL_HEAD + '<types><xs:schema><xs:import namespace="urn:x" '
        'schemaLocation="http://example.com/types.xsd"/></xs:schema></types></definitions>'
    )
    with pytest.raises(
        LoadError, match="refusing to download an import of a local WSDL"
    ):
        load.load(str(entry))


def test_wsdl_2_is_named_as_unsupported(write_wsdl: Callable[..., Path]) -> None:
    entry = write_wsdl(v2__wsdl='<description xmlns="http://www.w3.org/ns/wsdl"/>')
    with pytest.raises(LoadError, match="WSDL 2.0 is not supported"):
        load.load(str(entry))


def test_url_input_follows_relative_imports_over_http() -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    handler = functools.partial(Quiet, directory=str(OWN_WSDL.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{OWN_WSDL.name}"
        loaded = load.load(url)
        with pytest.raises(LoadError, match="404|download failed"):
            load.load(url.replace(OWN_WSDL.name, "missing.wsdl"))
    finally:
        server.shutdown()
        server.server_close()
    assert [d.uri.rsplit("/", 1)[1] for d in loaded.documents] == [
        "callfire.wsdl",
        "ports.wsdl",
        "service.xsd",
        "data.xsd",
    ]
    assert loaded.source_hash == load.load(str(OWN_WSDL)).source_hash
