"""The bulk import's check (dry run), commit and reports (``products.imports.services``)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from bumdes_export.reference.models import Region
from products import checks, events, selectors
from products import services as registry
from products.imports import columns, services, writers
from products.imports.writers import BulkWriter, CopyWriter, writer_for
from products.models import ALL_MONTHS, Bumdes, CertificateType, HistoryEntry, Product
from tests.products.factories import MUD_CRAB_SPECIFICATION, first_desa, first_kelurahan
from tests.products.imports.helpers import by_row, commit, csv_bytes, upload

pytestmark = pytest.mark.django_db


# --- A clean file -------------------------------------------------------------------------------


def test_a_clean_file_creates_bumdes_and_products_with_history(
    ministry, django_capture_on_commit_callbacks
):
    village, other = first_desa("74.02.", 0), first_desa("74.02.", 1)
    data = csv_bytes(
        f"{village},BUMDes Mina Sejahtera,Kepiting bakau hidup,0306.33,hidup,kg,1500,12.5",
        f"{village},BUMDes Mina Sejahtera,Rumput laut kering,1212.21,kering,ton,12,",
        f"{other},BUMDes Tani Makmur,Kopi robusta,0901.11,kering,kg,800,3",
    )
    announced = []

    def receiver(sender, product_ids, **kwargs):
        announced.append(sorted(product_ids))

    events.products_imported.connect(receiver)
    try:
        product_import = upload(ministry, data)
        assert (product_import.status, product_import.rows, product_import.created) == (
            "validated",
            3,
            3,
        )
        assert product_import.bumdes_created == 2
        assert [e["action"] for e in product_import.report] == ["create"] * 3
        assert Product.objects.count() == 0  # the check writes nothing

        with django_capture_on_commit_callbacks(execute=True):
            product_import = commit(ministry, product_import)
    finally:
        events.products_imported.disconnect(receiver)

    assert product_import.status == "done"
    assert (product_import.created, product_import.updated, product_import.rejected) == (3, 0, 0)
    products = Product.objects.select_related("bumdes").order_by("name_id")
    assert [(p.bumdes.name, p.name_id, p.hs_code_id, p.status) for p in products] == [
        ("BUMDes Mina Sejahtera", "Kepiting bakau hidup", "030633", "draft"),
        ("BUMDes Tani Makmur", "Kopi robusta", "090111", "draft"),
        ("BUMDes Mina Sejahtera", "Rumput laut kering", "121221", "draft"),
    ]
    crab = products.get(name_id="Kepiting bakau hidup")
    assert (crab.form, crab.unit, crab.capacity_per_month, crab.price) == (
        "live",
        "kg",
        Decimal("1500"),
        Decimal("12.50"),
    )
    assert (crab.capacity_base, crab.base_unit, crab.available_months) == (
        Decimal("1500"),
        "kg",
        ALL_MONTHS,
    )
    assert (crab.currency, crab.incoterm, crab.created_by) == ("USD", "FOB", ministry)
    seaweed = products.get(name_id="Rumput laut kering")
    assert (seaweed.capacity_base, seaweed.base_unit) == (Decimal("12000"), "kg")
    for product in products:
        assert product.readiness_score == selectors.readiness_of(product).score
    assert set(Bumdes.objects.values_list("status", "kind")) == {("draft", "bumdes")}

    history = HistoryEntry.objects.filter(kind="imported")
    assert history.filter(product__isnull=False).count() == 3
    assert history.filter(product__isnull=True).count() == 2  # the new BUMDes
    entry = history.get(product=crab)
    assert entry.actor == ministry
    assert entry.to_status == "draft"
    assert entry.changes["capacity_per_month"] == [None, "1500"]
    assert "produk.csv" in entry.note
    assert announced == [sorted(p.pk for p in products)]


# --- A messy file -------------------------------------------------------------------------------


def test_accepted_variants_of_codes_numbers_names_and_delimiter(ministry, officer_sultra):
    village = first_desa("74.02.", 2)
    bumdes = registry.create_bumdes(
        actor=officer_sultra,
        data={"name": "BUMDes Mina Sejahtera", "village": Region.objects.get(code=village)},
    )
    existing = registry.create_product(
        actor=officer_sultra,
        bumdes=bumdes,
        data={
            "name_id": "Kepiting Bakau Hidup",
            "name_en": "Live mud crab",
            "hs_code": "030633",
            "form": "live",
            "unit": "kg",
            "capacity_per_month": Decimal("100"),
            "price": Decimal("10"),
        },
    )
    header = " Kode_Desa ;NAMA_BUMDES;nama produk;kode_hs;Bentuk;satuan;kapasitas_per_bulan;harga;bulan_tersedia;minimal_order;mata_uang;incoterm"
    digits = village.replace(".", "")
    data = (
        "\ufeff"
        + "\n".join(
            [
                header,
                f"{digits};  bumdes   MINA sejahtera ; kepiting bakau HIDUP ;0306.33;;;1.500,5;2500.5;;;;",
                f"{digits};bumdes mina sejahtera;Ikan cakalang beku;030343;Beku;KUINTAL;12.000;2,5;Jan-Mar;1.000;idr;cif",
                f"{village};BUMDes Mina Sejahtera;Gurita;0307.52;frozen;ton;0,5;;1-3,7,12;;;",
            ]
        )
        + "\n"
    ).encode("utf-8")
    product_import = upload(ministry, data)
    assert product_import.status == "validated", product_import.report
    assert [(e["row"], e["action"], e["bumdes_action"]) for e in product_import.report] == [
        (2, "update", "match"),
        (3, "create", "match"),
        (4, "create", "match"),
    ]
    assert product_import.report[0]["changes"] == ["capacity_per_month", "price"]
    commit(ministry, product_import)

    existing.refresh_from_db()
    assert (existing.capacity_per_month, existing.price) == (Decimal("1500.5"), Decimal("2500.5"))
    assert (existing.name_id, existing.name_en, existing.unit) == (
        "Kepiting Bakau Hidup",
        "Live mud crab",
        "kg",
    )  # the name as stored; columns not given keep their values
    assert existing.version > 1
    tuna = Product.objects.get(name_id="Ikan cakalang beku")
    assert (tuna.bumdes_id, tuna.form, tuna.unit) == (bumdes.pk, "frozen", "quintal")
    assert (tuna.capacity_per_month, tuna.capacity_base) == (Decimal("12000"), Decimal("1200000"))
    assert (tuna.price, tuna.min_order, tuna.currency, tuna.incoterm) == (
        Decimal("2.5"),
        Decimal("1000"),
        "IDR",
        "CIF",
    )
    assert tuna.available_months == checks.months_to_mask([1, 2, 3])
    octopus = Product.objects.get(name_id="Gurita")
    assert octopus.capacity_per_month == Decimal("0.5")
    assert octopus.available_months == checks.months_to_mask([1, 2, 3, 7, 12])
    assert Bumdes.objects.count() == 1
    update = HistoryEntry.objects.get(product=existing, kind="imported")
    assert update.changes == {
        "capacity_per_month": ["100", "1500.5"],
        "price": ["10", "2500.5"],
    }


def xlsx_bytes(rows: list[list], header: list[str] | None = None) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(services.template_xlsx()))
    sheet = workbook["produk"]
    if header is not None:
        for index, name in enumerate(header, start=1):
            sheet.cell(row=1, column=index, value=name)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_file_in_the_template_imports_with_numeric_cells(ministry):
    village = first_desa("74.02.", 3)
    names = columns.COLUMN_NAMES

    def row(**cells):
        return [cells.get(name) for name in names]

    data = xlsx_bytes(
        [
            row(
                kode_desa=int(village.replace(".", "")),
                nama_bumdes="BUMDes Samudra",
                nama_produk="Kepiting bakau",
                kode_hs=30633,  # 030633 typed into a number cell
                bentuk="hidup",
                satuan="kg",
                kapasitas_per_bulan=1500.5,
                bulan_tersedia="Jan-Mar",
                harga="12,5",
            ),
            [None] * len(names),  # a blank row counts in the numbering
            row(
                kode_desa=village,
                nama_bumdes="BUMDes Samudra",
                nama_produk="Teripang kering",
                kode_hs=308.11,  # 0308.11 typed into a number cell
                bentuk="kering",
                kapasitas_per_bulan=12,
                kode_btki=3081110,
            ),
            row(kode_desa=village, nama_bumdes="BUMDes Samudra", nama_produk="X", kode_hs="0306"),
        ]
    )
    product_import = upload(ministry, data, name="Produk Desa.XLSX")
    assert product_import.status == "rejected"
    assert sorted(by_row(product_import)) == [2, 4, 5]
    assert by_row(product_import)[5]["errors"]["kode_hs"] == (
        "0306 is an HS chapter or heading; choose a 6-digit subheading. "
        "Nearest: 0306.11, 0306.12, 0306.14, 0306.15, 0306.16."
    )
    assert by_row(product_import)[4]["action"] == "create"

    good = xlsx_bytes(
        [
            row(
                kode_desa=int(village.replace(".", "")),
                nama_bumdes="BUMDes Samudra",
                nama_produk="Kepiting bakau",
                kode_hs=30633,
                bentuk="hidup",
                kapasitas_per_bulan=1500.5,
                bulan_tersedia="Jan-Mar",
                harga="12,5",
            ),
            row(
                kode_desa=village,
                nama_bumdes="BUMDes Samudra",
                nama_produk="Teripang kering",
                kode_hs=308.11,
                bentuk="kering",
                kode_btki=3081110,
            ),
        ]
    )
    product_import = commit(ministry, upload(ministry, good, name="produk.xlsx"))
    assert (product_import.status, product_import.created) == ("done", 2)
    crab = Product.objects.get(name_id="Kepiting bakau")
    assert (crab.hs_code_id, crab.capacity_per_month, crab.price) == (
        "030633",
        Decimal("1500.5"),
        Decimal("12.5"),
    )
    assert Product.objects.get(name_id="Teripang kering").national_code == "03081110"


# --- Bad rows -----------------------------------------------------------------------------------


def test_a_file_with_bad_rows_writes_nothing_and_says_why_row_by_row(officer_sultra):
    good = first_desa("74.02.", 0)
    kelurahan = first_kelurahan("74.")
    sulteng = first_desa("72.")
    data = csv_bytes(
        f"{good},BUMDes Baik,Kepiting bakau,030633,hidup,kg,10,1",
        f"{kelurahan},BUMDes Kota,Kepiting bakau,030633,hidup,kg,10,1",
        "74.99.99.9999,BUMDes Hilang,Kepiting bakau,030633,hidup,kg,10,1",
        "",
        f"{sulteng},BUMDes Tetangga,Kepiting bakau,030633,hidup,kg,10,1",
        f"{good},BUMDes Baik,Produk aneh,999999,hidup,kg,10,1",
        f"{good},BUMDes Baik,Udang,0306,hidup,kg,10,1",
        f'{good},BUMDes Baik,Ikan,030289,segar,kg,"1,2,3",murah',
        f"{good},BUMDes Baik,Ikan asin,030289,asin,butir,10,1",
        f"{good},,,,,,,",
    )
    bumdes_before, products_before = Bumdes.objects.count(), Product.objects.count()
    product_import = upload(officer_sultra, data)

    assert product_import.status == "rejected"
    assert (product_import.rows, product_import.created, product_import.rejected) == (9, 1, 8)
    rows = by_row(product_import)
    assert rows[2]["action"] == "create"
    assert rows[3]["errors"] == {
        "kode_desa": checks.village_problem(
            kelurahan, exists=True, level=4, kind="kelurahan", retired=False
        )
    }
    assert "kelurahan" in rows[3]["errors"]["kode_desa"]
    assert rows[4]["errors"] == {
        "kode_desa": checks.village_problem(
            "74.99.99.9999", exists=False, level=None, kind=None, retired=False
        )
    }
    # Row 5 is blank: the next row is row 6, as a spreadsheet numbers it.
    assert 5 not in rows
    assert rows[6]["errors"] == {"kode_desa": checks.scope_problem(sulteng, covered=False)}
    assert rows[7]["errors"] == {"kode_hs": "There is no HS 2022 code 999999."}  # nothing near
    assert rows[8]["errors"]["kode_hs"].startswith("0306 is an HS chapter or heading")
    assert set(rows[9]["errors"]) == {"kapasitas_per_bulan", "harga"}
    assert "1,2,3 is not a number" in rows[9]["errors"]["kapasitas_per_bulan"]
    assert set(rows[10]["errors"]) == {"bentuk", "satuan"}
    assert set(rows[11]["errors"]) == {"nama_bumdes", "nama_produk", "kode_hs"}
    # The three messages about villages are different.
    assert len({rows[n]["errors"]["kode_desa"] for n in (3, 4, 6)}) == 3
    # Rejected rows come first in the report shown on the page.
    assert [e["row"] for e in selectors_report(product_import)][:3] == [3, 4, 6]

    with pytest.raises(ValidationError):
        commit(officer_sultra, product_import)
    assert (Bumdes.objects.count(), Product.objects.count()) == (bumdes_before, products_before)

    report = services.error_report_csv(product_import)
    assert report.startswith("\ufeffrow,column,message")
    assert f"6,kode_desa,{checks.scope_problem(sulteng, covered=False)}" in report


def selectors_report(product_import):
    from products.imports.selectors import report_rows

    return report_rows(product_import)


def test_duplicate_rows_are_both_reported(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1",
        f"{village},BUMDes Satu,Udang,030617,beku,kg,10,1",
        f"{village.replace('.', '')},bumdes satu , KEPITING BAKAU,0306.33,hidup,kg,20,1",
    )
    product_import = upload(ministry, data)
    assert product_import.status == "rejected"
    assert (product_import.created, product_import.rejected, product_import.bumdes_created) == (
        1,
        2,
        1,
    )
    rows = by_row(product_import)
    message = "The same product (village, BUMDes, product name and HS code) is in rows 2, 4."
    assert rows[2]["errors"] == {"nama_produk": message}
    assert rows[4]["errors"] == {"nama_produk": message}
    assert rows[3]["action"] == "create"


def test_file_level_problems_are_stated_clearly(ministry):
    product_import = upload(ministry, b"kode_desa,nama_bumdes,warna\n74.02.01.2001,A,merah\n")
    assert product_import.status == "rejected"
    assert "Required columns are missing: nama_produk." in product_import.error
    assert "warna" not in product_import.error  # a column the portal does not know is left out
    assert product_import.report == []
    assert "Required columns are missing" in services.error_report_csv(product_import)

    product_import = upload(ministry, csv_bytes())
    assert product_import.error == "The file has no rows below the header."
    product_import = upload(ministry, b"not a workbook", name="produk.xlsx")
    assert product_import.error == "This file is not an XLSX workbook."
    with pytest.raises(ValidationError):
        upload(ministry, b"a,b\n", name="produk.txt")
    with pytest.raises(ValidationError):
        upload(ministry, b"", name="produk.csv")


def test_messages_are_in_the_language_of_the_importer(ministry):
    ministry.language = "id"
    ministry.save()
    data = csv_bytes("74.99.99.9999,BUMDes Hilang,Kepiting bakau,030633,hidup,kg,10,1")
    product_import = upload(ministry, data)
    from django.utils import translation

    with translation.override("id"):
        expected = checks.village_problem(
            "74.99.99.9999", exists=False, level=None, kind=None, retired=False
        )
    assert product_import.language == "id"
    assert by_row(product_import)[2]["errors"]["kode_desa"] == expected


# --- Updates ------------------------------------------------------------------------------------


def export_ready_crab(ministry, officer):
    from datetime import date, timedelta

    village = Region.objects.get(code=first_desa("74.02.", 4))
    bumdes = registry.create_bumdes(
        actor=officer,
        data={
            "name": "BUMDes Mina Sejahtera",
            "village": village,
            "nib": "1234567890123",
            "npwp": "012345678901000",
            "legal_status": "legal_entity",
            "legal_certificate_number": "AHU-0001.AH.01.33.2023",
        },
    )
    registry.transition_bumdes(actor=officer, bumdes=bumdes, to="submitted")
    registry.transition_bumdes(actor=ministry, bumdes=bumdes, to="verified")
    product = registry.create_product(
        actor=officer,
        bumdes=bumdes,
        data={
            "name_id": "Kepiting bakau hidup",
            "name_en": "Live mud crab",
            "hs_code": "030633",
            "form": "live",
            "unit": "ton",
            "capacity_per_month": Decimal(2),
            "price": Decimal(5),
            "specification": MUD_CRAB_SPECIFICATION,
        },
    )
    registry.add_certificate(
        actor=officer,
        product=product,
        data={
            "type": CertificateType.objects.get(code="health-fish"),
            "number": "KI-1/74/001",
            "valid_until": date.today() + timedelta(days=30),
        },
    )
    registry.transition_product(actor=officer, product=product, to="submitted")
    for to in ("verified", "export_ready"):
        registry.transition_product(actor=ministry, product=product, to=to)
    product.refresh_from_db()
    return product


def test_a_material_change_sends_an_export_ready_product_back_to_review(ministry, officer_sultra):
    product = export_ready_crab(ministry, officer_sultra)
    score, version = product.readiness_score, product.version
    header = "kode_desa,nama_bumdes,nama_produk,kode_hs,kapasitas_per_bulan,kemasan"
    village = product.bumdes.village_id
    data = csv_bytes(
        f"{village},BUMDes Mina Sejahtera,Kepiting bakau hidup,030633,3,Kotak styrofoam",
        header=header,
    )
    product_import = commit(officer_sultra, upload(officer_sultra, data))
    assert (product_import.status, product_import.updated) == ("done", 1)

    product.refresh_from_db()
    assert product.status == "submitted"
    assert product.export_ready_at is None
    assert (product.capacity_per_month, product.capacity_base) == (Decimal(3), Decimal(3000))
    assert (product.packaging, product.price, product.name_en) == (
        "Kotak styrofoam",
        Decimal(5),
        "Live mud crab",
    )
    assert product.version == version + 1
    assert product.readiness_score == selectors.readiness_of(product).score
    assert product.readiness_score >= score
    transition = HistoryEntry.objects.get(
        product=product, kind="transition", to_status="submitted", from_status="export_ready"
    )
    assert "capacity_per_month" in transition.note
    assert transition.actor == officer_sultra


def test_importing_the_same_file_twice_changes_nothing_the_second_time(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,1.500,12,5",
        f"{village},BUMDes Satu,Udang vaname,030617,beku,ton,2,",
    )
    commit(ministry, upload(ministry, data))
    snapshot = list(Product.objects.order_by("id").values())
    history = HistoryEntry.objects.count()

    again = upload(ministry, data)
    assert (again.status, again.unchanged, again.created, again.updated) == (
        "validated",
        2,
        0,
        0,
    )
    assert {e["action"] for e in again.report} == {"unchanged"}
    again = commit(ministry, again)
    assert (again.status, again.unchanged, again.created, again.updated) == ("done", 2, 0, 0)
    assert list(Product.objects.order_by("id").values()) == snapshot
    assert HistoryEntry.objects.count() == history


def test_a_commit_checks_again_and_writes_nothing_if_the_registry_changed(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    product_import = upload(ministry, data)
    assert product_import.status == "validated"
    Region.objects.filter(code=village).update(retired_at=timezone.now())

    product_import = commit(ministry, product_import)
    assert product_import.status == "rejected"
    assert "retired" in by_row(product_import)[2]["errors"]["kode_desa"]
    assert Product.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing_written(ministry, monkeypatch):
    village = first_desa("74.02.", 0)
    data = csv_bytes(
        f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1",
        f"{village},BUMDes Satu,Udang,030617,beku,kg,10,1",
    )
    product_import = upload(ministry, data)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CopyWriter, "_write_batch", fail)
    monkeypatch.setattr(BulkWriter, "_flush", fail)
    with pytest.raises(RuntimeError):
        commit(ministry, product_import)
    product_import.refresh_from_db()
    assert (product_import.status, product_import.error) == ("failed", "disk full")
    assert (Product.objects.count(), Bumdes.objects.count()) == (0, 0)
    assert not HistoryEntry.objects.exists()


def test_both_writers_write_the_same(ministry, officer_sultra, monkeypatch):
    """The set-based writer (PostgreSQL) and the bulk writer give identical rows."""
    monkeypatch.setattr(CopyWriter, "batch_rows", 1)  # several batches, written by a thread
    monkeypatch.setattr(writers, "BATCH", 1)
    product = export_ready_crab(ministry, officer_sultra)
    village = product.bumdes.village_id
    other = first_desa("74.02.", 5)
    data = csv_bytes(
        f"{village},BUMDes Mina Sejahtera,Kepiting bakau hidup,030633,hidup,ton,3,6",
        f"{village},BUMDes Mina Sejahtera,Udang,030617,beku,kg,100,",
        f'{other},BUMDes Baru,Kopi,0901.11,kering,kg,1.000,"2,5"',
    )

    def run(writer_class):
        product_import = upload(ministry, data)
        services.save_fields(product_import, status="importing")
        sid = transaction.savepoint()
        services.commit(product_import, actor=ministry, writer_class=writer_class)
        assert product_import.status == "done"
        skip = ("id", "bumdes_id", "created_at", "updated_at", "export_ready_at")
        result = (
            sorted(
                (
                    tuple(v for k, v in row.items() if k not in skip)
                    for row in Product.objects.values()
                ),
                key=repr,
            ),
            sorted(
                (b["name"], b["village_id"], b["status"], b["kind"])
                for b in Bumdes.objects.values()
            ),
            sorted(
                (
                    (
                        h.kind,
                        h.product.name_id if h.product else "",
                        h.to_status,
                        h.from_status,
                        h.changes,
                        re.sub(r"#\d+", "#", h.note),
                        h.actor_id,
                    )
                    for h in HistoryEntry.objects.select_related("product").filter(
                        kind__in=["imported", "transition"]
                    )
                ),
                key=repr,
            ),
        )
        transaction.savepoint_rollback(sid)
        return result

    default = run(None)
    bulk = run(BulkWriter)
    assert default == bulk
    assert writer_for(actor_id=None, note="", progress=lambda s: None).__class__.__name__ == (
        "CopyWriter" if connection.vendor == "postgresql" else "BulkWriter"
    )


# --- Scope --------------------------------------------------------------------------------------


def test_an_officer_cannot_import_into_another_region(officer_sulteng, officer_konawe):
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    product_import = upload(officer_sulteng, data)
    assert product_import.region_id == "72"
    assert product_import.status == "rejected"
    assert by_row(product_import)[2]["errors"] == {
        "kode_desa": checks.scope_problem(village, covered=False)
    }
    with pytest.raises(PermissionDenied):
        upload(officer_sulteng, data, region="74")
    with pytest.raises(PermissionDenied):
        upload(officer_konawe, data, region="74")  # wider than the officer's own region
    assert upload(officer_konawe, data, region="74.02").status == "validated"


def test_ministry_may_limit_an_import_to_a_region(ministry):
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    assert upload(ministry, data, region="72").status == "rejected"
    assert upload(ministry, data, region="7402").status == "validated"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # A subheading cut short: said as typed, with the subheadings it starts.
        (
            "0301.9",
            "There is no HS 2022 code “0301.9”. "
            "Nearest: 0301.91, 0301.92, 0301.93, 0301.94, 0301.95.",
        ),
        # A code with a digit wrong: the subheadings that start the same.
        ("030637", "There is no HS 2022 code 030637. Nearest: 0306.31, 0306.32, 0306.33"),
    ],
)
def test_a_mistyped_hs_code_is_answered_as_typed_with_the_nearest_codes(ministry, typed, message):
    village = first_desa("74.02.")
    data = csv_bytes(f"{village},BUMDes Samudra,Kepiting,{typed},hidup,kg,1,1")
    product_import = upload(ministry, data)
    assert by_row(product_import)[2]["errors"]["kode_hs"].startswith(message)
