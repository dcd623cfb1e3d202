"""Text from a Phorum database, one value at a time, made ``str`` (NFC).

A Taiwanese board from before 2012 mixes, often in one latin1 column: plain UTF-8 bytes; UTF-8
that was double-encoded when the table was converted (each byte taken for a latin1 character
and written again as UTF-8: ``ç§‘æŠ€`` for 科技); and Big5 (CP950). Values are read as the
bytes stored (``CAST(... AS BINARY)``) and told apart here. ``repair`` says what it did
(``repaired``) and what it could not do (``problem``: the text is then kept with U+FFFD where
bytes made no sense), so the import report shows it; nothing is guessed silently.

MariaDB's ``latin1`` is Windows-1252 with its five unassigned bytes kept as the C1 controls
of the same number, so every byte round-trips; ``to_latin1``/``from_latin1`` follow it.
"""

from __future__ import annotations

import dataclasses
import unicodedata

UTF8, DOUBLE, BIG5, LATIN1 = "UTF-8", "UTF-8 double-encoded in latin1", "Big5", "latin1"

_DECODE = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_ENCODE = {ord(char): byte for byte, char in enumerate(_DECODE)}


def from_latin1(raw: bytes) -> str:
    """The bytes as MariaDB's latin1 shows them."""
    return "".join(_DECODE[b] for b in raw)


def to_latin1(text: str) -> bytes | None:
    """The latin1 bytes showing as ``text``, or None when a character is not in latin1."""
    try:
        return bytes(_ENCODE[ord(char)] for char in text)
    except KeyError:
        return None


@dataclasses.dataclass(frozen=True)
class Repaired:
    text: str
    #: The encoding the bytes were found in: UTF8, DOUBLE, BIG5, LATIN1, or "" (ASCII).
    encoding: str
    #: The bytes the text was written as before any conversion (what Phorum's byte offsets
    #: count); None when the text could not be decoded.
    original: bytes | None
    problem: str = ""

    @property
    def repaired(self) -> bool:
        return self.encoding in (DOUBLE, BIG5, LATIN1)


def undouble(raw: bytes) -> bytes | None:
    """The bytes a double-encoded value held before the conversion, or None if it cannot be
    one (not UTF-8, or a character latin1 does not have)."""
    try:
        return to_latin1(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _double_encoded(raw: bytes) -> bytes | None:
    """``raw`` undone of double encoding (perhaps several rounds), if it was double-encoded."""
    found = None
    while True:
        before = undouble(raw)
        if before is None or before == raw:
            return found
        try:
            before.decode("utf-8")
        except UnicodeDecodeError:
            return found
        found = raw = before


def _looks_chinese(text: str) -> bool:
    """Every non-ASCII character one that Big5 text has: wide (ideographs, Bopomofo,
    full-width forms and punctuation) or Big5's Greek, box and symbol rows."""
    return all(
        ord(c) < 128 or unicodedata.east_asian_width(c) in "WFA"
        for c in text
        if not unicodedata.category(c).startswith("C")
    ) and not any(0x80 <= ord(c) < 0xA0 for c in text)


def _looks_latin(text: str) -> bool:
    """Every non-ASCII character a Latin-1 letter (what an English 5.1 board holds)."""
    return all(ord(c) < 128 or ("\u00c0" <= c <= "\u00ff" and c.isalpha()) for c in text)


def repair(raw: bytes | None) -> Repaired:
    if not raw:
        return Repaired("", "", b"")
    if raw.isascii():
        return Repaired(raw.decode("ascii"), "", raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        before = _double_encoded(raw)
        if before is not None:
            return Repaired(_nfc(before.decode("utf-8")), DOUBLE, before)
        return Repaired(_nfc(text), UTF8, raw)
    try:
        text = raw.decode("cp950")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_chinese(text):
            return Repaired(_nfc(text), BIG5, raw)
    text = from_latin1(raw)
    if _looks_latin(text):
        return Repaired(_nfc(text), LATIN1, raw)
    return Repaired(
        _nfc(raw.decode("utf-8", errors="replace")),
        "",
        None,
        "bytes that are neither UTF-8, Big5 nor latin1",
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
