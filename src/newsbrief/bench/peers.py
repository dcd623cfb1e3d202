"""The peers newsbrief's search is measured against, on the same analyzed text.

Each document reaches a peer as newsbrief's ``index_terms`` joined by spaces, and each query
as clauses of analyzed terms, so the peers index and match exactly what newsbrief does and
the comparison is of the engines, not of the analysis:

- ``TantivyPeer``: tantivy (tantivy-py) with its whitespace tokenizer, BM25.
- ``Fts5Peer``: a bare SQLite FTS5 table (contentless) with a tokenizer that splits on
  whitespace only, queried with ``MATCH ? ORDER BY bm25(t) LIMIT 10``.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm


def peer_tree(node):
    """``parse_query``'s tree as the peers take it: a quoted Chinese run (one ``Word`` with
    grams in newsbrief, which matches it as a substring) becomes the phrase of the words it
    segments into, since the peers index words only; `Near` score hints are left out (the
    peers match and rank the words alone)."""
    from newsbrief.search import analyzer as a

    if isinstance(node, a.And):
        children = [c for c in node.children if not isinstance(c, a.Near)]
        if len(children) == 1:
            return peer_tree(children[0])
        return a.And(tuple(peer_tree(c) for c in children))

    if isinstance(node, a.Word) and node.grams:
        words = a.index_terms(node.term)
        if len(words) > 1:
            return a.Phrase(tuple(words))
        return a.Word(words[0] if words else node.term)
    if isinstance(node, a.Or):
        return a.Or(tuple(peer_tree(c) for c in node.children))
    if isinstance(node, a.Not):
        return a.Not(peer_tree(node.child))
    return node


def directory_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class TantivyPeer:
    name = "tantivy"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._index = None
        self._searcher = None

    def _schema(self):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, fast=True)
        builder.add_text_field("text", tokenizer_name="whitespace", index_option="position")
        return builder.build()

    def build(self, docs: Iterable[tuple[int, str]], *, total=None, progress=True) -> None:
        import tantivy

        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self.schema = self._schema()
        index = tantivy.Index(self.schema, path=str(self.path))
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        for doc_id, terms in tqdm(docs, total=total, disable=not progress, desc="tantivy"):
            writer.add_document(tantivy.Document(id=doc_id, text=terms))
        writer.commit()
        writer.wait_merging_threads()
        self._index = None

    def open(self) -> None:
        import tantivy

        self.schema = self._schema()
        self._index = tantivy.Index.open(str(self.path))
        self._index.reload()
        self._searcher = self._index.searcher()

    def size(self) -> int:
        return directory_size(self.path)

    def _query(self, node):
        from tantivy import Occur, Query

        from newsbrief.search import analyzer as a

        if isinstance(node, a.Word):
            return Query.term_query(self.schema, "text", node.term)
        if isinstance(node, a.Prefix):
            pattern = re.sub(r"(\W)", r"\\\1", node.stem) + ".*"
            return Query.regex_query(self.schema, "text", pattern)
        if isinstance(node, a.Phrase):
            if len(node.words) == 1:
                return Query.term_query(self.schema, "text", node.words[0])
            return Query.phrase_query(self.schema, "text", list(node.words))
        if isinstance(node, a.Or):
            return Query.boolean_query([(Occur.Should, self._query(c)) for c in node.children])
        if isinstance(node, a.And):
            return Query.boolean_query(
                [
                    (Occur.MustNot, self._query(c.child))
                    if isinstance(c, a.Not)
                    else (Occur.Must, self._query(c))
                    for c in node.children
                ]
            )
        if isinstance(node, a.Not):
            return Query.boolean_query(
                [(Occur.Must, Query.all_query()), (Occur.MustNot, self._query(node.child))]
            )
        return Query.empty_query()

    def search(self, node, limit: int = 10) -> list[tuple[int, float]]:
        """The top ``limit`` ids and scores for a ``peer_tree``."""
        if self._searcher is None:
            self.open()
        if node is None:
            return []
        searcher = self._searcher
        hits = searcher.search(self._query(node), limit).hits
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [(pk, score) for pk, (score, _) in zip(ids, hits, strict=True)]


# Every printable ASCII character that is not a letter or digit is part of a token: the
# text is already analyzed, terms are separated by spaces and nothing else.
TOKEN_CHARS = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum())


def fts5_tokenizer() -> str:
    chars = TOKEN_CHARS.replace("'", "''")
    return f"unicode61 remove_diacritics 0 tokenchars '{chars}'"


def fts5_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class Fts5Peer:
    name = "fts5"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def build(self, docs: Iterable[tuple[int, str]], *, total=None, progress=True) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        db = sqlite3.connect(self.path)
        tokenize = fts5_tokenizer().replace("'", "''")
        db.execute(f"CREATE VIRTUAL TABLE t USING fts5(terms, content='', tokenize='{tokenize}')")
        batch: list[tuple[int, str]] = []
        with db:
            for doc in tqdm(docs, total=total, disable=not progress, desc="fts5"):
                batch.append(doc)
                if len(batch) >= 5000:
                    db.executemany("INSERT INTO t(rowid, terms) VALUES (?, ?)", batch)
                    batch.clear()
            db.executemany("INSERT INTO t(rowid, terms) VALUES (?, ?)", batch)
        with db:
            db.execute("INSERT INTO t(t) VALUES ('optimize')")
        db.close()

    def open(self) -> None:
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA cache_size = -262144")  # 256 MiB, like a warm page cache

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def size(self) -> int:
        return directory_size(self.path)

    @classmethod
    def match(cls, node) -> str:
        """A ``peer_tree`` as an FTS5 query expression."""
        from newsbrief.search import analyzer as a

        if isinstance(node, a.Word):
            return fts5_string(node.term)
        if isinstance(node, a.Prefix):
            return fts5_string(node.stem) + " *"
        if isinstance(node, a.Phrase):
            return fts5_string(" ".join(node.words))
        if isinstance(node, a.Or):
            return "(" + " OR ".join(cls.match(c) for c in node.children) + ")"
        if isinstance(node, a.And):
            positive = [cls.match(c) for c in node.children if not isinstance(c, a.Not)]
            negative = [cls.match(c.child) for c in node.children if isinstance(c, a.Not)]
            expression = "(" + " AND ".join(positive) + ")"
            return "".join([expression, *(f" NOT {n}" for n in negative)])
        raise ValueError(f"FTS5 cannot search for {node!r} alone")

    def search(self, node, limit: int = 10) -> list[tuple[int, float]]:
        """The top ``limit`` ids and scores (bm25, higher is better) for a ``peer_tree``."""
        if self._db is None:
            self.open()
        if node is None:
            return []
        expression = self.match(node)
        rows = self._db.execute(
            "SELECT rowid, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
            (expression, limit),
        )
        return [(rowid, -score) for rowid, score in rows]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result
