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

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from lxml import etree

from .errors import ResponseError, ValidationError

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
    raise _choice_error(path, label, required, len(given))


def _choice_error(path: str, label: str, required: bool, given: int) -> ValidationError:
    """A choice given ``given`` branches where it takes one (at most one)."""
    rule = "exactly" if required else "at most"
    return ValidationError(path, f"give {rule} one of {label} (got {given})")


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


#: The most steps a match may take: a content model whose occurrences could be
#: counted out many ways, given an answer that fits none, gives up here.
_MATCH_BUDGET = 200_000

# A match is found first, then applied: a plan records, for each particle,
# its occurrences; an element's occurrence is the index of its child, a
# group's is the list of its particles' plans (a choice: (branch, plan)).
_Plan = Any


def _match_content(
    content: _Content, el: etree._Element, obj: Any, strict: bool
) -> None:
    """Read ``el``'s children into ``obj`` by matching them against ``content``.

    Each particle takes as many children as it can, and gives some back only
    where what follows would not match otherwise (a group repeated around a
    repeated member can split its children more than one way: the first
    split that matches the whole is taken). Elements the schema does not
    declare are skipped unless ``strict``; children the content model cannot
    place, or a required particle missing, raise ``ResponseError``.
    """
    kids = [c for c in el if isinstance(c.tag, str)]
    if not strict:
        kids = [c for c in kids if content.knows(c.tag)]
    name = etree.QName(el).localname
    # First a match in which every particle occurs its minimum number of times
    # with something in each occurrence (what a writer makes); only if there
    # is none, one that counts empty occurrences, as the specification allows.
    for exempt in (False, True):
        match = _Match(kids, exempt)
        try:
            # The root is a particle too: an optional sequence may be absent.
            for end, plans in match.particle(content.root, 0):
                if end == len(kids):
                    _apply_particle(content.root, plans, kids, obj, strict)
                    return
        except _Mismatch as exc:
            raise ResponseError(f"<{name}>: {exc}") from None
    wanted = " or ".join(f"<{tag}>" for tag in sorted(match.wanted)) or "nothing"
    if match.furthest < len(kids):
        raise ResponseError(
            f"<{name}> holds <{kids[match.furthest].tag}> where its schema "
            f"does not allow it (expected {wanted})"
        )
    raise ResponseError(f"<{name}> lacks {wanted} at its end")


