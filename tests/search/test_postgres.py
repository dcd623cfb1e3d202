"""The PostgreSQL backend's split document (``words`` and ``grams`` columns) matches and ranks
exactly as one ``tsvector`` of both did: the same matches, and ``ts_rank(..., 16)`` of the
whole document (words and grams; Chinese whole words apart, for their bonus), recomputed from
the two columns and ``terms``, with the bonus for words found together."""

import pytest
from django.db import connection

from newsbrief.search.analyzer import parse_query
from newsbrief.search.backends import get_backend
from newsbrief.search.backends.base import Filters
from newsbrief.search.backends.postgres import (
    NEAR_BOOST,
    WEIGHTS,
    WHOLE_WORD_BOOST,
    _nears,
    _operands,
    match_sql,
    near_literal,
    rank_literal,
    rank_terms,
)

pytestmark = pytest.mark.postgres

QUERIES = [
    "japan industrial", "satellite OR wind", "臺灣", "台湾 日本 产业合作", "合作",
    "research -japan", '"industrial cooperation"', "再生醫學", "taiwan 臺灣", "taiwan OR 臺灣",
    "合作 -japan", "taiwan -合作", "energy OR 衛星", "semicond*", "coop* 合作", "研究 OR ITRI",
    '"福衛七號"', "metal -metals", "taiwan japan", "產業合作", "衛星 台湾 xyzzy",
]  # fmt: skip

WHOLE = "(words::text || ' ' || grams::text)::tsvector"


@pytest.fixture
def postgres(demo):
    backend = get_backend("postgres")
    backend.rebuild(progress=False)
    return backend


def whole_document(node) -> dict[int, float]:
    """Every match and its score as one tsvector of words and grams gave them."""
    words, grams, whole = rank_terms(node)
    parts = [(words + grams, _operands(words) + _operands(grams), 1.0)]
    parts.append((whole, _operands(whole), WHOLE_WORD_BOOST))
    params: dict = {"weights": WEIGHTS}
    ranks = []
    for i, (terms, operands, boost) in enumerate(parts):
        if terms:
            params[f"t{i}"] = rank_literal(terms)
            ranks.append(f"ts_rank(%(weights)s::float4[], {WHOLE}, %(t{i})s::tsquery, 16)")
            ranks[-1] += f" * {operands * boost}"
    score = f"({' + '.join(ranks)}) / {sum(p[1] for p in parts)}"
    for i, near in enumerate(_nears(node)):
        params[f"near{i}"] = near_literal(near)
        score += f" * (1 + {NEAR_BOOST} * ({WHOLE} @@ %(near{i})s::tsquery)::int)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT brief_id, {score} FROM search_document WHERE {match_sql(node, params)}",
            params,
        )
        return dict(cursor.fetchall())


@pytest.mark.parametrize("query", QUERIES)
def test_split_columns_match_and_rank_as_one_document(postgres, query):
    node = parse_query(query)
    expected = whole_document(node)
    got = dict(postgres._query(node, Filters(), 1000, 0, count=False)[0])
    assert got.keys() == expected.keys()
    for brief_id, score in got.items():
        assert score == pytest.approx(expected[brief_id], rel=1e-5)


def test_terms_counts_both_columns(postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE terms = length(words) + length(grams)),"
            " count(*) FILTER (WHERE length(grams) > 0) FROM search_document"
        )
        rows, consistent, with_grams = cursor.fetchone()
    assert rows == consistent > with_grams > 0


def test_a_ranking_over_the_timeout_is_answered_newest_first(postgres, monkeypatch):
    from newsbrief.search.backends import postgres as module

    ranked = postgres.search("taiwan OR 臺灣", limit=5)
    slow = get_backend("postgres", timeout_ms=1)
    monkeypatch.setattr(
        module,
        "score_sql",
        lambda node, params: (
            "(pg_sleep(0.01) IS NULL)::int::float4 + 1",
            ["brief_id", "published_at"],
        ),
    )
    answered = slow.search("taiwan OR 臺灣", limit=5)
    assert answered.total == ranked.total
    assert [hit.score for hit in answered] == [0.0] * len(answered) == [0.0] * 5
    newest = sorted(answered, key=lambda hit: hit.date, reverse=True)
    assert [hit.brief_id for hit in answered] == [hit.brief_id for hit in newest]
    with connection.cursor() as cursor:  # the connection's own timeout is back
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert postgres.search("taiwan OR 臺灣", limit=5).total == ranked.total
