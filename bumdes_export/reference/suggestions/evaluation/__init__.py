"""The labelled list HS suggestions are measured by, and the check that the suggester was not
given its answers.

``names.csv``: Indonesian (and some English) names of village products, each with the HS 2022
subheadings that are right for it (several where the tariff admits more than one reading; a
four-digit code accepts any subheading of that heading). See ``README.md`` beside it for how it
was made.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bumdes_export.core.text import fold
from bumdes_export.reference.models import HsAlias, HsCode
from bumdes_export.reference.suggestions import index as hs_index
from bumdes_export.reference.suggestions import words

NAMES_PATH = Path(__file__).resolve().parent / "names.csv"


@dataclass(frozen=True)
class LabelledName:
    name: str
    accepted: tuple[str, ...]

    def accepts(self, code: str) -> bool:
        return any(code == a or (len(a) == 4 and code.startswith(a)) for a in self.accepted)


def labelled_names() -> list[LabelledName]:
    with NAMES_PATH.open(encoding="utf-8") as handle:
        return [
            LabelledName(row["nama"].strip(), tuple(row["kode"].split()))
            for row in csv.DictReader(handle)
        ]


def suggester_texts() -> Iterator[str]:
    """Every text the suggester reads: HS descriptions, commodity terms, the kamus, and the
    examples apps register (verified products' names)."""
    yield from HsCode.objects.values_list("description", flat=True)
    yield from HsAlias.objects.values_list("term", flat=True)
    for entry in words.kamus().values():
        yield entry.key
        yield entry.english
    for _name, _version, rows in hs_index._example_sources:
        for name, _code in rows():
            yield name


def _contains(sequence: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(sequence[i : i + size] == part for i in range(len(sequence) - size + 1))


def contaminated(names: Iterable[LabelledName], texts: Iterable[str]) -> list[tuple[str, str]]:
    """(name, text) for each labelled name that appears in a text the suggester reads, as its
    words or as its stemmed words (``kepitingnya beku`` is ``kepiting beku``)."""
    labelled = [(n.name, words.words(n.name), words.stemmed_words(n.name)) for n in names]
    found = []
    for text in texts:
        folded = words.words(text)
        stemmed = words.stemmed_words(text)
        for name, name_words, name_stems in labelled:
            if _contains(folded, name_words) or _contains(stemmed, name_stems):
                found.append((name, fold(text)[:80]))
    return found
