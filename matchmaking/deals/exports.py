"""The deal and shipment lists as CSV and XLSX files.

Each export is a ``Table`` (title, header row, data rows) of exactly the rows the page lists
with its filters (the same selectors, so the same access rules); ``bumdes_export.core.spreadsheets``
writes it and quotes every cell that starts like a formula (``safe_cell``). Headers are
translated in the reader's language; dates are local dates.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.core.i18n import active_language
from bumdes_export.core.spreadsheets import FORMATS, Table, download
from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import search_regions
from matchmaking.deals.models import Deal, Shipment

__all__ = ["FORMATS", "deals_table", "response", "shipments_table"]


def _province_names() -> dict[str, str]:
    return dict(search_regions(level=Region.Level.PROVINCE).values_list("code", "name"))


def _province(provinces: dict[str, str], village_code: str) -> str:
    return provinces.get(village_code[:2], "")


def deals_table(deals: Iterable[Deal]) -> Table:
    """One row per deal; ``deals`` carry the shipment totals (``selectors.with_shipment_totals``)."""
    provinces = _province_names()
    rows = []
    for deal in deals:
        product = deal.product
        rows.append(
            [
                deal.pk,
                product.name_id,
                product.hs_code_id,
                product.bumdes.name,
                _province(provinces, product.bumdes.village_id),
                deal.organisation.legal_name,
                deal.organisation.country_id or "",
                str(deal.get_channel_display()),
                str(deal.get_stage_display()),
                timezone.localdate(deal.opened_at),
                timezone.localdate(deal.updated_at),
                getattr(deal, "shipment_count", 0),
                getattr(deal, "shipped_value_usd", None),
                str(deal.get_lost_reason_display()) if deal.lost_reason else "",
                deal.lost_note,
            ]
        )
    return Table(
        _("Deals"),
        [
            _("Deal"),
            _("Product"),
            _("HS code"),
            _("BUMDes"),
            _("Province"),
            _("Organisation"),
            _("Country"),
            _("Started from"),
            _("Stage"),
            _("Opened on"),
            _("Last change"),
            _("Shipments"),
            _("Value shipped (USD)"),
            _("Why it was lost"),
            _("What happened"),
        ],
        rows,
    )


def shipments_table(shipments: Iterable[Shipment]) -> Table:
    provinces = _province_names()
    language = active_language()
    rows = []
    for shipment in shipments:
        deal = shipment.deal
        rows.append(
            [
                shipment.shipped_on,
                deal.pk,
                deal.product.name_id,
                deal.product.bumdes.name,
                _province(provinces, deal.product.bumdes.village_id),
                deal.organisation.legal_name,
                shipment.hs_code_id,
                shipment.quantity,
                str(shipment.get_unit_display()),
                shipment.volume,
                str(shipment.get_volume_unit_display()),
                shipment.value_usd,
                shipment.idr_per_usd,
                shipment.value_idr,
                shipment.destination.localized_name(language),
                shipment.gateway.name if shipment.gateway else "",
                shipment.peb_number,
                shipment.coo_number,
            ]
        )
    return Table(
        _("Shipments"),
        [
            _("Shipment date"),
            _("Deal"),
            _("Product"),
            _("BUMDes"),
            _("Province"),
            _("Organisation"),
            _("HS subheading"),
            _("Quantity"),
            _("Unit"),
            _("Weight or volume"),
            _("kg or litres"),
            _("Value (USD)"),
            _("Exchange rate (IDR per USD)"),
            _("Value (IDR)"),
            _("Destination"),
            _("Export gateway"),
            _("PEB number"),
            _("Certificate of origin number"),
        ],
        rows,
    )


def response(table: Table, name: str, fmt: str) -> HttpResponse:
    """The table as a download named after the list and today's date."""
    return download(table, f"{name}-{timezone.localdate():%Y-%m-%d}", fmt)
