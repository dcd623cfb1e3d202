"""Dates as the board shows them, per language, and back.

English follows the seed (``March 20, 2012 09:20PM``, edit trail ``03/20/2012 09:25PM``);
Traditional Chinese follows Taiwanese usage (``2012年3月20日 下午09:20``, ``2012/03/20 下午09:25``).
Month names are spelled here rather than taken from the C locale, so output never depends
on the machine's locale.
"""

import datetime as dt
import re
import zoneinfo

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def _clock(value: dt.datetime, language: str) -> str:
    hour = value.hour % 12 or 12
    if _is_chinese(language):
        return f"{'上午' if value.hour < 12 else '下午'}{hour:02d}:{value.minute:02d}"
    return f"{hour:02d}:{value.minute:02d}{'AM' if value.hour < 12 else 'PM'}"


def format_datetime(value: dt.datetime, language: str, style: str = "long") -> str:
    """``long``: a brief's header; ``short``: the edit trail. ``value`` is shown as given:
    callers pass board-local time."""
    if style == "short":
        if _is_chinese(language):
            return f"{value:%Y/%m/%d} {_clock(value, language)}"
        return f"{value:%m/%d/%Y} {_clock(value, language)}"
    if _is_chinese(language):
        return f"{value.year}年{value.month}月{value.day}日 {_clock(value, language)}"
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year} {_clock(value, language)}"


def format_date(value: dt.date) -> str:
    """``2012/03/19``: source dates and related-message dates, in both languages."""
    return f"{value:%Y/%m/%d}"


def format_month(year: int, month: int, language: str) -> str:
    return f"{year}年{month}月" if _is_chinese(language) else f"{MONTHS[month - 1]} {year}"


_CLOCK_EN = r"(?P<h>\d{1,2}):(?P<m>\d{2}) ?(?P<ap>[AaPp][Mm])"
_CLOCK_ZH = r"(?P<ap>上午|下午)(?P<h>\d{1,2}):(?P<m>\d{2})"
_EN_LONG = re.compile(r"(?P<month>[A-Za-z]+) (?P<day>\d{1,2}), (?P<year>\d{4}) " + _CLOCK_EN)
_EN_SHORT = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}) " + _CLOCK_EN)
_ZH_LONG = re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日 ?" + _CLOCK_ZH)
_ZH_SHORT = re.compile(r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2}) ?" + _CLOCK_ZH)


def parse_datetime(text: str, tz: dt.tzinfo | str) -> dt.datetime:
    """Parse any of the four forms above, as wall time in ``tz``; ``ValueError`` otherwise."""
    if isinstance(tz, str):
        tz = zoneinfo.ZoneInfo(tz)
    text = " ".join(text.split())
    for pattern in (_EN_LONG, _EN_SHORT, _ZH_LONG, _ZH_SHORT):
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = match.groupdict()
        month = parts["month"]
        if not month.isdigit():
            names = [m.lower() for m in MONTHS]
            if month.lower() not in names:
                raise ValueError(f"unknown month {month!r}")
            month = names.index(month.lower()) + 1
        hour = int(parts["h"])
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} is not on a 12-hour clock")
        pm = parts["ap"].lower() in {"pm", "下午"}
        hour = hour % 12 + (12 if pm else 0)
        return dt.datetime(
            int(parts["year"]), int(month), int(parts["day"]), hour, int(parts["m"]), tzinfo=tz
        )
    raise ValueError(f"not a date and time this board writes: {text!r}")


def parse_date(text: str) -> dt.date:
    """``2012/03/19`` (also ``2012-03-19``)."""
    match = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    return dt.date(*map(int, match.groups()))
