"""A message's every version, rebuilt from ``messages_edittrack`` as Phorum 5.2 does it.

Each tracked edit stores ``phorum_diff(old, new)`` (``include/diff_patch.php``) of the body
and of the subject: a list of ``"<offset>-<removed>"`` / ``"<offset>+<added>"`` strings, offsets
in bytes of text whose ``\\r\\n`` and ``\\r`` became ``\\n``. ``changes.php`` walks back from the
current text, undoing each edit's entries last first (``phorum_unpatch``): that is ``unpatch``.
``diff`` is ``phorum_diff`` itself, longest common run of lines, then of words, then of bytes,
so the fixture board stores what Phorum would have; both work on bytes, in the encoding the
text had when it was edited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def normalise(text: bytes) -> bytes:
    return text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def diff(a: bytes, b: bytes, minimum: int = 3, offset: int = 0) -> list[bytes]:
    """``phorum_diff``: what turns ``a`` into ``b`` (see ``faithful``)."""
    if a == b"" and b == b"":
        return []
    a, b = normalise(a), normalise(b)
    if a == b"":
        return [b"%d+" % offset + b]
    if b == b"":
        return [b"%d-" % offset + a]
    match = _longest_match(a, b)
    if len(match) < minimum:
        return [b"%d-" % offset + a, b"%d+" % offset + b]
    # The match is a run of ``a``'s; PHP's strpos gives false (taken for 0) where ``b`` has it
    # only without the separator that follows it in ``a``: Phorum then stores a diff that
    # does not give ``a`` back. Kept, so the fixture stores what Phorum would.
    ap, bp = a.find(match), max(b.find(match), 0)
    return diff(a[:ap], b[:bp], minimum, offset) + diff(
        a[ap + len(match) :], b[bp + len(match) :], minimum, offset + bp + len(match)
    )


def _longest_match(a: bytes, b: bytes) -> bytes:
    """``phorum_diff_match``: the longest run of whole lines both share, else of words
    (split on spaces), else of bytes; the first found of that length."""
    for separator in (b"\n", b" "):
        answer = _longest_run(a, a.split(separator), b.split(separator))
        if answer:
            return answer
    answer, length, last = b"", 0, {}
    positions: dict[int, list[int]] = {}
    for j, byte in enumerate(b):
        positions.setdefault(byte, []).append(j)
    for i, byte in enumerate(a):
        following = {}
        for j in positions.get(byte, ()):
            following[j] = last.get(j - 1, 0) + 1
            if following[j] > length:
                length = following[j]
                answer = a[i - length + 1 : i + 1]
        last = following
    return answer


def _longest_run(a: bytes, parts_a: list[bytes], parts_b: list[bytes]) -> bytes:
    """The longest run of equal parts, as ``a``'s bytes (each part with its separator, the
    way Phorum counts them)."""
    start, length, answer, last = -1, 0, b"", {}
    positions: dict[bytes, list[int]] = {}
    for j, part in enumerate(parts_b):
        positions.setdefault(part, []).append(j)
    for part in parts_a:
        start += len(part) + 1
        following = {}
        for j in positions.get(part, ()):
            following[j] = len(part) + 1 + last.get(j - 1, 0)
            if following[j] > length:
                length = following[j]
                answer = a[max(start - length + 1, 0) : start + 1]
        last = following
    return answer


_ENTRY = re.compile(rb"(\d*)([-+])", re.S)


class PatchError(ValueError):
    """An edit's entries do not fit the text they should undo (corrupt history)."""


def unpatch(text: bytes, entries: Sequence[bytes]) -> bytes:
    """``phorum_unpatch``: the text before the edit ``entries`` describe. Raises
    ``PatchError`` where an entry's added text is not what stands at its offset (Phorum would
    cut there regardless)."""
    text = normalise(text)
    for entry in reversed(entries):
        match = _ENTRY.match(entry)
        if not match:
            continue  # Phorum leaves the text as it is
        at, change = int(match.group(1) or 0), entry[match.end() :]
        if at > len(text):
            raise PatchError(f"offset {at} past the end ({len(text)} bytes)")
        if match.group(2) == b"-":
            text = text[:at] + change + text[at:]
        else:
            if text[at : at + len(change)] != change:
                raise PatchError(f"the text at {at} is not what the edit added")
            text = text[:at] + text[at + len(change) :]
    return text


def faithful(a: bytes, b: bytes, entries: Sequence[bytes]) -> bool:
    """Whether ``entries`` (``diff(a, b)``) give ``a`` back from ``b``: not so where
    ``phorum_diff`` met its strpos quirk."""
    try:
        return unpatch(b, entries) == normalise(a)
    except PatchError:
        return False
