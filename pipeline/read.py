"""Read articles from directories of .txt (and .html) files, single files, or JSONL lines.

Every input either becomes an `Article` or a `ReadError` with a one-line reason, so one bad
file never stops the batch. A directory may hold `meta.jsonl` (one object per article, keyed
by `id` = file stem) to give titles, sources and the document creation time (`dct`); a bad line
there is an error of its own, and the directory's articles are read all the same.

Every article then goes through the shared input check (pipeline.validate: unique ids, ISO
`meta.dct`, no byte-order mark, no NUL). `json_lines` is the one JSONL line reader of every
command: `load`, `export` and `score` read records with it too.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.schema import Article, ReadError, ReadResult
from pipeline.validate import BOM_BYTES, NUL_REASON, InputCheck
from pipeline.web import HTML_SUFFIXES, PageOptions, page_article

META_FILE = "meta.jsonl"
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line of a JSONL file: where it is, and its object (or why it is not one)."""

    path: Path
    lineno: int
    obj: Any = None
    problem: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.lineno}"


def decode_article_bytes(raw: bytes) -> tuple[str | None, str | None]:
    """Return (text, None) or (None, reason): empty, binary and non-UTF-8 input are refused.

    A leading byte-order mark is dropped: it is an encoding mark, not text."""
    raw = raw.removeprefix(BOM_BYTES)
    if not raw.strip():
        return None, "empty file"
    if b"\x00" in raw:
        return None, NUL_REASON
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def json_lines(path: Path) -> Iterator[JsonLine]:
    """The non-blank lines of a JSONL file, each parsed on its own: a bad line (not UTF-8, NUL,
    malformed JSON) is a `problem` of that line only. Split on "\\n" only, as JSON allows U+2028
    inside strings; a byte-order mark before a line is dropped."""
    try:
        handle = path.open("rb")
    except OSError as err:
        yield JsonLine(path, 0, problem=f"cannot read: {err.strerror}")
        return
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            raw = raw.removeprefix(BOM_BYTES)
            if not raw.strip():
                continue
            line, reason = decode_article_bytes(raw)
            if line is None:
                yield JsonLine(path, lineno, problem=reason)
                continue
            try:
                yield JsonLine(path, lineno, json.loads(line))
            except json.JSONDecodeError as err:
                yield JsonLine(path, lineno, problem=f"malformed JSON: {err.msg} (column {err.colno})")


def _check_size(article: Article, max_chars: int) -> ReadResult:
    if len(article.text) > max_chars:
        return ReadError(article.id, article.meta.get("file", article.id),
                         f"too large ({len(article.text):,} characters > limit {max_chars:,})")
    return article


def _load_meta(directory: Path) -> tuple[dict[str, dict], list[ReadError]]:
    """`meta.jsonl` entries by id, and an error for each line that cannot be one."""
    path = directory / META_FILE
    if not path.exists():
        return {}, []
    entries: dict[str, dict] = {}
    first: dict[str, str] = {}
    errors = []
    for line in json_lines(path):
        if line.problem:
            errors.append(ReadError(line.where, line.where, line.problem))
        elif not isinstance(line.obj, dict) or not isinstance(line.obj.get("id"), str):
            errors.append(ReadError(line.where, line.where, 'expected an object with a string "id"'))
        elif line.obj["id"] in entries:
            errors.append(ReadError(line.where, line.where,
                                    f"duplicate id {line.obj['id']!r} (first at {first[line.obj['id']]})"))
        else:
            entries[line.obj["id"]] = line.obj
            first[line.obj["id"]] = line.where
    return entries, errors


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


def read_page_file(path: Path, meta: dict | None = None, page: PageOptions = PageOptions()) -> ReadResult:
    """A saved web page (`.html`, `.htm`): its main text (pipeline.web)."""
    meta = dict(meta or {})
    meta.setdefault("file", path.name)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return ReadError(path.stem, str(path), f"cannot read: {err.strerror}")
    if not raw.strip():
        return ReadError(path.stem, str(path), "empty file")
    return page_article(path.stem, raw, meta, str(path), page)


def _jsonl_articles(path: Path, page: PageOptions) -> Iterator[tuple[str, ReadResult]]:
    for line in json_lines(path):
        where = line.where
        if line.problem:
            yield where, ReadError(where, where, line.problem)
            continue
        obj = line.obj
        if not isinstance(obj, dict) or not (isinstance(obj.get("text"), str) or isinstance(obj.get("html"), str)):
            yield where, ReadError(where, where, 'expected an object with a string "text" (or "html")')
            continue
        doc_id = str(obj.get("id") or f"{path.stem}-{line.lineno}")
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        if isinstance(obj.get("text"), str):
            yield where, Article(doc_id, obj["text"], meta)
        else:
            yield where, page_article(doc_id, obj["html"], meta, where, page)


def read_jsonl(path: Path, page: PageOptions = PageOptions()) -> Iterator[ReadResult]:
    """Articles as `{"id", "text" or "html", "meta"}` lines; a malformed line is an error of its own."""
    return (result for _, result in _jsonl_articles(path, page))


def _directory_articles(path: Path, page: PageOptions) -> Iterator[tuple[str, ReadResult]]:
    meta, errors = _load_meta(path)
    for error in errors:
        yield error.source, error
    for file in sorted(f for f in path.iterdir() if f.suffix in (".txt", *HTML_SUFFIXES)):
        if file.suffix == ".txt":
            yield str(file), read_text_file(file, meta.get(file.stem))
        else:
            yield str(file), read_page_file(file, meta.get(file.stem), page)


def _stdin_articles(page: PageOptions) -> Iterator[tuple[str, ReadResult]]:
    """`-`: JSONL lines when standard input starts with `{`, else one plain-text article `stdin`."""
    raw = sys.stdin.buffer.read()
    if raw.removeprefix(BOM_BYTES).lstrip().startswith(b"{"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "stdin.jsonl"
            path.write_bytes(raw)
            yield from ((where.replace(str(path), "stdin"), result) for where, result in _jsonl_articles(path, page))
        return
    text, reason = decode_article_bytes(raw)
    yield "stdin", Article("stdin", text, {"file": "-"}) if text is not None else ReadError("stdin", "stdin", reason)


def _located(path: Path, page: PageOptions) -> Iterable[tuple[str, ReadResult]]:
    if str(path) == "-":
        return _stdin_articles(page)
    if path.is_dir():
        return _directory_articles(path, page)
    if path.suffix == ".jsonl":
        return _jsonl_articles(path, page)
    if path.suffix in HTML_SUFFIXES and path.exists():
        return [(str(path), read_page_file(path, page=page))]
    if path.exists():
        return [(str(path), read_text_file(path))]
    return [(str(path), ReadError(path.stem, str(path), "no such file or directory"))]


def read_inputs(inputs: Iterable[str | Path], max_chars: int = DEFAULT_MAX_CHARS,
                check: InputCheck | None = None, page: PageOptions = PageOptions()) -> Iterator[ReadResult]:
    """Stream articles from every input in order; directories yield their `.txt` and `.html`
    files sorted; web pages become their main text (`page` says what of them to keep).

    Each goes through `check` (a new strict one by default), which remembers ids across inputs."""
    check = check or InputCheck()
    for item in inputs:
        for where, result in _located(Path(item), page):
            result = check.article(result, where)
            yield _check_size(result, max_chars) if isinstance(result, Article) else result
