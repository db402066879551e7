#!/usr/bin/env python3
"""Build lexicons/synonyms.tsv.gz: spun word -> the originals a spinner could have replaced.

Inverts WordNet 3.0 (Debian's wordnet-base, read with NLTK's WordNet reader) and the
OpenOffice/MyThes English thesaurus (Debian's mythes-en-us): if a thesaurus lists
"combat" among the synonyms of "fight", a spinner may have written "combat" for "fight",
so "combat" gets the candidate "fight". Run time never needs WordNet: only the table
ships. `make synonyms` installs the Debian packages and runs this script.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
MYTHES_DAT = Path("/usr/share/mythes/th_en_US_v2.dat")
# Relation codes, strongest first.
RELATIONS = {
    "S": "wordnet-synonym",
    "M": "mythes",
    "s": "wordnet-similar",
    "h": "wordnet-hyponym (the spun word is a kind of the original)",
    "H": "wordnet-hypernym",
}
_RANK = {code: i for i, code in enumerate(RELATIONS)}
MIN_ORIG_ZIPF = 3.0
MIN_SPUN_ZIPF = 1.0
MAX_CANDIDATES = 20
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()


def _wordnet(tmp: Path):
    """NLTK's WordNet reader over Debian's files (it wants an nltk_data layout)."""
    if not (WORDNET_DIR / "data.noun").exists():
        sys.exit(f"build_synonyms: {WORDNET_DIR} not found: apt-get install wordnet-base")
    root = tmp / "corpora" / "wordnet"
    shutil.copytree(WORDNET_DIR, root)
    cat = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
    (root / "lexnames").write_text(
        "".join(f"{i:02d}\t{n}\t{cat[n.split('.')[0]]}\n" for i, n in enumerate(_LEXNAMES))
    )
    (root / "index.sense").touch()  # only used for sense keys, which we do not need
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    nltk.data.path.insert(0, str(tmp))  # NLTK only reads corpora below its data path
    return WordNetCorpusReader(str(root), None)


def _clean(phrase: str) -> str:
    return " ".join(phrase.replace("_", " ").lower().split())


def build(out: Path) -> int:
    from wordfreq import zipf_frequency

    inv: dict[str, dict[str, str]] = defaultdict(dict)

    def add(spun: str, orig: str, rel: str) -> None:
        s, o = _clean(spun), _clean(orig)
        if s and o and s != o and len(s.split()) <= 3 and len(o.split()) <= 3:
            cur = inv[s].get(o, "")
            if rel not in cur:
                inv[s][o] = cur + rel

    with tempfile.TemporaryDirectory() as tmp:
        wn = _wordnet(Path(tmp))
        for syn in wn.all_synsets():
            names = syn.lemma_names()
            for a in names:
                for b in names:
                    add(a, b, "S")
            for other in syn.similar_tos():
                for a in other.lemma_names():
                    for b in names:
                        add(a, b, "s")
            for hyper in syn.hypernyms():
                for a in hyper.lemma_names():
                    for b in names:
                        add(a, b, "H")
                        add(b, a, "h")
    if not MYTHES_DAT.exists():
        sys.exit(f"build_synonyms: {MYTHES_DAT} not found: apt-get install mythes-en-us")
    lines = MYTHES_DAT.read_text(encoding="latin-1").split("\n")
    i = 1
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        head, n = lines[i].rsplit("|", 1)
        for k in range(int(n)):
            for syn_word in lines[i + 1 + k].split("|")[1:]:
                if "(antonym)" not in syn_word:  # "follower" is no spin of "leader"
                    add(re.sub(r"\s*\(.*?\)", "", syn_word), head, "M")
        i += int(n) + 1

    zcache: dict[str, float] = {}

    def z(w: str) -> float:
        if w not in zcache:
            zcache[w] = zipf_frequency(w, "en")
        return zcache[w]

    rows = []
    for spun in sorted(inv):
        if z(spun) < MIN_SPUN_ZIPF:
            continue
        cands = [(o, r) for o, r in inv[spun].items() if z(o) >= MIN_ORIG_ZIPF and "-" not in o]
        # The more common word first (spinners replace common words with rarer ones),
        # in steps of half a Zipf unit, then the closest relation.
        cands.sort(key=lambda c: (-round(2 * z(c[0])), min(_RANK[x] for x in c[1]), c[0]))
        if cands:
            rows.append(
                spun
                + "\t"
                + " ".join(f"{o.replace(' ', '_')}|{r}" for o, r in cands[:MAX_CANDIDATES])
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# despin-synonyms: 1",
        "# source: WordNet 3.0 (Princeton University, WordNet License) and the MyThes English "
        "thesaurus (Debian mythes-en-us), inverted by scripts/build_synonyms.py",
        "# relations: " + ", ".join(f"{k}={v}" for k, v in RELATIONS.items()),
        "spun\tcandidates",
    ]
    data = ("\n".join(header + rows) + "\n").encode("utf-8")
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(data)  # mtime=0: the same inputs give the same bytes
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "lexicons" / "synonyms.tsv.gz"
    )
    args = ap.parse_args()
    n = build(args.out)
    print(
        f"wrote {args.out} ({n} spun words, {args.out.stat().st_size // 1024} KiB)", file=sys.stderr
    )


if __name__ == "__main__":
    main()
