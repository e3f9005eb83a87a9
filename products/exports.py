"""The registry's lists (BUMDes, products) as CSV or XLSX downloads: exactly the rows of the
filtered list the reader sees, at most ``EXPORT_MAX_ROWS``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bumdes_export.core.spreadsheets import Table
from products.models import Bumdes, Product

#: The most rows one download holds (narrow the list with its filters for more).
EXPORT_MAX_ROWS = 20_000


def bumdes_table(rows: QuerySet[Bumdes]) -> Table:
    rows = rows.select_related("village")[:EXPORT_MAX_ROWS]
    return Table(
        _("BUMDes"),
        [
            _("Id"),
            _("Name"),
            _("Type"),
            _("Village code"),
            _("Village"),
            _("Legal status"),
            _("NIB"),
            _("Status"),
            _("Products"),
        ],
        [
            [
                b.pk,
                b.name,
                str(b.get_kind_display()),
                b.village_id,
                b.village.name,
                str(b.get_legal_status_display()),
                b.nib,
                str(b.get_status_display()),
                getattr(b, "product_count", ""),
            ]
            for b in rows
        ],
    )


def product_table(rows: QuerySet[Product]) -> Table:
    rows = rows.select_related("bumdes__village", "hs_code")[:EXPORT_MAX_ROWS]
    return Table(
        _("Products"),
        [
            _("Id"),
            _("Name (Indonesian)"),
            _("Name (English)"),
            _("BUMDes"),
            _("Village code"),
            _("HS code"),
            _("Commodity form"),
            _("Capacity per month"),
            _("Unit"),
            _("Price"),
            _("Currency"),
            _("Status"),
            _("Export readiness"),
        ],
        [
            [
                p.pk,
                p.name_id,
                p.name_en,
                p.bumdes.name,
                p.bumdes.village_id,
                p.hs_code_id,
                str(p.get_form_display()),
                p.capacity_per_month,
                str(p.get_unit_display()),
                p.price,
                p.currency,
                str(p.get_status_display()),
                p.readiness_score,
            ]
            for p in rows
        ],
    )
