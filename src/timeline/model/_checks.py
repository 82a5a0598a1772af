# SPDX-License-Identifier: MIT
"""Field checks: every value checks the types of its fields where it is built.

A claim built with a string for its date used to be accepted, and to fail
much later inside a fold or a store's append, naming neither the field nor the
entry. Now a wrong type is refused at once, by the constructor, with a
message naming the class, the field, the value and what the field wants; and
a value of another type that stands for exactly one value of the field's type
is converted instead (see `register`).

How it works
------------

One check per class, generated from the class's attrs fields and their
resolved annotations the first time an instance is built, then kept.
`check_fields` runs it: it is the ``__attrs_post_init__`` of `Event` (so of
every event type, built-in or declared by a user, with nothing to declare;
`Event` wraps a subclass's own post-init so that the check runs first) and
of `Source`, and the first thing `Report.__attrs_post_init__` does.

The check is spelled out field by field, as cattrs generates its structure
functions: for each field, one test of the value's exact class, which every
value built the usual way passes, so building a claim costs a few attribute
reads more. Only a value that fails the test takes the slow path, `_settle`,
which reads the annotation to accept the value (a subclass, say), convert it,
or say why not. Annotations may be ``str``, ``int``, ``bool``, ``float``,
`datetime.date`, `datetime.datetime`, enums, classes (attrs classes such as
`FuzzyDate` included), unions (``X | None``), ``tuple[X, ...]``,
``tuple[X, Y]``, ``frozenset[X]``, lists, sets and mappings (checked item by
item, never converted) and ``Literal[...]``; ``Any``, ``object``, type
variables, protocols and annotations that cannot be resolved are not
checked. Conversions are registered by the module that defines the class
converted to (`register`), since this module sits below them all.

Why not attrs validators and converters on each field: they would be a call
per field on every claim built, would not reach the fields of users' own
types, and the codec's fast paths recognise the validators and converters
they can stand in for (a converter it does not know makes it build every
claim through ``__init__``). Why not reuse the codec's or the strategies'
walk of the same annotations: both sit above the model, which may not import
them.

What is checked where
---------------------

Values read from storage are checked by the codec, whose readers test the
exact type of every value as they read it and build values without calling
``__init__``; they skip this check (see `timeline.serialization`), so loading
a log costs nothing more. A bool is never an int here, and a
`datetime.datetime` is never a `datetime.date`: either would claim something
the source did not say.
"""

import collections.abc
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from timeline.errors import InvalidEntryError

__all__ = ["NOT_CONVERTED", "check_fields", "register", "shown"]

NOT_CONVERTED: Final[Any] = object()
"""What a conversion returns for a value it does not convert."""

_Convert = Callable[[Any], Any]
_Hint = Callable[[Any], "str | None"]
_Field = tuple[str, Any]

_CONVERSIONS: dict[type, _Convert] = {}
"""For a class, how a value of another type becomes one, losing nothing."""
_HINTS: dict[type, _Hint] = {}
"""For a class, what to say to someone who gave a value that is not one."""
_CHECKS: dict[type, Callable[[Any], None]] = {}
"""Each class's generated check, made on the first instance built."""
_SHORT = 60
"""The most characters of a value's repr a message shows."""
_UNION = (typing.Union, types.UnionType)
_CHECKED_FORMS = (*_UNION, typing.Literal)
"""Origins of annotations checked that are not classes themselves."""
_NONE = type(None)
_BARE: dict[Any, Any] = {tuple: tuple[Any, ...], frozenset: frozenset[Any]}
"""Bare collections, checked as collections of anything."""
_NAMES: dict[type, str] = {
    _NONE: "None",
    dt.date: "datetime.date",
    dt.datetime: "datetime.datetime",
}


def register(cls: type, *, convert: _Convert, hint: _Hint | None = None) -> None:
    """Say how a value that is not a *cls* becomes one, and what to tell its giver.

    Args:
        cls: A class that fields are annotated with.
        convert: Return the *cls* that a value of another type stands for,
            losing nothing, or `NOT_CONVERTED`; it may raise `ValueError`
            for a value of the right kind but wrong (a blank name).
        hint: Return advice for a value that is not a *cls* and was not
            converted, or None.
    """
    _CONVERSIONS[cls] = convert
    if hint is not None:
        _HINTS[cls] = hint


def check_fields(instance: Any) -> None:
    """Check the type of each field of *instance*, converting what `register` says.

    Raises:
        TypeError: If a field holds a value of the wrong type that is not
            converted; the message names the class, the field, the value's
            type and repr, what the field wants, and how to get it when
            there is a usual way.
        InvalidEntryError: If a value converted is refused by its new type.
    """
    cls = instance.__class__
    check = _CHECKS.get(cls)
    if check is None:
        check = _CHECKS[cls] = _build(cls)
    check(instance)


