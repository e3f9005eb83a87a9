"""The catalogue's search results as a CSV or XLSX download: the export-ready products of the
current search and filters, as the list shows them, at most ``EXPORT_MAX_ROWS``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bumdes_export.core.spreadsheets import Table
from products.catalogue import presenters, selectors
from products.catalogue.selectors import CatalogueQuery

EXPORT_MAX_ROWS = 10_000


def catalogue_table(query: CatalogueQuery, reading: presenters.Reading) -> Table:
    results = selectors.search(query, page=1, page_size=EXPORT_MAX_ROWS)
    rows = []
    for entry in results.entries:
        item = presenters.entry_data(entry, reading)
        rows.append(
            [
                item["id"],
                item["name_id"],
                item["name_en"],
                item["bumdes"]["name"],
                item["village"]["name"],
                item["regency"]["name"],
                item["province"]["name"],
                item["hs_code"],
                item["form_label"],
                item["capacity_per_month"],
                item["unit_label"],
                " ".join(str(m) for m in item["available_months"]),
                "; ".join(c["name"] for c in item["certificates"]),
                item["readiness_score"],
            ]
        )
    return Table(
        _("Catalogue"),
        [
            _("Id"),
            _("Name (Indonesian)"),
            _("Name (English)"),
            _("BUMDes"),
            _("Village"),
            _("Regency/city"),
            _("Province"),
            _("HS code"),
            _("Commodity form"),
            _("Capacity per month"),
            _("Unit"),
            _("Available months"),
            _("Certificates"),
            _("Export readiness"),
        ],
        rows,
    )
