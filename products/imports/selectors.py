"""Reads of imports: who sees which (ministry staff every import, an officer their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bumdes_export.accounts.access import scope_for
from bumdes_export.reference.models import Region
from products.access import AnyUser
from products.imports.models import ProductImport


def visible_imports(user: AnyUser) -> QuerySet[ProductImport]:
    scope = scope_for(user)
    imports = ProductImport.objects.select_related("created_by", "region", "job")
    if scope.is_ministry:
        return imports
    if scope.is_officer:
        return imports.filter(created_by_id=getattr(user, "pk", None))
    return imports.none()


def report_rows(product_import: ProductImport) -> list[dict[str, Any]]:
    """The stored report, rejected rows first (each in row order)."""
    report = product_import.report or []
    return sorted(report, key=lambda e: (e.get("action") != "reject", e.get("row", 0)))


def region_choices(user: AnyUser) -> list[tuple[str, str]]:
    """Regions an import may be limited to: any province or regency for ministry staff; the
    officer's own region and the regencies inside it for an officer."""
    scope = scope_for(user)
    regions = Region.objects.filter(level__lte=2, retired_at__isnull=True).order_by("code")
    if scope.is_officer:
        regions = regions.filter(scope.region_q("code"))
    elif not scope.is_ministry:
        return []
    return [(code, f"{code} {name}") for code, name in regions.values_list("code", "name")]


def never_imported(user: AnyUser) -> QuerySet[ProductImport]:
    """The user's imports that were checked (or failed) and never imported: the ones the
    history page can clear."""
    return visible_imports(user).filter(status__in=ProductImport.NEVER_IMPORTED)
