"""Every dashboard table downloads as CSV and XLSX with the page's filters and access rules;
formula-like cells are neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bumdes_export.reference.models import Region
from matchmaking.oversight.exports import EXPORTS
from tests.matchmaking.oversight.test_dashboard import figures  # noqa: F401 (fixture)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("what", sorted(set(EXPORTS) - {"regencies"}))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_downloads(figures, as_role, what, fmt):  # noqa: F811
    response = as_role("ministry").get(reverse("oversight:export", args=[what, fmt]))
    assert response.status_code == 200
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert len(rows) >= 1  # the header at least


def test_the_provinces_table_holds_the_38_provinces_and_their_figures(figures, as_role):  # noqa: F811
    rows = _xlsx(as_role("ministry").get(reverse("oversight:export", args=["provinces", "xlsx"])))
    assert len(rows) == 1 + 38
    sultra = next(r for r in rows if r[0] == "74")
    assert sultra[1] == Region.objects.get(code="74").name
    assert sultra[2:5] == (2, 1, 1)


def test_an_officer_downloads_only_his_region(figures, as_role):  # noqa: F811
    client = as_role("officer_sulteng")
    rows = _csv(client.get(reverse("oversight:export", args=["provinces", "csv"])))
    assert [r[0] for r in rows[1:]] == ["72"]
    url = reverse("oversight:export", args=["regencies", "csv"])
    assert client.get(url, {"province": "74"}).status_code == 404
    assert client.get(url, {"province": "72"}).status_code == 200
    shipments = _csv(client.get(reverse("oversight:export", args=["shipments-by-province", "csv"])))
    assert all(r[0] != Region.objects.get(code="74").name for r in shipments[1:])


def test_formula_cells_are_neutralised(figures, as_role):  # noqa: F811
    figures.konawe.name = '=HYPERLINK("http://evil")'
    figures.konawe.save()
    rows = _csv(as_role("ministry").get(reverse("oversight:export", args=["top-bumdes", "csv"])))
    assert rows[1][0].startswith("'=")


@pytest.mark.parametrize("role", ["anonymous", "verified_exporter", "linked_operator"])
def test_others_cannot_download(figures, as_role, role):  # noqa: F811
    response = as_role(role).get(reverse("oversight:export", args=["provinces", "csv"]))
    assert response.status_code in (302, 403)
    assert b"Sulawesi" not in response.content


def test_an_unknown_table_or_format_is_a_404(figures, as_role):  # noqa: F811
    client = as_role("ministry")
    assert client.get(reverse("oversight:export", args=["secrets", "csv"])).status_code == 404
    assert client.get(reverse("oversight:export", args=["funnel", "pdf"])).status_code == 404
