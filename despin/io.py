"""Reading user input safely: UTF-8 with or without BOM, clear errors for the rest.

A content pipeline sees binary blobs, Latin-1 pages and truncated files; each gets a
one-line explanation (or, with errors="replace", a documented fallback), never a
traceback.
"""

from __future__ import annotations

import sys
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
    """Text of `data`; `name` labels errors. errors="replace" puts U+FFFD for bad bytes."""
    if errors not in ("strict", "replace"):
        raise InputError(f"--errors must be 'strict' or 'replace', not {errors!r}")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: invalid UTF-8 at byte {exc.start} (use --errors replace to read it anyway)"
        ) from None


def read_text(path: str | Path, errors: str = "strict") -> str:
    """Read a file, or standard input for "-", as text."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{name}: is a directory")
            with p.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 2**20} MiB; split it first")
    return decode(data, name, errors)
