"""Where rendered pages are kept: one interface, two stores, chosen by
``NEWSBRIEF_PAGES_STORE``.

- ``files`` (the default): a directory tree mirroring the URLs (``/en/briefs/7/`` is
  ``en/briefs/7/index.html``, with a gzip copy beside it), so that a front server (nginx's
  ``try_files``, see the README) serves the pages without asking Python, and ``newsbrief serve``
  reads them before Django starts on a request. Shared by every process on the machine (and by
  several machines on a shared volume). The store owns its directory: it marks it
  (``.newsbrief-pages``) when it makes or adopts it, refuses one holding files it did not write
  (a mistaken ``NEWSBRIEF_PAGES_PATH=/srv``, an operator's files), and removes only what it
  writes: a directory per interface language, pages, their copies and its temporary files.
- ``cache``: Django's cache (``NEWSBRIEF_CACHE_URL``, Redis for several app servers without a
  shared volume): every app server serves what any of them rendered.

A page rendered from data that changed while it rendered must not be kept. Each store has an
*epoch* that every invalidation advances before it drops pages; a page is kept only when the
epoch read before its data was read is still current after it is stored (and is dropped again
otherwise), so a slow render never writes back what an edit just invalidated.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from newsbrief.files import write_atomically

INDEX = "index.html"
MARKER = ".newsbrief-pages"
EPOCH = ".epoch"
TRASH = ".trash-"  # a language's pages renamed aside by a clear, being removed
TEMPORARY = ".tmp-"  # a page being written
MARKER_TEXT = (
    "This directory is newsbrief's page store (NEWSBRIEF_PAGES_PATH). newsbrief writes and\n"
    "removes the pages under it; keep nothing else here.\n"
)

logger = logging.getLogger(__name__)


#: The longest file name (a path segment) a file system holds, in bytes (NAME_MAX), and the
#: longest URL path kept: a request for a longer one is answered by Django (404), never by an
#: ENAMETOOLONG from the store.
MAX_SEGMENT_BYTES = 255
MAX_PATH_BYTES = 1024


def safe_path(path: str) -> bool:
    """Whether a URL path can name a stored page: absolute, ending in a slash, no empty,
    dot or dot-dot segment (nor any starting with a dot), nothing a file name cannot hold."""
    encoded = path.encode("utf-8", "surrogatepass")
    return (
        path.startswith("/")
        and path.endswith("/")
        and "//" not in path
        and "/." not in path
        and "\\" not in path
        and "\0" not in path
        and len(encoded) <= MAX_PATH_BYTES
        and all(len(segment) <= MAX_SEGMENT_BYTES for segment in encoded.split(b"/"))
    )


class PageStore:
    """Rendered pages by URL path (``request.path``: decoded, ending in a slash)."""

    def get(self, path: str) -> bytes | None:
        raise NotImplementedError

    def get_gzip(self, path: str) -> bytes | None:
        """The page gzip-compressed, where the store keeps such a copy."""
        return None

    def version(self, path: str, gzipped: bool = False):
        """Something that changes whenever the page does (None when absent), so that a
        server may keep a page in memory and check it cheaply; None: no such thing."""
        return None

    def epoch(self) -> int:
        raise NotImplementedError

    def put(self, path: str, body: bytes, epoch: int) -> bool:
        """Keep ``body`` for ``path`` if nothing was invalidated since ``epoch``; True if kept."""
        if not safe_path(path) or self.epoch() != epoch:
            return False
        self._write(path, body)
        if self.epoch() != epoch:  # an invalidation ran meanwhile: it may have missed this
            self._drop(path)
            return False
        return True

    def invalidate(self, paths: Iterable[str]) -> None:
        paths = {p for p in paths if safe_path(p)}
        if paths:
            self._advance()
            for path in paths:
                self._drop(path)

    def clear(self) -> None:
        raise NotImplementedError

    def _write(self, path: str, body: bytes) -> None:
        raise NotImplementedError

    def _drop(self, path: str) -> None:
        raise NotImplementedError

    def _advance(self) -> None:
        raise NotImplementedError


class ForeignFiles(Exception):
    """The page store's directory holds files the store did not write: it will not write
    (nor remove) anything there."""

    def __init__(self, root: Path, names: list[str]):
        self.root, self.names = root, names
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        super().__init__(f"{root} holds files the page store did not write: {shown}")


class FileStore(PageStore):
    """The epoch is the length of ``.epoch``: appending a byte is atomic across processes.

    Its own entries in the directory: the marker, ``.epoch``, one directory per interface
    language (the URL prefixes of the reader's pages) and what a clear renames aside. Below
    them it writes only ``index.html``, ``index.html.gz`` and its temporary files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._prefix = str(self.root)  # plain strings: this is the fast path's hot loop
        self._epoch_file = self.root / EPOCH
        self._marker = self.root / MARKER
        self._languages = frozenset(code for code, _name in settings.LANGUAGES)
        self._claimed = False

    def foreign(self) -> list[str]:
        """The names in the directory that keep the store from owning it (none: it may).

        A marked directory is the store's; an unmarked one may be adopted when it is missing,
        empty or holds only what the store writes (pages stored before the marker existed)."""
        if self._marker.is_file():
            return []
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            return [self.root.name]
        return sorted(entry.name for entry in entries if not self._own_entry(entry))

    def _own_entry(self, entry: os.DirEntry) -> bool:
        if entry.name == EPOCH:
            return entry.is_file(follow_symlinks=False)
        own_folder = entry.name in self._languages or entry.name.startswith(TRASH)
        return own_folder and entry.is_dir(follow_symlinks=False)

    def claim(self) -> None:
        """Make or adopt the directory, marking it as the store's, before the first write;
        raises ``ForeignFiles`` rather than write into someone else's."""
        if self._claimed:
            return
        if not self._marker.is_file():
            names = self.foreign()
            if names:
                raise ForeignFiles(self.root, names)
            self.root.mkdir(parents=True, exist_ok=True)
            self._marker.write_text(MARKER_TEXT)
        self._claimed = True

    def file(self, path: str, name: str = INDEX) -> str | None:
        return self._prefix + path + name if safe_path(path) else None

    def get(self, path: str, name: str = INDEX) -> bytes | None:
        file = self.file(path, name)
        if file is None:
            return None
        try:
            with open(file, "rb") as page:
                return page.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def get_gzip(self, path: str) -> bytes | None:
        return self.get(path, INDEX + ".gz")

    def version(self, path: str, gzipped: bool = False):
        """A page is replaced by renaming a new file over it: a new inode."""
        file = self.file(path, INDEX + ".gz" if gzipped else INDEX)
        try:
            stat = os.stat(file)
        except (FileNotFoundError, NotADirectoryError, TypeError):
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def epoch(self) -> int:
        try:
            return self._epoch_file.stat().st_size
        except FileNotFoundError:
            return 0

    def put(self, path: str, body: bytes, epoch: int) -> bool:
        """Only under a language's directory, where a clear finds it."""
        return path[1:].split("/", 1)[0] in self._languages and super().put(path, body, epoch)

    def _advance(self) -> None:
        self.claim()
        fd = os.open(self._epoch_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, b".")
        finally:
            os.close(fd)

    def _write(self, path: str, body: bytes) -> None:
        self.claim()
        file = Path(self.file(path))
        # The gzip copy first: a page whose ``index.html`` exists has its copy (a front server
        # looks for the page, then for its copy).
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            for target, data in ((file.with_name(INDEX + ".gz"), _gzip(body)), (file, body)):
                write_atomically(target, data, prefix=TEMPORARY)
        except (FileNotFoundError, NotADirectoryError):
            # A clear moved the language's tree aside meanwhile (an import's batch clears the
            # store): the page is simply not kept, and ``put`` sees the epoch move.
            return

    def _drop(self, path: str) -> None:
        for name in (INDEX, INDEX + ".gz"):
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(self.file(path, name))

    def clear(self) -> None:
        """Every page goes; the epoch file stays (and advances), so renders in flight fail
        their check. Only the store's own entries are touched (see the class)."""
        self._advance()
        for entry in os.scandir(self.root):
            if not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name in self._languages:
                # Renamed aside first so that readers never see a half-deleted tree.
                aside = self.root / f"{TRASH}{uuid.uuid4().hex}"
                os.rename(entry.path, aside)
                _remove_pages(aside)
            elif entry.name.startswith(TRASH):  # left by a clear that was cut short
                _remove_pages(Path(entry.path))


class CacheStore(PageStore):
    """Pages under ``page:<generation>:<path>`` in a Django cache, never expiring on their own
    (an invalidation drops them; Redis should run with an LRU ``maxmemory-policy``)."""

    def __init__(self, alias: str = "default"):
        self.cache = caches[alias]

    def _key(self, path: str, generation: int | None = None) -> str:
        if generation is None:
            generation = self.cache.get("page-generation", 0)
        return f"page:{generation}:{path}"

    def get(self, path: str) -> bytes | None:
        return self.cache.get(self._key(path))

    def epoch(self) -> int:
        return self.cache.get("page-epoch", 0)

    def _advance(self) -> None:
        try:
            self.cache.incr("page-epoch")
        except ValueError:  # not set yet (or evicted): any new value differs from a render's
            self.cache.add("page-epoch", 1, timeout=None) or self.cache.incr("page-epoch")

    def _write(self, path: str, body: bytes) -> None:
        self.cache.set(self._key(path), body, timeout=None)

    def _drop(self, path: str) -> None:
        self.cache.delete(self._key(path))

    def clear(self) -> None:
        self._advance()
        generation = self.cache.get("page-generation", 0) + 1
        self.cache.set("page-generation", generation, timeout=None)


class NoStore(PageStore):
    """``NEWSBRIEF_PAGES_STORE=off``: every page rendered on every request."""

    def get(self, path: str) -> None:
        return None

    def epoch(self) -> int:
        return 0

    def put(self, path: str, body: bytes, epoch: int) -> bool:
        return False

    def invalidate(self, paths: Iterable[str]) -> None:
        pass

    def clear(self) -> None:
        pass


def _remove_pages(tree: Path) -> None:
    """The pages, copies and temporary files under ``tree``, then the folders left empty;
    anything else stays where it is, said in the log."""
    for folder, _folders, files in os.walk(tree, topdown=False):
        for name in files:
            if name in (INDEX, INDEX + ".gz") or name.startswith(TEMPORARY):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
        with contextlib.suppress(OSError):  # not empty: something of someone else's
            os.rmdir(folder)
    if tree.exists():
        logger.warning("the page store kept files it did not write, in %s", tree)


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


@cache
def get_store() -> PageStore:
    kind = settings.NEWSBRIEF_PAGES_STORE
    if kind == "files":
        return FileStore(settings.NEWSBRIEF_PAGES_PATH)
    if kind == "cache":
        return CacheStore()
    return NoStore()


def reset_store() -> None:
    """Forget the configured store (tests that change the settings)."""
    get_store.cache_clear()
