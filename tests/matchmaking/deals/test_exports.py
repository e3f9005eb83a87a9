"""The deal and shipment lists as CSV and XLSX files: exactly the rows the page lists for that
reader and those filters, every column the issue asks for, and no cell a spreadsheet would run
as a formula."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from matchmaking.deals import services as deal_services
from tests.matchmaking.deals.conftest import shipment_data
from tests.matchmaking.deals.page_scene import HAS_DEALS, build_scene

pytestmark = pytest.mark.django_db

DEAL_HEADER = [
    "Deal",
    "Product",
    "HS code",
    "BUMDes",
    "Province",
    "Organisation",
    "Country",
    "Started from",
    "Stage",
    "Opened on",
    "Last change",
    "Shipments",
    "Value shipped (USD)",
    "Why it was lost",
    "What happened",
]
SHIPMENT_HEADER = [
    "Shipment date",
    "Deal",
    "Product",
    "BUMDes",
    "Province",
    "Organisation",
    "HS subheading",
    "Quantity",
    "Unit",
    "Weight or volume",
    "kg or litres",
    "Value (USD)",
    "Exchange rate (IDR per USD)",
    "Value (IDR)",
    "Destination",
    "Export gateway",
    "PEB number",
    "Certificate of origin number",
]


@pytest.fixture
def deals(world, crab_deal, org_b, org_pending, ministry):
    return build_scene(world, crab_deal, org_b, org_pending, ministry)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # a BOM, so spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("role", sorted(HAS_DEALS))
def test_each_role_downloads_exactly_the_deals_it_sees(as_role, deals, role):
    client = as_role(role)
    rows = read_csv(client.get("/deals/export.csv"))
    assert rows[0] == DEAL_HEADER
    assert {int(row[0]) for row in rows[1:]} == deals.seen_by(role)
    sheet = read_xlsx(client.get("/deals/export.xlsx"))
    assert sheet[0] == DEAL_HEADER
    assert {row[0] for row in sheet[1:]} == deals.seen_by(role)


@pytest.mark.parametrize("role", sorted(HAS_DEALS))
def test_each_role_downloads_exactly_the_shipments_it_sees(as_role, deals, ministry, role):
    deal_services.record_shipment(actor=ministry, deal=deals.donggala, data=shipment_data())
    rows = read_csv(as_role(role).get("/deals/shipments/export.csv"))
    assert rows[0] == SHIPMENT_HEADER
    assert {int(row[1]) for row in rows[1:]} == deals.seen_by(role) & deals.ids("crab", "donggala")


def test_the_download_holds_the_filtered_list(as_role, deals):
    client = as_role("ministry")
    for query, expected in (
        ("stage=contract", {"oil"}),
        ("province=72", {"donggala"}),
        ("destination=HK&hs_chapter=03", {"crab"}),
        (f"bumdes={deals.world.konawe.pk}", {"crab", "oil"}),
        ("q=nothing-like-this", set()),
    ):
        rows = read_csv(client.get(f"/deals/export.csv?{query}&page=2"))
        assert {int(row[0]) for row in rows[1:]} == deals.ids(*expected), query
        sheet = read_xlsx(client.get(f"/deals/export.xlsx?{query}"))
        assert {row[0] for row in sheet[1:]} == deals.ids(*expected), query


def test_a_deal_row(as_role, deals):
    response = as_role("verified_exporter").get("/deals/export.xlsx")
    assert response["Content-Disposition"] == (
        f'attachment; filename="deals-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    header, row = read_xlsx(response)
    record = dict(zip(header, row, strict=True))
    assert record == {
        "Deal": deals.crab.pk,
        "Product": "Kepiting bakau",
        "HS code": "030633",
        "BUMDes": "BUMDes Mina Uji",
        "Province": "Sulawesi Tenggara",
        "Organisation": "Harbour Test Seafood Ltd",
        "Country": "HK",
        "Started from": "Made outside the portal",
        "Stage": "First shipment",
        "Opened on": record["Opened on"],
        "Last change": record["Last change"],
        "Shipments": 1,
        "Value shipped (USD)": 6250,
        "Why it was lost": None,
        "What happened": None,
    }
    assert record["Opened on"].date() == timezone.localdate()


def test_a_shipment_row(as_role, deals):
    header, row = read_xlsx(as_role("officer_konawe").get("/deals/shipments/export.xlsx"))
    record = dict(zip(header, row, strict=True))
    assert record == {
        "Shipment date": record["Shipment date"],
        "Deal": deals.crab.pk,
        "Product": "Kepiting bakau",
        "BUMDes": "BUMDes Mina Uji",
        "Province": "Sulawesi Tenggara",
        "Organisation": "Harbour Test Seafood Ltd",
        "HS subheading": "030633",
        "Quantity": 500,
        "Unit": "kilogram",
        "Weight or volume": 500,
        "kg or litres": "kg",
        "Value (USD)": 6250,
        "Exchange rate (IDR per USD)": 15800,
        "Value (IDR)": 98750000,
        "Destination": "Hong Kong SAR China",
        "Export gateway": "Haluoleo Airport (Kendari)",
        "PEB number": "000123",
        "Certificate of origin number": "AHK-2026-0001",
    }
    assert record["Shipment date"].date() == timezone.localdate() - timedelta(days=3)
    csv_rows = read_csv(as_role("officer_konawe").get("/deals/shipments/export.csv"))
    assert csv_rows[1][0] == str(timezone.localdate() - timedelta(days=3))
    assert csv_rows[1][11:14] == ["6250.00", "15800.00", "98750000"]


def test_formula_cells_are_neutralised(as_role, deals, ministry):
    organisation = deals.crab.organisation
    organisation.legal_name = '=HYPERLINK("http://evil.example","Click")'
    organisation.save()
    deal_services.record_shipment(
        actor=ministry,
        deal=deals.crab,
        data=shipment_data(peb_number="+1+cmd|' /C calc'!A0", coo_number="@SUM(1,2)"),
    )
    client = as_role("ministry")
    for url in ("/deals/export.csv?q=hyperlink", "/deals/shipments/export.csv?destination=HK"):
        rows = read_csv(client.get(url))
        cells = [cell for row in rows[1:] for cell in row]
        assert '\'=HYPERLINK("http://evil.example","Click")' in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-=")]
    sheet = load_workbook(
        io.BytesIO(client.get("/deals/shipments/export.xlsx?destination=HK").content)
    ).active
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in values)
    texts = {cell.value for cell in values if isinstance(cell.value, str)}
    assert "'+1+cmd|' /C calc'!A0" in texts
    assert "'@SUM(1,2)" in texts


def test_a_lost_deal_says_why_in_the_download(as_role, deals, second_exporter):
    deal_services.close_as_lost(
        actor=second_exporter, deal=deals.donggala, reason="price", note="Too dear."
    )
    header, row = read_csv(as_role("second_exporter").get("/deals/export.csv"))
    record = dict(zip(header, row, strict=True))
    assert (record["Stage"], record["Why it was lost"], record["What happened"]) == (
        "Lost",
        "Price",
        "Too dear.",
    )
    assert record["Value shipped (USD)"] == ""


def test_headers_follow_the_readers_language(as_role, deals, client):
    client.cookies["django_language"] = "id"
    header = read_csv(as_role("ministry").get("/deals/export.csv"))[0]
    assert header[1:6] == ["Produk", "Kode HS", "BUMDes", "Provinsi", "Organisasi"]


def test_the_totals_of_a_download_match_the_page(as_role, deals, ministry):
    deal_services.record_shipment(
        actor=ministry, deal=deals.crab, data=shipment_data(value_usd=Decimal("1000.25"))
    )
    rows = read_csv(as_role("ministry").get("/deals/shipments/export.csv"))
    assert sum(Decimal(row[11]) for row in rows[1:]) == Decimal("7250.25")
    deal_rows = read_csv(
        as_role("ministry").get(f"/deals/export.csv?product={deals.world.crab.pk}")
    )
    assert deal_rows[1][11:13] == ["2", "7250.25"]
