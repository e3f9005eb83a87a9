"""The organiser's views of a forum as CSV and XLSX files: participants, the request and meeting
matrix, the table plan per slot and the statistics.

Each export is a title, a header row and data rows (``table(forum, what)``); ``response`` writes
them in the chosen format. Headers are translated in the reader's language; times are in the
forum's time zone. Cells that start like a formula are quoted, so a spreadsheet never runs them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from bumdes_export.core.spreadsheets import Table, download, to_csv, to_xlsx
from matchmaking.forums import reports
from matchmaking.forums import selectors as selectors
from matchmaking.forums.models import Forum, ForumParticipant


def _local(forum: Forum, moment) -> str:
    return moment.astimezone(forum.tzinfo).strftime("%Y-%m-%d %H:%M")


def _slot_label(forum: Forum, slot) -> str:
    return f"{_local(forum, slot.starts_at)}–{slot.ends_at.astimezone(forum.tzinfo):%H:%M}"


def participants_table(forum: Forum) -> Table:
    rows = []
    participants = forum.participants.select_related(
        "bumdes__village", "organisation__country", "officer", "region"
    ).prefetch_related("products", "attendees", "availability")
    for p in participants.order_by("kind", "id"):
        place = (
            p.bumdes.village_id
            if p.bumdes_id
            else (p.region_id or (p.organisation.country_id if p.organisation_id else ""))
        )
        rows.append(
            [
                p.pk,
                p.display_name,
                str(p.get_kind_display()),
                str(p.get_status_display()),
                place,
                "; ".join(f"{x.name_id} ({x.hs_code_id})" for x in p.products.all()),
                "; ".join(a.name for a in p.attendees.all()),
                len(p.availability.all()),
                p.time_zone or forum.time_zone,
            ]
        )
    return Table(
        _("Participants"),
        [
            _("Id"),
            _("Participant"),
            _("Kind"),
            _("Status"),
            _("Region or country"),
            _("Products"),
            _("Attendees"),
            _("Available slots"),
            _("Time zone"),
        ],
        rows,
    )


def matrix_table(forum: Forum) -> Table:
    grid = reports.request_matrix(forum)
    rows = []
    for row in grid.rows:
        line: list = [row.display_name]
        for column in grid.columns:
            cell = grid.cells.get((row.pk, column.pk))
            if not cell:
                line.append("")
                continue
            text = str(cell["label"])
            meeting = cell["meeting"]
            if meeting is not None:
                text = f"{meeting.get_status_display()}: {_slot_label(forum, meeting.slot)}, {meeting.table.name}"
            arrow = "→" if cell["from_row"] else "←"
            line.append(f"{arrow} {text}")
        rows.append(line)
    return Table(
        _("Requests and meetings"),
        [_("Exporter or buyer"), *[c.display_name for c in grid.columns]],
        rows,
    )


def plan_table(forum: Forum) -> Table:
    plan = reports.table_plan(forum)
    rows = []
    for slot in plan.slots:
        line: list = [_slot_label(forum, slot)]
        for table in plan.tables:
            meeting = plan.cells.get((slot.pk, table.pk))
            line.append(
                f"{meeting.party_a.display_name} × {meeting.party_b.display_name}"
                if meeting
                else ""
            )
        rows.append(line)
    return Table(
        _("Table plan"),
        [f"{_('Slot')} ({forum.zone_abbreviation})", *[t.name for t in plan.tables]],
        rows,
    )


def statistics_table(forum: Forum) -> Table:
    stats = reports.forum_statistics(forum)
    rows = [
        [_("Approved participants"), stats["participants_approved"], ""],
        [_("Requests sent"), stats["requests_sent"], ""],
        [_("Requests accepted"), stats["requests_accepted"], ""],
        [_("Requests declined"), stats["requests_declined"], ""],
        [_("Requests waiting"), stats["requests_pending"], ""],
        [_("Meetings scheduled"), stats["meetings_scheduled"], ""],
        [_("Meetings held"), stats["meetings_held"], ""],
        [_("No-shows"), stats["no_shows"], ""],
        [_("Accepted requests not placed"), stats["unplaced"], ""],
    ]
    rows.append([_("Deals opened at the meetings"), stats["deals_opened"], ""])
    for stage in stats["deals"]:
        rows.append([_("Deals now at: %(stage)s") % {"stage": stage["label"]}, stage["count"], ""])
    shipments = stats["shipments"]
    rows.append([_("Shipments"), shipments["count"], float(shipments["value_usd"])])
    rows.append([_("Volume shipped (kg)"), float(shipments["volume_kg"]), ""])
    if shipments["volume_l"]:
        rows.append([_("Volume shipped (litres)"), float(shipments["volume_l"]), ""])
    return Table(_("Statistics"), [_("Measure"), _("Count"), _("Value (USD)")], rows)


EXPORTS: dict[str, Callable[[Forum], Table]] = {
    "participants": participants_table,
    "matrix": matrix_table,
    "table-plan": plan_table,
    "statistics": statistics_table,
}


def response(forum: Forum, what: str, fmt: str) -> HttpResponse:
    return download(EXPORTS[what](forum), f"forum-{forum.pk}-{what}", fmt)


__all__ = ["EXPORTS", "Table", "response", "to_csv", "to_xlsx", "ForumParticipant"]
