"""Lexicon parsing, validation, inflection expansion and matching."""

from __future__ import annotations

import pytest

from despin.lexicon import LexiconError, load_lexicon, parse_lexicon, phrase_key, shipped_lexicons
from despin.matcher import Matcher
from despin.tokens import tokenize

HEADER = "# despin-lexicon: 1\n# name: t\n# family: news-spinner\n"


def lex(rows: str, header: str = HEADER) -> str:
    return header + "spun\toriginal\tn_spun\tn_clean\n" + rows


def hits(lexicon_text: str, text: str) -> list[tuple[str, str]]:
    m = Matcher([parse_lexicon(lexicon_text)])
    toks = tokenize(text)
    return [
        (text[toks[h.i].start : toks[h.j - 1].end], h.entries[0].original) for h in m.find(toks)
    ]


def test_parse_reads_metadata_examples_and_rows() -> None:
    text = (
        HEADER
        + "# description: demo\n# example: The chief spoke. => The leader spoke.\n"
        + "spun\toriginal\tn_spun\tn_clean\nchief\tleader\t3\t1\n"
    )
    lx = parse_lexicon(text, "demo.tsv")
    assert (lx.name, lx.family, lx.meta["description"]) == ("t", "news-spinner", "demo")
    assert lx.examples == (("The chief spoke.", "The leader spoke."),)
    (e,) = lx.entries
    assert (e.key, e.original, e.n_spun, e.n_clean) == ("chief", "leader", 3, 1)
    assert e.rule_id == "t:chief>leader"


def test_two_column_files_default_counts() -> None:
    lx = parse_lexicon(HEADER + "spun\toriginal\nchief\tleader\n")
    assert (lx.entries[0].n_spun, lx.entries[0].n_clean) == (1, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\n", "not a despin lexicon"),
        ("# despin-lexicon: 2\n", "version '2' is not supported"),
        ("# despin-lexicon: 1\n# family: x\nspun\toriginal\n", "lacks '# name"),
        (lex("chief\tleader\tthree\t0\n"), "f.tsv:5: n_spun must be an integer"),
        (lex("chief\tleader\t3\n"), "f.tsv:5: expected 4 tab-separated columns"),
        (lex("chief\tChief\t1\t0\n"), "f.tsv:5: spun and original are the same"),
        (lex("\tleader\t1\t0\n"), "f.tsv:5: empty spun or original"),
        (lex("chief\tleader\t-1\t0\n"), "must be >= 0"),
        (HEADER + "a\tb\tc\n", "column row must be"),
        (lex("chief\tleader\t1\t0\n") + "# example: no arrow here\n", "example must be"),
    ],
)
def test_bad_files_are_refused_with_place(text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace("'", ".")):
        parse_lexicon(text, "f.tsv")


def test_load_lexicon_reports_missing_file(tmp_path) -> None:
    with pytest.raises(LexiconError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "nope.tsv")


def test_load_lexicon_reports_non_utf8(tmp_path) -> None:
    p = tmp_path / "bad.tsv"
    p.write_bytes(HEADER.encode() + b"spun\toriginal\n\xff\xfe\tx\n")
    with pytest.raises(LexiconError, match="not UTF-8"):
        load_lexicon(p)


def test_match_is_case_insensitive_whole_word_and_spans_line_breaks() -> None:
    lx = lex("international locations\tcountries\t3\t0\nchief\tleader\t1\t0\n")
    text = "Two International\nlocations met; mischief and chiefly not; the chief’s go."
    assert hits(lx, text) == [
        ("International\nlocations", "countries"),
        ("chief", "leader"),
    ]


def test_inflections_are_expanded_in_both_columns() -> None:
    lx = lex("international locations\tcountries\t3\t0\nmentioned\tsaid\t2\t0\n")
    found = hits(lx, "an international location mentions; they are mentioning it")
    # "mentions" is also a noun, a reading the swap was never seen for: not expanded.
    assert found == [("international location", "country"), ("mentioning", "saying")]


def test_listed_rows_win_over_generated_inflections() -> None:
    lx = lex("began\tstarted\t1\t0\nbegins\tcommences\t1\t0\n")
    assert hits(lx, "it begins") == [("begins", "commences")]


def test_abbreviation_with_period_matches_token_sequence() -> None:
    lx = lex("sq.\tsquare\t1\t0\n")
    assert hits(lx, "Kim Il Sung Sq., with") == [("Sq.", "square")]
    assert phrase_key("Sq.") == "sq ."


def test_shipped_lexicons_load_and_name_their_families() -> None:
    lexicons = shipped_lexicons()
    families = {lx.family for lx in lexicons}
    assert {"news-spinner", "tortured-science"} <= families
    for lx in lexicons:
        assert lx.entries, lx.name
        assert lx.examples, f"{lx.name} has no example sentences"


def test_modals_are_not_inflected() -> None:
    # "will"->"can" seen once says nothing of "would"->"could": modals have no paradigm.
    lx = lex("will\tcan\t1\t0\n")
    assert hits(lx, "it will; it would") == [("will", "can")]


def test_swap_seen_in_an_ambiguous_reading_is_not_expanded() -> None:
    # "gathering"->"meeting" reads as two nouns or two verbs: "gathered"->"met" would guess.
    assert hits(lex("gathering\tmeeting\t1\t0\n"), "they gathered at the gatherings") == []
    # An unambiguous verb swap still expands ("combating" is only a verb form).
    found = hits(lex("combating\tfighting\t1\t0\n"), "they combated it")
    assert found == [("combated", "fought")]
