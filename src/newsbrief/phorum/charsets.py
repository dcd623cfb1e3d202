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

import codecs
import dataclasses
import re
import unicodedata

UTF8, DOUBLE, BIG5, LATIN1 = "UTF-8", "UTF-8 double-encoded in latin1", "Big5", "latin1"

_DECODING = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_ENCODING = codecs.charmap_build(_DECODING)


def from_latin1(raw: bytes) -> str:
    """The bytes as MariaDB's latin1 shows them."""
    return codecs.charmap_decode(raw, "strict", _DECODING)[0]


def to_latin1(text: str) -> bytes | None:
    """The latin1 bytes showing as ``text``, or None when a character is not in latin1."""
    try:
        return codecs.charmap_encode(text, "strict", _ENCODING)[0]
    except UnicodeEncodeError:
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


# What Big5 text holds besides ASCII: its symbol rows (Latin-1 signs, Greek, Cyrillic,
# punctuation, letterlike and number forms, arrows, maths, enclosed numbers, boxes, shapes),
# CJK punctuation, Bopomofo, enclosed and squared CJK, ideographs, the user-defined area CP950
# maps to the Private Use Area, compatibility ideographs and forms, and full-width forms.
_NOT_BIG5 = re.compile(
    "[^\x00-\x7f\u00a2-\u00f7\u02c7-\u02d9\u0391-\u03c9\u0401-\u0451\u2010-\u203e"
    "\u2103-\u2199\u2215-\u22bf\u2460-\u2642\u3000-\u312f\u3220-\u33ff\u4e00-\u9fff"
    "\ue000-\uf8ff\uf900-\ufaff\ufe30-\ufe6b\uff01-\uffe5]"
)
_NOT_LATIN = re.compile("[^\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")


def _looks_chinese(text: str) -> bool:
    """Every character one Big5 text has (mis-decoded bytes of other encodings give C1
    controls and characters from elsewhere)."""
    return not _NOT_BIG5.search(text)


def _looks_latin(text: str) -> bool:
    """Every non-ASCII character a Latin-1 letter (what an English 5.1 board holds)."""
    return not _NOT_LATIN.search(text)


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
