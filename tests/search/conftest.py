import pytest

from newsbrief.search.backends import get_backend
from tests.conftest import on_postgres

# Each backend the database can run: tantivy everywhere, postgres on PostgreSQL.
BACKENDS = ["tantivy", "postgres"] if on_postgres() else ["tantivy"]


@pytest.fixture(params=BACKENDS)
def backend(request, db, settings):
    settings.NEWSBRIEF_SEARCH_BACKEND = request.param
    backend = get_backend(request.param)
    backend.rebuild([], progress=False)  # PostgreSQL's table outlives transactional tests
    return backend


def ids(results) -> list[int]:
    return [hit.brief_id for hit in results.hits]
