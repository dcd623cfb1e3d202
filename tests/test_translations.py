"""The committed zh-Hant catalog is complete and its compiled .mo matches the .po."""

import gettext
import re

from newsbrief.settings import PACKAGE_DIR

CATALOG = PACKAGE_DIR / "locale" / "zh_Hant" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.+)"\n(?:msgid_plural "(.+)"\n)?msgstr(?:\[0\])? "(.*)"$', re.M)


ESCAPE = re.compile(r"\\(.)")


def unescape(po_string: str) -> str:
    """A PO string literal's text: ``\\"`` is a quote, ``\\n`` a newline."""
    return ESCAPE.sub(lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), po_string)


def test_no_entry_is_fuzzy():
    """makemessages marks a changed message's old translation ``#, fuzzy``: gettext does not
    use it, so the reader would see the English."""
    po = (CATALOG / "django.po").read_text(encoding="utf-8")
    fuzzy = [block for block in po.split("\n\n") if re.search(r"^#,.*\bfuzzy\b", block, re.M)]
    assert not fuzzy, fuzzy


def test_every_message_is_translated_and_compiled():
    entries = [
        tuple(unescape(part) for part in entry)
        for entry in ENTRY.findall((CATALOG / "django.po").read_text(encoding="utf-8"))
    ]
    assert len(entries) > 50
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, plural, msgstr in entries:
        assert msgstr, f"untranslated: {msgid}"
        if plural:
            assert compiled.ngettext(msgid, plural, 2) == msgstr, msgid
        else:
            assert compiled.gettext(msgid) == msgstr, f"django.mo is stale for {msgid!r}"
