"""The picture files under ``MEDIA_ROOT``: written whole or not at all (a temporary file
renamed into place), named by content, removed when no picture uses them any more."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from newsbrief.files import write_atomically

from .processing import EXTENSIONS, Encoded


def root() -> Path:
    return Path(settings.MEDIA_ROOT)


def name_for(digest: str, encoded: Encoded, master: bool = False) -> str:
    size = "full" if master else str(encoded.width)
    return f"pictures/{digest[:2]}/{digest}-{size}.{EXTENSIONS[encoded.kind]}"


def described(name: str, encoded: Encoded) -> dict:
    return {
        "kind": encoded.kind,
        "width": encoded.width,
        "height": encoded.height,
        "name": name,
        "bytes": len(encoded.data),
    }


def write(name: str, data: bytes) -> bool:
    """Store ``data`` as ``name``; False if a file of that name (the same content) exists."""
    path = root() / name
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, prefix=".upload-")
    return True


def read(name: str) -> bytes:
    return (root() / name).read_bytes()


def remove(names) -> None:
    for name in names:
        (root() / name).unlink(missing_ok=True)
