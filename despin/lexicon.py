"""Lexicon files: parse, validate, expand inflections, load the shipped ones.

The format is documented in docs/lexicon-format.md. Parsing is strict (bad lines are
reported with file and line number) because a silently skipped row is a spin that is
silently missed.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

from .tokens import normalize, token_texts

FORMAT_VERSION = 1
_MAGIC = "# despin-lexicon:"
COLUMNS = ("spun", "original", "n_spun", "n_clean")


class LexiconError(ValueError):
    """A lexicon file that cannot be used, with the place that is wrong."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One swap: `spun` (matching key, normalised tokens) may stand for `original`."""

    key: str
    spun: str
    original: str
    n_spun: int
    n_clean: int
    lexicon: str
    family: str
    inflected: bool = False

    @property
    def rule_id(self) -> str:
        return f"{self.lexicon}:{self.spun}>{self.original}"

    @property
    def n_words(self) -> int:
        return self.key.count(" ") + 1


@dataclass(frozen=True)
class Lexicon:
    name: str
    family: str
    entries: tuple[Entry, ...]
    meta: dict[str, str] = field(default_factory=dict)
    examples: tuple[tuple[str, str], ...] = ()
    path: str = ""


def phrase_key(phrase: str) -> str:
    """The matching key of a phrase: its normalised tokens joined by single spaces."""
    return " ".join(map(normalize, token_texts(phrase)))


