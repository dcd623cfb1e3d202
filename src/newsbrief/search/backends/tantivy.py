"""The embedded default: a tantivy index on local disk, no server to run.

Fields hold the analyzer's terms joined by spaces under tantivy's ``whitespace`` tokenizer, so
newsbrief's analyzer, not tantivy's, decides what a term is. Title words weigh most, then body
words (with tags, source and author), then the Chinese bigrams and unigrams of title and body,
so a whole-word hit ranks above a substring hit. Only briefs whose time has come are returned:
``published`` is filtered at query time, so scheduled briefs appear without a reindex.

One server's index: with several app servers use the PostgreSQL backend, whose index lives in
the shared database.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import tantivy
from django.conf import settings

from ..analyzer import GRAM_BREAK, And, Not, Or, Phrase, Prefix, Word, analyze, prefix_stems
from ..indexing import Document
from .base import Filters, SearchBackend

TITLE_BOOST = 2.5
BODY_BOOST = 1.0
TITLE_GRAMS_BOOST = 0.5
BODY_GRAMS_BOOST = 0.25
TEXT_FIELDS = ("title", "body", "title_grams", "body_grams")

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("language", "author", "category"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


def default_path() -> Path:
    configured = getattr(settings, "NEWSBRIEF_SEARCH_PATH", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search"


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, path: str | Path | None = None):
        super().__init__()
        self.path = Path(path) if path else default_path()
        self.schema = _schema()
        self._index = None
        self._open_lock = threading.Lock()

    # -- the index ------------------------------------------------------------------------

    @property
    def index(self) -> tantivy.Index:
        with self._open_lock:
            if self._index is None:
                self.path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                index.config_reader(reload_policy="Manual")
                self._index = index
            return self._index

    def close(self) -> None:
        self._index = None

    def _writer(self, heap: int = 50_000_000, threads: int = 1):
        return self.index.writer(heap_size=heap, num_threads=threads)

    def _document(self, doc: Document) -> tantivy.Document:
        title, body, extra = analyze(doc.title), analyze(doc.body), analyze(doc.extra)
        out = tantivy.Document()
        out.add_integer("id", doc.id)
        out.add_text("title", " ".join(title.words))
        out.add_text("body", " ".join([*body.words, *extra.words]))
        out.add_text("title_grams", " ".join(title.grams))
        out.add_text("body_grams", " ".join([*body.grams, GRAM_BREAK, *extra.grams]))
        out.add_text("language", doc.language)
        if doc.author:
            out.add_text("author", doc.author)
        for slug in doc.categories:
            out.add_text("category", slug)
        out.add_integer("published", int(doc.published_at.timestamp()))
        return out

    def _apply(self, documents, ids) -> None:
        writer = self._writer()
        try:
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            for doc in documents:
                writer.add_document(self._document(doc))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.index.reload()

    def _reset(self) -> None:
        self._rebuild_writer = self._writer(heap=256_000_000, threads=0)
        self._rebuild_writer.delete_all_documents()

    def _add(self, documents) -> None:
        for doc in documents:
            self._rebuild_writer.add_document(self._document(doc))

    def _finish_rebuild(self) -> None:
        writer, self._rebuild_writer = self._rebuild_writer, None
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def destroy(self) -> None:
        """Remove the index from disk (tests)."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)

    # -- queries --------------------------------------------------------------------------

    def _word(self, node: Word):
        s = self.schema
        clauses = [
            (SHOULD, Q.boost_query(Q.term_query(s, "title", node.term), TITLE_BOOST)),
            (SHOULD, Q.term_query(s, "body", node.term)),
        ]
        if node.grams:
            for field, boost in (
                ("title_grams", TITLE_GRAMS_BOOST),
                ("body_grams", BODY_GRAMS_BOOST),
            ):
                if len(node.grams) == 1:
                    q = Q.term_query(s, field, node.grams[0])
                else:
                    q = Q.phrase_query(s, field, list(node.grams))
                clauses.append((SHOULD, Q.boost_query(q, boost)))
        return Q.boolean_query(clauses)

    def _prefix(self, node: Prefix):
        s = self.schema
        pattern = "|".join([f"{node.stem}.*", *prefix_stems(node.stem)])
        return Q.boolean_query(
            [
                (SHOULD, Q.boost_query(Q.regex_query(s, "title", pattern), TITLE_BOOST)),
                (SHOULD, Q.regex_query(s, "body", pattern)),
            ]
        )

    def _phrase(self, node: Phrase):
        s = self.schema
        return Q.boolean_query(
            [
                (SHOULD, Q.boost_query(Q.phrase_query(s, "title", list(node.words)), TITLE_BOOST)),
                (SHOULD, Q.phrase_query(s, "body", list(node.words))),
            ]
        )

    def _build(self, node):
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Prefix):
            return self._prefix(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Or):
            return Q.boolean_query([(SHOULD, self._build(c)) for c in node.children])
        if isinstance(node, And):
            return Q.boolean_query(
                [
                    (MUST_NOT, self._build(c.child))
                    if isinstance(c, Not)
                    else (MUST, self._build(c))
                    for c in node.children
                ]
            )
        raise TypeError(f"not a query node: {node!r}")

    def _filters(self, filters: Filters) -> list:
        s = self.schema
        found = [
            Q.range_query(
                s,
                "published",
                tantivy.FieldType.Integer,
                int(filters.start.timestamp()) if filters.start else None,
                int(filters.end.timestamp()),
                include_upper=filters.end == filters.now,
            )
        ]
        if filters.language:
            found.append(Q.term_query(s, "language", filters.language))
        if filters.author:
            found.append(Q.term_query(s, "author", filters.author))
        for slug in filters.categories:
            found.append(Q.term_query(s, "category", slug))
        return [(MUST, Q.const_score_query(q, 0.0)) for q in found]

    def _query(self, node, filters, limit, offset, count):
        query = Q.boolean_query([(MUST, self._build(node)), *self._filters(filters)])
        self.index.reload()  # another process (an import, a reindex) may have committed
        searcher = self.index.searcher()
        if limit <= 0:
            result = searcher.search(query, 1, count=True)
            return [], result.count if count else 0
        result = searcher.search(query, limit, count=count, offset=offset)
        scored = [(searcher.doc(address)["id"][0], score) for score, address in result.hits]
        return scored, (result.count or 0) if count else 0
