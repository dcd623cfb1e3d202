"""JSON Lines, newsbrief's own archive format: one JSON object a line.

``{"kind": "category", "slug", "name": {"en", "zh-hant"}}`` lines carry category names in both
languages; ``{"kind": "brief", ...}`` lines carry ``BriefContent.to_json()`` plus the edit
trail (``{"count", "at", "by"}`` or null). Categories come first so briefs find them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from newsbrief.briefs.content import BriefContent, EditTrail

from .errors import FormatError


def category_record(slug: str, name_en: str, name_zh_hant: str) -> str:
    record = {"kind": "category", "slug": slug, "name": {"en": name_en, "zh-hant": name_zh_hant}}
    return json.dumps(record, ensure_ascii=False)


def brief_record(content: BriefContent) -> str:
    record = {"kind": "brief", **content.to_json()}
    trail = content.trail
    record["trail"] = trail and {
        "count": trail.count,
        "at": trail.at.astimezone(dt.UTC).isoformat(),
        "by": trail.by,
    }
    return json.dumps(record, ensure_ascii=False)


def parse_record(line: str) -> dict[str, Any] | BriefContent:
    """A category record as a dict, or a brief as ``BriefContent``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise FormatError("a record must be a JSON object")
    kind = record.get("kind", "brief")
    try:
        if kind == "category":
            names = record.get("name") or {}
            if not record.get("slug") or not isinstance(names, dict):
                raise ValueError("a category needs a slug and names")
            return {
                "slug": str(record["slug"]),
                "name_en": str(names.get("en") or ""),
                "name_zh_hant": str(names.get("zh-hant") or ""),
            }
        if kind != "brief":
            raise ValueError(f"unknown kind {kind!r}")
        trail = record.get("trail")
        if trail:
            at = dt.datetime.fromisoformat(trail["at"])
            if at.tzinfo is None:
                raise ValueError("the edit time has no time zone")
            trail = EditTrail(count=int(trail["count"]), at=at, by=str(trail["by"]))
        content = BriefContent.from_json(record, trail=trail or None)
    except KeyError as exc:
        raise FormatError(f"missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise FormatError(f"bad record: {exc}") from None
    if content.language not in {"en", "zh-hant"}:
        raise FormatError(f"unknown language {content.language!r}")
    return content
