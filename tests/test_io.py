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


# --- streaming -------------------------------------------------------------------------------

import io as _io  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from despin.io import _decode_stream, iter_text  # noqa: E402


@given(st.text(max_size=200), st.booleans(), st.integers(min_value=1, max_value=9))
@settings(max_examples=150, deadline=None)
def test_stream_decodes_like_whole(text: str, bom: bool, block: int) -> None:
    data = ("\ufeff" if bom else "").encode() + text.encode()
    try:
        whole = decode(data, "f")
    except InputError as exc:
        with pytest.raises(InputError) as streamed:
            "".join(_decode_stream(_io.BytesIO(data), "f", "strict", block))
        assert str(streamed.value) == str(exc)
        return
    assert "".join(_decode_stream(_io.BytesIO(data), "f", "strict", block)) == whole


@pytest.mark.parametrize("block", [1, 2, 3, 5, 64])
@pytest.mark.parametrize(
    ("data", "offset"),
    [(b"abc\xffdef", 3), (b"\xef\xbb\xbfab\xe2\x82", 5), ("é".encode() * 10 + b"\xc3(", 20)],
)
def test_stream_names_the_byte_offset_in_the_file(data: bytes, offset: int, block: int) -> None:
    with pytest.raises(InputError, match=f"f: invalid UTF-8 at byte {offset} "):
        "".join(_decode_stream(_io.BytesIO(data), "f", "strict", block))
    assert decode(data, "f", "replace") == "".join(
        _decode_stream(_io.BytesIO(data), "f", "replace", block)
    )


def test_iter_text_reads_a_file_in_pieces(tmp_path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("één twee\n" * 1000, encoding="utf-8")
    pieces = list(iter_text(p, block=1000))
    assert len(pieces) > 2 and "".join(pieces) == p.read_text(encoding="utf-8")
    bad = tmp_path / "b.bin"
    bad.write_bytes(b"\x00\x01" * 100)
    with pytest.raises(InputError, match="binary"):
        list(iter_text(bad))
