"""The names of the reference data the dashboard's groupings are keyed by: HS chapters and
headings, countries (in the reader's language) and provinces. A page groups shipments by all of
them for every new period; reference data changes only when it is loaded again, so each process
reads the names once and again after ``SECONDS``."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db.models.functions import Length

from bumdes_export.core.text import clip
from bumdes_export.reference.models import Country, HsCode, Region

#: How long a process keeps the names it read.
SECONDS = 300.0
#: How long an HS label may be.
HS_LABEL_LENGTH = 60

_kept: dict[str, tuple[float, dict[str, str]]] = {}


def _names(kind: str, read: Callable[[], dict[str, str]]) -> dict[str, str]:
    found = _kept.get(kind)
    if found is None or time.monotonic() - found[0] > SECONDS:
        found = (time.monotonic(), read())
        _kept[kind] = found
    return found[1]


def forget() -> None:
    """Read the names again on their next use (after reference data was loaded)."""
    _kept.clear()


def _only(names: dict[str, str], codes: list[str]) -> dict[str, str]:
    return {code: names[code] for code in codes if code in names}


def hs(codes: list[str]) -> dict[str, str]:
    """``"0306 Crustaceans, whether in shell or not, live, fresh, chilled, froz…"`` for HS
    chapters and headings."""
    names = _names(
        "hs",
        lambda: {
            code: f"{code} {clip(description, HS_LABEL_LENGTH)}"
            for code, description in HsCode.objects.annotate(length=Length("code"))
            .filter(length__lte=4)
            .values_list("code", "description")
        },
    )
    return _only(names, codes)


def countries(language: str) -> Callable[[list[str]], dict[str, str]]:
    """The country names in the reader's language."""
    column = "name_id" if language.startswith("id") else "name_en"

    def labels(codes: list[str]) -> dict[str, str]:
        names = _names(
            f"countries:{column}",
            lambda: dict(Country.objects.values_list("code", column)),
        )
        return _only(names, codes)

    return labels


def provinces(codes: list[str]) -> dict[str, str]:
    names = _names(
        "provinces",
        lambda: dict(
            Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name")
        ),
    )
    return _only(names, codes)
