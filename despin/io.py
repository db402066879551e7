"""Reading user input safely: UTF-8 with or without BOM, clear errors for the rest.

A content pipeline sees binary blobs, Latin-1 pages and truncated files; each gets a
one-line explanation (or, with errors="replace", a documented fallback), never a
traceback.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """Input that despin will not read, with a message fit for a user."""


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and ctrl / len(head) > 0.1


def decode(data: bytes, name: str, errors: str = "strict") -> str:
    """Text of `data`; `name` labels errors. errors="replace" puts U+FFFD for bad bytes.

    Byte offsets in errors count from the start of the file, BOM included.
    """
    _check_errors(errors)
    skip = len(_BOM) if data.startswith(_BOM) else 0
    if looks_binary(data[skip:]):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data[skip:].decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise _bad_utf8(name, skip + exc.start) from None


def _bad_utf8(name: str, offset: int) -> InputError:
    return InputError(
        f"{name}: invalid UTF-8 at byte {offset} (use --errors replace to read it anyway)"
    )


def _check_errors(errors: str) -> None:
    if errors not in ("strict", "replace"):
        raise InputError(f"--errors must be 'strict' or 'replace', not {errors!r}")


def display_name(path: str | Path) -> str:
    return "<stdin>" if str(path) == "-" else str(path)


def open_binary(path: str | Path):
    """A binary file object for a path or "-" (stdin), with one-line errors."""
    name = display_name(path)
    if str(path) == "-":
        return sys.stdin.buffer
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{name}: is a directory")
        return p.open("rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def _read(f, n: int, name: str) -> bytes:
    try:
        return f.read(n)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_text(path: str | Path, errors: str = "strict") -> str:
    """Read a file, or standard input for "-", as text (whole; see iter_text for big files)."""
    name = display_name(path)
    f = open_binary(path)
    try:
        data = _read(f, MAX_BYTES + 1, name)
    finally:
        if f is not sys.stdin.buffer:
            f.close()
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 2**20} MiB; split it first")
    return decode(data, name, errors)


BLOCK_BYTES = 1 << 20


def iter_text(path: str | Path, errors: str = "strict", block: int | None = None) -> Iterator[str]:
    """The text of a file or stdin in pieces of about `block` bytes, in bounded memory.

    Same checks as `read_text` (BOM, binary, invalid UTF-8 with the file's byte offset)
    but no size cap: the file is never held whole.
    """
    _check_errors(errors)
    name = display_name(path)
    f = open_binary(path)
    try:
        yield from _decode_stream(f, name, errors, block or BLOCK_BYTES)
    finally:
        if f is not sys.stdin.buffer:
            f.close()


def _decode_stream(f, name: str, errors: str, block: int) -> Iterator[str]:
    dec = codecs.getincrementaldecoder("utf-8")(errors=errors)
    first = _read(f, max(block, 8192), name)
    skip = len(_BOM) if first.startswith(_BOM) else 0
    if looks_binary(first[skip:]):
        raise InputError(f"{name}: looks like a binary file, not text")
    consumed, data = skip, first[skip:]
    while True:
        final = not data
        pending = len(dec.getstate()[0])
        try:
            piece = dec.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise _bad_utf8(name, consumed - pending + exc.start) from None
        consumed += len(data)
        if piece:
            yield piece
        if final:
            return
        data = _read(f, block, name)
