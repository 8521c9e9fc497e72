"""Replace a file atomically: write a temporary file beside it, fsync, then `os.replace`.

A reader (or a run killed at any moment, `kill -9` included) sees the old file or the whole new
one, never a part. The temporary file lives in the target's directory, so the rename stays on
one file system; it is removed when writing fails, and only a killed process leaves it behind
(named `.<name>.<random>.tmp`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """`with atomic_file(path) as handle:` write; on a clean exit `path` becomes what was written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False, newline=newline)
    try:
        os.chmod(handle.name, 0o666 & ~_umask())  # as `open` would create it, not mkstemp's 0600
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, lines: Iterable[str]) -> int:
    """Write `lines` to `path` atomically; returns how many."""
    n_lines = 0
    with atomic_file(path) as handle:
        for line in lines:
            handle.write(line)
            n_lines += 1
    return n_lines
