"""Every list page of the registry, the catalogue and the directory downloads as CSV and XLSX (tested
here, where the two-province world of products and organisations lives):
exactly the rows of the filtered list the reader sees, formula cells neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from products.catalogue.services import refresh_all


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _ids(rows) -> set[int]:
    return {int(r[0]) for r in rows[1:]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("ministry", {"crab", "crab_draft", "oil", "donggala_crab"}),
        ("officer_sultra", {"crab", "crab_draft", "oil"}),
        ("officer_sulteng", {"donggala_crab"}),
        ("linked_operator", {"crab", "crab_draft", "oil"}),
    ],
)
def test_the_product_list_downloads_the_readers_rows(world, as_role, role, expected):
    client = as_role(role)
    url = reverse("products:product_list")
    rows = _csv(client.get(url, {"export": "csv"}))
    assert _ids(rows) == {getattr(world, name).pk for name in expected}
    assert _ids(_xlsx(client.get(url, {"export": "xlsx"}))) == _ids(rows)


def test_the_download_keeps_the_filters(world, as_role):
    rows = _csv(
        as_role("ministry").get(
            reverse("products:product_list"), {"status": "export_ready", "export": "csv"}
        )
    )
    assert _ids(rows) == {world.crab.pk, world.oil.pk, world.donggala_crab.pk}
    bumdes = _csv(
        as_role("ministry").get(
            reverse("products:bumdes_list"), {"province": "72", "export": "csv"}
        )
    )
    assert _ids(bumdes) == {world.donggala.pk}


def test_formula_cells_are_neutralised(world, as_role):
    world.crab.name_id = "=cmd|' /C calc'!A0"
    world.crab.save()
    rows = _csv(as_role("ministry").get(reverse("products:product_list"), {"export": "csv"}))
    crab = next(r for r in rows[1:] if int(r[0]) == world.crab.pk)
    assert crab[1].startswith("'=")


def test_the_directory_downloads_what_the_reader_sees(world, org_a, org_pending, as_role):
    ministry = _csv(as_role("ministry").get(reverse("exporters:directory"), {"export": "csv"}))
    assert {org_a.pk, org_pending.pk} <= _ids(ministry)
    exporter = _xlsx(
        as_role("verified_exporter").get(reverse("exporters:directory"), {"export": "xlsx"})
    )
    assert org_a.pk in _ids(exporter) and org_pending.pk not in _ids(exporter)


def test_the_catalogue_downloads_its_search(world, client):
    refresh_all()
    rows = _csv(client.get(reverse("catalogue:list"), {"export": "csv"}))
    assert _ids(rows) == {world.crab.pk, world.oil.pk, world.donggala_crab.pk}
    only_oil = _csv(client.get(reverse("catalogue:list"), {"hs_chapter": "15", "export": "csv"}))
    assert _ids(only_oil) == {world.oil.pk}


def test_an_unknown_format_shows_the_page(world, as_role):
    response = as_role("ministry").get(reverse("products:product_list"), {"export": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
