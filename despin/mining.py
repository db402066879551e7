"""Mine spinner swaps from spun texts and their originals, and build lexicon files.

`build_news_lexicon` is what `make lexicons` ships and what held-out evaluation
re-runs without the evaluated document, so it must be deterministic and exact about
exclusions.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .align import align
from .lexicon import phrase_key
from .tokens import normalize, tokenize

SEED_DOC = "000_0d86604bd71b6e9d"
CLEAN_SEED = "003_e33991b7a49c87c3"
MAX_WORDS = 4
_COMMON_ZIPF = 6.5  # "in", "to", "of": one-off swaps of these are alignment noise
_NUMBER_WORDS = {
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
    "7": "seven", "8": "eight", "9": "nine", "10": "ten", "12": "twelve",
}  # fmt: skip
_PUNCT = re.compile(r"[^\w\s'’\-]")

NEWS_HEADER = """# despin-lexicon: 1
# name: news
# family: news-spinner
# description: Swaps made by the auto-blog article spinner ("the 2 international locations").
# source: mined by scripts/build_lexicons.py from aligned spun/original news texts (see lexicons/README.md)
# example: The 2 international locations signed a brand new deal final 12 months. => The two countries signed a new deal last year.
# example: Officers mentioned the troopers had been combating within the north. => Officials said the soldiers were fighting in the north.
# example: The North Korean chief arrived earlier than daybreak, in keeping with the information company. => The North Korean leader arrived before dawn, according to the news agency.
# example: Crowds filled the sq. whereas a band performed. => Crowds filled the square while a band performed.
"""


def _words(text: str) -> list[str]:
    return [t.text for t in tokenize(text) if t.is_word]


@cache
def _lemmas(word: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    return frozenset(v[0] for v in getAllLemmas(word.lower()).values()) | {word.lower()}


def _is_number(word: str) -> bool:
    return word.replace(",", "").replace(".", "").isdigit()


def _original_case(spun: str, original: str) -> str:
    """Store originals in lower case unless the case carries meaning ("COVID-19", "US")."""
    if any(c.isupper() for c in original[1:]) or not original[:1].isupper():
        return original
    return original.lower()


_ARTICLES = frozenset({"a", "an", "the"})


def keep_swap(spun: str, original: str) -> bool:
    """Whether an aligned pair looks like a spinner's swap rather than alignment noise."""
    sw, ow = _words(spun), _words(original)
    if not sw or not ow or len(sw) > MAX_WORDS or len(ow) > MAX_WORDS:
        return False
    if phrase_key(spun) == phrase_key(original):
        return False
    s_num = any(_is_number(w) for w in sw)
    o_num = any(_is_number(w) for w in ow)
    if s_num and o_num:
        return False  # a changed figure is an edit, not a synonym
    if s_num != o_num and not any(
        _NUMBER_WORDS.get(w) in {x.lower() for x in ow} or w in _NUMBER_WORDS for w in sw
    ):
        return False  # small figures stand for words ("12 months" for "year"); others are edits
    if len(sw) == 1 and len(ow) == 1 and _lemmas(sw[0]) & _lemmas(ow[0]):
        return False  # "coped" / "copes": same word, other inflection
    if len(ow) > len(sw) and {ow[0].lower(), ow[-1].lower()} & _ARTICLES:
        return False  # "include" / "contain the": an article the aligner left behind
    return True


def _split_block(spun: str, original: str) -> list[tuple[str, str]]:
    """Split a merged replace block into the single swaps it is made of."""
    s_parts = [p.strip() for p in _PUNCT.split(spun) if p.strip()]
    o_parts = [p.strip() for p in _PUNCT.split(original) if p.strip()]
    if len(s_parts) > 1 and len(s_parts) == len(o_parts):
        out = []
        for s, o in zip(s_parts, o_parts, strict=True):
            out.extend(_split_block(s, o))
        return out
    if _PUNCT.search(spun) or _PUNCT.search(original):
        return []  # spinners swap within a clause; a block across punctuation is a rewrite
    sw, ow = _words(spun), _words(original)
    if len(sw) == len(ow) and len(sw) > 1 and _splittable(sw, ow):
        return [(s, o) for s, o in zip(sw, ow, strict=True) if s.lower() != o.lower()]
    return [(spun, original)]


