"""Text shared by every search of the portal: folding to accent-free lowercase, and trigram
similarity as PostgreSQL's pg_trgm computes it (so a typo is corrected alike on every database).
"""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """``"Kepíting BAKAU"`` → ``"kepiting bakau"``: no accents, lowercase, spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def trigrams(word: str) -> set[str]:
    """The trigrams of a word as PostgreSQL's pg_trgm makes them (padded with two spaces before
    and one after), so that both databases correct a typo alike."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


#: What ends a clipped text.
ELLIPSIS = "…"


def clip(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters with an ellipsis when longer (Django's
    ``Truncator(text).chars(length)`` for plain text, without its cost: labels of whole
    groupings are clipped per page)."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else text[: length - len(ELLIPSIS)] + ELLIPSIS


#: The longest search the portal reads (the search boxes and every ``q`` of the API): longer
#: is refused with a reason rather than read.
SEARCH_LENGTH = 200
