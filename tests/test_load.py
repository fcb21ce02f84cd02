"""The load stage: documents, imports, and the errors a user sees for bad input."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from wsdlbind import load
from wsdlbind.errors import LoadError

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


def _missing_import(
    write_wsdl: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, location: str
) -> tuple[Path, LoadError]:
    """Load, from its own folder, a WSDL whose schema imports ``location``
    (on line 4), which is not there: the entry and the error."""
    entry = write_wsdl(
        main__wsdl=WSDL_HEAD + "\n<types>\n<xs:schema>\n"
        f'<xs:import namespace="urn:x" schemaLocation="{location}"/>\n'
        "</xs:schema></types></definitions>"
    )
    monkeypatch.chdir(entry.parent)
    with pytest.raises(LoadError) as caught:
        load.load(str(entry))
    return entry, caught.value


def test_missing_import_names_the_importer_and_line(
    write_wsdl: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, error = _missing_import(write_wsdl, monkeypatch, "gone/types.xsd")
    message = error.format_message()
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


# -- hostile inputs ------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static web server on 127.0.0.1 serving a folder; ``/moved-*`` paths
    redirect to where the file ``moved-*`` says (a 302 with that Location)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Site(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path.startswith("/moved-"):
                target = (tmp_path / self.path[1:]).read_text(encoding="utf-8")
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Site, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


def importing(location: str) -> str:
    return (
        f'{WSDL_HEAD}<types><xs:schema targetNamespace="urn:t">'
        f'<xs:include schemaLocation="{location}"/></xs:schema></types></definitions>'
    )


def test_a_remote_wsdl_may_not_import_a_local_file(
    web: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, folder = web
    secret = tmp_path_factory.mktemp("secret") / "secret.xsd"
    secret.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">'
        '<xs:simpleType name="Secret"><xs:restriction base="xs:string">'
        '<xs:enumeration value="hunter2"/></xs:restriction></xs:simpleType></xs:schema>',
        encoding="utf-8",
    )
    (folder / "svc.wsdl").write_text(importing(secret.as_uri()), encoding="utf-8")
    with pytest.raises(LoadError, match="downloaded from the web imports a local file"):
        load.load(f"{url}/svc.wsdl")


def test_a_redirect_is_followed_only_to_http(web: tuple[str, Path]) -> None:
    url, folder = web
    (folder / "svc.wsdl").write_text(f"{WSDL_HEAD}</definitions>", encoding="utf-8")
    (folder / "moved-ok").write_text(f"{url}/svc.wsdl", encoding="utf-8")
    (folder / "moved-ftp").write_text("ftp://127.0.0.1/svc.wsdl", encoding="utf-8")
    (folder / "moved-file").write_text((folder / "svc.wsdl").as_uri(), encoding="utf-8")
    assert load.load(f"{url}/moved-ok").documents[0].uri.endswith("/moved-ok")
    for where in ("ftp", "file"):
        with pytest.raises(LoadError, match=f"(?i)redirect.*{where}:"):
            load.load(f"{url}/moved-{where}")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(
    write_wsdl: Callable[..., Path], device: str
) -> None:
    entry = write_wsdl(t__wsdl=importing(f"file://{device}"))
    with pytest.raises(LoadError, match="not a regular file") as caught:
        load.load(str(entry))
    assert device.rsplit("/", 1)[1] in str(caught.value)


def test_a_fifo_is_refused_not_waited_on(
    write_wsdl: Callable[..., Path], tmp_path: Path
) -> None:
    import os

    fifo = tmp_path / "pipe.xsd"
    os.mkfifo(fifo)  # nobody ever writes to it: reading it would hang
    entry = write_wsdl(t__wsdl=importing(fifo.as_uri()))
    with pytest.raises(LoadError, match="not a regular file"):
        load.load(str(entry))


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ('minOccurs="x"', "minOccurs='x' on xs:element is not a non-negative integer"),
        (
            'maxOccurs="-3"',
            "maxOccurs='-3' on xs:element is not a non-negative integer or unbounded",
        ),
        ('minOccurs="1.5"', "minOccurs='1.5'"),
        ('nillable="maybe"', "nillable='maybe' on xs:element is not true or false"),
        ('form="local"', "form='local' on xs:element is not qualified or unqualified"),
    ],
)
def test_a_malformed_schema_attribute_names_file_and_line(
    write_wsdl: Callable[..., Path],
    attribute: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(write_wsdl(x__txt="").parent.parent)
    entry = write_wsdl(
        t__wsdl=f'{WSDL_HEAD}<types><xs:schema targetNamespace="urn:t">\n'
        f'<xs:element name="R"><xs:complexType><xs:sequence>\n'
        f'<xs:element name="A" type="xs:int" {attribute}/>\n'
        f"</xs:sequence></xs:complexType></xs:element></xs:schema></types></definitions>"
    )
    with pytest.raises(LoadError) as caught:
        load.load(str(entry))
    folder = entry.parent.name  # named from the working folder
    assert str(caught.value).startswith(f"{folder}/t.wsdl:3: {message}")


# -- messages name a document so that it can be found ------------------------------


def test_a_missing_wsdl_is_named_by_the_path_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError) as caught:
        load.load("specs/missing.wsdl")
    assert str(caught.value) == (
        "specs/missing.wsdl: no such file\n  hint: check the WSDL's path"
    )
    elsewhere = tmp_path.parent / "elsewhere" / "missing.wsdl"
    with pytest.raises(LoadError) as caught:
        load.load(str(elsewhere))
    assert str(caught.value).startswith(f"{elsewhere}: no such file\n")


def test_a_document_outside_the_working_folder_is_named_by_its_absolute_path(
    write_wsdl: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry, error = _missing_import(write_wsdl, monkeypatch, "../common/types.xsd")
    missing = entry.parent.parent / "common" / "types.xsd"
    assert str(error) == (
        f"{missing}: no such file (imported by main.wsdl, line 4)\n"
        "  hint: check the location attribute of that import, relative to the importer"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


DOWNLOAD_HINT = (
    "  hint: check the URL and that this machine can reach {host}; or download "
    "the documents and pass the local path"
)


def test_a_refused_download_names_the_url_and_host() -> None:
    host = f"127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(LoadError) as caught:
        load.load(f"http://{host}/service.wsdl")
    assert str(caught.value) == (
        f"http://{host}/service.wsdl: download failed: {host} refused the "
        "connection\n" + DOWNLOAD_HINT.format(host=host)
    )


def test_an_unknown_host_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # no lookup is made
    with pytest.raises(LoadError) as caught:
        load.load("https://soap.example.invalid/api?wsdl")
    assert str(caught.value) == (
        "https://soap.example.invalid/api?wsdl: download failed: the host name "
        "soap.example.invalid is not known\n"
        + DOWNLOAD_HINT.format(host="soap.example.invalid")
    )


def test_an_http_error_names_the_host_and_status(tmp_path: Path) -> None:
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host = f"127.0.0.1:{server.server_address[1]}"
        with pytest.raises(LoadError) as caught:
            load.load(f"http://{host}/gone.wsdl")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert str(caught.value) == (
        f"http://{host}/gone.wsdl: download failed: {host} answered HTTP 404 "
        "File not found\n" + DOWNLOAD_HINT.format(host=host)
    )


def test_a_password_in_the_url_is_never_shown() -> None:
    host = f"127.0.0.1:{_free_port()}"
    with pytest.raises(LoadError) as caught:
        load.load(f"http://me:s3cret@{host}/service.wsdl")
    assert "s3cret" not in str(caught.value) and "me:" not in str(caught.value)
    assert str(caught.value) == (
        f"http://{host}/service.wsdl: the URL carries a user name and password, "
        "and wsdlbind does not log in to download\n  hint: download the documents "
        "with your credentials and pass the local path"
    )