def _splittable(sw: list[str], ow: list[str]) -> bool:
    """Equal-length blocks are word-for-word swaps unless they are idioms or figures.

    "nation's navy" / "country's military" splits; "after all" / "of course" and
    "final 12 months" / "percent last year" do not.
    """
    from .ngrams import zipf

    if any(_is_number(w) for w in sw + ow):
        return False
    return not any(
        s.lower() != o.lower() and max(zipf(s.lower()), zipf(o.lower())) >= 6.3
        for s, o in zip(sw, ow, strict=True)
    )


def mine_swaps(pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Spinner swaps (spun, original) with counts, from (spun text, original text) pairs.

    Two passes: the first learns swaps from blocks that split cleanly; the second
    uses them to cut merged blocks ("2 international locations in keeping with" /
    "two countries according to") at known boundaries.
    """
    blocks = [
        piece
        for spun_text, original_text in pairs
        for sub in align(spun_text, original_text, max_len=2 * MAX_WORDS)
        for piece in _split_block(sub.spun, sub.original)
    ]
    known = {
        (phrase_key(s), phrase_key(o))
        for s, o in blocks
        if keep_swap(s, o) and len(_words(s)) <= MAX_WORDS
    }
    known |= {(k, v) for k, v in _NUMBER_WORDS.items()}
    found: Counter[tuple[str, str]] = Counter()
    for s, o in blocks:
        for s2, o2 in _cut_known(_words(s), _words(o), known):
            if keep_swap(s2, o2):
                found[(" ".join(normalize(w) for w in s2.split()), _original_case(s2, o2))] += 1
    return _drop_common_one_offs(found)


def _cut_known(sw: list[str], ow: list[str], known: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split a block where a prefix or suffix pair is a known swap; else keep it whole.

    The rest of a cut block is kept only when it could be a swap of its own: spinners
    replace a word with as many words or more ("international locations" for
    "countries"), so a rest whose original is longer ("final" for "percent last", left
    over from "final 12 months" / "percent last year") is misaligned text and dropped.
    """
    whole = [(" ".join(sw), " ".join(ow))]
    if len(sw) < 2 or len(ow) < 1 or (len(sw) <= MAX_WORDS and len(sw) == 1):
        return whole
    for i in range(1, len(sw)):
        for j in range(1, len(ow)):
            head = (" ".join(sw[:i]).lower(), " ".join(ow[:j]).lower())
            tail = (" ".join(sw[i:]).lower(), " ".join(ow[j:]).lower())
            if head in known or tail in known:
                parts = ((sw[:i], ow[:j], head in known), (sw[i:], ow[j:], tail in known))
                return [
                    piece
                    for s, o, is_known in parts
                    if is_known or len(s) >= len(o)
                    for piece in _cut_known(s, o, known)
                ]
    return whole


def _drop_common_one_offs(found: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    from .ngrams import zipf

    return Counter(
        {
            k: n
            for k, n in found.items()
            if n >= 2 or " " in k[0] or k[0] in _NUMBER_WORDS or zipf(k[0]) < _COMMON_ZIPF
        }
    )


def gold_swaps(gold: dict) -> Counter[tuple[str, str]]:
    """Swaps from a gold span file (GOLD_FORMAT.md), skipping uncertain spans."""
    found: Counter[tuple[str, str]] = Counter()
    for s in gold["spans"]:
        if not s.get("uncertain") and phrase_key(s["spun"]) != phrase_key(s["original"]):
            found[
                (" ".join(s["spun"].lower().split()), _original_case(s["spun"], s["original"]))
            ] += 1
    return found


def count_clean(keys: Iterable[str], clean_texts: Iterable[str]) -> Counter[str]:
    """How often each phrase key occurs as whole words in the clean texts."""
    hays = [" " + " ".join(t.lower for t in tokenize(text)) + " " for text in clean_texts]
    return Counter({k: n for k in set(keys) if (n := sum(h.count(f" {k} ") for h in hays))})


def format_lexicon(header: str, swaps: Counter[tuple[str, str]], clean: Counter[str]) -> str:
    rows = [
        f"{s}\t{o}\t{n}\t{clean.get(phrase_key(s), 0)}"
        for (s, o), n in sorted(swaps.items(), key=lambda kv: (kv[0][0], kv[0][1].lower()))
    ]
    return header + "spun\toriginal\tn_spun\tn_clean\n" + "\n".join(rows) + "\n"


SAME_STORY = 0.1
"""Two originals are one story when this share of the shorter one's word 5-grams is in
the other: the same article (share 1) or two newspapers printing one agency report
(in ../shared: one pair at 0.20; every other pair is below 0.05)."""


def with_siblings(shared: Path, ids: Iterable[str]) -> frozenset[str]:
    """`ids` plus the ids of every passage of data/real_spun_dev.jsonl whose original is
    the same story as the original of one of them (`SAME_STORY`): leaving one out must
    leave out the others, or a held-out build mines the story's swaps from another spin
    of it (two spins of one article) and sees its sentences as clean text."""
    out = set(ids)
    if not out:
        return frozenset()
    for group in _stories(str(shared)):
        if out & group:
            out |= group
    return frozenset(out)


@cache
def _stories(shared: str) -> tuple[frozenset[str], ...]:
    """The ids of data/real_spun_dev.jsonl grouped by story (passages with an original)."""
    path = Path(shared) / "data" / "real_spun_dev.jsonl"
    if not path.is_file():
        return ()
    grams: list[tuple[set[str], set[tuple[str, ...]]]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("original"):
                w = [x.lower() for x in _words(row["original"])]
                five = {tuple(w[k : k + 5]) for k in range(len(w) - 4)} or {tuple(w)}
                grams.append(({row["id"]}, five))
    merged = True
    while merged:  # join groups until no two share a story
        merged = False
        for a in range(len(grams)):
            for b in range(a + 1, len(grams)):
                ga, gb = grams[a][1], grams[b][1]
                if len(ga & gb) >= max(SAME_STORY * min(len(ga), len(gb)), 1):
                    grams[a] = (grams[a][0] | grams[b][0], ga | gb)
                    del grams[b]
                    merged = True
                    break
            if merged:
                break
    return tuple(frozenset(ids) for ids, _ in grams)


def news_sources(
    shared: Path, exclude: Iterable[str] = ()
) -> tuple[list, list[tuple[str, str]], list[str]]:
    """(gold files, spun/original pairs, clean texts) of ../shared minus `exclude` ids
    and the passages that share an original with them (`with_siblings`)."""
    skip = set(with_siblings(shared, exclude))
    golds, pairs, clean = [], [], []
    if SEED_DOC not in skip:
        golds.append(json.loads((shared / "gold" / f"{SEED_DOC}.json").read_text("utf-8")))
    if CLEAN_SEED not in skip:
        clean.append((shared / "seeds" / f"{CLEAN_SEED}.txt").read_text("utf-8"))
    for line in (shared / "data" / "real_spun_dev.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] in skip or not row.get("original"):
            continue
        clean.append(row["original"])
        if row["family"] == "news-spinner":
            pairs.append((row["spun"], row["original"]))
    return golds, pairs, clean


def build_news_lexicon(shared: Path, exclude: Iterable[str] = ()) -> str:
    """TSV text of the news lexicon mined from ../shared without the `exclude` ids."""
    golds, pairs, clean = news_sources(shared, exclude)
    swaps = mine_swaps(pairs)
    for g in golds:
        swaps.update(gold_swaps(g))
    counts = count_clean((phrase_key(s) for s, _ in swaps), clean)
    return format_lexicon(NEWS_HEADER, swaps, counts)


# --- tortured science -----------------------------------------------------------------------

SCIENCE_HEADER = """# despin-lexicon: 1
# name: science
# family: tortured-science
# description: Tortured phrases ("counterfeit consciousness" for "artificial intelligence") with their expected wording.
# source: Problematic Paper Screener tortured-phrase list by Guillaume Cabanac, Cyril Labbé and Alexander Magazinov, cleaned by scripts/build_lexicons.py
# license: CC BY 4.0 (derived from the Problematic Paper Screener list; see lexicons/README.md)
# example: We trained an irregular woodland on the labelled samples. => We trained a random forest on the labelled samples.
# example: Recent progress in counterfeit consciousness is reviewed. => Recent progress in artificial intelligence is reviewed.
# example: The flag to commotion ratio improved after filtering. => The signal to noise ratio improved after filtering.
# example: The profound learning model was tested on new data. => The deep learning model was tested on new data.
"""
_NOTE = re.compile(r"\s*\((?:[^()]*)\)")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")  # optional context: "supervised [machine] learning"


def clean_expected(phrase: str) -> str | None:
    """An expected phrase without notes ("support vector machine (SVM)"), or None if unknown."""
    text = _BRACKETS.sub(" ", _NOTE.sub("", phrase)).replace('\\"', '"')
    text = " ".join(text.split()).strip(' .,;:"')
    if not text or any(c in text for c in '?[]"‘“”'):
        return None  # unknown, or an editor's note ("the words ‘an’ and ‘are’")
    words = text.split()
    acronym = any(any(c.isupper() for c in w[1:]) for w in words)
    proper = any(w[:1].isupper() for w in words[1:]) and any(w[:1].islower() for w in words[1:])
    return text if acronym or proper else text.lower()


def science_pairs(pps: dict, exclude: Iterable[str] = ()) -> Counter[tuple[str, str]]:
    skip = {phrase_key(t) for t in exclude}
    found: Counter[tuple[str, str]] = Counter()
    for row in pps["phrases"]:
        tortured = (
            " ".join(_NOTE.sub("", str(row.get("tortured", ""))).split()).strip(" .,;:").lower()
        )
        correct = clean_expected(str(row.get("correct", "")))
        if not tortured or correct is None or "?" in tortured or "[" in tortured:
            continue
        if "\t" in tortured + correct:
            continue
        if phrase_key(tortured) in skip or _singular(tortured) == _singular(correct):
            continue  # "smart device" / "smart devices" is no tortured phrase
        found[(tortured, correct)] += 1
    return found


# Listed tortured phrases that are ordinary wording in some field (a neuroscientist may
# well write "brain organization", an oncologist "malignant growth"): they count as
# seen clean, so they need other spin in the text to be flagged.
ORDINARY_SCIENCE = (
    "brain organization",
    "feedback processing",
    "malignant growth",
    "place of interest",
    "planning and testing",
    "traffic patterns",
)
_ORDINARY_BIGRAM = 1e4  # Web 1T count at which a two-word phrase is everyday English


def _singular(phrase: str) -> str:
    return " ".join(w.rstrip("s") for w in phrase_key(phrase).split())


def ordinary_phrases(phrases: Iterable[str], expected: Iterable[str] = ()) -> Counter[str]:
    """Phrase keys of `phrases` that are ordinary English, counted once each.

    Ordinary: a WordNet multiword term (the shipped synonym table), a two-word phrase
    common in Web 1T, one of ORDINARY_SCIENCE, or an `expected` phrase of the list
    itself ("cloud computing" is listed as tortured once, and as what others meant).
    """
    from .ngrams import bigram_count
    from .synonyms import relations_table

    terms = set(relations_table()) | {phrase_key(e) for e in expected}
    out: Counter[str] = Counter()
    for phrase in phrases:
        key = phrase_key(phrase)
        words = key.split()
        if (
            key in terms
            or key in ORDINARY_SCIENCE
            or (len(words) == 2 and bigram_count(*words) >= _ORDINARY_BIGRAM)
        ):
            out[key] = 1
    return out


def build_science_lexicon(pps_json: Path, exclude: Iterable[str] = ()) -> str:
    """TSV text of the science lexicon from the PPS list, without `exclude` phrases.

    `n_clean` is 1 for phrases that are ordinary English (see `ordinary_phrases`).
    """
    pps = json.loads(Path(pps_json).read_text("utf-8"))
    pairs = science_pairs(pps, exclude)
    ordinary = ordinary_phrases({s for s, _ in pairs}, {o for _, o in pairs})
    return format_lexicon(SCIENCE_HEADER, pairs, ordinary)
