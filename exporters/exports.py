"""The directory as a CSV or XLSX download: the organisations of the filtered list the reader
sees, with what the list shows (no contact details), at most ``EXPORT_MAX_ROWS``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bumdes_export.core.spreadsheets import Table
from exporters.models import Organisation, Service

EXPORT_MAX_ROWS = 20_000


def directory_table(rows: QuerySet[Organisation], language: str, with_status: bool) -> Table:
    rows = rows.prefetch_related("hs_interests", "destination_markets")[:EXPORT_MAX_ROWS]
    services = dict(Service.choices)
    header = [
        _("Id"),
        _("Legal name"),
        _("Kind"),
        _("Country"),
        _("HS interests"),
        _("Destination markets"),
        _("Services"),
    ]
    if with_status:
        header.append(_("Status"))
    table = Table(_("Directory"), header, [])
    for o in rows:
        row: list[object] = [
            o.pk,
            o.legal_name,
            str(o.get_kind_display()),
            o.country.localized_name(language),
            " ".join(sorted(h.code for h in o.hs_interests.all())),
            " ".join(sorted(c.code for c in o.destination_markets.all())),
            "; ".join(str(services.get(s, s)) for s in o.services),
        ]
        if with_status:
            row.append(str(o.get_status_display()))
        table.rows.append(row)
    return table
