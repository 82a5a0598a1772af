# SPDX-License-Identifier: MIT
"""The code generator behind the codec's readers, writers and checked writers.

Design note: why timeline generates code of its own. cattrs generates a
function per class too (``make_dict_structure_fn``), and `make_converter()`
uses it, with ``_cattrs_forbid_extra_keys``: that converter defines what a
payload means, and every codec falls back on it to explain what it refuses.
The functions generated here (`_readers`, `_writers`) do exactly what it
does, value for value and refusal for refusal, only faster:

- each field is checked by the exact type of its value in line, with no
  hook called per field, and a record is made from a draft of its class
  (`_draft`) instead of through ``__init__`` and its keywords, its
  validators run only where the lines before have not checked as much;
- equal values read again (sources, dates, days, names) are shared, not
  built anew, so a loaded log holds one copy of each;
- an entry a store writes is checked as it is written (the checked
  writers), instead of being decoded again.

What the benchmark showed (``python -m benchmarks.codec_load``: 100,000
generated entries decoded by `Codec.entry_from_dict`, best of five passes,
on a shared two-core AMD EPYC with CPython 3.11.7; docs/performance.md,
"Serialization: the generator against cattrs' own", has the tables): the
generated readers load 116,000 entries a second; cattrs' own functions,
with ``_cattrs_forbid_extra_keys=True`` and detailed validation off, 37,000
(2.7 to 3.2 times the time over three runs; detailed validation on or off
makes no clear difference), and cattrs' structuring alone, without the
envelope or the entry, 47,000 (2.4 to 2.5 times). Entries loaded through
the readers hold 35 MiB, through cattrs 54. The checked writers write and
vouch for an entry in 0.35 to 0.43 times what writing it with cattrs and
reading it back takes. msgspec 0.23 reads none of the event classes: it refuses the
``date | datetime`` union of a report's ``published``, and reads an attrs
class such as `FuzzyDate` only from a JSON object, never from the EDTF
text a log holds. So the readers and the checked writers stay.

The plain writers (`Codec.entry_to_dict`) gain less: 1.1 to 1.3 times
cattrs' ``make_dict_unstructure_fn``, on a path the stores take only for
what the checked writers refuse. They stay because the checked writers are
built on them (they write what `_Direct._output` writes, and only for
classes it has a writer for), and because they write days as
``isoformat()`` whatever hook is registered for days on the codec's own
converter (`Codec.converter`): writing through the converter instead
would change what such a codec writes.

This module holds what every generated function needs: `_Code`, which
gathers its lines and the values its names stand for; the setters and
drafts that make a record without its ``__init__`` (`_construct`,
`_unchecked`, `_set_fields`, `_draft`); and which classes may be made that
way (`_readable_fields`, `_direct_setters`).
"""

import functools
import operator
import types
import typing
import weakref
from collections.abc import Callable
from typing import Any

import attrs

from timeline.model._checks import check_fields
from timeline.model._event import _tuple_of_sources, _tuple_of_str
from timeline.model.sources import Report

_Payload = dict[str, Any]


class _RefusedError(Exception):
    """A direct reader met something it does not read: cattrs decides."""


_Reader = Callable[[Any], Any]
_MISSING: Any = object()
_TUPLE_CONVERTERS = (_tuple_of_str, _tuple_of_sources)
"""Converters that return a tuple as it is: the direct readers build tuples."""
_POST_INIT_NEEDS = {Report.__attrs_post_init__: "published_range"}
"""Post-init methods that do nothing while the field named is None."""


def _built_once(
    table: dict[type, _Reader | None],
    cls: type,
    build: Callable[[type], _Reader | None],
) -> _Reader | None:
    """Return ``build(cls)``, made once and kept in *table*."""
    found: _Reader | None = table.get(cls, _MISSING)
    if found is _MISSING:
        table[cls] = None  # until built: a class naming itself is refused
        found = table[cls] = build(cls)
    return found


