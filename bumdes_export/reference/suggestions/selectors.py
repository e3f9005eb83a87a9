"""HS subheading, commodity form and unit suggested from a product's name and description.

How a subheading is scored (each part between 0 and 1):

- **text** (weight ``TEXT``): the English meanings of the name's words matched against the
  subheading's document (``index``), each word counted once by its best stem and weighted by how
  rare that stem is (idf), scaled by how much of the subheading's own description the words
  cover (a short "Fish; live" beats "Fish; live, trout (Salmo trutta ...)" for "ikan hidup");
  divided by the best candidate's.
- **hints** (weight ``HINTS``): the share of the name's words whose kamus entry points to the
  subheading's heading or chapter (``tepung`` → flours of 1101-1106, ``pisang`` → 0803, 1106,
  2008: ``tepung pisang`` → 1106.30).
- **examples** (weight ``EXAMPLES``): the closest commodity term or verified product naming the
  subheading (shared meanings over all meanings of both names, squared), and ``EXACT_EXAMPLE``
  more when both mean the same.

The description, when given, adds its words at half weight. Confidence is the share of the top
candidates' scores (a softmax, temperature ``TEMPERATURE``) times the share of the name's words
that could be read.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from bumdes_export.reference.suggestions import index as hs_index
from bumdes_export.reference.suggestions import words
from bumdes_export.reference.suggestions.words import Reading

TEXT, HINTS, EXAMPLES = 0.55, 0.65, 0.4
#: A commodity term or verified product whose words mean exactly what the name's do.
EXACT_EXAMPLE = 1.0
#: An example is named in the reason when it shares this much of the meanings of both names.
EXAMPLE_SIMILARITY = 0.5
#: The head of a name (its first word in Indonesian, its last in English) counts this much more.
HEAD = 1.5
HEAD_HINT = 1.5
#: A subheading whose own description names states (live, fresh, frozen, dried), none of them
#: the one the name states, keeps this share of its score.
OTHER_STATE = 0.6
DESCRIPTION_WEIGHT = 0.5
TEMPERATURE = 0.08
CANDIDATES = 10
FORMS = ("live", "fresh", "frozen", "dried", "processed")


@dataclass(frozen=True)
class HsSuggestion:
    code: str
    description: str
    confidence: float
    reason: str

    @property
    def dotted(self) -> str:
        return f"{self.code[:4]}.{self.code[4:]}"


@dataclass(frozen=True)
class Suggestions:
    """What the portal suggests for a product name: HS subheadings best first, the form and
    the unit (empty when nothing could be read), and the words it could not read."""

    hs: list[HsSuggestion]
    form: str
    unit: str
    unread: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    text: float = 0.0
    own: float = 0.0
    hints: float = 0.0
    example: float = 0.0
    example_name: str = ""
    example_kind: str = ""
    named: bool = False  # a word's kamus entry names the subheading itself
    matched: dict[str, bool] = field(default_factory=dict)  # word → in its own description?


_CODE = re.compile(r"^\s*\d[\d.\s]*$")


def _typed_code(idx: hs_index.HsIndex, typed: str, limit: int) -> Suggestions:
    """A code typed instead of a name (``0306.14``, ``0306``): the subheadings it names."""
    prefix = re.sub(r"[.\s]", "", typed)
    found = [code for code in idx.codes if code.startswith(prefix)][:limit] if prefix else []
    share = round(1 / len(found), 2) if found else 0.0
    reason = _("the code as typed")
    return Suggestions(
        hs=[HsSuggestion(c, idx.descriptions[c], share, reason) for c in found],
        form="",
        unit="",
    )


def suggest(name: str, description: str = "", *, limit: int = 3) -> Suggestions:
    idx = hs_index.current()
    if _CODE.match(name or ""):
        return _typed_code(idx, name, limit)
    readings, unread = words.read(name, idx.vocabulary)
    if not readings:
        return Suggestions(hs=[], form="", unit="", unread=unread)
    extra, _unread = words.read(description, idx.vocabulary) if description else ([], [])
    candidates: dict[int, _Candidate] = defaultdict(_Candidate)
    head = _head(readings)
    _score_text(idx, readings, 1.0, candidates, head=head)
    _score_text(idx, extra, DESCRIPTION_WEIGHT, candidates)
    _score_examples(idx, {r.key for r in readings} | set(unread), candidates)
    _score_hints(idx, readings, candidates, head=head, extra=extra)
    stated = frozenset().union(
        *(hs_index.STATE_STEMS_BY_FORM.get(r.entry.form, ()) for r in readings if r.entry)
    )
    ranked = _ranked(idx, candidates, stated)[:CANDIDATES]
    read_share = len(readings) / (len(readings) + len(unread))
    top = ranked[0][1] if ranked else 0.0
    weights = [math.exp((score - top) / TEMPERATURE) for _p, score in ranked]
    total = sum(weights) or 1.0
    hs = []
    for (position, _score), weight in list(zip(ranked, weights, strict=True))[:limit]:
        code = idx.codes[position]
        hs.append(
            HsSuggestion(
                code=code,
                description=idx.descriptions[code],
                confidence=round(weight / total * read_share, 2),
                reason=_reason(idx, readings, candidates[position], position),
            )
        )
    best = hs[0].code if hs else ""
    return Suggestions(
        hs=hs, form=suggest_form(readings, best), unit=suggest_unit(readings, best), unread=unread
    )


def _head(readings: list[Reading]) -> Reading:
    """What the name is: its first word that names a commodity or product (Indonesian puts the
    head first: *keripik* pisang, *minyak* cengkeh), or its last in an English name."""
    naming = [r for r in readings if r.entry is None or r.entry.hints] or readings
    return naming[-1] if all(r.english for r in readings) else naming[0]


def _score_text(
    idx: hs_index.HsIndex,
    readings: list[Reading],
    weight: float,
    candidates: dict[int, _Candidate],
    head: Reading | None = None,
) -> None:
    for reading in readings:
        factor = weight * (0.8 if reading.typo_of else 1.0) * (HEAD if reading is head else 1.0)
        best: dict[int, tuple[float, float, str]] = {}
        for stem in reading.stems:
            idf = idx.idf.get(stem, 0.0)
            for position, doc_weight in idx.postings.get(stem, ()):
                value = idf * doc_weight
                if value > best.get(position, (0.0, 0.0, ""))[0]:
                    own = idf if doc_weight == hs_index.OWN else 0.0
                    best[position] = (value, own, stem)
        for position, (value, own, _stem) in best.items():
            candidate = candidates[position]
            candidate.text += value * factor
            candidate.own += own * factor
            candidate.matched[reading.written] = candidate.matched.get(reading.written) or own > 0


def _score_hints(
    idx: hs_index.HsIndex,
    readings: list[Reading],
    candidates: dict[int, _Candidate],
    head: Reading | None = None,
    extra: list[Reading] | None = None,
) -> None:
    weight = {id(r): HEAD_HINT if r is head else 1.0 for r in readings}
    weight.update({id(r): DESCRIPTION_WEIGHT for r in extra or ()})
    hinting = [r for r in [*readings, *(extra or ())] if r.entry and r.entry.hints]
    if not hinting:
        return
    for reading in hinting:
        assert reading.entry is not None
        for hint in reading.entry.hints:
            if len(hint) == 6 and hint in idx.position:
                candidates[idx.position[hint]].named = True
    total = sum(weight[id(r)] for r in hinting)
    for position, candidate in candidates.items():
        code = idx.codes[position]
        points = 0.0
        for reading in hinting:
            assert reading.entry is not None
            lengths = [len(h) for h in reading.entry.hints if code.startswith(h)]
            if lengths:
                points += weight[id(reading)] * (1.0 if max(lengths) >= 4 else 0.6)
        candidate.hints = points / total


def _score_examples(
    idx: hs_index.HsIndex, query: set[str], candidates: dict[int, _Candidate]
) -> None:
    seen: set[int] = set()
    for concept in query:
        for number in idx.examples_by_concept.get(concept, ()):
            if number in seen:
                continue
            seen.add(number)
            example = idx.examples[number]
            similarity = len(query & example.concepts) / len(query | example.concepts)
            similarity *= similarity  # a partial likeness counts for little
            candidate = candidates[idx.position[example.code]]
            if similarity > candidate.example:
                candidate.example = similarity
                candidate.example_name = example.name
                candidate.example_kind = example.kind


def _ranked(
    idx: hs_index.HsIndex, candidates: dict[int, _Candidate], stated: frozenset[str]
) -> list[tuple[int, float]]:
    def text_value(position: int, candidate: _Candidate) -> float:
        coverage = min(1.0, candidate.own / idx.own_mass[position])
        return candidate.text * (0.7 + 0.3 * coverage)

    texts = {p: text_value(p, c) for p, c in candidates.items()}
    best_text = max(texts.values(), default=0.0) or 1.0
    scored = []
    for position, candidate in candidates.items():
        if not texts[position] and not candidate.example and not candidate.named:
            continue
        score = (
            TEXT * texts[position] / best_text
            + HINTS * candidate.hints
            + EXAMPLES * candidate.example
            + (EXACT_EXAMPLE if candidate.example == 1.0 else 0.0)
        )
        states = idx.states[position]
        if stated and states and not stated & states:
            score *= OTHER_STATE
        scored.append((position, score))
    # Of equal scores, the last subheading of a heading first: the residual "other" one.
    scored.sort(key=lambda item: (-round(item[1], 9), -int(idx.codes[item[0]])))
    return scored


def _word(reading: Reading) -> str:
    meaning = reading.entry.meaning if reading.entry else reading.written
    if reading.typo_of:
        return _("“%(written)s” read as “%(word)s” (%(meaning)s)") % {
            "written": reading.written,
            "word": reading.typo_of,
            "meaning": meaning,
        }
    if reading.entry and not reading.english:
        return _("“%(word)s” means %(meaning)s") % {"word": reading.written, "meaning": meaning}
    return _("“%(word)s”") % {"word": reading.written}


def _reason(
    idx: hs_index.HsIndex, readings: list[Reading], candidate: _Candidate, position: int
) -> str:
    """Which words matched the subheading's description, which only its heading's or
    chapter's, and the commodity term or verified product it resembles."""
    own = [_word(r) for r in readings if candidate.matched.get(r.written) is True]
    wider = [_word(r) for r in readings if candidate.matched.get(r.written) is False]
    code = idx.codes[position]
    pointing = []
    for reading in readings:
        if reading.written in candidate.matched or reading.entry is None:
            continue
        found = [h for h in reading.entry.hints if code.startswith(h)]
        if found:
            pointing.append(
                _("“%(word)s” (%(meaning)s) points to %(code)s")
                % {
                    "word": reading.written,
                    "meaning": reading.entry.meaning,
                    "code": max(found, key=len),
                }
            )
    parts = []
    if own:
        parts.append(_("%(words)s, in its description") % {"words": "; ".join(own)})
    if wider:
        parts.append(_("%(words)s, in its heading") % {"words": "; ".join(wider)})
    parts.extend(pointing)
    if candidate.example_name and candidate.example >= EXAMPLE_SIMILARITY**2:
        if candidate.example_kind == "product":
            example = _("like the verified product “%(name)s”")
        else:
            example = _("like the commodity term “%(name)s”")
        parts.append(example % {"name": candidate.example_name})
    if not parts and candidate.named:
        parts.append(_("the usual subheading for these words"))
    return "; ".join(parts)


