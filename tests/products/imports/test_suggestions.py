"""Ministry lists as they come: headers in their common variants, columns missing, the HS code,
form and unit suggested from the product's name and accepted row by row or all at once; rows
not accepted become drafts with the suggestion to confirm."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from products import selectors
from products import services as registry
from products.imports import columns, services
from products.imports.models import ProductImport
from products.models import Product
from tests.products.factories import BumdesFactory, ProductFactory, first_desa
from tests.products.imports.helpers import by_row, commit, csv_bytes, upload

pytestmark = pytest.mark.django_db

MINISTRY_HEADER = "No,Kode Desa,Nama BUMDes,Nama Produk Unggulan,Kapasitas Produksi per Bulan"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Kode Desa", "kode_desa"),
        ("KODE_DESA", "kode_desa"),
        ("kd_desa", "kode_desa"),
        ("Nama Produk Unggulan", "nama_produk"),
        ("Nama BUM Desa", "nama_bumdes"),
        ("Kode HS (6 digit)", "kode_hs"),
        ("HS Code", "kode_hs"),
        ("Bentuk", "bentuk"),
        ("Kapasitas Produksi per Bulan", "kapasitas_per_bulan"),
        ("\ufeffnama_produk_en", "nama_produk_en"),
        ("No", ""),
        ("Kecamatan", ""),
    ],
)
def test_headers_are_read_in_their_common_variants(header, column):
    assert columns.guess_column(header) == column


def ministry_list() -> bytes:
    village = first_desa("74.02.", 0)
    return csv_bytes(
        f"1,{village},BUMDes Mina Bahari,Kepiting bakau beku,1.500",
        f"2,{village},BUMDes Mina Bahari,Minyak cengkeh,40",
        f"3,{village},BUMDes Mina Bahari,Keranjang rotan,300",
        header=MINISTRY_HEADER,
    )


def test_a_list_without_code_form_or_unit_is_checked_with_suggestions(ministry):
    product_import = upload(ministry, ministry_list())
    assert product_import.status == "validated" and product_import.rejected == 0
    assert (product_import.created, product_import.suggested) == (3, 3)
    assert product_import.column_map == [
        ["No", ""],
        ["Kode Desa", "kode_desa"],
        ["Nama BUMDes", "nama_bumdes"],
        ["Nama Produk Unggulan", "nama_produk"],
        ["Kapasitas Produksi per Bulan", "kapasitas_per_bulan"],
    ]
    rows = by_row(product_import)
    crab = rows[2]["suggested"]
    assert crab["kode_hs"]["value"] == "030614" and crab["kode_hs"]["label"].startswith("0306.14")
    assert (crab["bentuk"]["value"], crab["satuan"]["value"]) == ("frozen", "kg")
    assert rows[3]["suggested"]["satuan"]["value"] == "l"
    assert rows[4]["suggested"]["kode_hs"]["value"] == "460212"
    assert rows[4]["hs"] == "460212"


def test_accepted_rows_are_imported_as_suggested_and_the_others_wait_for_confirmation(ministry):
    product_import = upload(ministry, ministry_list())
    services.choose_suggestions(ministry, product_import, rows=[2, 99], accept_all=False)
    assert product_import.accepted_rows == [2]  # only rows that had suggestions
    commit(ministry, product_import)
    crab = Product.objects.get(name_id="Kepiting bakau beku")
    oil = Product.objects.get(name_id="Minyak cengkeh")
    assert (crab.hs_code_id, crab.form, crab.unit, crab.unconfirmed) == (
        "030614",
        "frozen",
        "kg",
        [],
    )
    assert (oil.hs_code_id, oil.unit, oil.status) == ("330129", "l", "draft")
    assert oil.unconfirmed == ["hs_code", "form", "unit"]
    gaps = selectors.readiness_of(oil).blocking
    assert [g.code for g in gaps if g.code == "suggestions-confirmed"] == ["suggestions-confirmed"]
    assert not [g for g in selectors.readiness_of(crab).gaps if g.code == "suggestions-confirmed"]
    with pytest.raises(ValidationError, match="First confirm the values the portal suggested"):
        registry.transition_product(actor=ministry, product=oil, to="submitted")
    registry.confirm_suggestions(actor=ministry, product=oil)
    oil.refresh_from_db()
    assert oil.unconfirmed == []
    registry.transition_product(actor=ministry, product=oil, to="submitted")


def test_suggestions_cannot_be_chosen_once_the_import_has_moved_on(ministry):
    product_import = upload(ministry, ministry_list())
    stale = ProductImport.objects.get(pk=product_import.pk)
    commit(ministry, product_import)  # done meanwhile
    with pytest.raises(ValidationError):
        services.choose_suggestions(ministry, stale, rows=[2], accept_all=True)
    product_import.refresh_from_db()
    assert (product_import.accept_all, product_import.accepted_rows) == (False, [])


def test_accepting_every_suggestion_at_once(ministry):
    product_import = upload(ministry, ministry_list())
    services.choose_suggestions(ministry, product_import, rows=[], accept_all=True)
    commit(ministry, product_import)
    assert list(Product.objects.values_list("unconfirmed", flat=True)) == [[], [], []]


def test_changing_a_suggested_value_confirms_it_and_only_it(ministry):
    product_import = upload(ministry, ministry_list())
    commit(ministry, product_import)
    oil = Product.objects.get(name_id="Minyak cengkeh")
    registry.update_product(
        actor=ministry,
        product=oil,
        data={"price": "12", "hs_code": oil.hs_code, "form": oil.form, "unit": "kg"},
    )
    oil.refresh_from_db()
    # The unit was changed (it is the person's now); the code and form sent unchanged, as a
    # form sends every field, are not confirmed by that.
    assert oil.unconfirmed == ["hs_code", "form"]


def test_a_row_stays_refused_for_what_is_really_wrong(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"1,{village},BUMDes Mina Bahari,zzqx wwvv,10",  # nothing to suggest from
        "2,74.99.99.9999,BUMDes Hilang,Kepiting beku,10",
        f"3,{village},BUMDes Mina Bahari,Kepiting beku,banyak",
        header=MINISTRY_HEADER,
    )
    rows = by_row(upload(ministry, data))
    assert rows[2]["errors"]["kode_hs"].startswith("Required: no HS code is given")
    assert "There is no village with the code 74.99.99.9999." in rows[3]["errors"]["kode_desa"]
    assert "is not a number" in rows[4]["errors"]["kapasitas_per_bulan"]


def test_a_row_without_a_code_updates_the_product_the_bumdes_has_by_that_name(ministry):
    village = first_desa("74.02.", 0)
    bumdes = BumdesFactory(name="BUMDes Mina Bahari", village_id=village)
    ProductFactory(bumdes=bumdes, name_id="Kepiting bakau beku", hs_code_id="030633", form="live")
    data = csv_bytes(
        f"1,{village},BUMDes Mina Bahari,Kepiting Bakau Beku,99", header=MINISTRY_HEADER
    )
    product_import = upload(ministry, data)
    entry = by_row(product_import)[2]
    assert (entry["action"], entry["hs"], product_import.suggested) == ("update", "030633", 0)


def test_the_page_shows_the_columns_before_the_check_and_lets_them_be_changed(as_role):
    client = as_role("ministry")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("products:import_upload"),
        {"file": SimpleUploadedFile("daftar kementerian.csv", ministry_list())},
    )
    product_import = ProductImport.objects.get()
    assert product_import.status == "columns" and product_import.created == 0
    page = client.get(response["Location"]).content.decode()
    assert "Some headers of the file are not the template's" in page
    assert "Nama Produk Unggulan" in page and "Check the file with these columns" in page
    assert "Import now" not in page

    url = reverse("products:import_columns", args=[product_import.pk])
    fields = {f"column_{i}": c for i, (_h, c) in enumerate(product_import.column_map)}
    twice = client.post(url, {**fields, "column_4": "nama_produk"})
    assert twice.status_code == 400 and "Each column may be chosen once" in twice.content.decode()
    missing = client.post(url, {**fields, "column_3": ""})
    assert missing.status_code == 400 and "Choose a column of the file for: nama_produk" in (
        missing.content.decode()
    )
    product_import.refresh_from_db()
    assert product_import.status == "columns"

    response = client.post(url, {**fields, "column_4": ""})  # leave the capacity out
    product_import.refresh_from_db()
    assert product_import.status == "validated" and product_import.created == 3
    assert ["Kapasitas Produksi per Bulan", ""] in product_import.column_map
    page = client.get(response["Location"]).content.decode()
    assert "3 rows with suggestions" in page and "0306.14 Crustaceans; frozen, crabs" in page

    client.post(reverse("products:import_commit", args=[product_import.pk]), {"accept": ["3"]})
    product_import.refresh_from_db()
    assert product_import.status == "done" and product_import.accepted_rows == [3]
    oil = Product.objects.get(name_id="Minyak cengkeh")
    assert oil.unconfirmed == [] and oil.capacity_per_month is None
    crab = Product.objects.get(name_id="Kepiting bakau beku")
    assert crab.unconfirmed == ["hs_code", "form", "unit"]
    page = client.get(reverse("products:product_detail", args=[crab.pk])).content.decode()
    assert "Suggested by the portal on import, not confirmed yet:" in page
    client.post(reverse("products:product_confirm", args=[crab.pk]))
    crab.refresh_from_db()
    assert crab.unconfirmed == []


def test_a_suggestion_that_changed_since_the_check_is_not_taken_as_accepted(ministry):
    product_import = upload(ministry, ministry_list())
    services.choose_suggestions(ministry, product_import, rows=[], accept_all=True)
    # What the check offered row 2 is no longer what the row would get.
    report = product_import.report
    for entry in report:
        if entry["row"] == 2:
            entry["suggested"]["kode_hs"]["value"] = "160510"
    services.save_fields(product_import, report=report)
    commit(ministry, product_import)
    crab = Product.objects.get(name_id="Kepiting bakau beku")
    assert crab.unconfirmed == ["hs_code", "form", "unit"]
    assert Product.objects.get(name_id="Minyak cengkeh").unconfirmed == []


def test_the_column_step_offers_a_file_whose_required_column_cannot_be_guessed(as_role):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Mina Bahari,Kepiting bakau beku",
        header="Kode Desa,Nama BUMDes,Nama Unit Usaha",
    )
    client = as_role("ministry")
    client.post(reverse("products:import_upload"), {"file": SimpleUploadedFile("x.csv", data)})
    product_import = ProductImport.objects.get()
    assert product_import.status == "columns"
    assert product_import.column_map[2] == ["Nama Unit Usaha", ""]
    assert "nama_produk" in product_import.error
    fields = {"column_0": "kode_desa", "column_1": "nama_bumdes", "column_2": "nama_produk"}
    client.post(reverse("products:import_columns", args=[product_import.pk]), fields)
    product_import.refresh_from_db()
    assert (product_import.status, product_import.created) == ("validated", 1)


def test_names_without_a_letter_suggest_nothing(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"1,{village},BUMDes Mina Bahari,12,10", header=MINISTRY_HEADER)
    assert by_row(upload(ministry, data))[2]["errors"]["kode_hs"].startswith("Required")


def test_form_and_unit_follow_the_code_the_file_gives(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Mina Bahari,Cengkeh wangi,3301.29",
        header=",".join(["kode_desa", "nama_bumdes", "nama_produk", "kode_hs"]),
    )
    entry = by_row(upload(ministry, data))[2]
    assert (entry["suggested"]["bentuk"]["value"], entry["suggested"]["satuan"]["value"]) == (
        "processed",
        "l",
    )
    assert "kode_hs" not in entry["suggested"]


def test_a_file_in_the_template_goes_straight_to_the_check(as_role):
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    as_role("ministry").post(
        reverse("products:import_upload"), {"file": SimpleUploadedFile("t.csv", data)}
    )
    assert ProductImport.objects.get().status == "validated"


def test_only_who_may_commit_may_choose_columns_or_suggestions(officer_sultra, officer_sulteng):
    from products.imports import mapping

    product_import = upload(officer_sultra, ministry_list(), region="74")
    with pytest.raises(PermissionDenied):
        services.choose_suggestions(officer_sulteng, product_import, rows=[2], accept_all=False)
    with pytest.raises(PermissionDenied):
        mapping.set_columns(officer_sulteng, product_import, product_import.column_map)
    services.choose_suggestions(officer_sultra, product_import, rows=[2], accept_all=False)
    assert product_import.accepted_rows == [2]


def test_the_api_reports_suggestions_and_takes_the_accepted_rows(api_as):
    api = api_as("ministry")
    created = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("daftar.csv", ministry_list())},
        format="multipart",
    ).json()
    assert created["status"] == "validated" and created["suggested"] == 3
    assert ["Nama Produk Unggulan", "nama_produk"] in created["column_map"]
    crab = next(e for e in created["report"] if e["product"] == "Kepiting bakau beku")
    assert crab["suggested"]["kode_hs"]["value"] == "030614"
    done = api.post(
        f"/api/v1/imports/{created['id']}/commit/", {"accept": [crab["row"]]}, format="json"
    ).json()
    assert done["status"] == "done" and done["accepted_rows"] == [crab["row"]]
    assert Product.objects.get(name_id="Kepiting bakau beku").unconfirmed == []
    assert Product.objects.get(name_id="Minyak cengkeh").unconfirmed == ["hs_code", "form", "unit"]


def test_columns_can_be_changed_by_who_may_commit_and_only_before_the_commit(
    ministry, officer_sultra, officer_sulteng
):
    from products.imports import access

    product_import = upload(officer_sultra, ministry_list(), region="74")
    assert access.can_change_columns(officer_sultra, product_import)
    assert access.can_change_columns(ministry, product_import)
    assert not access.can_change_columns(officer_sulteng, product_import)
    commit(officer_sultra, product_import)
    assert not access.can_change_columns(officer_sultra, product_import)
