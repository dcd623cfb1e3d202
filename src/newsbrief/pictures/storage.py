"""The picture files under ``MEDIA_ROOT``: written whole or not at all (a temporary file
renamed into place), named by content, removed when no picture uses them any more."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

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
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def read(name: str) -> bytes:
    return (root() / name).read_bytes()


def remove(names) -> None:
    for name in names:
        (root() / name).unlink(missing_ok=True)
