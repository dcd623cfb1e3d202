"""Small charts drawn on the server as SVG, for pages that work without JavaScript.

Geometry: a view hands over its figures, a template (``charts/bars.html``,
``charts/events.html``) draws what comes back; a chart's repeated marks (a bar, a table row)
are written here, since a template loop over a few hundred months costs more than the page's
queries. A chart is ``role="img"`` with a title and a
description that says what it shows in words; a bar chart also carries its figures as a table
(under ``<details>``, which needs no script), an event chart names the lists on its page that
hold its events. Colours are the stylesheet's custom properties, so dark mode and print follow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

#: The drawing's coordinate space; the SVG scales to its column.
WIDTH, HEIGHT = 640, 180
#: Room for the axes' labels (left: counts; bottom: the bars' labels).
LEFT, BOTTOM, TOP = 40, 24, 10
#: About this many labels under the bars at most; the others are left out (the table has them
#: all).
MAX_LABELS = 12


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str  # under the bar (short: "2012", "Mar")
    name: str  # in the table and the bar's tooltip ("March 2012")
    value: int
    x: float
    y: float
    width: float
    height: float
    labelled: bool  # whether the label is drawn under it

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclasses.dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    #: Horizontal rules: (y, value).
    grid: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT

    def marks(self) -> SafeString:
        """The bars, each with its tooltip, and their labels, as SVG."""
        out = []
        y = self.height - 6
        for bar in self.bars:
            out.append(
                f'<rect class="chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
                f'height="{bar.height}"><title>{escape(bar.name)}: {bar.value}</title></rect>'
            )
            if bar.labelled:
                out.append(
                    f'<text class="chart-axis" x="{bar.middle}" y="{y}" '
                    f'text-anchor="middle">{escape(bar.label)}</text>'
                )
        return mark_safe("".join(out))  # every text is escaped above

    def rows(self) -> SafeString:
        """The figures as table rows."""
        return mark_safe(  # the names are escaped
            "".join(
                f'<tr><th scope="row">{escape(b.name)}</th><td>{b.value}</td></tr>'
                for b in self.bars
            )
        )


def nice_top(peak: int) -> int:
    """The axis's top: ``peak`` rounded up to 1, 2 or 5 times a power of ten."""
    if peak <= 1:
        return 1
    power = 10 ** math.floor(math.log10(peak))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= peak)


def bars(
    points: Sequence[tuple[str, str, int]],
    *,
    chart_id: str,
    title: str,
    label_heading: str,
    value_heading: str,
    unit=None,
    height: int = HEIGHT,
) -> BarChart:
    """A bar chart of ``points`` ((label, name, value), in order), ``height`` high in the
    drawing's units. ``unit(n)`` words a count for the description ("3 briefs")."""
    unit = unit or str
    top = nice_top(max((v for _l, _n, v in points), default=0))
    base = height - BOTTOM
    span = base - TOP
    slot = (WIDTH - LEFT) / max(len(points), 1)
    every = max(1, math.ceil(len(points) / MAX_LABELS))
    drawn, last = [], -every
    for i, (label, name, value) in enumerate(points):
        tall = span * value / top
        labelled = bool(label) and i - last >= every
        last = i if labelled else last
        drawn.append(
            Bar(
                label, name, value,
                x=round(LEFT + i * slot + slot * 0.1, 2), y=round(base - tall, 2),
                width=round(max(slot * 0.8, 0.5), 2), height=round(tall, 2),
                labelled=labelled,
            )
        )  # fmt: skip
    grid = [(round(base - span * f, 2), round(top * f)) for f in (0, 0.5, 1) if top * f % 1 == 0]
    return BarChart(
        chart_id, title, describe(points, unit), label_heading, value_heading, drawn, grid,
        height=height,
    )  # fmt: skip


def describe(points: Sequence[tuple[str, str, int]], unit) -> str:
    """The chart in one sentence, for readers who cannot see it."""
    if not points:
        return _("No figures yet.")
    total = sum(v for _l, _n, v in points)
    peak = max(points, key=lambda p: p[2])
    return _("From %(first)s to %(last)s: %(total)s in all, most in %(peak)s (%(most)s).") % {
        "first": points[0][1],
        "last": points[-1][1],
        "total": unit(total),
        "peak": peak[1],
        "most": unit(peak[2]),
    }


@dataclasses.dataclass(frozen=True)
class Event:
    date: dt.date
    name: str
    #: "earlier", "this" or "later": how the event stands to the page's own.
    role: str
    x: float = 0
    y: float = 0


@dataclasses.dataclass(frozen=True)
class EventChart:
    id: str
    title: str
    description: str
    events: list[Event]
    #: Year marks on the axis: (x, year).
    ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = 64
    axis: float = 40


def events(items: Sequence[Event], *, chart_id: str, title: str, description: str) -> EventChart:
    """Dated events on one time axis, from the first year's start to the last one's end;
    events too close to tell apart are stacked upward."""
    items = sorted(items, key=lambda e: (e.date, e.role != "earlier", e.role == "later"))
    if not items:
        return EventChart(chart_id, title, description, [], [])
    first, last = items[0].date.year, items[-1].date.year + 1
    start, end = dt.date(first, 1, 1), dt.date(last, 1, 1)
    left, right = 16, WIDTH - 16
    days = (end - start).days

    def x_of(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / days, 2)

    placed, stack = [], {}
    for item in items:
        x = x_of(item.date)
        column = round(x / 10)
        level = stack.get(column, 0)
        stack[column] = level + 1
        placed.append(dataclasses.replace(item, x=x, y=28 - min(level, 2) * 9))
    step = max(1, math.ceil((last - first) / MAX_LABELS))
    ticks = [(x_of(dt.date(y, 1, 1)), y) for y in range(first, last + 1, step)]
    return EventChart(chart_id, title, description, placed, ticks)


def by_month(counts: Sequence[tuple[dt.date, int]], language: str) -> list[tuple[str, str, int]]:
    """(month, n) counts, oldest first, as bar points for every month from the first to the
    last (months without any drawn as empty bars), each January labelled with its year."""
    from newsbrief.briefs.dates import format_month

    found = dict(counts)
    if not found:
        return []
    month, last, points = min(found), max(found), []
    while month <= last:
        label = str(month.year) if month.month == 1 or not points else ""
        points.append((label, format_month(month.year, month.month, language), found.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return points


def by_year(counts: Sequence[tuple[dt.date, int]]) -> list[tuple[str, str, int]]:
    """(month, n) counts summed per year, for every year from the first to the last."""
    years: dict[int, int] = {}
    for month, n in counts:
        years[month.year] = years.get(month.year, 0) + n
    if not years:
        return []
    return [(str(y), str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)]


def timeline(counts, language: str, *, per_year: str, per_month: str, unit=None) -> dict | None:
    """A timeline of (month, n) counts, oldest first: ``years`` and ``months`` bar charts,
    titled ``per_year`` and ``per_month`` (``charts/timeline.html`` draws both); None
    without any."""
    if not counts:
        return None
    headings = {"value_heading": _("Briefs"), "unit": unit}
    return {
        "total": sum(n for _m, n in counts),
        "years": bars(
            by_year(counts), chart_id="timeline-years", title=per_year,
            label_heading=_("Year"), **headings,
        ),
        "months": bars(
            by_month(counts, language), chart_id="timeline-months", title=per_month,
            label_heading=_("Month"), **headings,
        ),
    }  # fmt: skip
