"""Content models at run time: nil values, the checks of choices and groups,
and the reader that matches children against a particle tree.

A type whose element names are all distinct is read by a loop over its
children that dispatches on each tag (generated per type: the fast path).
Any other type (an element name used twice, a group that repeats with a class
of its own) is read by :func:`_match_content`: it walks the particle tree as
a validator does, deterministically, since XML Schema's Unique Particle
Attribution rule lets each child be attributed to a particle by its name
alone, given what came before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

# Stand-ins for what the generated module defines itself.


class ResponseError(Exception):
    pass


class ValidationError(ValueError):
    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


_new: Callable[[type[Any]], Any] = object.__new__


# -- included in the generated module --


class Nil:
    """The value of an element that is present but nil (``xsi:nil="true"``).

    Where a nillable element may also be absent (optional, or repeated),
    ``None`` means absent and ``NIL`` means nil; where it must be there,
    ``None`` means nil.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "NIL"

    def __reduce__(self) -> str:
        return "NIL"


NIL = Nil()


def _present(*values: object) -> bool:
    """Whether any of a group's fields is given: a value, or a non-empty list."""
    for v in values:
        if v is not None and (v.__class__ is not list or v):
            return True
    return False


def _chosen(
    path: str, label: str, required: bool, *branches: tuple[object, ...]
) -> int:
    """The branch of a choice that is given (-1: none, where that is allowed).

    Each branch is the tuple of its fields' values; a branch is given when any
    of them is. Raises ``ValidationError`` unless exactly one is (at most one,
    where the choice is optional or a branch may be empty).
    """
    given = [i for i, branch in enumerate(branches) if _present(*branch)]
    if len(given) == 1:
        return given[0]
    if not given and not required:
        return -1
    rule = "exactly" if required else "at most"
    raise ValidationError(path, f"give {rule} one of {label} (got {len(given)})")


class _Term:
    """A particle of a content model: how often it occurs, and which children
    can start it (tags, and wildcards as (allowed, excluded) namespaces)."""

    __slots__ = ("empty", "first", "max", "min", "wildcards")

    def __init__(self, low: int, high: int | None) -> None:
        self.min = low
        self.max = high
        self.first: frozenset[str] = frozenset()
        self.wildcards: tuple[tuple[frozenset[str] | None, frozenset[str]], ...] = ()
        self.empty = False  # one occurrence may hold nothing

    @property
    def emptiable(self) -> bool:
        return self.min == 0 or self.empty

    def starts(self, tag: str) -> bool:
        if tag in self.first:
            return True
        if self.wildcards:
            namespace = tag[1 : tag.find("}")] if tag[:1] == "{" else ""
            return any(_admits(w, namespace) for w in self.wildcards)
        return False


def _admits(
    wildcard: tuple[frozenset[str] | None, frozenset[str]], namespace: str
) -> bool:
    allowed, excluded = wildcard
    return namespace in allowed if allowed is not None else namespace not in excluded


class _Element(_Term):
    """An element particle: its values go to ``field``, read by ``read``."""

    __slots__ = ("field", "many", "read", "tag")

    def __init__(
        self,
        low: int,
        high: int | None,
        tag: str,
        field: str,
        many: bool,
        read: Callable[[etree._Element, bool], Any],
    ) -> None:
        super().__init__(low, high)
        self.tag, self.field, self.many, self.read = tag, field, many, read
        self.first = frozenset((tag,))


class _Any(_Term):
    """A wildcard: the elements it admits go to ``field`` as they are."""

    __slots__ = ("field",)

    def __init__(
        self,
        low: int,
        high: int | None,
        field: str,
        allowed: frozenset[str] | None,
        excluded: frozenset[str],
    ) -> None:
        super().__init__(low, high)
        self.field = field
        self.wildcards = ((allowed, excluded),)


class _Group(_Term):
    """A sequence, choice or all of particles."""

    __slots__ = ("items", "kind")

    def __init__(
        self, kind: str, low: int, high: int | None, items: Sequence[_Term]
    ) -> None:
        super().__init__(low, high)
        self.kind, self.items = kind, tuple(items)
        starting: list[_Term] = []
        if kind == "sequence":
            for item in self.items:
                starting.append(item)
                if not item.emptiable:
                    break
            self.empty = all(item.emptiable for item in self.items)
        else:
            starting = list(self.items)
            empty = [item.emptiable for item in self.items]
            self.empty = (any(empty) or not empty) if kind == "choice" else all(empty)
        self.first = frozenset().union(*(item.first for item in starting))
        self.wildcards = tuple(w for item in starting for w in item.wildcards)


class _Occurrences(_Term):
    """A repeated group with a class of its own: each occurrence is a new
    instance (made by ``blank``), filled from ``content``, kept in ``field``."""

    __slots__ = ("blank", "content", "field", "many")

    def __init__(
        self,
        low: int,
        high: int | None,
        field: str,
        many: bool,
        blank: Callable[[], Any],
        content: _Group,
    ) -> None:
        super().__init__(low, high)
        self.field, self.many, self.blank, self.content = field, many, blank, content
        self.first, self.wildcards = content.first, content.wildcards
        self.empty = content.empty


