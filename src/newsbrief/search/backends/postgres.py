"""The index in PostgreSQL itself: one row per searchable brief in ``search_document``, whose
``tsvector`` holds the analyzer's terms (written as a literal, so PostgreSQL's parser and
dictionaries never re-analyze them) under a GIN index.

Weights mirror the tantivy backend: title words A, body words (with tags, source and author) B,
Chinese bigrams and unigrams of the title C and of the body D; grams carry a ``~`` mark so a
gram never matches a word. ``ts_rank`` with those weights and length normalization orders the
results. Every app server queries the same table, so all of them see the same results the
moment the outbox is drained by any one of them.

A query ranks at most ``NEWSBRIEF_SEARCH_CANDIDATES`` matches, the newest (all of them for any
but the commonest words), so that a word in half the archive does not make PostgreSQL rank half
the archive; the total it reports is capped there too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from ..analyzer import GRAM_BREAK, And, Not, Or, Phrase, Prefix, Word, analyze, prefix_stems
from ..indexing import Document
from .base import Filters, SearchBackend

GRAM_MARK = "~"
MAX_POSITION = 16383  # PostgreSQL's limit
BODY_START = 1000  # title positions stay below, so a phrase never spans title and body
# ts_rank's weights, in its order {D, C, B, A}, and its normalization (16: divide by 1 + log of
# the number of distinct terms, as BM25 tempers long documents). Chosen as the pair whose top
# results agree most with tantivy's BM25 on the demo board (28 of 30 queries' first hits).
WEIGHTS = "{0.2, 0.3, 0.6, 1.0}"
RANK_NORMALIZATION = 16


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc: Document) -> str:
    """The document's terms as a tsvector literal: ``'term':1A,7B ...``."""
    positions: dict[str, list[str]] = {}

    def put(terms, start: int, weight: str, mark: str = "") -> int:
        at = start
        for term in terms:
            at += 1
            if term == GRAM_BREAK:
                continue
            positions.setdefault(mark + term, []).append(f"{min(at, MAX_POSITION)}{weight}")
        return at

    title, body, extra = analyze(doc.title), analyze(doc.body), analyze(doc.extra)
    put(title.words, 0, "A")
    end = put(body.words, BODY_START, "B")
    put(extra.words, end + 1, "B")
    put(title.grams, 0, "C", GRAM_MARK)
    end = put(body.grams, BODY_START, "D", GRAM_MARK)
    put(extra.grams, end + 1, "D", GRAM_MARK)
    return " ".join(f"{_lexeme(t)}:{','.join(p[:256])}" for t, p in positions.items())


def tsquery_literal(node) -> str:
    if isinstance(node, Word):
        if not node.grams:
            return _lexeme(node.term)
        # A Chinese word's grams are in every brief that has the word, and in those that have
        # it inside a longer word: they alone decide the match (the rank counts both).
        return "(" + " <-> ".join(_lexeme(GRAM_MARK + g) for g in node.grams) + ")"
    if isinstance(node, Prefix):
        return (
            "("
            + " | ".join([f"{_lexeme(node.stem)}:*", *map(_lexeme, prefix_stems(node.stem))])
            + ")"
        )
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(map(_lexeme, node.words)) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(map(tsquery_literal, node.children)) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(map(tsquery_literal, node.children)) + ")"
    if isinstance(node, Not):
        return f"!{tsquery_literal(node.child)}"
    raise TypeError(f"not a query node: {node!r}")


def rank_literal(node) -> str:
    """Every lexeme a match can show, ORed: ``ts_rank`` then sums each term's weighted
    frequency (with diminishing returns), as BM25 does per term, instead of scoring the
    proximity of ANDed terms, which tantivy does not."""
    lexemes: list[str] = []

    def walk(n) -> None:
        if isinstance(n, Word):
            lexemes.append(_lexeme(n.term))
            lexemes.extend(_lexeme(GRAM_MARK + g) for g in n.grams)
        elif isinstance(n, Prefix):
            lexemes.append(f"{_lexeme(n.stem)}:*")
            lexemes.extend(map(_lexeme, prefix_stems(n.stem)))
        elif isinstance(n, Phrase):
            lexemes.extend(map(_lexeme, n.words))
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)

    walk(node)
    return " | ".join(dict.fromkeys(lexemes))


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, candidates: int | None = None):
        super().__init__()
        self.candidates = candidates or settings.NEWSBRIEF_SEARCH_CANDIDATES
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured(
                "The postgres search backend needs DATABASE_URL to be a PostgreSQL database."
            )

    def close(self) -> None:
        pass

    @staticmethod
    def prepare(doc: Document) -> tuple:
        return (
            doc.id,
            doc.language,
            doc.author[:150],
            list(doc.categories),
            doc.published_at,
            tsvector_literal(doc),
        )

    def _insert(self, cursor, entries) -> None:
        cursor.executemany(
            "INSERT INTO search_document"
            " (brief_id, language, author, categories, published_at, vector)"
            " VALUES (%s, %s, %s, %s, %s, %s::tsvector)"
            " ON CONFLICT (brief_id) DO UPDATE SET language = EXCLUDED.language,"
            " author = EXCLUDED.author, categories = EXCLUDED.categories,"
            " published_at = EXCLUDED.published_at, vector = EXCLUDED.vector",
            entries,
        )

    def _apply(self, entries, ids) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE brief_id = ANY(%s)", [list(ids)])
            self._insert(cursor, entries)

    def _rebuilding(self):
        return transaction.atomic()

    def _reset(self) -> None:
        # DELETE, not TRUNCATE: other servers keep reading the old rows until the commit.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document")

    def _add(self, entries) -> None:
        with connection.cursor() as cursor:
            self._insert(cursor, entries)

    def _finish_rebuild(self) -> None:
        transaction.on_commit(self._analyze)

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")

    def _query(self, node, filters: Filters, limit, offset, count):
        where = ["vector @@ %(q)s::tsquery", "published_at <= %(end)s"]
        params = {"q": tsquery_literal(node), "r": rank_literal(node), "end": filters.end}
        if filters.start:
            where.append("published_at >= %(start)s")
            params["start"] = filters.start
        if filters.end != filters.now:
            where[1] = "published_at < %(end)s"
        if filters.language:
            where.append("language = %(language)s")
            params["language"] = filters.language
        if filters.author:
            where.append("author = %(author)s")
            params["author"] = filters.author
        if filters.categories:
            where.append("categories @> %(categories)s")
            params["categories"] = list(filters.categories)
        sql_where = " AND ".join(where)
        params.update(
            limit=max(limit, 0),
            offset=offset,
            weights=WEIGHTS,
            norm=RANK_NORMALIZATION,
            candidates=self.candidates,
        )
        total_sql = ", count(*) OVER () AS total" if count else ""
        sql = (
            "WITH candidates AS (SELECT brief_id, published_at, vector FROM search_document"
            f" WHERE {sql_where} ORDER BY published_at DESC LIMIT %(candidates)s)"
            " SELECT brief_id, ts_rank(%(weights)s::float4[], vector, %(r)s::tsquery, %(norm)s)"
            f" AS score{total_sql} FROM candidates"
            " ORDER BY score DESC, published_at DESC, brief_id DESC"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            total = rows[0][2] if count and rows else 0
            if count and not rows:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_document"
                    f" WHERE {sql_where} LIMIT %(candidates)s) AS found",
                    params,
                )
                total = cursor.fetchone()[0]
        return [(row[0], float(row[1])) for row in rows], total
