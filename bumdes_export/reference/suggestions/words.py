"""The words of a product name, read for HS suggestions.

A name in Indonesian (``kepiting bakau beku``, ``keripik pisang``, ``minyak nilam``) or English is
read word by word against the *kamus* (``data/kamus_komoditas.csv``): an Indonesian word or
compound (``rumput laut``) with the English words that HS descriptions use for it, the HS
chapters or headings it points to, and the commodity form and unit it implies. The kamus holds
words, not product names; what a name means comes from combining its words.

A word not in the kamus is tried without its affixes (``dikeringkan`` → ``kering``,
``kepitingnya`` → ``kepiting``), then as an English word of the HS descriptions
(``crabs`` → ``crab`` by the Snowball stemmer), then as a typo of either (``kepitng``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from bumdes_export.core.text import fold, similarity, trigrams

KAMUS_PATH = Path(__file__).resolve().parent.parent / "data" / "kamus_komoditas.csv"
_WORD = re.compile(r"[a-z0-9]+")
#: Longest compound of the kamus, in words.
MAX_COMPOUND = 3
#: A word this similar (trigrams) to a known one is read as a typo of it.
TYPO_SIMILARITY = 0.4
MAX_QUERY_WORDS = 10

# Words that say nothing about what a product is, in both languages.
_STOP = """a an and any are as at be by for from in into is it its no nor not of on or other than
    the their to whether with etc nec including excluding heading headings item items chapter
    subheading kind kinds used n e c spp
    dan atau yang di ke dari untuk dengan dalam ini itu tidak per khas asli super premium
    kualitas pilihan lokal desa produk produksi bumdes kemasan isi grade ukuran ekspor
    spesial special quality local"""
STOP_WORDS = frozenset(_STOP.split())

# Indonesian affixes, tried longest first. A prefix that fused with the root's first letter
# gives it back (``menyangrai`` → ``sangrai``, ``memanggang`` → ``panggang``).
_PARTICLES = ("nya", "lah", "kah", "pun")
_SUFFIXES = ("kan", "an", "i")
_PREFIXES = (
    ("meny", "s"),
    ("peny", "s"),
    ("meng", "k"),
    ("peng", "k"),
    ("mem", "p"),
    ("pem", "p"),
    ("men", "t"),
    ("pen", "t"),
    ("meng", ""),
    ("peng", ""),
    ("mem", ""),
    ("pem", ""),
    ("men", ""),
    ("pen", ""),
    ("ber", ""),
    ("ter", ""),
    ("per", ""),
    ("me", ""),
    ("pe", ""),
    ("di", ""),
    ("ke", ""),
    ("se", ""),
)

_english = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class KamusEntry:
    """An Indonesian word or compound of the kamus."""

    key: str
    english: str  # the English words, as written in the kamus
    stems: tuple[str, ...]  # the same, stemmed as HS descriptions are
    hints: tuple[str, ...]  # HS chapters or headings the word points to
    form: str  # the commodity form the word implies ("" if none)
    unit: str  # the unit of measure it implies ("" if none)
    meaning: str  # what the word means, in English words a person reads (for reasons)


@dataclass(frozen=True)
class Reading:
    """How one word (or compound) of a name was read."""

    written: str  # as written in the name, folded
    stems: tuple[str, ...]  # English stems to match HS descriptions with
    entry: KamusEntry | None = None  # the kamus entry, for Indonesian words
    typo_of: str = ""  # the known word it was read as, when it looks like a typo of one
    english: bool = False  # read as an English word

    @property
    def key(self) -> str:
        """What the word means, the same for every spelling and affix: the kamus word, or the
        English stem."""
        return self.entry.key if self.entry else " ".join(self.stems)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _english.stemWord(word)


def _hyphenated(match: re.Match) -> str:
    """``cumi-cumi`` (a plural) is ``cumi``; ``ground-nuts`` is ``groundnuts``."""
    first, second = match.group(1), match.group(2)
    return first if first == second else first + second


_HYPHENATED = re.compile(r"([a-z0-9]+)-([a-z0-9]+)")
# What an HS description says a subheading is *not* ("Coffee; roasted, not decaffeinated",
# "Ginger; neither crushed nor ground", "excluding fillets"): left out of its words.
_NEGATIONS = re.compile(
    r"\b(?:neither [^,;()]*? nor [^,;()]*|not [a-z-]+(?: or [a-z-]+)?|"
    r"other than [^,;()]*|exclud(?:ing|es?) [^;()]*|but not [a-z-]+)"
)


def words(text: str | None) -> list[str]:
    """The words of a text, folded, without stop words."""
    folded = _HYPHENATED.sub(_hyphenated, fold(text))
    return [w for w in _WORD.findall(folded) if w not in STOP_WORDS]


def english_stems(text: str | None, *, affirmed: bool = False) -> list[str]:
    """The stems of an English text (an HS description), without stop words; with
    ``affirmed``, without what the text says the thing is not."""
    if affirmed:
        text = _NEGATIONS.sub(" ", fold(text))
    return [stem(w) for w in words(text) if not w.isdigit() and len(w) > 1]


@cache
def kamus() -> dict[str, KamusEntry]:
    entries = {}
    with KAMUS_PATH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = fold(row["kata"])
            entries[key] = KamusEntry(
                key=key,
                english=row["english"].strip(),
                stems=tuple(dict.fromkeys(english_stems(row["english"]))),
                hints=tuple(row["hs"].split()),
                form=row["bentuk"].strip(),
                unit=row["satuan"].strip(),
                meaning=(row.get("arti") or "").strip() or row["english"].split()[0],
            )
    return entries


@cache
def english_kamus() -> dict[str, KamusEntry]:
    """An English word → the kamus entry it translates (``basket`` → keranjang), so that
    English names get the entries' hints too: the entry it is the first meaning of, else the
    first entry it is a meaning of."""
    entries: dict[str, KamusEntry] = {}
    singles = [e for e in kamus().values() if e.english and " " not in e.key]
    for entry in singles:
        entries.setdefault(stem(fold(entry.english.split()[0])), entry)
    for entry in singles:
        for word in entry.english.split()[1:]:
            entries.setdefault(stem(fold(word)), entry)
    return entries


def roots(word: str) -> list[str]:
    """The word and what it may be without its affixes, most likely first."""
    found = [word]
    bases = [word]
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 3:
            bases.append(word[: -len(particle)])
    for base in list(bases):
        for suffix in _SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                bases.append(base[: -len(suffix)])
    for base in bases:
        found.append(base)
        for prefix, restored in _PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= 3:
                found.append(restored + base[len(prefix) :])
    return list(dict.fromkeys(found))


def read(
    text: str | None, vocabulary: frozenset[str] | set[str] = frozenset(), *, typos: bool = True
) -> tuple[list[Reading], list[str]]:
    """The readings of a name's words, and the words that could not be read. ``vocabulary``
    holds the English stems of the HS descriptions; ``typos`` reads unknown words as typos of
    known ones."""
    entries = kamus()
    tokens = words(text)[:MAX_QUERY_WORDS]
    readings: list[Reading] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_COMPOUND, len(tokens) - i), 1, -1):
            compound = " ".join(tokens[i : i + size])
            if compound in entries:
                readings.append(Reading(compound, entries[compound].stems, entries[compound]))
                i += size
                break
        else:
            reading = _read_word(tokens[i], entries, vocabulary, typos)
            if reading is None:
                unknown.append(tokens[i])
            else:
                readings.append(reading)
            i += 1
    return readings, unknown


def _read_word(
    word: str, entries: dict[str, KamusEntry], vocabulary: frozenset[str] | set[str], typos: bool
) -> Reading | None:
    if word.isdigit():
        return None
    for root in roots(word):
        if root in entries:
            return Reading(word, entries[root].stems, entries[root])
    stemmed = stem(word)
    entry = english_kamus().get(stemmed)
    if entry is not None:
        stems = tuple(dict.fromkeys((stemmed, *entry.stems)))
        return Reading(word, stems, entry, english=True)
    if stemmed in vocabulary:
        return Reading(word, (stemmed,), english=True)
    if len(word) < 4 or not typos:
        return None
    return _typo(word, entries, vocabulary)


@lru_cache(maxsize=4)
def _trigram_index(known: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Trigram → the known words that have it, to compare a typo with those words only."""
    index: dict[str, list[str]] = {}
    for word in known:
        for gram in trigrams(word):
            index.setdefault(gram, []).append(word)
    return {gram: tuple(found) for gram, found in index.items()}