def shown(value: object) -> str:
    """Return *value*'s type and repr, cut short, for a message."""
    text = repr(value)
    if len(text) > _SHORT:
        text = text[: _SHORT - 3] + "..."
    return f"{type(value).__name__} {text}"


# -- The generated check ------------------------------------------------------


def _build(cls: type) -> Callable[[Any], None]:
    fields = _fields(cls)
    names: dict[str, Any] = {"repair": functools.partial(_repair, cls, fields)}
    lines = ["def check(o):"]
    for index, (name, type_) in enumerate(fields):
        tests = _tests(type_, "v", names, f"repair(o, {index}, v)")
        if tests:
            lines += [f"    v = o.{name}", *(f"    {line}" for line in tests)]
    lines.append("    return None")
    # The text is ours: field names (identifiers) and names of `names`.
    source = "\n".join(lines)
    code = compile(source, f"<timeline check of {cls.__qualname__}>", "exec")
    exec(code, names)  # noqa: S102
    check: Callable[[Any], None] = names["check"]
    return check


def _fields(cls: type) -> tuple[_Field, ...]:
    # Annotations as written may be strings: resolve them, and leave a field
    # unchecked only if its annotation cannot be resolved at all.
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation naming what its module does not define
        hints = {}
    found = []
    for field in attrs.fields(cls):
        type_ = hints.get(field.name, field.type)
        if field.init and type_ is not None and not isinstance(type_, str):
            found.append((field.name, type_))
    return tuple(found)


def _tests(type_: Any, var: str, names: dict[str, Any], repair: str) -> list[str]:
    """Return the lines that run *repair* unless *var* surely fits *type_* as it is.

    A loop over the items of a tuple, not ``all()`` of a generator, which
    would cost more than the rest of the check.
    """
    type_ = _stripped(type_)
    origin, arguments = typing.get_origin(type_), typing.get_args(type_)
    members = [member for member in arguments if member is not _NONE]
    if origin in _UNION and len(members) == 1 and len(arguments) == 2:  # noqa: PLR2004
        inner = _tests(members[0], var, names, repair)
        if not inner:
            return []
        return [f"if {var} is not None:", *(f"    {line}" for line in inner)]
    if origin in (tuple, frozenset) and _is_many(arguments, origin):
        item = _fast(arguments[0], "x", names, 1)
        kind = [f"if {var}.__class__ is not {origin.__name__}:", f"    {repair}"]
        if item == "True":
            return kind
        loop = [f"for x in {var}:", f"    if not {item}:", f"        {repair}"]
        return [*kind, "else:", *(f"    {line}" for line in [*loop, "        break"])]
    test = _fast(type_, var, names, 0)
    return [] if test == "True" else [f"if not {test}:", f"    {repair}"]


def _fast(type_: Any, var: str, names: dict[str, Any], depth: int) -> str:
    """Return an expression true of *var* if it surely fits *type_* as it is.

    "True" if *type_* is not checked; "False" if every value takes the slow
    path (literals, mappings and other collections).
    """
    type_ = _stripped(type_)
    if _unchecked(type_):
        return "True"
    if type_ is _NONE or type_ is None:
        return f"{var} is None"
    origin, arguments = typing.get_origin(type_), typing.get_args(type_)
    if origin in _UNION:
        tests = [_fast(argument, var, names, depth) for argument in arguments]
        return "True" if "True" in tests else f"({' or '.join(tests)})"
    if origin in (tuple, frozenset) and _is_many(arguments, origin):
        item = f"x{depth}"
        inner = _fast(arguments[0], item, names, depth + 1)
        kind = f"{var}.__class__ is {origin.__name__}"
        return f"({kind} and (not {var} or all({inner} for {item} in {var})))"
    if origin is tuple:
        tests = [f"{var}.__class__ is tuple", f"len({var}) == {len(arguments)}"]
        for index, argument in enumerate(arguments):
            tests.append(_fast(argument, f"{var}[{index}]", names, depth))
        return f"({' and '.join(tests)})"
    if origin is None:
        name = f"c{len(names)}"
        names[name] = type_
        return f"{var}.__class__ is {name}"
    return "False"


def _repair(
    cls: type, fields: tuple[_Field, ...], instance: Any, index: int, value: Any
) -> None:
    name, type_ = fields[index]
    where = f"{cls.__name__}.{name}"
    try:
        settled = _settle(value, type_, where, convert=True)
    except _RefusedError as refused:
        error = InvalidEntryError if refused.wrong_value else TypeError
        raise error(str(refused)) from None
    if settled is not value:
        # The instance is frozen, and this is its own post-init.
        object.__setattr__(instance, name, settled)


# -- The slow path: accept, convert, or say why not ---------------------------


