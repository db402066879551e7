"""What the CLI scores: files, folders, stdin as text, HTML or JSON Lines, as document parts.

Every document becomes one or more `Part`s (paragraph chunks, despin.chunking) so that a
huge file streams in bounded memory; the `Doc` travelling with them says where the text
came from and what its offsets refer to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .batch import Part, document_parts
from .chunking import MAX_CHARS
from .html import HTML_SUFFIXES, extract_text
from .io import InputError, display_name, iter_text, read_text
from .jsonl import JSONL_SUFFIXES, read_records

FORMATS = ("auto", "text", "jsonl", "html")

OnError = Callable[[InputError], None]
"""Called with each bad input that is skipped rather than ending the run."""


@dataclass
class Doc:
    """One scored document: its label, and what its offsets refer to."""

    path: str
    kind: str = "text"
    """"text", "html" or "jsonl"."""
    record: dict[str, Any] | None = None
    """JSONL input: the whole record (its other fields are kept in the output)."""
    extracted: str | None = None
    """HTML input: the extracted text that span offsets refer to."""


def input_format(path: str, fmt: str) -> str:
    """The format of `path`: `fmt` unless "auto", then by extension (stdin: text)."""
    if fmt != "auto":
        return fmt
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def html_text(path: str, errors: str = "strict") -> str:
    """The extracted main text of an HTML file: what offsets into a page refer to."""
    return extract_text(read_text(path, errors), display_name(path))


def file_parts(
    path: str,
    fmt: str = "auto",
    field: str = "text",
    errors: str = "strict",
    max_chars: int = MAX_CHARS,
    on_error: OnError | None = None,
) -> Iterator[Part]:
    """The parts of every document in one file (a JSONL file holds many)."""
    kind = input_format(path, fmt)
    name = display_name(path)
    if kind == "jsonl":
        for lineno, record, text in read_records(path, field, errors, on_error):
            yield from document_parts(Doc(f"{name}:{lineno}", kind, record), (text,), max_chars)
    elif kind == "html":
        text = html_text(path, errors)
        yield from document_parts(Doc(name, kind, extracted=text), (text,), max_chars)
    else:
        yield from document_parts(Doc(name), iter_text(path, errors), max_chars)


def all_parts(
    paths: list[str],
    fmt: str = "auto",
    field: str = "text",
    errors: str = "strict",
    max_chars: int = MAX_CHARS,
    on_error: OnError | None = None,
) -> Iterator[Part]:
    """The parts of every input in turn.

    A bad input raises InputError; with `on_error` it is handed over and skipped
    instead: a whole file, or one JSON Lines record. A text file found bad after its
    first parts were yielded (invalid UTF-8 deep inside a huge file) still raises, since
    part of it has already been reported.
    """
    for path in paths:
        started = False
        try:
            for part in file_parts(path, fmt, field, errors, max_chars, on_error):
                started = True
                yield part
        except InputError as exc:
            if on_error is None or (started and input_format(path, fmt) != "jsonl"):
                raise
            on_error(exc)
