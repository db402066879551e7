"""Long texts in bounded pieces: split at paragraph breaks, score each, merge the results.

A 200 MB file is never held whole: its text arrives in pieces, is cut into chunks of at
most `max_chars` characters (after a blank line when one lies in the second half of the
window, else after a line break, a sentence end, any whitespace, and only as a last resort
mid-word), and each chunk is scored as a document of its own. Chunks never overlap and
concatenate to the whole text, so no span can cross a chunk edge; offsets are shifted to
the whole text.

The merged document score is the word-weighted mean of the chunk scores (a chunk of 1,000
words counts ten times one of 100); a text of one chunk keeps its score exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from .report import Report, Span

MAX_CHARS = 20_000
"""Default chunk size in characters (~3,500 words): a news article is one chunk. The
pipeline's cost grows faster than linearly with document length, so chunks stay small."""

_BOUNDARIES = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),  # blank line: a paragraph break
    re.compile(r"\n\s*"),  # line break
    re.compile(r"[.!?][\"')\]’”]*\s+"),  # sentence end
    re.compile(r"\s+"),  # any whitespace
)


def cut_point(buf: str, limit: int) -> int:
    """Where the next chunk of `buf` (longer than `limit`) ends: the latest boundary of the
    strongest kind that ends in the second half of `buf[:limit]`, else `limit`."""
    window = buf[:limit]
    for pattern in _BOUNDARIES:
        last = 0
        for m in pattern.finditer(window, limit // 2):
            last = m.end()
        if last > limit // 2:
            return last
    return limit


def iter_chunks(pieces: Iterable[str], max_chars: int = MAX_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, chunk) pairs that concatenate to the text of `pieces`; at least one chunk.

    Holds at most `max_chars` plus one piece in memory.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    buf, offset = "", 0
    for piece in pieces:
        buf += piece
        while len(buf) > max_chars:
            k = cut_point(buf, max_chars)
            yield offset, buf[:k]
            offset += k
            buf = buf[k:]
    if buf or offset == 0:
        yield offset, buf


class Merger:
    """Adds up chunk reports into one report for the whole text."""

    def __init__(self, keep_spans: bool = True) -> None:
        self.keep_spans = keep_spans
        self.spans: list[Span] = []
        self.weighted = 0.0
        self.n_words = 0
        self.chunks = 0
        self._last = 0.0

    def add(self, offset: int, report: Report) -> tuple[Span, ...]:
        """Take one chunk's report; returns its spans shifted to whole-text offsets."""
        shifted = tuple(
            replace(s, start=s.start + offset, end=s.end + offset) if offset else s
            for s in report.spans
        )
        if self.keep_spans:
            self.spans.extend(shifted)
        self.weighted += report.score * report.n_words
        self.n_words += report.n_words
        self.chunks += 1
        self._last = report.score
        return shifted

    def report(self) -> Report:
        if self.chunks == 1:
            score = self._last
        else:
            score = self.weighted / self.n_words if self.n_words else 0.0
        return Report(score, tuple(self.spans), self.n_words)


def merge(parts: Iterable[tuple[int, Report]]) -> Report:
    """One report for a text from its (offset, chunk report) pairs."""
    m = Merger()
    for offset, report in parts:
        m.add(offset, report)
    return m.report()
