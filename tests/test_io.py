"""Reading input: BOM, invalid UTF-8, binary, empty, folders."""

from __future__ import annotations

import pytest

from despin.io import InputError, decode, read_text


def test_bom_is_stripped() -> None:
    assert decode("\ufeffhello".encode(), "f") == "hello"


def test_invalid_utf8_names_file_and_byte() -> None:
    with pytest.raises(InputError, match=r"f.txt: invalid UTF-8 at byte 3 \(use --errors replace"):
        decode(b"abc\xffdef", "f.txt")


def test_replace_mode_reads_invalid_bytes() -> None:
    assert decode(b"abc\xffdef", "f", errors="replace") == "abc\ufffddef"


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "img.png")


def test_empty_is_fine(tmp_path) -> None:
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    assert read_text(p) == ""


def test_missing_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_bad_errors_mode() -> None:
    with pytest.raises(InputError, match="--errors"):
        decode(b"x", "f", errors="ignore")
