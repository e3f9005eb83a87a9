"""Reads of the reference data: searches used by the API, forms and later the domain apps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from bumdes_export.reference.models import (
    Country,
    DisadvantagedDesignation,
    ExportGateway,
    HsAlias,
    HsCode,
    Region,
)
from bumdes_export.reference.services import region_foreign_keys

_CODE_CHARS = re.compile(r"^[\d.\s]+$")


def normalize_hs_code(value: str) -> str:
    """``0306.33`` and ``0306 33`` become ``030633``."""
    return re.sub(r"[.\s]", "", value or "")


def normalize_region_code(value: str) -> str:
    """Kemendagri codes with or without dots: ``7402052001`` becomes ``74.02.05.2001``."""
    value = (value or "").strip()
    digits = value.replace(".", "")
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 10):
        return value
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


def regions(*, include_retired: bool = False) -> QuerySet[Region]:
    qs = Region.objects.all()
    return qs if include_retired else qs.filter(retired_at__isnull=True)


def search_regions(
    q: str = "",
    *,
    level: int | None = None,
    parent: Region | None = None,
    include_retired: bool = False,
) -> QuerySet[Region]:
    qs = regions(include_retired=include_retired).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    q = (q or "").strip()
    if q:
        if _CODE_CHARS.match(q):
            qs = qs.filter(code__startswith=normalize_region_code(q))
        else:
            for word in q.split():
                qs = qs.filter(name__icontains=word)
    return qs


def search_hs_codes(q: str = "", *, level: int | None = None) -> QuerySet[HsCode]:
    qs = HsCode.objects.all()
    if level:
        qs = qs.filter(level=level)
    q = (q or "").strip()
    if not q:
        return qs
    if _CODE_CHARS.match(q):
        return qs.filter(code__startswith=normalize_hs_code(q))
    words = q.split()
    description = Q()
    for word in words:
        description &= Q(description__icontains=word)
    alias_codes = HsAlias.objects.filter(term__icontains=q.lower()).values("hs_code_id")
    return qs.filter(description | Q(code__in=alias_codes)).distinct()


def countries(q: str = "") -> QuerySet[Country]:
    qs = Country.objects.all()
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(name_en__icontains=q)
            | Q(name_id__icontains=q)
            | Q(code__iexact=q)
            | Q(alpha3__iexact=q)
        )
    return qs


def export_gateways() -> QuerySet[ExportGateway]:
    return ExportGateway.objects.select_related("province")


@dataclass(frozen=True)
class DesignationInForce:
    """The designation of disadvantaged regencies that applies: the one whose period covers the
    year, or else the most recent one, which still applies until a newer decree is loaded
    (``ended`` then says its period is over)."""

    period_start: int
    period_end: int
    legal_basis: str
    regencies: int
    ended: bool


def designation_in_force(on: date | None = None) -> DesignationInForce | None:
    year = (on or date.today()).year
    designations = DisadvantagedDesignation.objects.all()
    current = designations.filter(period_start__lte=year, period_end__gte=year).order_by(
        "-period_start"
    )
    first = current.first() or designations.order_by("-period_start").first()
    if first is None:
        return None
    return DesignationInForce(
        period_start=first.period_start,
        period_end=first.period_end,
        legal_basis=first.legal_basis,
        regencies=designations.filter(period_start=first.period_start).count(),
        ended=first.period_end < year,
    )


def designation_periods() -> list[dict[str, Any]]:
    """Every designation loaded: its period, legal basis and how many regencies it names."""
    rows = (
        DisadvantagedDesignation.objects.values("period_start", "period_end", "legal_basis")
        .annotate(regencies=Count("pk"))
        .order_by("-period_start")
    )
    return [dict(row) for row in rows]


def disadvantaged_regency_codes(on: date | None = None) -> set[str]:
    """Regencies designated daerah tertinggal under the designation in force on ``on`` (default
    today; see ``designation_in_force``)."""
    designation = designation_in_force(on)
    if designation is None:
        return set()
    return set(
        DisadvantagedDesignation.objects.filter(period_start=designation.period_start).values_list(
            "region_id", flat=True
        )
    )


def retired_region_references() -> list[dict[str, object]]:
    """Records that still point at retired region codes, grouped by model, field and region."""
    found: list[dict[str, object]] = []
    for fk in region_foreign_keys():
        model = fk.model
        rows = (
            model._default_manager.filter(**{f"{fk.name}__retired_at__isnull": False})
            .values(fk.attname)
            .annotate(n=Count("pk"))
            .order_by(fk.attname)
        )
        for row in rows:
            found.append(
                {
                    "model": model._meta.verbose_name,
                    "model_label": model._meta.label,
                    "field": fk.name,
                    "region": Region.objects.get(pk=row[fk.attname]),
                    "count": row["n"],
                }
            )
    return found