class _Code:
    """The lines of one generated function, and the values its names stand for.

    Readers and writers are generated, as cattrs generates its own, because
    a function spelled out field by field does away with a loop, a call and
    a dict of arguments per field: most of the cost of decoding a log.
    """

    __slots__ = ("lines", "names", "recipes")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"Refused": _RefusedError}
        self.recipes: dict[str, _Recipe] = {}

    def name(self, value: object, prefix: str) -> str:
        """Return a new name the generated code knows *value* by."""
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def own(self, value: object, prefix: str, recipe: "_Recipe") -> str:
        """Return a new name for *value*, which belongs to one codec.

        *recipe* finds any codec's own value: see `_Template`.
        """
        name = self.name(value, prefix)
        self.recipes[name] = recipe
        return name

    def add(self, indent: int, *lines: str) -> None:
        """Add *lines*, indented *indent* levels."""
        self.lines.extend("    " * indent + line for line in lines)

    def build(self, function: str, title: str) -> Callable[..., Any]:
        """Return the function named *function* once the lines are run."""
        namespace = dict(self.names)
        # The text is ours: field names (identifiers, quoted when they are
        # keys) and names of self.names, never anything read from storage.
        exec(_compiled("\n".join(self.lines), title), namespace)  # noqa: S102
        built: Callable[..., Any] = namespace[function]
        return built


_Recipe = tuple[str, Any]
"""How a codec finds a value of its own: ("attr", name), ("records", cls) or
("reader", type), for its attribute, its table of records or its reader."""


@functools.lru_cache(maxsize=1024)
def _compiled(source: str, title: str) -> types.CodeType:
    # Every codec generates the same text for a class, with values of its
    # own behind the names: compile it once.
    return compile(source, f"<timeline {title}>", "exec")


def _slot_setters(cls: type) -> dict[str, Callable[[Any, Any], None]] | None:
    """Return the setter of each field's slot, or None unless slots are all there is."""
    setters: dict[str, Callable[[Any, Any], None]] = {}
    for klass in cls.__mro__:
        for name in klass.__dict__.get("__slots__", ()):
            slot = klass.__dict__.get(name)
            if isinstance(slot, types.MemberDescriptorType) and name not in setters:
                setters[name] = slot.__set__
    names = {field.name for field in attrs.fields(cls)}
    return setters if set(setters) == names else None


def _direct_setters(cls: type) -> dict[str, Callable[[Any, Any], None]] | None:
    """Return the slot setters that may stand in for *cls*'s ``__init__``, if any.

    Only for an ``__init__`` attrs generated, that sets each field (through a
    converter only if it returns a tuple as it is), then runs the validators
    and ``__attrs_post_init__``: generated code does the same, in that order,
    without the call and its keywords.
    """
    code = getattr(cls.__dict__.get("__init__"), "__code__", None)
    if code is None or not code.co_filename.startswith("<attrs generated"):
        return None
    if hasattr(cls, "__attrs_pre_init__"):
        return None
    for field in attrs.fields(cls):
        if field.converter is not None and field.converter not in _TUPLE_CONVERTERS:
            return None
    return _slot_setters(cls)


_HINTS: "weakref.WeakKeyDictionary[type, dict[str, Any]]" = weakref.WeakKeyDictionary()
"""Each class's resolved type hints: every codec's readers and writers use them."""


def _readable_fields(cls: type) -> tuple[Any, dict[str, Any]] | None:
    # A field the readers cannot pass by name (a private attribute, one left
    # out of __init__) or whose default is made anew each time makes the
    # class refuse every payload, so cattrs reads it.
    hints = _HINTS.get(cls)
    if hints is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # cattrs reports a type it cannot resolve
            return None
        _HINTS[cls] = hints
    fields = attrs.fields(cls)
    for field in fields:
        if (
            not field.init
            or field.alias != field.name
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        ):
            return None
    return fields, hints


def _post_init(cls: type) -> Any:
    """Return *cls*'s ``__attrs_post_init__``, or None if it only checks types.

    `check_fields` converts or refuses a value not of exactly its field's
    type, and the readers and checkers take only values of exactly those
    types: for them it does nothing, and is not worth its call.
    """
    post_init = getattr(cls, "__attrs_post_init__", None)
    return None if post_init is check_fields else post_init


