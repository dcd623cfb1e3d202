"""What changed between two versions of a brief's content, field by field.

A diff is plain data (segments of kept, removed and added text) that templates render with
autoescaping, so no stored text can become markup on the way. Words are compared whole and
Chinese characters one by one, which reads naturally in both languages.
"""

import dataclasses
import difflib
import re

from django.utils.translation import gettext_lazy as _

TOKEN = re.compile(r"[^\W_]+|\s+|.", re.S)


@dataclasses.dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


@dataclasses.dataclass(frozen=True)
class FieldDiff:
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)

    def condensed(self, context: int = 60) -> "FieldDiff":
        """The same diff with long unchanged stretches cut to ``context`` characters around
        each change, for notices that show only what changed."""
        segments = []
        last = len(self.segments) - 1
        for i, s in enumerate(self.segments):
            text = s.text
            if s.op == "equal" and 0 < i < last and len(text) > 2 * context:
                text = f"{text[:context]} … {text[-context:]}"
            elif s.op == "equal" and i == 0 < last and len(text) > context:
                text = f"… {text[-context:]}"
            elif s.op == "equal" and i == last > 0 and len(text) > context:
                text = f"{text[:context]} …"
            segments.append(Segment(s.op, text))
        return FieldDiff(self.label, segments)


def tokens(text: str) -> list[str]:
    """Latin words whole, every CJK character alone, spaces and punctuation as they come."""
    out = []
    for token in TOKEN.findall(text):
        if len(token) > 1 and any(_cjk(c) for c in token):
            out.extend(_split_cjk(token))
        else:
            out.append(token)
    return out


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _split_cjk(token: str) -> list[str]:
    parts, word = [], ""
    for char in token:
        if _cjk(char):
            if word:
                parts.append(word)
                word = ""
            parts.append(char)
        else:
            word += char
    return [*parts, word] if word else parts


def diff_text(old: str, new: str) -> list[Segment]:
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            segments.append(Segment("equal" if op == "equal" else "delete", "".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def _links(content: dict) -> str:
    return "\n".join(
        " | ".join(x for x in (link["label"], link["url"], link["date"] or "") if x)
        for link in content.get("links") or ()
    )


def _source(content: dict) -> str:
    source = content.get("source") or {}
    return " ".join(x for x in (source.get("name") or "", source.get("date") or "") if x)


FIELDS = [
    (_("Title"), lambda c: c["title"]),
    (_("Tags"), lambda c: "\n".join(c.get("tags") or ())),
    (_("Body"), lambda c: c["body"]),
    (_("Source"), _source),
    (_("Further information"), _links),
]


def diff_content(old: dict, new: dict) -> list[FieldDiff]:
    """Each field of two revision contents (``BriefContent.to_json``), compared."""
    return [FieldDiff(label, diff_text(read(old), read(new))) for label, read in FIELDS]


def what_changed(old: dict, new: dict) -> list[FieldDiff]:
    """Only the fields that changed, condensed: for notices beside a form."""
    return [d.condensed() for d in diff_content(old, new) if d.changed]
