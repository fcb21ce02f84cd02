"""The load stage: read a WSDL and every document it imports.

Starting from one path or http(s) URL, follow ``wsdl:import``, ``xs:import``,
``xs:include`` and ``xs:redefine`` with locations relative to the importing
document, each document once (import cycles are normal in real WSDLs). Each
document is first parsed by lxml with a hardened parser, so a syntax error is
reported as ``file:line:column``, and an import that cannot be read names the
document and line that asked for it. The documents are then handed to xsdata's
parsers (through :mod:`generator.xsdata_adapter`).

Network access happens only when the input itself is a URL, and never with
``offline=True``: a local WSDL whose import points at the web is an error
that says which import, instead of a surprise download.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import ssl
import stat
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from . import namespaces
from .errors import LoadError

WSDL_NS = namespaces.WSDL
WSDL2_NS = namespaces.WSDL2
XSD_NS = namespaces.XSD

#: The most a single document may weigh; WSDLs of several MB exist (vim25).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
URL_TIMEOUT_SECONDS = 30.0

#: Schemas a WSDL may import by namespace alone, or from their well-known
#: address: wsdlbind carries copies of its own and never downloads them.
WELL_KNOWN_DIR = Path(__file__).parent / "wellknown"
WELL_KNOWN_NAMESPACES = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    "http://schemas.xmlsoap.org/soap/encoding/": "soap-encoding.xsd",
}
WELL_KNOWN_ADDRESSES = {
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
    "https://www.w3.org/2001/xml.xsd": "xml.xsd",
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    "http://schemas.xmlsoap.org/soap/encoding/": "soap-encoding.xsd",
    "https://schemas.xmlsoap.org/soap/encoding/": "soap-encoding.xsd",
}

#: XML Schema attributes whose values have a lexical form wsdlbind checks
#: before xsdata sees them (xsdata warns and carries on, or fails obscurely).
_NON_NEGATIVE = re.compile(r"\s*\+?[0-9]+\s*")
_SCHEMA_ATTRIBUTES: dict[str, tuple[str, frozenset[str] | None]] = {
    "minOccurs": ("a non-negative integer", None),
    "maxOccurs": ("a non-negative integer or unbounded", frozenset({"unbounded"})),
    "nillable": ("true or false", frozenset({"true", "false", "1", "0"})),
    "abstract": ("true or false", frozenset({"true", "false", "1", "0"})),
    "mixed": ("true or false", frozenset({"true", "false", "1", "0"})),
    "use": (
        "optional, required or prohibited",
        frozenset({"optional", "required", "prohibited"}),
    ),
    "form": ("qualified or unqualified", frozenset({"qualified", "unqualified"})),
    "elementFormDefault": (
        "qualified or unqualified",
        frozenset({"qualified", "unqualified"}),
    ),
    "attributeFormDefault": (
        "qualified or unqualified",
        frozenset({"qualified", "unqualified"}),
    ),
    "processContents": ("strict, lax or skip", frozenset({"strict", "lax", "skip"})),
}

_REFERENCES = {
    f"{{{WSDL_NS}}}import": "location",
    f"{{{XSD_NS}}}import": "schemaLocation",
    f"{{{XSD_NS}}}include": "schemaLocation",
    f"{{{XSD_NS}}}redefine": "schemaLocation",
}


@dataclass(frozen=True)
class Reference:
    """An import or include found in a document."""

    location: str  # resolved absolute URI
    line: int
    include_namespace: str | None  # for xs:include: the includer's namespace


@dataclass
class Document:
    uri: str
    kind: Literal["wsdl", "xsd"]
    data: bytes
    model: object  # xsdata's Definitions or Schema, opaque outside the adapter
    root: etree._Element = field(repr=False)  # parsed once, by lxml, for reading
    references: list[Reference] = field(default_factory=list)


@dataclass
class LoadedWsdl:
    """Every document reached from the entry WSDL, the entry first."""

    entry: str
    documents: list[Document]

    @property
    def source_hash(self) -> str:
        """A hash of the documents' bytes and their paths relative to the entry.

        It names the input in the generated header, so it must not depend on
        where the checkout lives: absolute paths are left out.
        """
        digest = hashlib.sha256()
        for doc in self.documents:
            digest.update(display_name(doc.uri, self.entry).encode())
            digest.update(b"\0")
            digest.update(doc.data)
        return digest.hexdigest()[:16]


def to_uri(source: str) -> str:
    """A path or URL as an absolute URI (``file://`` for paths)."""
    if urlparse(source).scheme in ("http", "https", "file"):
        return source
    return Path(source).expanduser().resolve().as_uri()


def display_name(uri: str, entry: str | None = None) -> str:
    """A document's name as the input hash covers it: relative to the entry's
    folder, never absolute (see :func:`message_name` for messages)."""
    bundled = WELL_KNOWN_DIR.as_uri() + "/"
    if uri.startswith(bundled):
        return "wsdlbind:wellknown/" + uri[len(bundled) :]
    if entry:
        folder = entry.rsplit("/", 1)[0] + "/"
        if uri.startswith(folder):
            return unquote(uri[len(folder) :])
    if uri.startswith("file:"):
        path = unquote(urlparse(uri).path)
        base = (
            unquote(urlparse(entry).path)
            if entry and entry.startswith("file:")
            else None
        )
        # Relative even across folders (../common/types.xsd): no absolute path may
        # reach the source hash, or the output would depend on the checkout's place.
        return Path(
            os.path.relpath(path, Path(base).parent if base else Path.cwd())
        ).as_posix()
    return uri


def message_name(uri: str) -> str:
    """How a message names a document, so that the user can find it: a file
    by its path from the working folder when it is in that folder, else by
    its absolute path; a URL whole; a bundled schema by its ``wsdlbind:``
    name. (:func:`display_name` is the name the input hash covers.)"""
    bundled = WELL_KNOWN_DIR.as_uri() + "/"
    if uri.startswith(bundled):
        return "wsdlbind:wellknown/" + uri[len(bundled) :]
    if not uri.startswith("file:"):
        parts = urlparse(uri)
        # Never a password in a message: the user and password are left out.
        return parts._replace(netloc=_host(uri)).geturl() if parts.username else uri
    path = Path(unquote(urlparse(uri).path))
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def load(source: str, *, offline: bool = False, models: bool = True) -> LoadedWsdl:
    """Load the WSDL at ``source`` (a path or http(s) URL) and all it imports;
    without ``models``, only read and parse them (what hashing them needs)."""
    entry = to_uri(source)
    is_remote = urlparse(entry).scheme in ("http", "https")
    if is_remote and offline:
        raise LoadError(
            f"{entry}: the input is a URL, and --offline forbids network access",
            hint="download the WSDL and its imports, then pass the local path",
        )
    documents: list[Document] = []
    # A document with a namespace of its own is read once; one without is read
    # once per namespace it is included into (a chameleon takes its includer's).
    seen: set[str] = set()
    seen_chameleons: set[tuple[str, str | None]] = set()
    pending: list[tuple[str, str | None, str | None, int]] = [(entry, None, None, 0)]
    while pending:
        uri, namespace, importer, line = pending.pop(0)
        key = uri.split("#", 1)[0]
        if key in seen or (key, namespace) in seen_chameleons:
            continue
        doc = _load_document(
            uri,
            namespace,
            importer,
            line,
            entry,
            allow_network=is_remote,
            models=models,
        )
        if not documents and doc.kind != "wsdl":
            raise LoadError(
                f"{message_name(uri)}: this is an XML Schema, not a WSDL",
                hint="pass the WSDL document (root element wsdl:definitions)",
            )
        if namespace is not None and doc.root.get("targetNamespace") is None:
            seen_chameleons.add((key, namespace))
        else:
            seen.add(key)
        documents.append(doc)
        pending.extend(
            (ref.location, ref.include_namespace, uri, ref.line)
            for ref in doc.references
        )
    return LoadedWsdl(entry=entry, documents=documents)


def _load_document(
    uri: str,
    include_namespace: str | None,
    importer: str | None,
    line: int,
    entry: str,
    *,
    allow_network: bool,
    models: bool = True,
) -> Document:
    name = message_name(uri)
    origin = f" (imported by {message_name(importer)}, line {line})" if importer else ""
    data = _read(uri, name, origin, allow_network=allow_network)
    root = _parse_xml(data, name)
    kind = _classify(root, name, origin)
    if models:  # (a stamp check reads inputs a generation already checked)
        _check_schema_attributes(root, name)
    references = [
        Reference(
            location=location,
            line=int(getattr(element, "sourceline", 0) or 0),
            include_namespace=_includer_namespace(element, include_namespace)
            if element.tag in (f"{{{XSD_NS}}}include", f"{{{XSD_NS}}}redefine")
            else None,
        )
        for element in root.iter(*_REFERENCES)
        if (location := _location(uri, element))
    ]
    model: object
    if not models:
        model = None
    else:
        # Imported here: xsdata takes a tenth of a second to import, which a
        # stamp check (models=False) does without.
        from . import xsd

        if kind == "wsdl":
            model = xsd.parse_definitions(data, uri, root)
        else:
            model = xsd.parse_schema(data, uri, include_namespace)
    return Document(
        uri=uri, kind=kind, data=data, model=model, root=root, references=references
    )


def _includer_namespace(element: etree._Element, inherited: str | None) -> str | None:
    """The targetNamespace of the xs:schema holding an include or redefine: a
    schema it brings in without a namespace of its own takes this one. An
    inline schema of a WSDL has its own, which need not be the WSDL's."""
    schema = next(element.iterancestors(f"{{{XSD_NS}}}schema"), None)
    if schema is None:
        return inherited
    return schema.get("targetNamespace") or inherited


def _location(uri: str, element: etree._Element) -> str | None:
    """Where an import or include points, resolved: well-known schemas (by
    namespace alone, or by their public address) go to wsdlbind's own copies."""
    location = element.get(_REFERENCES[element.tag])
    if location:
        known = WELL_KNOWN_ADDRESSES.get(location)
        return (WELL_KNOWN_DIR / known).as_uri() if known else urljoin(uri, location)
    known = WELL_KNOWN_NAMESPACES.get(element.get("namespace") or "")
    if known and element.tag == f"{{{XSD_NS}}}import":
        return (WELL_KNOWN_DIR / known).as_uri()
    return None


def _check_schema_attributes(root: etree._Element, name: str) -> None:
    """Refuse an XML Schema attribute whose value is not of its type, naming the
    document and line (``minOccurs="x"`` would otherwise crash deep in xsdata)."""
    for element in root.iter(f"{{{XSD_NS}}}*"):
        for attribute, (expected, allowed) in _SCHEMA_ATTRIBUTES.items():
            value = element.get(attribute)
            if value is None:
                continue
            text = value.strip()
            if (allowed is not None and text in allowed) or (
                attribute.endswith("Occurs") and _NON_NEGATIVE.fullmatch(value)
            ):
                continue
            raise LoadError(
                f"{name}:{element.sourceline}: {attribute}={value!r} on "
                f"xs:{etree.QName(element).localname} is not {expected}",
                hint="fix the value in the schema; XML Schema allows no other",
            )


def _read_regular_file(path: Path, name: str, origin: str) -> bytes:
    """A regular file's bytes, at most the size limit: a device (``/dev/zero``)
    or a FIFO is refused before anything is read, never waited on."""
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of
    # blocking; it is then refused as not a regular file.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(
                f"{name}: not a regular file (a device, FIFO or socket){origin}",
                hint="point the location at a WSDL or XSD file",
            )
        data = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise LoadError(
            f"{name}: more than the {MAX_DOCUMENT_BYTES} bytes wsdlbind reads{origin}"
        )
    return data


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s): urllib would also follow one to ftp."""

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers, newurl
    ):
        scheme = urlparse(newurl).scheme
        if scheme not in ("http", "https"):
            raise urllib.error.URLError(
                f"redirected to {scheme}:, which wsdlbind does not follow"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def _read(uri: str, name: str, origin: str, *, allow_network: bool) -> bytes:
    scheme = urlparse(uri).scheme
    if scheme == "file":
        path = Path(unquote(urlparse(uri).path))
        if allow_network and path.parent != WELL_KNOWN_DIR:
            # A document from the web may not make wsdlbind read this machine's files.
            raise LoadError(
                f"{name}: a document downloaded from the web imports a local file{origin}",
                hint="a remote WSDL may import only http(s) documents; download them "
                "all and pass the local path to read a local copy",
            )
        try:
            return _read_regular_file(path, name, origin)
        except FileNotFoundError:
            raise LoadError(
                f"{name}: no such file{origin}",
                hint="check the location attribute of that import, relative to the importer"
                if origin
                else "check the WSDL's path",
            ) from None
        except IsADirectoryError:
            raise LoadError(f"{name}: is a folder, not a file{origin}") from None
        except OSError as exc:
            raise LoadError(
                f"{name}: cannot be read ({exc.strerror}){origin}"
            ) from None
    if scheme in ("http", "https"):
        if not allow_network:
            raise LoadError(
                f"{name}: refusing to download an import of a local WSDL{origin}",
                hint="save that document beside the WSDL and point the import's location at it",
            )
        if urlparse(uri).username is not None:
            raise LoadError(
                f"{name}: the URL carries a user name and password, and wsdlbind "
                f"does not log in to download{origin}",
                hint="download the documents with your credentials and pass the "
                "local path",
            )
        try:
            with _OPENER.open(uri, timeout=URL_TIMEOUT_SECONDS) as response:
                data: bytes = response.read(MAX_DOCUMENT_BYTES + 1)
        except (urllib.error.URLError, OSError) as exc:
            host = _host(uri)
            raise LoadError(
                f"{name}: download failed: {_why(exc, host)}{origin}",
                hint=f"check the URL and that this machine can reach {host}; or "
                "download the documents and pass the local path",
            ) from None
        if len(data) > MAX_DOCUMENT_BYTES:
            raise LoadError(f"{name}: more than {MAX_DOCUMENT_BYTES} bytes{origin}")
        return data
    raise LoadError(f"{name}: unsupported location scheme {scheme!r}{origin}")


def _host(uri: str) -> str:
    """A URL's host and port, without the user and password it may carry."""
    parts = urlparse(uri)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def _why(exc: OSError, host: str) -> str:
    """Why a download failed, in words that name the host."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"{host} answered HTTP {exc.code} {exc.reason}"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        name = urlparse(f"//{host}").hostname
        if reason.errno == socket.EAI_NONAME:
            return f"the host name {name} is not known"
        return f"the host name {name} could not be looked up ({reason.strerror})"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, TimeoutError):
        return f"no answer from {host} within {URL_TIMEOUT_SECONDS} s"
    if isinstance(reason, ssl.SSLError):
        return f"TLS with {host} failed ({reason.reason or reason})"
    if isinstance(reason, OSError):
        return f"{host}: {reason.strerror or reason}"
    return f"{host}: {reason}"


def _parse_xml(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise LoadError(
            f"{name}:{line}:{column}: not well-formed XML: {exc.msg}",
            hint="fix the document, or check that the path points at the WSDL and not, "
            "say, an HTML error page",
        ) from None


def _classify(root: etree._Element, name: str, origin: str) -> Literal["wsdl", "xsd"]:
    tag = etree.QName(root)
    if tag.namespace == WSDL_NS and tag.localname == "definitions":
        return "wsdl"
    if tag.namespace == XSD_NS and tag.localname == "schema":
        return "xsd"
    if tag.namespace == WSDL2_NS:
        raise LoadError(
            f"{name}: WSDL 2.0 is not supported{origin}",
            hint="wsdlbind reads WSDL 1.1 (root element {http://schemas.xmlsoap.org/wsdl/}definitions)",
        )
    raise LoadError(
        f"{name}:{root.sourceline}: not a WSDL 1.1 or XML Schema document "
        f"(root element is {tag.text}){origin}",
        hint="pass the WSDL document (root element wsdl:definitions)",
    )
