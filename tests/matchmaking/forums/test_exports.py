"""The organiser's views as CSV and XLSX: the same rows as the pages, headers in the reader's
language, times in the forum's zone, cells never read as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from matchmaking.forums import exports as forum_exports
from matchmaking.forums import services as services
from matchmaking.forums.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def rows_of(response, fmt: str) -> list[list]:
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    book = load_workbook(io.BytesIO(response.content))
    return [
        [c if c is not None else "" for c in row] for row in book.active.iter_rows(values_only=True)
    ]


@pytest.fixture
def scheduled(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    return Meeting.objects.get()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", list(forum_exports.EXPORTS))
def test_every_export_in_both_formats(as_role, fs, scheduled, what, fmt):
    response = as_role("organiser").get(f"/forums/{fs.forum.pk}/export/{what}.{fmt}")
    assert response.status_code == 200
    assert f"forum-{fs.forum.pk}-{what}.{fmt}" in response["Content-Disposition"]
    rows = rows_of(response, fmt)
    assert len(rows) >= 2
    text = " ".join(str(c) for row in rows for c in row)
    if what == "participants":
        assert rows[0][:4] == ["Id", "Participant", "Kind", "Status"]
        assert "BUMDes Mina Uji" in text and "Harbour Test Seafood Ltd" in text
        assert len(rows) == 6
    elif what == "matrix":
        assert rows[0][0] == "Exporter or buyer"
        local = scheduled.slot.starts_at.astimezone(fs.forum.tzinfo).strftime("%H:%M")
        assert local in text and "→" in text
    elif what == "table-plan":
        assert rows[0][0] == "Slot (WITA)"
        assert "Harbour Test Seafood Ltd × BUMDes Mina Uji" in text
    else:
        assert [str(c) for c in rows[2][:2]] == ["Requests sent", "1"]
        assert [str(c) for c in rows[3][:2]] == ["Requests accepted", "1"]
        assert "Deals opened at the meetings" in text and "Volume shipped (kg)" in text


def test_unknown_exports_are_404(as_role, fs):
    assert as_role("organiser").get(f"/forums/{fs.forum.pk}/export/secrets.csv").status_code == 404
    assert as_role("organiser").get(f"/forums/{fs.forum.pk}/export/matrix.pdf").status_code == 404


def test_formula_cells_are_quoted():
    table = forum_exports.Table("T", ["=cmd"], [['=HYPERLINK("http://x")', "+1", "ok", 3]])
    rows = list(csv.reader(io.StringIO(forum_exports.to_csv(table).decode("utf-8-sig"))))
    assert rows == [["'=cmd"], ['\'=HYPERLINK("http://x")', "'+1", "ok", "3"]]
    sheet = load_workbook(io.BytesIO(forum_exports.to_xlsx(table))).active
    assert [c.value for c in sheet[2]] == ['\'=HYPERLINK("http://x")', "'+1", "ok", 3]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
