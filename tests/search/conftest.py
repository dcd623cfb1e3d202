import datetime as dt

import pytest

from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.publishing import save_brief
from newsbrief.search.backends import get_backend
from tests.conftest import on_postgres

# Each backend the database can run: tantivy everywhere, postgres on PostgreSQL.
BACKENDS = ["tantivy", "postgres"] if on_postgres() else ["tantivy"]
WHEN = dt.datetime(2012, 3, 1, 2, 0, tzinfo=dt.UTC)


def content(**changes) -> BriefContent:
    fields = {"language": "en", "title": "A brief", "body": "Text.", "author": "ann"}
    return BriefContent(**{"published_at": WHEN, **fields, **changes})


def brief(**changes):
    return save_brief(content(**changes)).brief


@pytest.fixture(params=BACKENDS)
def backend(request, db, settings):
    settings.NEWSBRIEF_SEARCH_BACKEND = request.param
    backend = get_backend(request.param)
    backend.rebuild([], progress=False)  # PostgreSQL's table outlives transactional tests
    return backend


def ids(results) -> list[int]:
    return [hit.brief_id for hit in results.hits]