def _construct(code: _Code, cls: type, fields: Any, checked: set[str]) -> None:
    """Add the lines that build ``o``, a *cls*, from ``v0``, ``v1``... in field order.

    Validators of the fields named in *checked* are left out: the lines
    before have checked what they check.
    """
    setters = _direct_setters(cls)
    if setters is None:
        arguments = ", ".join(f"{field.name}=v{i}" for i, field in enumerate(fields))
        code.add(1, f"o = {code.name(cls, 'cls')}({arguments})")
        return
    _set_fields(code, cls, fields, setters)
    for i, field in enumerate(fields):
        if field.validator is not None and field.name not in checked:
            validator = code.name(field.validator, "validator")
            code.add(1, f"{validator}(o, {code.name(field, 'field')}, v{i})")
    post_init = _post_init(cls)
    if post_init is not None:
        names = [field.name for field in fields]
        needs = _POST_INIT_NEEDS.get(post_init)
        if needs in names:
            code.add(1, f"if v{names.index(needs)} is not None:")
            code.add(2, "o.__attrs_post_init__()")
        else:
            code.add(1, "o.__attrs_post_init__()")


@functools.lru_cache(maxsize=64)
def _unchecked(cls: type) -> Callable[..., Any]:
    """Return ``make(v0, v1...)``, a *cls* of all its fields, built without checks.

    Only for values the caller knows pass every check of the class. Made
    once for every codec: it holds nothing of any.
    """
    setters = _slot_setters(cls) or {}  # a class without slots fails here
    fields = attrs.fields(cls)
    code = _Code()
    code.add(0, f"def make({', '.join(f'v{i}' for i in range(len(fields)))}):")
    _set_fields(code, cls, fields, setters)
    code.add(1, "return o")
    return code.build("make", f"unchecked {cls.__qualname__}")


def _set_fields(
    code: _Code,
    cls: type,
    fields: Any,
    setters: dict[str, Callable[[Any, Any], None]],
) -> None:
    """Add the lines that make ``o``, a *cls* whose fields are ``v0``, ``v1``...

    It is made a draft of *cls* (see `_draft`), given its fields as
    attributes and made a *cls*; or, if *cls* has no draft, made a *cls*
    and given its fields through their slots' setters, which is slower.
    """
    name = code.name(cls, "cls")
    new = code.name(object.__new__, "new")
    draft = _draft(cls, setters)
    if draft is None:
        code.add(1, f"o = {new}({name})")
        for i, field in enumerate(fields):
            code.add(1, f"{code.name(setters[field.name], 'set')}(o, v{i})")
        return
    code.add(1, f"o = {new}({code.name(draft, 'draft')})")
    for i, field in enumerate(fields):
        code.add(1, f"o.{field.name} = v{i}")
    code.add(1, f"o.__class__ = {name}")


_DRAFTS: dict[type, type | None] = {}
"""Each class's draft, or None: see `_draft`."""


def _draft(cls: type, setters: dict[str, Callable[[Any, Any], None]]) -> type | None:
    """Return a draft of *cls*, or None if it cannot have one.

    A draft is a subclass that adds nothing to a *cls* but ``object``'s
    ``__setattr__`` and ``__delattr__`` (a frozen class refuses both), so
    that an instance takes each field as a plain assignment of the slot in
    *setters*, the fastest way Python sets one; then ``o.__class__ = cls``
    makes it a *cls*, exactly as if made by the setters. Only for a class of
    `type` whose slots are all it holds and whose ancestors have no
    ``__init_subclass__``, which defining the draft would call; each is
    made once and tried before use.
    """
    found = _DRAFTS.get(cls, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    _DRAFTS[cls] = None
    if (
        type(cls) is not type
        or "__dict__" in dir(cls)
        or any("__init_subclass__" in klass.__dict__ for klass in cls.__mro__[:-1])
    ):
        return None
    # An assignment finds the first descriptor of its name along the MRO:
    # it must be the slot whose setter the fields are given to.
    for name, setter in setters.items():
        owner = next(klass for klass in cls.__mro__ if name in klass.__dict__)
        if owner.__dict__[name] is not getattr(setter, "__self__", None):
            return None
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": __name__,
        "__qualname__": f"_Draft.{cls.__qualname__}",
    }
    try:
        draft = type(f"{cls.__name__}Draft", (cls,), namespace)
        probe: Any = object.__new__(draft)
        probe.__class__ = cls
    except TypeError:  # a layout __class__ assignment refuses
        return None
    _DRAFTS[cls] = draft
    return draft


def _without_none(type_: Any) -> Any:
    origin, arguments = typing.get_origin(type_), typing.get_args(type_)
    if origin in (typing.Union, types.UnionType) and type(None) in arguments:
        rest = [argument for argument in arguments if argument is not type(None)]
        return functools.reduce(operator.or_, rest)
    return type_
