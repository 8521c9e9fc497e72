"""Read articles from directories of .txt files, single files, or JSONL lines.

Every input either becomes an `Article` or a `ReadError` with a one-line reason, so one bad
file never stops the batch. A directory may hold `meta.jsonl` (one object per article, keyed
by `id` = file stem) to give titles, sources and the document creation time (`dct`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.schema import Article, ReadError, ReadResult

META_FILE = "meta.jsonl"
DEFAULT_MAX_CHARS = 1_000_000


def decode_article_bytes(raw: bytes) -> tuple[str | None, str | None]:
    """Return (text, None) or (None, reason): empty, binary and non-UTF-8 input are refused."""
    if not raw.strip():
        return None, "empty file"
    if b"\x00" in raw:
        return None, "binary file (contains NUL bytes)"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_size(article: Article, max_chars: int) -> ReadResult:
    if len(article.text) > max_chars:
        return ReadError(article.id, article.meta.get("file", article.id),
                         f"too large ({len(article.text):,} characters > limit {max_chars:,})")
    return article


def _load_meta(directory: Path) -> dict[str, dict]:
    path = directory / META_FILE
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entries[entry["id"]] = entry
    return entries


def read_text_file(path: Path, meta: dict | None = None) -> ReadResult:
    meta = dict(meta or {})
    meta.setdefault("file", path.name)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return ReadError(path.stem, str(path), f"cannot read: {err.strerror}")
    text, reason = decode_article_bytes(raw)
    if text is None:
        return ReadError(path.stem, str(path), reason)
    return Article(path.stem, text, meta)


def read_jsonl(path: Path) -> Iterator[ReadResult]:
    """Articles as `{"id", "text", "meta"}` lines; a malformed line is an error of its own."""
    try:
        handle = path.open("rb")
    except OSError as err:
        yield ReadError(path.stem, str(path), f"cannot read: {err.strerror}")
        return
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            line, reason = decode_article_bytes(raw)
            if line is None:
                yield ReadError(where, where, reason)
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield ReadError(where, where, f"malformed JSON: {err.msg} (column {err.colno})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield ReadError(where, where, 'expected an object with a string "text"')
                continue
            doc_id = str(obj.get("id") or f"{path.stem}-{lineno}")
            if not obj["text"].strip():
                yield ReadError(doc_id, where, "empty text")
                continue
            meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
            yield Article(doc_id, obj["text"], meta)


def read_inputs(inputs: Iterable[str | Path], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """Stream articles from every input in order; directories yield their `.txt` files sorted."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            meta = _load_meta(path)
            results: Iterable[ReadResult] = (
                read_text_file(p, meta.get(p.stem)) for p in sorted(path.glob("*.txt"))
            )
        elif path.suffix == ".jsonl":
            results = read_jsonl(path)
        elif path.exists():
            results = [read_text_file(path)]
        else:
            results = [ReadError(path.stem, str(path), "no such file or directory")]
        for result in results:
            yield _check_size(result, max_chars) if isinstance(result, Article) else result
