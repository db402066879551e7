"""JSON Lines in and out: score one text field of each record, keep the other fields.

Each output record is the input record without its text field plus a "despin" field
holding the score document (docs/wire-schema.md), so a crawl's ids and URLs travel
through unchanged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from .io import _BOM, InputError, display_name, looks_binary, open_binary

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def read_records(
    path: str,
    field: str = "text",
    errors: str = "strict",
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, record, text of `field`) for every non-blank line, streamed.

    A bad line raises InputError, or with `on_error` is handed to it and skipped (one
    broken record in a crawl should not cost the rest of the file).
    """
    name = display_name(path)
    f = open_binary(path)
    try:
        offset = 0
        for lineno, raw in enumerate(f, 1):
            start = offset
            offset += len(raw)
            if lineno == 1:
                if raw.startswith(_BOM):
                    raw, start = raw[len(_BOM) :], start + len(_BOM)
                if looks_binary(raw):
                    raise InputError(f"{name}: looks like a binary file, not JSON Lines")
            try:
                found = _record(raw, start, lineno, name, field, errors)
            except InputError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            if found is not None:
                yield (lineno, *found)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        if f is not sys.stdin.buffer:
            f.close()


def _record(
    raw: bytes, start: int, lineno: int, name: str, field: str, errors: str
) -> tuple[dict[str, Any], str] | None:
    """The record and text of one raw line (None if blank), or a one-line InputError."""
    try:
        line = raw.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}:{lineno}: invalid UTF-8 at byte {start + exc.start} "
            "(use --errors replace to read it anyway)"
        ) from None
    if not line.strip():
        return None
    return parse_record(line, field, f"{name}:{lineno}")


def parse_record(line: str, field: str, where: str) -> tuple[dict[str, Any], str]:
    """The record of one JSONL line and its text field, or a one-line InputError."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    if field not in record:
        raise InputError(f"{where}: no {field!r} field (choose one with --text-field)")
    text = record[field]
    if not isinstance(text, str):
        raise InputError(f"{where}: field {field!r} is {type(text).__name__}, not a string")
    return record, text


def output_record(record: dict[str, Any], field: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The record without its text field, plus the score document under "despin"."""
    out = {k: v for k, v in record.items() if k != field}
    out["despin"] = doc
    return out
