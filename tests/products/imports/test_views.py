"""The bulk import's pages, and who may reach the pages and the API."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from products.imports import columns
from products.imports.models import ProductImport
from products.models import Product
from tests.products.factories import first_desa
from tests.products.imports.helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db


# --- Pages and API: who may do what --------------------------------------------------------------

PAGES = ["products:import_list", "products:import_upload", "template_csv", "template_xlsx"]


def page_url(name: str) -> str:
    if name.startswith("template_"):
        return reverse("products:import_template", args=[name.split("_")[1]])
    return reverse(name)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("exporter", 403),
        ("operator", 403),
        ("ministry", 200),
        ("officer_sultra", 200),
        ("officer_konawe", 200),
    ],
)
def test_pages_answer_each_role(as_role, role, expected, page):
    response = as_role(role).get(page_url(page))
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 401),
        ("exporter", 403),
        ("operator", 403),
        ("ministry", 200),
        ("officer_sulteng", 200),
    ],
)
def test_api_answers_each_role(api_as, role, expected):
    assert api_as(role).get("/api/v1/imports/").status_code == expected
    response = api_as(role).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", csv_bytes())},
        format="multipart",
    )
    assert response.status_code == (201 if expected == 200 else expected)


def test_refused_users_cannot_reach_an_import(as_role, api_as, ministry):
    product_import = upload(ministry, csv_bytes(f"{first_desa()},B,P,030633,hidup,kg,1,1"))
    for role in ("exporter", "operator"):
        client = as_role(role)
        assert (
            client.get(reverse("products:import_detail", args=[product_import.pk])).status_code
            == 403
        )
        assert (
            client.post(reverse("products:import_commit", args=[product_import.pk])).status_code
            == 403
        )
        assert api_as(role).post(f"/api/v1/imports/{product_import.pk}/commit/").status_code == 403
    assert api_as("anonymous").get(f"/api/v1/imports/{product_import.pk}/").status_code == 401
    product_import.refresh_from_db()
    assert product_import.status == "validated"
    assert Product.objects.count() == 0


def test_an_officer_sees_only_their_own_imports(as_role, api_as, ministry, officer_sultra):
    data = csv_bytes(f"{first_desa()},B,P,030633,hidup,kg,1,1")
    mine = upload(officer_sultra, data, name="mine.csv")
    theirs = upload(ministry, data, name="theirs.csv")

    page = as_role("officer_sultra").get(reverse("products:import_list")).content.decode()
    assert "mine.csv" in page and "theirs.csv" not in page
    client = as_role("officer_sultra")
    assert client.get(reverse("products:import_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("products:import_report", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("products:import_commit", args=[theirs.pk])).status_code == 404
    listed = api_as("officer_sultra").get("/api/v1/imports/").json()["results"]
    assert [item["file_name"] for item in listed] == ["mine.csv"]
    assert api_as("officer_sultra").get(f"/api/v1/imports/{theirs.pk}/").status_code == 404

    listed = api_as("ministry").get("/api/v1/imports/").json()["results"]
    assert {item["file_name"] for item in listed} == {"mine.csv", "theirs.csv"}
    assert (
        as_role("ministry").get(reverse("products:import_detail", args=[mine.pk])).status_code
        == 200
    )


# --- Pages --------------------------------------------------------------------------------------


def test_upload_check_and_import_through_the_pages(as_role, officer_sultra):
    client = as_role("officer_sultra")
    page = client.get(reverse("products:import_upload")).content.decode()
    for column in columns.COLUMN_NAMES:
        assert column in page
    assert reverse("products:import_template", args=["xlsx"]) in page

    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1",
        "74.99.99.9999,BUMDes Dua,Udang,030617,beku,kg,10,1",
    )
    response = client.post(
        reverse("products:import_upload"),
        {"file": SimpleUploadedFile("produk desa.csv", data), "region": "74"},
    )
    product_import = ProductImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("products:import_detail", args=[product_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "There is no village with the code 74.99.99.9999." in page
    assert "Import now" not in page
    assert "Download error report" in page
    report = client.get(reverse("products:import_report", args=[product_import.pk]))
    assert report["Content-Type"].startswith("text/csv")
    assert "3,kode_desa,There is no village with the code 74.99.99.9999." in report.content.decode()

    response = client.post(
        reverse("products:import_upload"),
        {"file": SimpleUploadedFile("baik.csv", csv_bytes(data.decode().splitlines()[1]))},
    )
    product_import = ProductImport.objects.get(file_name="baik.csv")
    assert product_import.region_id == "74"
    page = client.get(response["Location"]).content.decode()
    assert "Import now" in page
    response = client.post(reverse("products:import_commit", args=[product_import.pk]))
    assert response.status_code == 302
    product_import.refresh_from_db()
    assert product_import.status == "done"
    assert Product.objects.filter(name_id="Kepiting bakau", created_by=officer_sultra).exists()
    page = client.get(reverse("products:import_list")).content.decode()
    assert "baik.csv" in page and "produk desa.csv" in page

    # A second commit is refused with a message; nothing changes.
    response = client.post(reverse("products:import_commit", args=[product_import.pk]), follow=True)
    assert "only once" in response.content.decode()
    assert Product.objects.count() == 1


def test_upload_form_errors(as_role):
    client = as_role("officer_sultra")
    response = client.post(
        reverse("products:import_upload"), {"file": SimpleUploadedFile("produk.pdf", b"%PDF")}
    )
    assert response.status_code == 400
    assert "Upload a CSV or XLSX file" in response.content.decode()
    response = client.post(
        reverse("products:import_upload"),
        {"file": SimpleUploadedFile("p.csv", b"x"), "region": "72"},
    )
    assert response.status_code == 400  # not one of the officer's choices
    assert ProductImport.objects.count() == 0


def test_templates_have_the_indonesian_headers(as_role):
    from openpyxl import load_workbook

    client = as_role("ministry")
    text = client.get(page_url("template_csv")).content.decode("utf-8-sig")
    assert text.strip() == ";".join(columns.COLUMN_NAMES)
    workbook = load_workbook(io.BytesIO(client.get(page_url("template_xlsx")).content))
    assert [c.value for c in workbook["produk"][1]] == columns.COLUMN_NAMES
    assert workbook["petunjuk"].max_row == len(columns.COLUMNS) + 1


def test_the_history_says_what_a_check_changed_and_clears_the_checks_never_imported(
    as_role, api_as, ministry, officer_sultra, django_capture_on_commit_callbacks
):
    from products.imports import services

    good = csv_bytes(
        f"{first_desa('74.02.', 0)},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1",
        f"{first_desa('74.02.', 1)},BUMDes Dua,Rajungan,030633,hidup,kg,10,1",
    )
    checked = upload(officer_sultra, good, name="checked.csv", region="74")
    rejected = upload(
        officer_sultra, csv_bytes("74.99.99.9999,B,P,030633,hidup,kg,1,1"), name="bad.csv"
    )
    imported = upload(officer_sultra, good, name="imported.csv", region="74")
    services.commit_checked(imported, actor=officer_sultra)
    theirs = upload(ministry, good, name="theirs.csv")
    assert checked.status == "validated" and checked.created == 2
    assert rejected.status == "rejected"

    client = as_role("officer_sultra")
    page = client.get(reverse("products:import_list")).content.decode()
    assert "not imported: would add 2, update 0" in page  # the check added nothing
    assert "not imported: nothing changed" in page  # the rejected one
    assert "Clear 2 checks that were never imported" in page
    listed = {
        item["file_name"]: item["imported"]
        for item in api_as("officer_sultra").get("/api/v1/imports/").json()["results"]
    }
    assert listed == {"checked.csv": False, "bad.csv": False, "imported.csv": True}
    files = [checked.file.path, rejected.file.path]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("products:import_clear"), follow=True)
    assert "2 checks that were never imported cleared." in response.content.decode()
    assert set(ProductImport.objects.values_list("file_name", flat=True)) == {
        "imported.csv",  # imported: kept
        "theirs.csv",  # another's: kept
    }
    assert not any(Path(path).exists() for path in files)
    assert Product.objects.filter(name_id="Kepiting bakau").count() == 1  # the registry untouched
    page = client.get(reverse("products:import_list")).content.decode()
    assert "never imported" not in page
    assert theirs.pk in ProductImport.objects.values_list("pk", flat=True)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("exporter", 403), ("operator", 403), ("officer_konawe", 302)],
)
def test_who_may_clear_checks(as_role, role, expected, officer_sultra):
    kept = upload(officer_sultra, csv_bytes("74.99.99.9999,B,P,030633,hidup,kg,1,1"))
    response = as_role(role).post(reverse("products:import_clear"))
    assert response.status_code == expected
    assert ProductImport.objects.filter(pk=kept.pk).exists()  # nobody clears another's
    assert as_role(role).get(reverse("products:import_clear")).status_code in (302, 403, 405)