class _RefusedError(Exception):
    """A value that does not fit, at *where*; a union may try another member.

    It is a wrong value, not a wrong type, when the value is of the type of
    a ``Literal``'s values but none of them.
    """

    def __init__(
        self,
        where: str,
        value: object,
        type_: Any,
        hint: str | None = None,
        *,
        wrong_value: bool = False,
    ) -> None:
        self.where, self.value, self.type_ = where, value, type_
        self.hint = hint if hint is not None else _hint(value, type_)
        self.wrong_value = wrong_value
        super().__init__(where)

    def __str__(self) -> str:
        msg = f"{self.where} must be {_wanted(self.type_)}, got {shown(self.value)}"
        return f"{msg}: {self.hint}" if self.hint else msg


def _settle(value: Any, type_: Any, where: str, *, convert: bool) -> Any:
    """Return *value* if it fits *type_*, or what it converts to (if *convert*).

    Raises:
        _RefusedError: If it does not fit and is not converted.
        InvalidEntryError: If it converts to a value that is refused.
    """
    type_ = _stripped(type_)
    if _unchecked(type_):
        return value
    if type_ is _NONE or type_ is None:
        if value is not None:
            raise _RefusedError(where, value, _NONE)
        return value
    origin = typing.get_origin(type_)
    if origin in _UNION:
        return _settle_union(value, type_, where, convert=convert)
    if origin is typing.Literal:
        return _settle_literal(value, type_, where)
    if origin is tuple:
        return _settle_tuple(value, type_, where, convert=convert)
    if origin is frozenset:
        return _settle_frozenset(value, type_, where, convert=convert)
    if origin is not None:
        _settle_collection(value, type_, origin, where)
        return value
    return _settle_class(value, type_, where, convert=convert)


def _settle_class(value: Any, cls: type, where: str, *, convert: bool) -> Any:
    if _fits(value, cls):
        return value
    if convert:
        converted = NOT_CONVERTED
        if cls is float and isinstance(value, int) and not isinstance(value, bool):
            if float(value) == value:
                converted = float(value)
        elif cls in _CONVERSIONS:
            try:
                converted = _CONVERSIONS[cls](value)
            except ValueError as error:
                msg = (
                    f"{where} must be {_wanted(cls)}, and {shown(value)} "
                    f"cannot be made one: {error}"
                )
                raise InvalidEntryError(msg) from error
        if converted is not NOT_CONVERTED:
            return converted
    raise _RefusedError(where, value, cls)


def _fits(value: Any, cls: type) -> bool:
    if cls is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if cls is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, cls)


def _settle_union(value: Any, type_: Any, where: str, *, convert: bool) -> Any:
    # A member that takes the value as it is wins over one that converts it:
    # a str is not made a Source where a str will do.
    refusals: list[_RefusedError] = []
    for converting in (False, True) if convert else (False,):
        refusals = []
        for member in typing.get_args(type_):
            try:
                return _settle(value, member, where, convert=converting)
            except _RefusedError as refused:
                refusals.append(refused)
    # A literal of the value's type, or an item deep inside the one member
    # the value could be, says most.
    telling = [one for one in refusals if one.wrong_value or one.where != where]
    if telling:
        raise telling[0]
    hints = [refused.hint for refused in refusals if refused.hint]
    raise _RefusedError(where, value, type_, hints[0] if hints else None)


def _settle_literal(value: Any, type_: Any, where: str) -> Any:
    options = typing.get_args(type_)
    for option in options:
        if value.__class__ is option.__class__ and value == option:
            return value
    kinds = {option.__class__ for option in options}
    raise _RefusedError(where, value, type_, wrong_value=value.__class__ in kinds)


def _settle_tuple(value: Any, type_: Any, where: str, *, convert: bool) -> Any:
    # A list becomes a tuple, item for item, losing nothing; any other
    # iterable would not (a str would become its letters, a dict its keys).
    if not isinstance(value, tuple) and not (convert and isinstance(value, list)):
        raise _RefusedError(where, value, type_)
    arguments = typing.get_args(type_)
    if _is_many(arguments, tuple):
        members = [arguments[0]] * len(value)
    else:
        members = list(arguments)  # none for tuple[()]
        if len(value) != len(members):
            hint = f"it has {len(value)} items, not {len(members)}"
            raise _RefusedError(where, value, type_, hint)
    wheres = [f"{where}[{index}]" for index in range(len(value))]
    return _settle_items(value, members, wheres, tuple, convert=convert)


def _settle_frozenset(value: Any, type_: Any, where: str, *, convert: bool) -> Any:
    # A set becomes a frozenset, losing nothing; a list would lose its order.
    if not isinstance(value, frozenset) and not (convert and isinstance(value, set)):
        raise _RefusedError(where, value, type_)
    members = typing.get_args(type_) * len(value)
    wheres = [f"{where} item"] * len(value)
    return _settle_items(value, members, wheres, frozenset, convert=convert)


