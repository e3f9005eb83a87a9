"""Search text: accent-free lowercase words, the same on both sides of a search."""

from __future__ import annotations

import re

from bumdes_export.core.text import fold, similarity, trigrams

__all__ = ["fold", "similarity", "trigrams", "index_words", "tsquery", "words", "words_of"]

_WORD = re.compile(r"[^\W_]+")
# Words a product's commodity form is searched by, in both languages.
FORM_WORDS = {
    "live": "live hidup",
    "fresh": "fresh chilled segar dingin",
    "frozen": "frozen beku",
    "dried": "dried kering",
    "processed": "processed olahan",
}
# Words too common to find anything by (HS descriptions are full of them); left out of the
# index and of queries alike. A query of nothing but these finds nothing.
_STOP = """a an and any are as at be by for from in into is it its no nor not of on or other
than the their to whether with dan atau yang di ke dari untuk dengan dalam ini itu tidak per"""
STOP_WORDS = frozenset(_STOP.split())
MAX_QUERY_WORDS = 8
PREFIX_MIN_LENGTH = 3


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def words_of(*parts: str | None) -> list[str]:
    """All the words of the texts, folded, in order."""
    return _WORD.findall(fold(" ".join(p for p in parts if p)))


def index_words(*parts: str | None) -> str:
    """The distinct words of the texts, folded, without stop words, space-separated."""
    return " ".join(w for w in _unique(words_of(*parts)) if w not in STOP_WORDS)


def words(text: str | None) -> list[str]:
    """The search words of a query, folded, at most ``MAX_QUERY_WORDS``, without repeats."""
    found = _unique(_WORD.findall(fold(text)))
    kept = [w for w in found if w not in STOP_WORDS] or found
    return kept[:MAX_QUERY_WORDS]


def _term(word: str) -> str:
    return f"{word}:*" if len(word) >= PREFIX_MIN_LENGTH else word


def tsquery(terms: list[list[str]]) -> str:
    """A ``to_tsquery('simple', …)`` text: every term must match, a term being one of its
    alternative words (``[["kepiting"], ["bakau", "bakar"]]``); words of three letters or more
    also match as a prefix (``crab`` finds ``crabs``). Words are letters and digits only, so
    nothing in them is tsquery syntax."""
    parts = []
    for alternatives in terms:
        inner = " | ".join(_term(w) for w in alternatives)
        parts.append(f"({inner})" if len(alternatives) > 1 else inner)
    return " & ".join(parts)