# --- Form and unit ----------------------------------------------------------------------------


def form_and_unit(name: str, code: str) -> tuple[str, str]:
    """The form and unit for a product whose HS subheading is known (an import row with its
    code but no form or unit): the name's words first, else what the code usually takes."""
    readings, _unread = words.read(name, hs_index.current().vocabulary)
    form = suggest_form(readings, code)
    if code[:2] >= "15" and form in ("live", "fresh", "dried"):
        form = "processed"  # chapters 15 on are made goods, whatever the raw material's form
    return form, suggest_unit(readings, code)


_FORM_PRIORITY = ("live", "frozen", "processed", "dried", "fresh")
_FORM_BY_CHAPTER = {
    "01": "live",
    "06": "live",
    "02": "fresh",
    "03": "fresh",
    "04": "fresh",
    "07": "fresh",
    "08": "fresh",
    "09": "dried",
    "10": "dried",
    "12": "dried",
    "13": "processed",
    "14": "dried",
    "40": "dried",
}
_LIQUID_HEADINGS = ("15", "2009", "2201", "2202", "2206", "2209", "3301", "0401")
_PIECE_CHAPTERS = ("42", "44", "46", "57", "62", "63", "69", "71", "94", "0602", "0603")


def suggest_form(readings: list[Reading], code: str) -> str:
    """The form the words say (``hidup`` live, ``beku`` frozen, ``tepung`` processed ...), else
    the one usual for the subheading's chapter."""
    stated = {r.entry.form for r in readings if r.entry and r.entry.form}
    for form in _FORM_PRIORITY:
        if form in stated:
            return form
    if not code:
        return ""
    return _FORM_BY_CHAPTER.get(code[:2], "processed" if code[:2] >= "15" else "fresh")


def suggest_unit(readings: list[Reading], code: str) -> str:
    """The unit the subheading is sold by: litres for oils and drinks, pieces for crafts and
    furniture, else kilograms; a word that says otherwise (``telur``: pieces) first."""
    if code.startswith(_LIQUID_HEADINGS):
        return "l"
    if code.startswith(_PIECE_CHAPTERS):
        return "piece"
    for reading in readings:
        if reading.entry and reading.entry.unit:
            return reading.entry.unit
    return "kg" if code else ""
