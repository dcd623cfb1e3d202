"""The embedded default: a tantivy index on local disk, no server to run.

Fields hold the analyzer's terms joined by spaces under tantivy's ``whitespace`` tokenizer, so
newsbrief's analyzer, not tantivy's, decides what a term is. Title words weigh most, then body
words (with tags, source and author). A Chinese word is scored by its bigrams, as rare as the
word itself is, whether it stands alone or inside a longer word, with a bonus for a whole word;
words typed together score more where they stand together (`Near`). Only briefs whose time has
come are returned: ``published`` is filtered at query time, so scheduled briefs appear without
a reindex. Language, category and year are fast fields, counted for the results' facets.

One server's index: with several app servers use the PostgreSQL backend, whose index lives in
the shared database.
"""

from __future__ import annotations

import threading
from pathlib import Path

import tantivy
from django.conf import settings

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
from .base import Filters, IndexBusy, SearchBackend

#: Title words go into ``words`` this many times: BM25 then weighs a title hit above a body hit,
#: with one posting list to read per term instead of one per field.
TITLE_REPEAT = 2
#: A Chinese word found as a whole word, not only inside a longer one, scores this much more
#: (of the word's own score): whole words win ties.
WHOLE_WORD_BOOST = 0.3
#: Query words found next to each other score this much more.
NEAR_BOOST = 0.5
SCHEMA_VERSION = "v2"
#: The most values a facet lists.
FACET_SIZE = {"language": 10, "category": 100, "year": 200}

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in ("words", "grams"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("language", "author", "category"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    builder.add_integer_field("year", indexed=False, fast=True)
    return builder.build()


def _joined(*parts: list[str]) -> str:
    """Term lists as one field's text, a `GRAM_BREAK` apart so no phrase spans two parts."""
    return f" {GRAM_BREAK} ".join(" ".join(part) for part in parts if part)


def default_path() -> Path:
    configured = getattr(settings, "NEWSBRIEF_SEARCH_PATH", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search"


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, path: str | Path | None = None):
        super().__init__()
        self.root = Path(path) if path else default_path()
        self.path = self.root / SCHEMA_VERSION
        self.schema = _schema()
        self._index = None
        self._open_lock = threading.Lock()
        self._fresh = False
        self._meta_mtime = None
        self._latest = None  # the latest ``published`` in the index, to skip a needless filter

    # -- the index ------------------------------------------------------------------------

    @property
    def index(self) -> tantivy.Index:
        with self._open_lock:
            if self._index is None:
                self._fresh = not (self.path / "meta.json").exists()
                self.path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                index.config_reader(reload_policy="Manual")
                self._index = index
                self._refresh(force=True)
            return self._index

    def close(self) -> None:
        with self._open_lock:
            self._index = None
            self._meta_mtime = None

    def _refresh(self, force: bool = False) -> None:
        """See what was last committed, by this process or another (an import, a reindex)."""
        try:
            mtime = (self.path / "meta.json").stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if not force and mtime == self._meta_mtime:
            return
        self._index.reload()
        self._meta_mtime = mtime
        newest = self._index.searcher().search(
            Q.all_query(), 1, count=False, order_by_field="published"
        )
        self._latest = newest.hits[0][0] if newest.hits else None

    def needs_rebuild(self) -> bool:
        """A new, empty index on a board that has briefs is filled from the database."""
        self.index  # noqa: B018 (opening it tells whether it is new)
        return self._fresh

    def _writer(self, heap: int = 50_000_000, threads: int = 1):
        try:
            return self.index.writer(heap_size=heap, num_threads=threads)
        except ValueError as error:
            if "LockBusy" in str(error):
                raise IndexBusy(str(error)) from error
            raise

    @staticmethod
    def prepare(doc: Document) -> tuple:
        title, body, extra = analyze(doc.title), analyze(doc.body), analyze(doc.extra)
        titles = [title] * TITLE_REPEAT
        return (
            doc.id,
            _joined(*(t.words for t in titles), body.words, extra.words),
            _joined(*(t.grams for t in titles), body.grams, extra.grams),
            doc.language,
            doc.author,
            tuple(doc.categories),
            int(doc.published_at.timestamp()),
            doc.year,
        )

    @staticmethod
    def _document(entry: tuple) -> tantivy.Document:
        pk, words, grams, language, author, categories, published, year = entry
        out = tantivy.Document()
        out.add_integer("id", pk)
        out.add_text("words", words)
        out.add_text("grams", grams)
        out.add_text("language", language)
        if author:
            out.add_text("author", author)
        for slug in categories:
            out.add_text("category", slug)
        out.add_integer("published", published)
        out.add_integer("year", year)
        return out

    def _apply(self, entries, ids) -> None:
        writer = self._writer()
        try:
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            for entry in entries:
                writer.add_document(self._document(entry))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._refresh(force=True)

    def _reset(self) -> None:
        self._rebuild_writer = self._writer(heap=256_000_000, threads=0)
        self._rebuild_writer.delete_all_documents()

    def _add(self, entries) -> None:
        for entry in entries:
            self._rebuild_writer.add_document(self._document(entry))

    def _finish_rebuild(self) -> None:
        writer, self._rebuild_writer = self._rebuild_writer, None
        writer.commit()
        writer.wait_merging_threads()
        self._fresh = False
        self._refresh(force=True)

    # -- queries --------------------------------------------------------------------------

    def _word(self, node: Word):
        """A Chinese word matches, and is scored, where its grams do (every brief with the
        word has them, and those with it inside a longer word too); having it as a whole word
        adds a bonus, so tantivy reads the word's postings only for briefs the grams found."""
        words = Q.term_query(self.schema, "words", node.term)
        if not node.grams:
            return words
        if len(node.grams) == 1:
            grams = Q.term_query(self.schema, "grams", node.grams[0])
        else:
            grams = Q.phrase_query(self.schema, "grams", list(node.grams))
        return Q.boolean_query([(MUST, grams), (SHOULD, Q.boost_query(words, WHOLE_WORD_BOOST))])

    def _near(self, node: Near):
        field = "grams" if node.grams else "words"
        return Q.boost_query(Q.phrase_query(self.schema, field, list(node.terms)), NEAR_BOOST)

    def _build(self, node):
        s = self.schema
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Prefix):
            return Q.regex_query(s, "words", "|".join([f"{node.stem}.*", *prefix_stems(node.stem)]))
        if isinstance(node, Phrase):
            return Q.phrase_query(s, "words", list(node.words))
        if isinstance(node, Or):
            return Q.boolean_query([(SHOULD, self._build(c)) for c in node.children])
        if isinstance(node, AtLeast):
            return Q.boolean_query(
                [(SHOULD, self._build(c)) for c in node.children],
                minimum_number_should_match=node.count,
            )
        if isinstance(node, And):
            return Q.boolean_query([self._clause(c) for c in node.children])
        raise TypeError(f"not a query node: {node!r}")

    def _clause(self, node) -> tuple:
        if isinstance(node, Not):
            return MUST_NOT, self._build(node.child)
        if isinstance(node, Near):
            return SHOULD, self._near(node)
        return MUST, self._build(node)

    def _filters(self, filters: Filters) -> list:
        s = self.schema
        found = []
        end = int(filters.end.timestamp())
        if filters.start or self._latest is None or self._latest >= end:
            start = int(filters.start.timestamp()) if filters.start else None
            upper = filters.end == filters.now  # a day's end is exclusive
            found.append(
                Q.range_query(
                    s, "published", tantivy.FieldType.Integer, start, end, include_upper=upper
                )
            )
        if filters.language:
            found.append(Q.term_query(s, "language", filters.language))
        if filters.author:
            found.append(Q.term_query(s, "author", filters.author))
        for slug in filters.categories:
            found.append(Q.term_query(s, "category", slug))
        return [(MUST, Q.const_score_query(q, 0.0)) for q in found]

    def _filtered(self, node, filters):
        self.index  # noqa: B018 (opens it)
        self._refresh()
        clauses = self._filters(filters)
        return (
            Q.boolean_query([(MUST, self._build(node)), *clauses]) if clauses else self._build(node)
        )

    def _facets(self, node, filters):
        query = self._filtered(node, filters)
        aggregations = {
            name: {"terms": {"field": name, "size": n}} for name, n in FACET_SIZE.items()
        }
        found = self.index.searcher().aggregate(query, aggregations)
        return {
            name: [(str(b["key"]), b["doc_count"]) for b in found[name]["buckets"]]
            for name in FACET_SIZE
        }

    def _query(self, node, filters, limit, offset, count):
        query = self._filtered(node, filters)
        searcher = self.index.searcher()
        if limit <= 0:
            result = searcher.search(query, 1, count=True)
            return [], result.count if count else 0
        result = searcher.search(query, limit, count=count, offset=offset)
        ids = searcher.fast_field_values("id", [address for _, address in result.hits])
        scored = [(pk, score) for pk, (score, _) in zip(ids, result.hits, strict=True)]
        return scored, (result.count or 0) if count else 0