def _nearest(word: str, known: frozenset[str]) -> tuple[str, float]:
    """The known word most similar to ``word`` (trigram similarity), and how similar."""
    index = _trigram_index(known)
    shared: dict[str, int] = {}
    for gram in trigrams(word):
        for other in index.get(gram, ()):
            shared[other] = shared.get(other, 0) + 1
    best, best_score = "", 0.0
    for other, _count in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:50]:
        score = similarity(word, other)
        if score > best_score:
            best, best_score = other, score
    return best, best_score


def _typo(
    word: str, entries: dict[str, KamusEntry], vocabulary: frozenset[str] | set[str]
) -> Reading | None:
    best, score = _nearest(word, frozenset(k for k in entries if " " not in k))
    if best and score >= TYPO_SIMILARITY:
        return Reading(word, entries[best].stems, entries[best], typo_of=best)
    best, score = _nearest(word, frozenset(vocabulary))
    if best and score > TYPO_SIMILARITY:
        return Reading(word, (best,), typo_of=best, english=True)
    return None


def concepts(
    text: str | None, vocabulary: frozenset[str] | set[str] = frozenset(), *, typos: bool = True
) -> list[str]:
    """The name as the sequence of what its words mean (kamus words or English stems), the same
    for ``Kepitingnya beku`` and ``kepiting beku``; unread words are kept as they are."""
    readings, _unknown = read(text, vocabulary, typos=typos)
    meaning = {r.written: r.key for r in readings}
    keys: list[str] = []
    i = 0
    tokens = words(text)
    while i < len(tokens):
        for size in range(min(MAX_COMPOUND, len(tokens) - i), 0, -1):
            written = " ".join(tokens[i : i + size])
            if written in meaning or size == 1:
                keys.append(meaning.get(written, written))
                i += size
                break
    return keys


def stemmed_words(text: str | None) -> list[str]:
    """The words of a text as stems: an Indonesian word as its kamus root (``kepitingnya`` →
    ``kepiting``), any other as its English stem (``crabs`` → ``crab``). No typo is corrected
    and nothing is translated."""
    entries = kamus()
    found = []
    for word in words(text):
        root = next((r for r in roots(word) if r in entries), None)
        found.append(root or stem(word))
    return found