def _settle_items(
    value: Any,
    members: Sequence[Any],
    wheres: Sequence[str],
    kind: type,
    *,
    convert: bool,
) -> Any:
    settled = [
        _settle(item, member, where, convert=convert)
        for item, member, where in zip(value, members, wheres, strict=True)
    ]
    unchanged = all(new is old for new, old in zip(settled, value, strict=True))
    return value if unchanged and isinstance(value, kind) else kind(settled)


def _settle_collection(value: Any, type_: Any, origin: type, where: str) -> None:
    # Lists, sets, mappings and the like: checked item by item, never
    # converted (a converted item would need a new collection).
    if not isinstance(value, origin):
        raise _RefusedError(where, value, type_)
    arguments = typing.get_args(type_)
    if isinstance(value, collections.abc.Mapping) and len(arguments) == 2:  # noqa: PLR2004
        key_type, item_type = arguments
        for key, item in value.items():
            _settle(key, key_type, f"{where} key {key!r:.20}", convert=False)
            _settle(item, item_type, f"{where}[{key!r:.20}]", convert=False)
    elif isinstance(value, collections.abc.Iterable) and len(arguments) == 1:
        for index, item in enumerate(value):
            _settle(item, arguments[0], f"{where}[{index}]", convert=False)


# -- Words for messages --------------------------------------------------------


def _wanted(type_: Any) -> str:
    """Return what a field of *type_* wants, as a noun phrase: "a FuzzyDate or None"."""
    type_ = _stripped(type_)
    origin = typing.get_origin(type_)
    if origin in _UNION:
        members = typing.get_args(type_)
        words = [_wanted(member) for member in members if member is not _NONE]
        return " or ".join(words + ["None"] * (_NONE in members))
    noun = _noun(type_)
    if noun == "None" or origin is typing.Literal:
        return noun
    return f"{'an' if noun[0] in 'aeiouAEIOU' else 'a'} {noun}"


def _noun(type_: Any) -> str:
    type_ = _stripped(type_)
    origin, arguments = typing.get_origin(type_), typing.get_args(type_)
    if origin in _UNION:
        return f"({' or '.join(_noun(argument) for argument in arguments)})"
    if origin is typing.Literal:
        return f"one of {', '.join(repr(argument) for argument in arguments)}"
    if origin in (tuple, frozenset) and _is_many(arguments, origin):
        return f"{origin.__name__} of {_noun(arguments[0])}"
    if origin is tuple:
        return f"tuple ({', '.join(_noun(argument) for argument in arguments)})"
    if origin is not None:
        return f"{origin.__name__}[{', '.join(map(_noun, arguments))}]"
    return _NAMES.get(type_) or getattr(type_, "__name__", None) or repr(type_)


def _hint(value: Any, type_: Any) -> str | None:
    """Return advice for *value*, refused by *type_*, or None."""
    type_ = _stripped(type_)
    origin = typing.get_origin(type_)
    if type_ in _HINTS:
        return _HINTS[type_](value)
    if type_ is int and isinstance(value, bool):
        return "a bool is not a number"
    if type_ is dt.date and isinstance(value, dt.datetime):
        return "a datetime is not a day: pass its .date() if the day is what is meant"
    if origin in (tuple, frozenset) and isinstance(value, str):
        return f"wrap it in a tuple: ({value!r},)"
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        try:
            member = type_(value)
        except (ValueError, TypeError):
            return None
        return f"use {type_.__name__}.{member.name}"
    return None


# -- Annotations ---------------------------------------------------------------


def _stripped(type_: Any) -> Any:
    """Return the annotation *type_* is checked as."""
    # A NewType checks as what it stands for; a bare tuple or frozenset as
    # one of anything.
    while hasattr(type_, "__supertype__"):
        type_ = type_.__supertype__
    return _BARE.get(type_, type_)


def _unchecked(type_: Any) -> bool:
    """Whether values of *type_* pass as they are: ``Any``, a protocol, a TypeVar..."""
    if type_ is None or type_ is _NONE:
        return False
    origin = typing.get_origin(type_)
    if origin is not None:
        return origin not in _CHECKED_FORMS and not isinstance(origin, type)
    if isinstance(type_, type):
        return type_ in (Any, object) or bool(getattr(type_, "_is_protocol", False))
    return True  # a type variable, a name not resolved, a special form


def _is_many(arguments: tuple[Any, ...], origin: type) -> bool:
    """Whether *arguments* of a tuple or frozenset say "any number of one type"."""
    if origin is frozenset:
        return len(arguments) == 1
    return len(arguments) == 2 and arguments[1] is Ellipsis  # noqa: PLR2004
