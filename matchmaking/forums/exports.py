"""The organiser's views of a forum as CSV and XLSX files: participants, the request and meeting
matrix, the table plan per slot and the statistics.

Each export is a title, a header row and data rows (``table(forum, what)``); ``response`` writes
them in the chosen format. Headers are translated in the reader's language; times are in the
forum's time zone. Cells that start like a formula are quoted, so a spreadsheet never runs them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _

from matchmaking.forums import selectors as selectors
from matchmaking.forums.models import Forum, ForumParticipant


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]


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
    grid = selectors.request_matrix(forum)
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
    plan = selectors.table_plan(forum)
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
    stats = selectors.forum_statistics(forum)
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
    for stage in stats["outcomes"]:
        rows.append(
            [
                _("Outcome: %(stage)s") % {"stage": stage["label"]},
                stage["count"],
                float(stage["value_usd"]),
            ]
        )
    return Table(_("Statistics"), [_("Measure"), _("Count"), _("Value (USD)")], rows)


EXPORTS: dict[str, Callable[[Forum], Table]] = {
    "participants": participants_table,
    "matrix": matrix_table,
    "table-plan": plan_table,
    "statistics": statistics_table,
}


def _safe(value):
    """Keep a spreadsheet from running a cell as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_safe(v) for v in row])
    # A BOM, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    # openpyxl takes about 0.1 s to import and only XLSX downloads need it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([_safe(h) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def response(forum: Forum, what: str, fmt: str) -> HttpResponse:
    table = EXPORTS[what](forum)
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    result = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = f'attachment; filename="forum-{forum.pk}-{what}.{fmt}"'
    return result


__all__ = ["EXPORTS", "Table", "response", "to_csv", "to_xlsx", "ForumParticipant"]
