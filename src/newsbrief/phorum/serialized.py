"""PHP's ``serialize()`` format, read tolerantly, and written (for the fixture board).

Phorum keeps ``messages.meta`` and the edit-track diffs as ``serialize()`` output. Its strings
are ``s:N:"...";`` with N in *bytes*; once a database's character set has been converted after
the fact, N no longer matches the bytes stored. ``unserialize`` then looks for the closing
``";`` that lets the rest of the value parse (trying each candidate in turn, so a string that
itself holds ``";`` is not cut short when a later one fits) and says so in ``notes``.

Strings come back as ``bytes`` (PHP's strings are bytes; ``charsets`` decides what they are),
arrays as ``dict`` (keys ``int`` or ``str``), the rest as ``int``, ``float``, ``bool`` or
``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_INT = re.compile(rb"-?\d+")
_FLOAT = re.compile(rb"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|-?INF|NAN")
# What may follow a value inside an array: a key, a nested value, or the array's end.
_FOLLOWER = re.compile(rb"[}]|[ibdsa]:|N;")


#: How many candidate string ends the tolerant reading may try before it gives up: each
#: wrong length multiplies the ways to read what follows.
TRIES = 10_000


class SerializedError(ValueError):
    """The text is not PHP serialized data, even read tolerantly."""


def unserialize(data: bytes) -> tuple[object, list[str]]:
    """The value, and notes on what had to be recovered ("s:12 at byte 40 holds 18 bytes")."""
    try:
        value, end = _exact(data, 0)
        if end == len(data) or not data[end:].strip():
            return value, []
    except (ValueError, IndexError):
        pass
    budget = [TRIES]
    for value, end, notes in _value(data, 0, budget):
        if end == len(data) or not data[end:].strip():
            return value, notes
    raise SerializedError(f"not PHP serialized data: {data[:60]!r}")


def _exact(data: bytes, pos: int) -> tuple[object, int]:
    """The value at ``pos`` read as PHP reads it, lengths trusted (the fast path); raises
    ValueError or IndexError where that fails."""
    kind = data[pos : pos + 2]
    if kind == b"N;":
        return None, pos + 2
    end = data.index(b";" if kind in (b"i:", b"b:", b"d:") else b":", pos + 2)
    number = data[pos + 2 : end]
    if kind == b"i:":
        return int(number), end + 1
    if kind == b"b:":
        return bool(int(number)), end + 1
    if kind == b"d:":
        return float(number.replace(b"NAN", b"nan")), end + 1
    if kind == b"s:":
        start = end + 2
        stop = start + int(number)
        if data[end + 1 : start] != b'"' or data[stop : stop + 2] != b'";':
            raise ValueError("string length")
        return data[start:stop], stop + 2
    if kind == b"a:" and data[end + 1 : end + 2] == b"{":
        found, at = {}, end + 2
        for _ in range(int(number)):
            key, at = _exact(data, at)
            if not isinstance(key, int | bytes):
                raise ValueError("array key")
            found[key.decode("latin-1") if isinstance(key, bytes) else key], at = _exact(data, at)
        if data[at : at + 1] != b"}":
            raise ValueError("array end")
        return found, at + 1
    raise ValueError("not a value")


def _value(data: bytes, pos: int, budget: list[int]) -> Iterator[tuple[object, int, list[str]]]:
    """Every way the value at ``pos`` can be read: (value, end, notes), the exact one first."""
    kind = data[pos : pos + 2]
    if data[pos : pos + 2] == b"N;":
        yield None, pos + 2, []
    elif kind in (b"i:", b"b:"):
        match = _INT.match(data, pos + 2)
        if match and data[match.end() : match.end() + 1] == b";":
            number = int(match.group())
            yield (bool(number) if kind == b"b:" else number), match.end() + 1, []
    elif kind == b"d:":
        match = _FLOAT.match(data, pos + 2)
        if match and data[match.end() : match.end() + 1] == b";":
            yield float(match.group().replace(b"NAN", b"nan")), match.end() + 1, []
    elif kind == b"s:":
        yield from _string(data, pos, budget)
    elif kind == b"a:":
        yield from _array(data, pos, budget)


def _string(data: bytes, pos: int, budget: list[int]) -> Iterator[tuple[bytes, int, list[str]]]:
    match = _INT.match(data, pos + 2)
    if not match or data[match.end() : match.end() + 2] != b':"':
        return
    length, start = int(match.group()), match.end() + 2
    end = start + length
    exact = data[end : end + 2] == b'";'
    if exact:
        yield data[start:end], end + 2, []
    # Lengths that no longer match: every closing quote that could end the string, in order.
    close = data.find(b'";', start)
    while close != -1:
        budget[0] -= 1
        if budget[0] < 0:
            raise SerializedError("too many ways to read the string lengths")
        if close != end or not exact:
            note = f"s:{length} at byte {pos} holds {close - start} bytes"
            yield data[start:close], close + 2, [note]
        close = data.find(b'";', close + 1)


def _array(data: bytes, pos: int, budget: list[int]) -> Iterator[tuple[dict, int, list[str]]]:
    match = _INT.match(data, pos + 2)
    if not match or data[match.end() : match.end() + 2] != b":{":
        return
    count = int(match.group())

    def items(at: int, left: int, found: dict, notes: list[str]):
        if left == 0:
            if data[at : at + 1] == b"}":
                yield dict(found), at + 1, notes
            return
        for key, after_key, key_notes in _value(data, at, budget):
            if not isinstance(key, int | bytes):
                continue
            for value, after_value, value_notes in _value(data, after_key, budget):
                if left > 1 and not _FOLLOWER.match(data, after_value):
                    continue
                name = key.decode("latin-1") if isinstance(key, bytes) else key
                yield from items(
                    after_value,
                    left - 1,
                    {**found, name: value},
                    notes + key_notes + value_notes,
                )

    yield from items(match.end() + 2, count, {}, [])


def serialize(value: object) -> bytes:
    """PHP's ``serialize()`` of ``value`` (str is written as its UTF-8 bytes)."""
    if value is None:
        return b"N;"
    if isinstance(value, bool):
        return b"b:%d;" % value
    if isinstance(value, int):
        return b"i:%d;" % value
    if isinstance(value, float):
        return b"d:" + repr(value).encode() + b";"
    if isinstance(value, str):
        value = value.encode("utf-8")
    if isinstance(value, bytes):
        return b's:%d:"' % len(value) + value + b'";'
    if isinstance(value, list | tuple):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = b"".join(serialize(k) + serialize(v) for k, v in value.items())
        return b"a:%d:{" % len(value) + body + b"}"
    raise TypeError(f"cannot serialize {type(value).__name__}")


def as_list(value: object) -> list:
    """A PHP list (an array keyed 0, 1, ...) as a Python list, in key order; [] otherwise."""
    if not isinstance(value, dict):
        return []
    return [value[k] for k in sorted(value, key=lambda k: (isinstance(k, str), k))]