class _Match:
    """The search for a match: each particle's ways of matching, greedy first."""

    def __init__(self, kids: list[etree._Element], exempt: bool) -> None:
        self.kids = kids
        self.exempt = exempt  # empty occurrences may make up a minimum
        self.steps = 0
        self.furthest = 0  # the first child no particle could take, so far
        self.wanted: set[str] = set()  # the elements that could have come there

    def particle(self, term: _Term, at: int) -> Iterator[tuple[int, list[_Plan]]]:
        """(end, plans of the occurrences) for ``term`` from ``kids[at]``: the
        most occurrences first, each as long as it can be. Iterative: an
        answer may repeat a particle thousands of times."""
        plans: list[_Plan] = []
        deferred: list[tuple[int, list[_Plan]]] = []
        starts = [at]
        stack: list[Iterator[tuple[int, _Plan]] | None] = [self._next(term, at, 0)]
        while stack:
            self.steps += 1
            if self.steps > _MATCH_BUDGET:
                raise _Mismatch("too many ways to count its children out; none fits")
            alternatives, position = stack[-1], starts[-1]
            found = None
            if alternatives is not None:
                for end, plan in alternatives:
                    if end > position:  # an occurrence that holds nothing is none
                        found = end, plan
                        break
            if found is not None:
                plans.append(found[1])
                starts.append(found[0])
                self.furthest = max(self.furthest, found[0])
                stack.append(self._next(term, found[0], len(plans)))
                continue
            stack.pop()
            if len(plans) >= term.min:
                yield position, list(plans)
            elif term.empty and self.exempt:  # the count made up of empty ones
                deferred.append((position, list(plans)))
            elif position >= self.furthest:
                if position > self.furthest:
                    self.wanted = set()
                self.furthest = position
                self.wanted |= term.first  # what would have let it go on
            if plans:
                plans.pop()
                starts.pop()
        # Last, the matches that count empty occurrences: valid, but a writer
        # never makes them, so a split with the count in full comes first.
        yield from deferred

    def _next(
        self, term: _Term, at: int, count: int
    ) -> Iterator[tuple[int, _Plan]] | None:
        """The ways one more occurrence of ``term`` can match from ``at``."""
        if term.max is not None and count >= term.max:
            return None
        if at >= len(self.kids) or not term.starts(self.kids[at].tag):
            return None
        if isinstance(term, (_Element, _Any)):
            return iter(((at + 1, at),))
        if isinstance(term, _Occurrences):
            return self.group(term.content, at)
        assert isinstance(term, _Group)
        return self.group(term, at)

    def group(self, group: _Group, at: int) -> Iterator[tuple[int, _Plan]]:
        """(end, plan) for one occurrence of a sequence, choice or all."""
        if group.kind == "sequence":
            yield from self._sequence(group.items, 0, at)
        elif group.kind == "choice":
            tag = self.kids[at].tag if at < len(self.kids) else None
            for index, item in enumerate(group.items):
                if (tag is not None and item.starts(tag)) or item.emptiable:
                    for end, plan in self.particle(item, at):
                        yield end, (index, plan)
            if not group.items:
                yield at, (-1, [])
        else:
            yield from self._all(group.items, frozenset(range(len(group.items))), at)

    def _sequence(
        self, items: tuple[_Term, ...], index: int, at: int
    ) -> Iterator[tuple[int, list[_Plan]]]:
        if index == len(items):
            yield at, []
            return
        for end, plan in self.particle(items[index], at):
            for after, rest in self._sequence(items, index + 1, end):
                yield after, [plan, *rest]

    def _all(
        self, items: tuple[_Term, ...], left: frozenset[int], at: int
    ) -> Iterator[tuple[int, list[tuple[int, _Plan]]]]:
        if at < len(self.kids):
            tag = self.kids[at].tag
            for index in sorted(left):
                if items[index].starts(tag):
                    for end, plan in self.particle(items[index], at):
                        if end > at:
                            for after, rest in self._all(items, left - {index}, end):
                                yield after, [(index, plan), *rest]
        if all(items[i].emptiable for i in left):
            yield at, []


def _apply_particle(
    term: _Term, plans: list[_Plan], kids: list[etree._Element], obj: Any, strict: bool
) -> None:
    for plan in plans:
        if isinstance(term, _Element):
            _store(obj, term.field, term.many, term.read(kids[plan], strict))
        elif isinstance(term, _Any):
            _store(obj, term.field, True, kids[plan])
        elif isinstance(term, _Occurrences):
            instance = term.blank()
            _apply_group(term.content, plan, kids, instance, strict)
            _store(obj, term.field, term.many, instance)
        else:
            assert isinstance(term, _Group)
            _apply_group(term, plan, kids, obj, strict)


def _apply_group(
    group: _Group, plan: _Plan, kids: list[etree._Element], obj: Any, strict: bool
) -> None:
    if group.kind == "sequence":
        for item, item_plan in zip(group.items, plan, strict=True):
            _apply_particle(item, item_plan, kids, obj, strict)
    elif group.kind == "choice":
        index, item_plan = plan
        if index >= 0:
            _apply_particle(group.items[index], item_plan, kids, obj, strict)
    else:
        for index, item_plan in plan:
            _apply_particle(group.items[index], item_plan, kids, obj, strict)


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


_Reader = Callable[[etree._Element, bool], Any]


def _text_reader(
    parse: Callable[..., Any], *extra: Any, empty: str | None = None
) -> _Reader:
    """A content model's reader of a simple value: ``parse`` on the text (on
    ``empty``, the schema's default or fixed value, where there is none)."""

    def read(el: etree._Element, strict: bool) -> Any:
        return parse(el.text or empty, *extra)

    return read


def _nillable(read: _Reader, nil: object) -> _Reader:
    """``read``, except that a nil element (xsi:nil="true") reads as ``nil``."""

    def read_or_nil(el: etree._Element, strict: bool) -> Any:
        if el.get("{http://www.w3.org/2001/XMLSchema-instance}nil") in ("true", "1"):
            return nil
        return read(el, strict)

    return read_or_nil
