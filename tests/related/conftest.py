"""The related tests' small archive: four published briefs in two languages, indexed."""

import datetime as dt

import pytest

from newsbrief.briefs.models import Brief
from tests.desk.conftest import users, write_brief  # noqa: F401  (the role fixtures)
from tests.factories import index_briefs

UTC = dt.UTC


def published(author, day, title, body, tags=("Energy",), language="en", **kw):
    return write_brief(
        author,
        Brief.Status.PUBLISHED,
        title=title,
        body=body,
        tags=tags,
        language=language,
        published_at=dt.datetime(2012, 3, day, 12, tzinfo=UTC),
        **kw,
    )


@pytest.fixture
def archive(users):  # noqa: F811 (the fixture imported above)
    chief = users["chief"]
    briefs = {
        "wind": published(
            chief,
            1,
            "Taiwan and Denmark on offshore wind",
            "Taiwan and Denmark sign an offshore wind memorandum; DONG Energy joins.",
        ),
        "chips": published(
            chief,
            2,
            "IMEC and TSMC extend chip research",
            "IMEC and TSMC extend joint research on 14nm processes.",
            tags=("Semiconductors",),
        ),
        "wind_zh": published(
            chief,
            3,
            "臺丹離岸風電合作",
            "臺灣與 Denmark 簽署離岸風電備忘錄，DONG Energy 參與。",
            language="zh-hant",
        ),
        "space": published(
            chief,
            4,
            "FORMOSAT-7 design review",
            "FORMOSAT-7 with NOAA enters design review.",
            tags=("Space",),
        ),
    }
    index_briefs()
    return briefs


def draft(users, **changes):  # noqa: F811
    fields = {
        "title": "Offshore wind demonstration in Taiwan",
        "body": "Taiwan and Denmark start an offshore wind demonstration with DONG Energy.",
        "tags": ("Energy",),
    }
    fields.update(changes)
    return write_brief(users["editor"], **fields)
