"""Files the board writes for others to read (stored pages, picture variants)."""

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, prefix: str) -> None:
    """Write ``data`` to ``target`` through a temporary file (named ``prefix...``) in its
    directory, renamed over it: a reader (nginx, another app server) sees the old file or the
    whole new one, never part of it. World-readable, for a front server running as another
    user."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
