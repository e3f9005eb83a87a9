"""The index HS suggestions are read from, built in memory from what the portal holds.

- Each HS 2022 subheading is a document of English stems: its own description (weight 1), its
  heading's (0.6), what its texts refer to ("of the products of chapter 8" brings chapter 8's
  description, "of heading no. 0714" that heading's; 0.5) and its chapter's (0.3).
- The commodity terms (``HsAlias``: the shipped list and those ministry staff add) and the
  examples other apps register (products ministry staff have verified, by their names) point at
  their codes by what their words mean (``words.concepts``).

The documents are rebuilt when the HS codes change (about a second), the examples when the
terms or the verified products do.
"""

from __future__ import annotations

import copy
import math
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max

from bumdes_export.reference.models import HsAlias, HsCode
from bumdes_export.reference.suggestions import words

OWN, REFERENCE, HEADING, CHAPTER = 1.0, 0.5, 0.6, 0.3
#: The stems of the states a commodity is traded in, by commodity form.
STATE_STEMS_BY_FORM = {
    "live": frozenset({"live"}),
    "fresh": frozenset({"fresh", "chill"}),
    "frozen": frozenset({"frozen"}),
    "dried": frozenset({"dri"}),
}
STATE_STEMS = frozenset().union(*STATE_STEMS_BY_FORM.values())
_CHAPTER_REF = re.compile(r"\bchapters? (\d{1,2})\b")
_HEADING_REF = re.compile(r"\bheadings? (?:no\. ?)?(\d{4})\b")


@dataclass(frozen=True)
class Example:
    """A name known to belong to an HS subheading: a commodity term or a verified product."""

    name: str
    code: str
    kind: str  # "term" or "product"
    concepts: frozenset[str]


@dataclass
class HsIndex:
    codes: list[str]
    descriptions: dict[str, str]  # every code (chapters and headings too) → description
    postings: dict[str, list[tuple[int, float]]]  # stem → (document, weight)
    idf: dict[str, float]
    own_mass: list[float]  # the idf mass of each document's own description
    vocabulary: frozenset[str]
    states: list[frozenset[str]] = field(default_factory=list)  # of STATE_STEMS, per document
    examples: list[Example] = field(default_factory=list)
    examples_by_concept: dict[str, list[int]] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)


# --- Examples other apps register ----------------------------------------------------------

ExampleRows = Callable[[], Iterable[tuple[str, str]]]
_example_sources: list[tuple[str, Callable[[], str], ExampleRows]] = []


def register_examples(name: str, version: Callable[[], str], rows: ExampleRows) -> None:
    """Let an app teach the suggester: ``rows()`` gives (product name, HS subheading) pairs
    known to be right, ``version()`` changes whenever they do. Registered once per name."""
    global _example_sources
    _example_sources = [s for s in _example_sources if s[0] != name]
    _example_sources.append((name, version, rows))


# --- Building -------------------------------------------------------------------------------


def documents_signature() -> int:
    """Changes when the HS codes do."""
    return HsCode.objects.count()


def examples_signature() -> tuple:
    """Changes when the commodity terms or any registered examples do."""
    aliases = HsAlias.objects.aggregate(n=Count("pk"), last=Max("pk"))
    versions = tuple(version() for _name, version, _rows in _example_sources)
    return (aliases["n"], aliases["last"], versions)


def _references(text: str, descriptions: dict[str, str]) -> list[str]:
    found = [descriptions.get(f"{int(c):02d}", "") for c in _CHAPTER_REF.findall(text)]
    found += [descriptions.get(c, "") for c in _HEADING_REF.findall(text)]
    return [f for f in found if f]


