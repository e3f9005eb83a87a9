"""Reads of the reference data: searches used by the API, forms and later the domain apps."""

from __future__ import annotations

import re
from datetime import date

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


def disadvantaged_regency_codes(on: date | None = None) -> set[str]:
    """Regencies designated daerah tertinggal in the period that covers ``on`` (default today).

    After the last designated period ends the most recent designation still applies until a new
    decree is loaded.
    """
    year = (on or date.today()).year
    designations = DisadvantagedDesignation.objects.all()
    current = designations.filter(period_start__lte=year, period_end__gte=year)
    if not current.exists():
        latest = designations.order_by("-period_start").values_list("period_start", flat=True)
        if not latest:
            return set()
        current = designations.filter(period_start=latest[0])
    return set(current.values_list("region_id", flat=True))


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