def parse_lexicon(text: str, label: str = "<lexicon>") -> Lexicon:
    """Parse lexicon `text`; `label` names it in error messages."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith(_MAGIC):
        raise LexiconError(f"{label}:1: not a despin lexicon (first line must be '{_MAGIC} 1')")
    version = lines[0][len(_MAGIC) :].strip()
    if version != str(FORMAT_VERSION):
        raise LexiconError(
            f"{label}:1: lexicon format version {version!r} is not supported "
            f"(this despin reads version {FORMAT_VERSION})"
        )
    meta: dict[str, str] = {}
    examples: list[tuple[str, str]] = []
    columns: tuple[str, ...] | None = None
    rows: list[tuple[int, list[str]]] = []
    for lineno, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            key, sep, value = body.partition(":")
            if not sep or " " in key.strip():
                continue  # a plain comment
            key, value = key.strip().lower(), value.strip()
            if key == "example":
                spun, arrow, orig = value.partition("=>")
                if not arrow or not spun.strip() or not orig.strip():
                    raise LexiconError(f"{label}:{lineno}: example must be 'SPUN => ORIGINAL'")
                examples.append((spun.strip(), orig.strip()))
            elif columns is None:
                meta[key] = value
            continue
        cells = line.split("\t")
        if columns is None:
            columns = tuple(c.strip() for c in cells)
            if columns not in (COLUMNS, COLUMNS[:2]):
                raise LexiconError(
                    f"{label}:{lineno}: column row must be {' TAB '.join(COLUMNS)} "
                    f"(or the first two), got {' TAB '.join(columns)!r}"
                )
            continue
        rows.append((lineno, cells))
    for required in ("name", "family"):
        if not meta.get(required):
            raise LexiconError(f"{label}: header lacks '# {required}: ...'")
    if columns is None:
        raise LexiconError(f"{label}: no column row ({' TAB '.join(COLUMNS)})")
    name, family = meta["name"], meta["family"]
    entries = [
        _parse_row(cells, len(columns), lineno, label, name, family) for lineno, cells in rows
    ]
    return Lexicon(name, family, tuple(entries), meta, tuple(examples), label)


def _parse_row(
    cells: list[str], n_cols: int, lineno: int, label: str, name: str, family: str
) -> Entry:
    where = f"{label}:{lineno}"
    if len(cells) != n_cols:
        raise LexiconError(f"{where}: expected {n_cols} tab-separated columns, got {len(cells)}")
    spun, original = cells[0].strip(), cells[1].strip()
    if not spun or not original:
        raise LexiconError(f"{where}: empty spun or original phrase")
    key = phrase_key(spun)
    if not key:
        raise LexiconError(f"{where}: spun phrase {spun!r} has no words")
    if key == phrase_key(original):
        raise LexiconError(f"{where}: spun and original are the same ({spun!r})")
    counts = [1, 0]
    for i, cell in enumerate(cells[2:4]):
        try:
            counts[i] = int(cell)
        except ValueError:
            raise LexiconError(
                f"{where}: {COLUMNS[2 + i]} must be an integer, got {cell!r}"
            ) from None
        if counts[i] < 0:
            raise LexiconError(f"{where}: {COLUMNS[2 + i]} must be >= 0, got {counts[i]}")
    return Entry(key, spun, original, counts[0], counts[1], name, family)


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate a lexicon file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LexiconError(f"{p}: cannot read lexicon ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{p}: lexicon is not UTF-8 (byte {exc.start})") from None
    return parse_lexicon(text, str(p))


@cache
def shipped_lexicons() -> tuple[Lexicon, ...]:
    """The lexicons bundled with the package, once per process: as stored parsed and
    inflected in lexicons/derived.sqlite (`despin.lexiconstore`), else parsed here."""
    from .lexiconstore import shipped_files, stored

    found = stored()
    if found is not None:
        lexicons, expanded = found
        for lx, ex in zip(lexicons, expanded, strict=True):
            _EXPANDED_BY_ID[id(lx.entries)] = (lx.entries, ex)
        return lexicons
    return tuple(parse_lexicon(text, label) for label, text in shipped_files())


# --- inflection ---------------------------------------------------------------------------

_UPOS = ("NOUN", "VERB", "ADJ")


def read_gzip_text(f: Traversable, label: str) -> str:
    """The text of a shipped gzipped table; damage is a LexiconError naming `label`.

    A truncated download or a bad copy must say which file is broken, not surface as
    BadGzipFile, EOFError or UnicodeDecodeError from deep inside a score call.
    """
    import gzip
    import zlib

    try:
        with f.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            return fh.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise LexiconError(f"{label}: not a readable gzip file ({exc}); reinstall despin") from None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start} of the unpacked table"
        raise LexiconError(f"{label}: invalid UTF-8 at {where}") from None


def read_derived(name: str, magic: str) -> tuple[list[str], dict[str, str]] | None:
    """Header lines and named sections of a derived table in despin.lexicons, or None.

    Derived tables (built by scripts/build_derived.py) are gzipped text: a header of
    '#' lines starting with `magic`, then sections, each opened by a '[[name]]' line.
    A section is returned as one string so that callers split it at C speed.
    """
    f = importlib.resources.files("despin.lexicons") / name
    if not f.is_file():
        return None
    text = read_gzip_text(f, f"lexicons/{name}")
    if not text.startswith(magic + "\n"):
        raise LexiconError(f"lexicons/{name}: expected '{magic}' on line 1")
    head, *parts = text.split("\n[[")
    sections = {}
    for part in parts:
        title, _, body = part.partition("]]\n")
        sections[title] = body[:-1] if body.endswith("\n") else body
    return head.split("\n"), sections


INFLECTIONS_MAGIC = "# despin-inflections: 1"


@cache
def _stored_pairs() -> dict[str, str]:
    """'spun orig' -> its inflection pairs as stored, for the word pairs of shipped lexicons."""
    found = read_derived("inflections.tsv.gz", INFLECTIONS_MAGIC)
    if found is None:
        return {}
    sec = found[1]
    return dict(zip(sec["pairs"].split("\n"), sec["inflections"].split("\n"), strict=True))


def _inflection_pairs(spun_word: str, orig_word: str) -> list[tuple[str, str]]:
    """`compute_inflection_pairs`, read from lexicons/inflections.tsv.gz when stored there."""
    raw = _stored_pairs().get(f"{spun_word}\t{orig_word}")
    if raw is None:
        return compute_inflection_pairs(spun_word, orig_word)
    return [tuple(p.split(" ")) for p in raw.split("\t") if p]  # type: ignore[misc]


def compute_inflection_pairs(spun_word: str, orig_word: str) -> list[tuple[str, str]]:
    """Other inflections of a one-word swap that keep both words in the same form.

    ("mentioned", "said") -> [("mention", "say"), ("mentions", "says"), ...]: a
    spinner that swaps one form swaps them all.
    """
    from lemminflect import getAllInflections, getAllLemmas

    out: list[tuple[str, str]] = []
    s_lemmas, o_lemmas = getAllLemmas(spun_word), getAllLemmas(orig_word)
    if "AUX" in s_lemmas or "AUX" in o_lemmas:
        return out  # modals have no paradigm: "will"->"can" says nothing of "would"
    readings = []
    for upos in _UPOS:
        if upos not in s_lemmas or upos not in o_lemmas:
            continue
        s_inf = getAllInflections(s_lemmas[upos][0], upos=upos)
        o_inf = getAllInflections(o_lemmas[upos][0], upos=upos)
        shared = [t for t in s_inf if t in o_inf]
        tags = [t for t in shared if spun_word in s_inf[t] and orig_word in o_inf[t]]
        if tags:
            readings.append((upos, s_inf, o_inf, shared, tags))
    if len(readings) != 1:
        # "gathering"->"meeting" reads as two nouns or two verbs: the swap was seen in
        # one reading only, and "gathered"->"met" would guess the other.
        return out
    for upos, s_inf, o_inf, shared, tags in readings:
        for t in shared:
            s_new = s_inf[t][0]
            # Skip forms that are also another part of speech ("state" the noun, from
            # "stated" -> "said"): the swap was seen for one reading only.
            if t not in tags and set(getAllLemmas(s_new)) <= {upos, *o_lemmas}:
                out.append((s_new, o_inf[t][0]))
    return out


# entries tuple id -> (that tuple, its expansion): the shipped lexicons' expansions as
# stored, found without hashing 6,000 entries (the tuple is kept, so its id stays its own).
_EXPANDED_BY_ID: dict[int, tuple[tuple[Entry, ...], tuple[Entry, ...]]] = {}


def expand_inflections(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Entries plus inflected variants of their last word; listed rows always win.

    Cached: held-out evaluation compiles many matchers over the same lexicons.
    """
    known = _EXPANDED_BY_ID.get(id(entries))
    if known is not None and known[0] is entries:
        return known[1]
    return _expand_inflections(entries)


@cache
def _expand_inflections(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    explicit = {(e.key, e.original.lower()) for e in entries}
    keys = {e.key for e in entries}
    out = list(entries)
    seen: set[tuple[str, str]] = set()
    for e in entries:
        s_words, o_words = e.spun.split(), e.original.split()
        if not s_words or not o_words or not s_words[-1].isalpha() or not o_words[-1].isalpha():
            continue
        for s_new, o_new in _inflection_pairs(s_words[-1].lower(), o_words[-1]):
            spun = " ".join([*s_words[:-1], s_new])
            original = " ".join([*o_words[:-1], o_new])
            key = phrase_key(spun)
            if key in keys or (key, original.lower()) in explicit or (key, original) in seen:
                continue
            seen.add((key, original))
            # Entry(...), not dataclasses.replace: a fifth of the cost, paid at every start.
            out.append(Entry(key, spun, original, e.n_spun, e.n_clean, e.lexicon, e.family, True))
    return tuple(out)
