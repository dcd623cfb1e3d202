"""The index in PostgreSQL itself: one row per searchable brief in ``search_document``, whose
``tsvector`` columns hold the analyzer's terms (written as literals, so PostgreSQL's parser and
dictionaries never re-analyze them) under GIN indexes.

Weights mirror the tantivy backend: title words A, body words (with tags, source and author) B,
in ``words``; Chinese bigrams and unigrams of the title C and of the body D, marked ``~`` so a
gram never matches a word, in ``grams``. A Chinese word is ranked by its grams, weighed as
words are, whether it stands alone or inside a longer word, with a bonus for a whole word;
words typed together rank higher where they stand together (`Near`). Grams are most of a
Chinese brief's terms, so apart from them ``words`` stays small: the commonest queries
(English words, prefixes, phrases) match and rank on it alone, and only queries with Chinese
words read ``grams``. ``ts_rank`` with those weights and length normalization (computed from
both columns and ``terms``, exactly as over one vector of both) orders the results. Every app
server queries the same table, so all of them see the same results the moment the outbox is
drained by any one of them.

A query ranks at most ``NEWSBRIEF_SEARCH_CANDIDATES`` matches, the newest (all of them for any
but the commonest words), so that a word in half the archive does not make PostgreSQL rank half
the archive; the total it reports is capped there too. A ranking that still takes longer than
``NEWSBRIEF_SEARCH_TIMEOUT_MS`` (default 1 s) is answered unranked, newest first, not failed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction

from ..analyzer import (
    GRAM_BREAK,
    And,
    AtLeast,
    Near,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    analyze,
    prefix_stems,
)
from ..indexing import Document
from .base import Filters, SearchBackend

log = logging.getLogger(__name__)

GRAM_MARK = "~"
QUERY_CANCELED = "57014"  # the SQLSTATE of a statement stopped by statement_timeout
MAX_POSITION = 16383  # PostgreSQL's limit
BODY_START = 1000  # title positions stay below, so a phrase never spans title and body
# ts_rank's weights, in its order {D, C, B, A}, and its normalization 16 (divide by log2 of 1 +
# the number of distinct terms, as BM25 tempers long documents; applied in SQL from ``terms``,
# as the terms are in two columns). Chosen as the pair whose top results agree most with
# tantivy's BM25 on the demo board (28 of 30 queries' first hits).
WEIGHTS = "{0.6, 1.0, 0.6, 1.0}"
#: As in the tantivy backend: a Chinese whole word's bonus, and that of words found together.
WHOLE_WORD_BOOST = 0.3
NEAR_BOOST = 0.5
#: The board's year of a moment, for the year facet.
YEAR_SQL = "extract(year FROM published_at AT TIME ZONE %(zone)s)::int"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literals(doc: Document) -> tuple[str, str, int]:
    """The document's words and its grams as tsvector literals (``'term':1A,7B ...``), and
    how many distinct terms the two hold together (what ``ts_rank`` normalizes by)."""
    words: dict[str, list[str]] = {}
    grams: dict[str, list[str]] = {}

    def put(positions, terms, start: int, weight: str, mark: str = "") -> int:
        at = start
        for term in terms:
            at += 1
            if term == GRAM_BREAK:
                continue
            positions.setdefault(mark + term, []).append(f"{min(at, MAX_POSITION)}{weight}")
        return at

    title, body, extra = analyze(doc.title), analyze(doc.body), analyze(doc.extra)
    put(words, title.words, 0, "A")
    end = put(words, body.words, BODY_START, "B")
    put(words, extra.words, end + 1, "B")
    put(grams, title.grams, 0, "C", GRAM_MARK)
    end = put(grams, body.grams, BODY_START, "D", GRAM_MARK)
    put(grams, extra.grams, end + 1, "D", GRAM_MARK)

    def literal(positions) -> str:
        return " ".join(f"{_lexeme(t)}:{','.join(p[:256])}" for t, p in positions.items())

    return literal(words), literal(grams), len(words) + len(grams)


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


def rank_terms(node) -> tuple[list[str], list[str], list[str]]:
    """Every term a match can show: words, (marked) grams and Chinese whole words apart,
    prefixes ending in ``*``. ``ts_rank`` of their OR sums each term's weighted frequency
    (with diminishing returns), as BM25 does per term; nearness is ranked apart (`Near`)."""
    words: list[str] = []
    grams: list[str] = []
    whole: list[str] = []

    def walk(n) -> None:
        if isinstance(n, Word):
            (whole if n.grams else words).append(n.term)
            grams.extend(GRAM_MARK + g for g in n.grams)
        elif isinstance(n, Prefix):
            words.append(n.stem + "*")
            words.extend(prefix_stems(n.stem))
        elif isinstance(n, Phrase):
            words.extend(n.words)
        elif isinstance(n, And | Or | AtLeast):
            for child in n.children:
                walk(child)

    walk(node)
    return [list(dict.fromkeys(terms)) for terms in (words, grams, whole)]


def rank_literal(terms: list[str]) -> str:
    return " | ".join(f"{_lexeme(t[:-1])}:*" if t.endswith("*") else _lexeme(t) for t in terms)


def _operands(terms: list[str]) -> int:
    """How many operands ``ts_rank`` divides by: it merges equal lexemes, prefix or not."""
    return len({t.removesuffix("*") for t in terms})


def score_sql(node, params: dict) -> tuple[str, list[str]]:
    """The score expression, and the columns the candidates carry for it: ``ts_rank(..., 16)``
    of the whole document is each column's unnormalized rank times its operands, summed, over
    all operands, divided by log2(1 + the document's distinct terms)."""
    words, grams, whole = rank_terms(node)
    ranks, columns = [], {"brief_id", "published_at", "terms"}
    parts = (("words", words, 1), ("grams", grams, 1), ("words", whole, WHOLE_WORD_BOOST))
    for i, (column, terms, boost) in enumerate(parts):
        if terms:
            params[f"r{i}"] = rank_literal(terms)
            ranks.append(
                f"ts_rank(%(weights)s::float4[], {column}, %(r{i})s::tsquery, 0)"
                f"::float8 * {_operands(terms) * boost}"
            )
            columns.add(column)
    operands = max(1, sum(_operands(terms) for _, terms, _ in parts))
    log2_terms = "(ln(terms + 1::float8) / ln(2::float8))"
    score = f"({' + '.join(ranks) or '0'}) / {operands} / {log2_terms}"
    for near in _nears(node):
        column = "grams" if near.grams else "words"
        name = f"n{len(params)}"
        params[name] = near_literal(near)
        score += f" * (1 + {NEAR_BOOST} * ({column} @@ %({name})s::tsquery)::int)"
        columns.add(column)
    return f"({score})::float4", sorted(columns)


def _nears(node) -> list[Near]:
    return [c for c in node.children if isinstance(c, Near)] if isinstance(node, And) else []


def near_literal(near: Near) -> str:
    """The words at their distances: ``'a' <-> 'b'``, ``'~平台' <2> '~投诉'``."""
    mark = GRAM_MARK if near.grams else ""
    (at, first), *rest = near.terms
    out = _lexeme(mark + first)
    for position, term in rest:
        out += f" <{position - at}> {_lexeme(mark + term)}"
        at = position
    return out


def _column(node) -> str | None:
    """Which column decides a node: ``words``, ``grams``, or None when it needs both (or
    counting, for `AtLeast`)."""
    if isinstance(node, Word):
        return "grams" if node.grams else "words"
    if isinstance(node, Prefix | Phrase):
        return "words"
    if isinstance(node, Not):
        return _column(node.child)
    if isinstance(node, AtLeast):
        return None
    columns = {_column(child) for child in node.children}
    return columns.pop() if len(columns) == 1 else None


def _conditions(node):
    """``node`` without its `Near` scoring hints, which match nothing by themselves."""
    if not isinstance(node, And):
        return node
    children = tuple(c for c in node.children if not isinstance(c, Near))
    return children[0] if len(children) == 1 else And(children)


def match_sql(node, params: dict) -> str:
    """The SQL condition for a query tree: one ``@@`` per column where a subtree stays in
    one (the usual case: a single ``words @@ ...``), else SQL's AND, OR and NOT of them;
    `AtLeast` counts its children's matches among the briefs that match any of them."""
    node = _conditions(node)
    if isinstance(node, AtLeast):
        some = match_sql(Or(node.children), params)
        if node.count <= 1:
            return some
        each = " + ".join(f"({match_sql(c, params)})::int" for c in node.children)
        return f"({some} AND ({each}) >= {node.count})"
    column = _column(node)
    if column is not None:
        name = f"q{len(params)}"
        params[name] = tsquery_literal(node)
        return f"{column} @@ %({name})s::tsquery"
    if isinstance(node, Not):
        return f"NOT ({match_sql(node.child, params)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(match_sql(child, params) for child in node.children) + ")"


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, candidates: int | None = None, timeout_ms: int | None = None):
        super().__init__()
        self.candidates = candidates or settings.NEWSBRIEF_SEARCH_CANDIDATES
        self.timeout_ms = (
            timeout_ms if timeout_ms is not None else settings.NEWSBRIEF_SEARCH_TIMEOUT_MS
        )
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured(
                "The postgres search backend needs DATABASE_URL to be a PostgreSQL database."
            )

    def close(self) -> None:
        pass

    @staticmethod
    def prepare(doc: Document) -> tuple:
        words, grams, terms = tsvector_literals(doc)
        return (
            doc.id,
            doc.language,
            doc.author[:150],
            list(doc.categories),
            doc.published_at,
            terms,
            words,
            grams,
        )

    def _insert(self, cursor, entries) -> None:
        cursor.executemany(
            "INSERT INTO search_document"
            " (brief_id, language, author, categories, published_at, terms, words, grams)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s::tsvector, %s::tsvector)"
            " ON CONFLICT (brief_id) DO UPDATE SET language = EXCLUDED.language,"
            " author = EXCLUDED.author, categories = EXCLUDED.categories,"
            " published_at = EXCLUDED.published_at, terms = EXCLUDED.terms,"
            " words = EXCLUDED.words, grams = EXCLUDED.grams",
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

    def _where(self, node, filters: Filters, params: dict) -> str:
        """The condition for ``node``'s matches under ``filters``, its parameters put in
        ``params``."""
        where = [match_sql(node, params), "published_at <= %(end)s"]
        params["end"] = filters.end
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
        return " AND ".join(where)

    def _facets(self, node, filters: Filters):
        """Counted over the candidates a query ranks (the newest matches), as its total is."""
        params = {"candidates": self.candidates, "zone": settings.TIME_ZONE}
        sql_where = self._where(node, filters, params)
        found: dict[str, list] = {"language": [], "category": [], "year": []}
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH c AS (SELECT language, categories, published_at FROM search_document"
                f" WHERE {sql_where} ORDER BY published_at DESC LIMIT %(candidates)s)"
                " SELECT 'language', language, count(*) FROM c GROUP BY 2"
                " UNION ALL SELECT 'category', slug, count(*) FROM c, unnest(categories) AS slug"
                " GROUP BY 2"
                f" UNION ALL SELECT 'year', {YEAR_SQL}::text, count(*) FROM c GROUP BY 2"
                " ORDER BY 3 DESC, 2",
                params,
            )
            for facet, value, number in cursor.fetchall():
                found[facet].append((value, number))
        return found

    def _query(self, node, filters: Filters, limit, offset, count):
        params: dict = {}
        sql_where = self._where(node, filters, params)
        score, columns = score_sql(node, params)
        params.update(
            limit=max(limit, 0),
            offset=offset,
            weights=WEIGHTS,
            candidates=self.candidates,
        )
        total_sql = ", count(*) OVER () AS total" if count else ""
        ranked = (
            f"WITH candidates AS (SELECT {', '.join(columns)} FROM search_document"
            f" WHERE {sql_where} ORDER BY published_at DESC LIMIT %(candidates)s)"
            f" SELECT brief_id, {score} AS score{total_sql} FROM candidates"
            " ORDER BY score DESC, published_at DESC, brief_id DESC"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            try:
                rows = self._within_timeout(cursor, ranked, params)
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
                    raise
                log.warning(
                    "search ranking took over %s ms; newest first: %s", self.timeout_ms, node
                )
                cursor.execute(
                    f"SELECT brief_id, 0::float4 AS score{total_sql} FROM"
                    " (SELECT brief_id, published_at FROM search_document"
                    f" WHERE {sql_where} ORDER BY published_at DESC LIMIT %(candidates)s) AS c"
                    " ORDER BY published_at DESC, brief_id DESC LIMIT %(limit)s OFFSET %(offset)s",
                    params,
                )
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

    def _within_timeout(self, cursor, sql: str, params: dict) -> list:
        """The rows of ``sql``, cancelled by PostgreSQL after ``timeout_ms`` (in a savepoint,
        and the connection's own timeout put back after, whatever transaction it runs in)."""
        if not self.timeout_ms:
            cursor.execute(sql, params)
            return cursor.fetchall()
        outer = connection.in_atomic_block  # SET LOCAL would outlive the savepoint
        with transaction.atomic():
            cursor.execute(
                "SELECT current_setting('statement_timeout'),"
                " set_config('statement_timeout', %s, true)",
                [str(int(self.timeout_ms))],
            )
            previous = cursor.fetchone()[0]
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if outer:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
        return rows