def build(examples: bool = True) -> HsIndex:
    rows = list(HsCode.objects.values_list("code", "level", "description"))
    descriptions = {code: description for code, _level, description in rows}
    codes = sorted(code for code, level, _d in rows if level == 6)
    documents: list[dict[str, float]] = []
    own_stems: list[set[str]] = []
    states: list[frozenset[str]] = []
    for code in codes:
        own = descriptions[code]
        heading = descriptions.get(code[:4], "")
        weights: dict[str, float] = {}
        parts = [(CHAPTER, descriptions.get(code[:2], "")), (HEADING, heading)]
        parts += [(REFERENCE, text) for text in _references(f"{own} {heading}", descriptions)]
        parts.append((OWN, own))
        for weight, text in parts:
            for stem in words.english_stems(text, affirmed=True):
                weights[stem] = max(weights.get(stem, 0.0), weight)
        documents.append(weights)
        own_stems.append(set(words.english_stems(own, affirmed=True)))
        states.append(frozenset(own_stems[-1]) & STATE_STEMS)
    frequency: dict[str, int] = defaultdict(int)
    for weights in documents:
        for stem in weights:
            frequency[stem] += 1
    n = len(documents)
    idf = {stem: math.log(1 + n / df) for stem, df in frequency.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, weights in enumerate(documents):
        for stem, weight in weights.items():
            postings[stem].append((position, weight))
    index = HsIndex(
        codes=codes,
        descriptions=descriptions,
        postings=dict(postings),
        idf=idf,
        own_mass=[sum(idf[s] for s in stems) or 1.0 for stems in own_stems],
        vocabulary=frozenset(idf),
        states=states,
        position={code: i for i, code in enumerate(codes)},
    )
    if examples:
        _add_examples(index)
    return index


def _example_rows() -> Iterable[tuple[str, str, str]]:
    for term, code in HsAlias.objects.values_list("term", "hs_code_id"):
        yield term, code, "term"
    for _name, _version, rows in _example_sources:
        for name, code in rows():
            yield name, code, "product"


def _add_examples(index: HsIndex) -> None:
    index.examples = []
    seen = set()
    by_concept: dict[str, list[int]] = defaultdict(list)
    for name, code, kind in _example_rows():
        if code not in index.position:
            continue
        concepts = frozenset(words.concepts(name, index.vocabulary))
        if not concepts or (concepts, code) in seen:
            continue
        seen.add((concepts, code))
        index.examples.append(Example(name=name, code=code, kind=kind, concepts=concepts))
        for concept in concepts:
            by_concept[concept].append(len(index.examples) - 1)
    index.examples_by_concept = dict(by_concept)


# --- The index in use -------------------------------------------------------------------------

_lock = threading.Lock()
_state: dict = {}


def check_seconds() -> float:
    """How long the index is used before what it is built from is looked at again
    (``HS_SUGGEST_CHECK_SECONDS``, 30 by default; 0: on every call)."""
    return float(getattr(settings, "HS_SUGGEST_CHECK_SECONDS", 30))


def current() -> HsIndex:
    """The index, rebuilt first where what it is built from has changed: the HS documents
    when the codes change, the examples when the terms or the verified products do. Looked at
    no more often than every ``check_seconds()``."""
    now = time.monotonic()
    index = _state.get("index")
    if index is not None and now < _state.get("next_check", 0.0):
        return index
    with _lock:
        index = _state.get("index")  # another thread may have rebuilt it meanwhile
        if index is not None and now < _state.get("next_check", 0.0):
            return index
        documents, examples = documents_signature(), examples_signature()
        if index is None or _state.get("documents") != documents:
            index = build(examples=False)
            _state.update(index=index, documents=documents, examples=None)
        if _state.get("examples") != examples:
            fresh = copy.copy(index)
            _add_examples(fresh)
            index = fresh
            _state.update(index=index, examples=examples)
        _state["next_check"] = now + check_seconds()
        return index


def forget(*, examples_only: bool = False) -> None:
    """Build anew on next use: everything, or only the examples (tests, whose rolled-back
    rows may come back with the same ids; a benchmark that changes the data)."""
    if examples_only:
        _state["examples"] = None
        _state["next_check"] = 0.0
    else:
        _state.clear()