class _Content:
    """A type's whole content model, and the names it knows (to skip the rest
    of an answer when not strict)."""

    __slots__ = ("known", "root", "wildcards")

    def __init__(self, root: _Group) -> None:
        self.root = root
        known: set[str] = set()
        wildcards: list[tuple[frozenset[str] | None, frozenset[str]]] = []
        pending: list[_Term] = [root]
        while pending:
            term = pending.pop()
            if isinstance(term, _Element):
                known.add(term.tag)
            elif isinstance(term, _Any):
                wildcards.extend(term.wildcards)
            elif isinstance(term, _Group):
                pending.extend(term.items)
            elif isinstance(term, _Occurrences):
                pending.append(term.content)
        self.known = frozenset(known)
        self.wildcards = tuple(wildcards)

    def knows(self, tag: str) -> bool:
        if tag in self.known:
            return True
        namespace = tag[1 : tag.find("}")] if tag[:1] == "{" else ""
        return any(_admits(w, namespace) for w in self.wildcards)


class _Mismatch(Exception):
    """The children do not match the content model (turned into ResponseError)."""


def _match_content(
    content: _Content, el: etree._Element, obj: Any, strict: bool
) -> None:
    """Read ``el``'s children into ``obj`` by matching them against ``content``.

    Elements the schema does not declare are skipped unless ``strict``; a
    child the content model cannot place, or a required particle missing,
    raises ``ResponseError``.
    """
    kids = [c for c in el if isinstance(c.tag, str)]
    if not strict:
        kids = [c for c in kids if content.knows(c.tag)]
    name = etree.QName(el).localname
    try:
        at = _particle(content.root, kids, 0, obj, strict)
    except _Mismatch as exc:
        raise ResponseError(f"<{name}>: {exc}") from None
    if at < len(kids):
        raise ResponseError(
            f"<{name}> holds <{kids[at].tag}> where its schema does not allow it"
        )


def _particle(
    term: _Term, kids: list[etree._Element], at: int, obj: Any, strict: bool
) -> int:
    """Match ``term`` as often as it occurs from ``kids[at]``; the index after it."""
    count, end = 0, len(kids)
    while (term.max is None or count < term.max) and at < end:
        if not term.starts(kids[at].tag):
            break
        after = _term(term, kids, at, obj, strict)
        if after == at:  # an occurrence that held nothing: no more to match
            break
        at, count = after, count + 1
    if count < term.min and not term.empty:
        found = f"<{kids[at].tag}>" if at < end else "the end"
        raise _Mismatch(f"expected {_expected(term)}, found {found}")
    return at


def _term(
    term: _Term, kids: list[etree._Element], at: int, obj: Any, strict: bool
) -> int:
    """Match one occurrence of ``term`` from ``kids[at]``."""
    if isinstance(term, _Element):
        _store(obj, term.field, term.many, term.read(kids[at], strict))
        return at + 1
    if isinstance(term, _Any):
        _store(obj, term.field, True, kids[at])
        return at + 1
    if isinstance(term, _Occurrences):
        instance = term.blank()
        after = _group(term.content, kids, at, instance, strict)
        if after > at:
            _store(obj, term.field, term.many, instance)
        return after
    assert isinstance(term, _Group)
    return _group(term, kids, at, obj, strict)


def _group(
    group: _Group, kids: list[etree._Element], at: int, obj: Any, strict: bool
) -> int:
    if group.kind == "sequence":
        for item in group.items:
            at = _particle(item, kids, at, obj, strict)
        return at
    if group.kind == "choice":
        if at < len(kids):
            tag = kids[at].tag
            for item in group.items:
                if item.starts(tag):
                    return _particle(item, kids, at, obj, strict)
        if group.empty:
            return at
        found = f"<{kids[at].tag}>" if at < len(kids) else "the end"
        raise _Mismatch(f"expected one of {_expected(group)}, found {found}")
    matched: set[int] = set()  # xs:all: each particle once, in any order
    while at < len(kids):
        tag = kids[at].tag
        index = next(
            (
                i
                for i, item in enumerate(group.items)
                if i not in matched and item.starts(tag)
            ),
            None,
        )
        if index is None:
            break
        matched.add(index)
        at = _particle(group.items[index], kids, at, obj, strict)
    for i, item in enumerate(group.items):
        if i not in matched and not item.emptiable:
            raise _Mismatch(f"expected {_expected(item)}")
    return at


def _fill(obj: Any, singles: tuple[str, ...], lists: tuple[str, ...]) -> None:
    """Give a new object's fields their empty values, for a reader to fill."""
    for name in singles:
        setattr(obj, name, None)
    for name in lists:
        setattr(obj, name, [])


def _store(obj: Any, field: str, many: bool, value: Any) -> None:
    if many:
        getattr(obj, field).append(value)
    else:
        setattr(obj, field, value)


def _expected(term: _Term) -> str:
    names = sorted(f"<{tag}>" for tag in term.first)
    if term.wildcards:
        names.append("an element of another namespace")
    return " or ".join(names) or "nothing"


_Reader = Callable[[etree._Element, bool], Any]


def _text_reader(parse: Callable[..., Any], *extra: Any) -> _Reader:
    """A content model's reader of a simple value: ``parse`` on the text."""

    def read(el: etree._Element, strict: bool) -> Any:
        return parse(el.text, *extra)

    return read


def _nillable(read: _Reader, nil: object) -> _Reader:
    """``read``, except that a nil element (xsi:nil="true") reads as ``nil``."""

    def read_or_nil(el: etree._Element, strict: bool) -> Any:
        if el.get("{http://www.w3.org/2001/XMLSchema-instance}nil") in ("true", "1"):
            return nil
        return read(el, strict)

    return read_or_nil
