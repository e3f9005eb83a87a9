"""Registry API, products: representation, validation, curation, readiness, photos, certificates,
filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from products.models import Certificate, CertificateType, HistoryEntry, Product, ProductPhoto
from tests.products.factories import (
    CertificateFactory,
    ProductFactory,
    fake_image_upload,
    pdf_upload,
    png_upload,
)
from tests.products.test_api import build_registry, product_body, satisfy_export_rules, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(operator):
    return build_registry(operator)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(product, suffix: str = "") -> str:
    return f"/api/v1/products/{product.pk}/{suffix}"


# --- Create and read -------------------------------------------------------------------------


def test_the_operator_creates_a_product_of_its_bumdes(api_as, registry):
    response = api_as("operator").post(
        "/api/v1/products/",
        {
            **product_body(registry),
            "national_code": "0306.33.10",
            "exported_to": ["my"],
            "price": "7.50",
            "min_order": "100",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["bumdes"] == registry.konawe.pk
    assert body["bumdes_name"] == "BUMDes Konawe Sejahtera"
    assert body["village"] == registry.konawe.village_id
    assert body["regency"] == "74.02" and body["regency_name"] == "Kabupaten Konawe"
    assert body["province"] == "74" and body["province_name"]
    assert body["hs_code"] == "030633" and "crabs" in body["hs_description"]
    assert body["national_code"] == "03063310"
    assert body["available_months"] == [1, 2, 3]
    assert sorted(body["target_markets"]) == ["HK", "SG"]
    assert body["exported_to"] == ["MY"]
    assert body["capacity_base"] == "250.000" and body["base_unit"] == "kg"
    assert body["status"] == "draft"
    assert 0 < body["readiness_score"] < 100
    assert body["version"] > 1
    assert body["photos"] == [] and body["certificates"] == []
    product = Product.objects.get(pk=body["id"])
    assert product.available_months == 0b111
    assert product.created_by.username == "t-bumdes"


def test_detail_shows_photos_and_certificates(api_as, registry):
    CertificateFactory(
        product=registry.product,
        type=CertificateType.objects.get(code="halal"),
        valid_until=date.today() - timedelta(days=1),
    )
    ProductPhoto.objects.create(product=registry.product, image=png_upload(), caption="Panen")
    body = api_as("officer_konawe").get(url(registry.product)).json()
    assert body["available_months"] == list(range(1, 13))
    certificates = {c["type"]: c for c in body["certificates"]}
    assert certificates["health-fish"]["valid"] is True
    assert certificates["health-fish"]["type_name"] == "Fish health certificate (KI-1)"
    assert certificates["halal"]["valid"] is False
    assert body["photos"][0]["caption"] == "Panen"
    assert body["photos"][0]["url"].startswith("http://testserver/")


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"hs_code": "03"}, "hs_code"),
        ({"hs_code": "0306"}, "hs_code"),
        ({"hs_code": "999999"}, "hs_code"),
        ({"hs_code": None}, "hs_code"),
        ({"national_code": "12345678"}, "national_code"),
        ({"national_code": "030633"}, "national_code"),
        ({"available_months": [13]}, "available_months"),
        ({"available_months": [0, 1]}, "available_months"),
        ({"available_months": "all"}, "available_months"),
        ({"target_markets": ["XX"]}, "target_markets"),
        ({"exported_to": "SG"}, "exported_to"),
        ({"form": "canned"}, "form"),
        ({"unit": "bushel"}, "unit"),
        ({"incoterm": "XYZ"}, "incoterm"),
        ({"price": "-1"}, "price"),
        ({"capacity_per_month": "lots"}, "capacity_per_month"),
        ({"name_id": ""}, "name_id"),
        ({"bumdes": 999999}, "bumdes"),
        ({"bumdes": "abc"}, "bumdes"),
    ],
)
def test_invalid_product_fields_are_400_field_errors(api_as, registry, fields, error_field):
    response = api_as("ministry").post(
        "/api/v1/products/", {**product_body(registry), **fields}, format="json"
    )
    assert response.status_code == 400
    assert error_field in response.json(), response.json()


def test_a_product_for_a_bumdes_outside_the_scope_is_400(api_as, registry):
    body = {**product_body(registry), "bumdes": registry.muna.pk}
    response = api_as("officer_konawe").post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    assert "bumdes" in response.json()


def test_a_product_cannot_move_to_another_bumdes(api_as, registry):
    response = api_as("ministry").patch(
        url(registry.product), {"bumdes": registry.muna.pk}, format="json"
    )
    assert response.status_code == 400
    assert "bumdes" in response.json()


def test_the_same_name_and_hs_code_twice_in_one_bumdes_is_400(api_as, registry):
    body = {**product_body(registry), "name_id": "KEPITING BAKAU"}
    response = api_as("ministry").post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_patch_changes_only_what_is_sent_and_records_it(api_as, registry):
    Product.objects.filter(pk=registry.product.pk).update(price="5.00")
    registry.product.target_markets.set(["HK"])
    response = api_as("operator").patch(
        url(registry.product), {"available_months": [6, 7], "packaging": "Kotak"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["available_months"] == [6, 7]
    assert body["price"] == "5.00"
    assert body["target_markets"] == ["HK"]
    entry = HistoryEntry.objects.get(product=registry.product, kind="updated")
    assert set(entry.changes) == {"available_months", "packaging"}


def test_delete_only_draft_or_returned_products(api_as, registry):
    api = api_as("officer_konawe")
    set_status(registry.product, "submitted")
    response = api.delete(url(registry.product))
    assert response.status_code == 400 and "status" in response.json()
    set_status(registry.product, "draft")
    assert api.delete(url(registry.product)).status_code == 204
    assert not Product.objects.filter(pk=registry.product.pk).exists()


# --- Curation --------------------------------------------------------------------------------


def test_submit_verify_and_return_a_product(api_as, registry):
    officer, ministry, operator = api_as("officer_sultra"), api_as("ministry"), api_as("operator")
    assert operator.post(url(registry.product, "submit/")).status_code == 403
    assert officer.post(url(registry.product, "submit/")).json()["status"] == "submitted"
    assert officer.post(url(registry.product, "verify/")).status_code == 403
    assert operator.post(url(registry.product, "verify/")).status_code == 403

    response = ministry.post(url(registry.product, "return/"), {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = ministry.post(url(registry.product, "return/"), {"note": "Foto buram"})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Foto buram"

    officer.post(url(registry.product, "submit/"))
    response = ministry.post(url(registry.product, "verify/"))
    assert response.status_code == 200 and response.json()["status"] == "verified"
    transitions = registry.product.history.filter(kind="transition").count()
    assert transitions == 4


def test_mark_export_ready_lists_the_blocking_gaps(api_as, registry):
    set_status(registry.product, "verified")
    response = api_as("ministry").post(url(registry.product, "mark-export-ready/"))
    assert response.status_code == 400
    messages = " | ".join(response.json()["status"])
    for gap in ("NIB missing", "NPWP missing", "not yet a legal entity", "capacity missing"):
        assert gap in messages
    registry.product.refresh_from_db()
    assert registry.product.status == "verified"


def test_mark_export_ready_when_everything_is_satisfied(api_as, registry):
    product = satisfy_export_rules(registry)
    readiness = api_as("ministry").get(url(product, "readiness/")).json()
    assert [g for g in readiness["gaps"] if g["required"]] == []

    response = api_as("ministry").post(url(product, "mark-export-ready/"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["status"] == "export_ready"
    product.refresh_from_db()
    assert product.export_ready_at is not None


def test_mark_export_ready_needs_a_valid_ki1_certificate(api_as, registry):
    product = satisfy_export_rules(registry)
    Certificate.objects.filter(pk=registry.certificate.pk).update(
        valid_from=date.today() - timedelta(days=400), valid_until=date.today() - timedelta(days=1)
    )
    response = api_as("ministry").post(url(product, "mark-export-ready/"))
    assert response.status_code == 400
    assert "KI-1" in " ".join(response.json()["status"])


@pytest.mark.parametrize(
    "change, back_to_review",
    [
        ({"hs_code": "030632"}, True),
        ({"capacity_per_month": "800"}, True),
        ({"unit": "ton"}, True),
        ({"packaging": "Keranjang"}, False),
        ({"available_months": [1, 2]}, False),
    ],
)
def test_a_material_change_sends_an_export_ready_product_back_to_review(
    api_as, registry, change, back_to_review
):
    product = satisfy_export_rules(registry)
    api = api_as("ministry")
    assert api.post(url(product, "mark-export-ready/")).status_code == 200
    response = api_as("operator").patch(url(product), change, format="json")
    assert response.status_code == 200, response.data
    expected = "submitted" if back_to_review else "export_ready"
    assert response.json()["status"] == expected


def test_a_new_certificate_sends_an_export_ready_product_back_to_review(api_as, registry):
    product = satisfy_export_rules(registry)
    api_as("ministry").post(url(product, "mark-export-ready/"))
    response = api_as("operator").post(
        url(product, "certificates/"), {"type": "halal", "number": "H-1"}, format="json"
    )
    assert response.status_code == 201
    product.refresh_from_db()
    assert product.status == "submitted"


# --- Readiness -------------------------------------------------------------------------------


def test_readiness_lists_gaps_in_the_request_language(api_as, registry):
    api = api_as("officer_konawe")
    body = api.get(url(registry.product, "readiness/")).json()
    assert body["product"] == registry.product.pk
    assert body["version"] == Product.objects.get(pk=registry.product.pk).version
    assert 0 <= body["score"] < 100
    gaps = {g["code"]: g for g in body["gaps"]}
    assert gaps["bumdes-nib"] == {
        "code": "bumdes-nib",
        "required": True,
        "awaiting_confirmation": False,
        "message": "NIB missing",
        "next_step": (
            "Register the BUMDes in the OSS system to obtain an NIB; "
            "the halal certificate needs it too."
        ),
        "issuer": "",
        "document": "",
        "legal_basis": "PP No. 5 Tahun 2021 (perizinan berusaha berbasis risiko, OSS)",
        "unrecorded": [],
    }
    assert gaps["photo"]["required"] is False
    assert "ki1-fishery" not in gaps  # the registry's KI-1 certificate is valid
    required = [g["required"] for g in body["gaps"]]
    assert required == sorted(required, reverse=True)  # blocking gaps first

    api.cookies["django_language"] = "id"
    body = api.get(url(registry.product, "readiness/")).json()
    assert {g["code"]: g for g in body["gaps"]}["bumdes-nib"]["message"] == "NIB belum ada"


def test_readiness_follows_the_destinations(api_as, registry):
    registry.product.target_markets.set(["HK"])
    body = api_as("ministry").get(url(registry.product, "readiness/")).json()
    assert "form-ahk-hong-kong" in {g["code"] for g in body["gaps"]}


# --- History ---------------------------------------------------------------------------------


def test_product_history(api_as, registry):
    api = api_as("ministry")
    api.patch(url(registry.product), {"price": "12.5"}, format="json")
    api.post(url(registry.product, "submit/"))
    body = api.get(url(registry.product, "history/")).json()
    assert [e["kind"] for e in body["results"]] == ["transition", "updated"]
    assert body["results"][1]["changes"] == {"price": [None, "12.5"]}
    assert all(e["product"] == registry.product.pk for e in body["results"])


# --- Photos ----------------------------------------------------------------------------------


def test_photo_upload_makes_a_thumbnail(api_as, registry, tmp_path):
    api = api_as("operator")
    response = api.post(
        url(registry.product, "photos/"),
        {"image": png_upload(size=(1200, 900)), "caption": "Kepiting siap kirim"},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["caption"] == "Kepiting siap kirim"
    assert body["url"].endswith(".png")
    assert body["thumbnail_url"].endswith(".jpg")
    photo = ProductPhoto.objects.get(pk=body["id"])
    assert (tmp_path / photo.image.name).exists() and (tmp_path / photo.thumbnail.name).exists()

    from PIL import Image

    with Image.open(tmp_path / photo.thumbnail.name) as thumb:
        assert max(thumb.size) <= 400
    assert api.get(url(registry.product)).json()["photos"][0]["id"] == photo.pk


@pytest.mark.parametrize("upload", [fake_image_upload("x.jpg"), pdf_upload("x.png"), None])
def test_an_upload_that_is_not_an_image_is_400(api_as, registry, upload):
    body = {"image": upload} if upload else {"caption": "tanpa gambar"}
    response = api_as("operator").post(url(registry.product, "photos/"), body, format="multipart")
    assert response.status_code == 400
    assert "image" in response.json()
    assert not ProductPhoto.objects.exists()


def test_photo_delete(api_as, registry, tmp_path, django_capture_on_commit_callbacks):
    api = api_as("officer_konawe")
    photo_id = api.post(
        url(registry.product, "photos/"), {"image": png_upload()}, format="multipart"
    ).json()["id"]
    name = ProductPhoto.objects.get(pk=photo_id).image.name
    other = ProductPhoto.objects.create(product=registry.muna_product, image=png_upload())
    assert api.delete(url(registry.product, f"photos/{other.pk}/")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(url(registry.product, f"photos/{photo_id}/")).status_code == 204
    assert not ProductPhoto.objects.filter(pk=photo_id).exists()
    assert not (tmp_path / name).exists()  # the file goes once the deletion has committed
    assert api.delete(url(registry.product, f"photos/{photo_id}/")).status_code == 404


# --- Certificates ----------------------------------------------------------------------------


def test_certificates_are_listed_added_changed_and_removed(api_as, registry):
    api = api_as("operator")
    base = url(registry.product, "certificates/")
    listed = api.get(base).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [c["type"] for c in listed["results"]] == ["health-fish"]

    response = api.post(
        base,
        {"type": "halal", "number": "ID-HALAL-1", "valid_from": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.data
    created = response.json()
    assert created["type_name"] == "Halal certificate" and created["valid"] is True
    assert created["document"] is None

    response = api.patch(f"{base}{created['id']}/", {"valid_until": "2024-06-30"}, format="json")
    assert response.status_code == 200 and response.json()["valid"] is False
    assert registry.product.history.filter(kind="certificate").count() == 2

    assert api.delete(f"{base}{created['id']}/").status_code == 204
    assert api.get(f"{base}{created['id']}/").status_code == 404


def test_a_certificate_with_a_document(api_as, registry, tmp_path):
    response = api_as("ministry").post(
        url(registry.product, "certificates/"),
        {"type": "coo-form-ahk", "number": "AHK-01", "document": pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    document = response.json()["document"]
    assert document.startswith("http://testserver/") and document.endswith(".pdf")

    response = api_as("ministry").post(
        url(registry.product, "certificates/"),
        {"type": "coo-form-ahk", "number": "AHK-02", "document": fake_image_upload("a.pdf")},
        format="multipart",
    )
    assert response.status_code == 400 and "document" in response.json()


@pytest.mark.parametrize(
    "body, error_field",
    [
        ({"type": "passport", "number": "1"}, "type"),
        ({"number": "1"}, "type"),
        ({"type": "halal"}, "number"),
        ({"type": "halal", "number": "1", "valid_until": "tomorrow"}, "valid_until"),
        (
            {
                "type": "halal",
                "number": "1",
                "valid_from": "2025-02-01",
                "valid_until": "2025-01-01",
            },
            "non_field_errors",
        ),
    ],
)
def test_invalid_certificates_are_400(api_as, registry, body, error_field):
    response = api_as("ministry").post(url(registry.product, "certificates/"), body, format="json")
    assert response.status_code == 400
    assert error_field in response.json(), response.json()


def test_a_certificate_is_reached_only_through_its_own_product(api_as, registry):
    other = CertificateFactory(product=registry.muna_product)
    api = api_as("ministry")
    assert api.get(url(registry.product, f"certificates/{other.pk}/")).status_code == 404
    assert api.get(url(registry.muna_product, f"certificates/{other.pk}/")).status_code == 200


def test_certificate_types_are_listed_for_any_signed_in_user(api_as, registry):
    body = api_as("exporter").get("/api/v1/certificate-types/", {"page_size": 100}).json()
    codes = {t["code"] for t in body["results"]}
    assert {"halal", "health-fish", "coo-form-ahk"} <= codes
    assert all(t["name"] == t["name_en"] for t in body["results"])


# --- Filters, ordering, pagination -----------------------------------------------------------


def names(api, **params) -> list[str]:
    response = api.get("/api/v1/products/", params)
    assert response.status_code == 200, response.data
    return [p["name_id"] for p in response.json()["results"]]


def test_product_filters(api_as, registry):
    api = api_as("ministry")
    assert names(api) == ["Kepiting Banggai", "Kepiting bakau", "Rumput laut"]
    assert names(api, province="74") == ["Kepiting bakau", "Rumput laut"]
    assert names(api, province="72") == ["Kepiting Banggai"]
    assert names(api, regency="7402") == ["Kepiting bakau"]
    assert names(api, regency="74.03") == ["Rumput laut"]
    assert names(api, hs_chapter="12") == ["Rumput laut"]
    assert names(api, q="kepiting") == ["Kepiting Banggai", "Kepiting bakau"]
    assert names(api, q="muna") == ["Rumput laut"]  # the BUMDes name
    assert names(api, certificate="health-fish") == ["Kepiting bakau"]
    assert names(api, bumdes=registry.muna.pk) == ["Rumput laut"]
    assert names(api, disadvantaged="true") == ["Kepiting Banggai"]
    assert names(api, disadvantaged="false") == ["Kepiting bakau", "Rumput laut"]
    set_status(registry.muna_product, "submitted")
    assert names(api, status="submitted") == ["Rumput laut"]
    assert names(api, ordering="-name") == ["Rumput laut", "Kepiting bakau", "Kepiting Banggai"]
    Product.objects.filter(pk=registry.muna_product.pk).update(capacity_base=900)
    assert names(api, ordering="capacity")[0] == "Rumput laut"


def test_filters_never_widen_the_scope(api_as, registry):
    api = api_as("officer_konawe")
    assert names(api, province="72") == []
    assert names(api, bumdes=registry.muna.pk) == []
    assert names(api_as("exporter"), province="74") == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "approved"},
        {"province": "99"},
        {"regency": "74.99"},
        {"hs_chapter": "3"},
        {"hs_chapter": "0306"},
        {"certificate": "passport"},
        {"ordering": "price"},
        {"bumdes": "abc"},
        {"bumdes": "99999999999999999999999"},
    ],
)
def test_unknown_product_filter_values_are_400(api_as, registry, params):
    response = api_as("ministry").get("/api/v1/products/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_product_list_is_paginated(api_as, registry):
    for _ in range(4):
        ProductFactory(bumdes=registry.konawe)
    api = api_as("officer_konawe")
    body = api.get("/api/v1/products/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5 and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    last = api.get("/api/v1/products/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert api.get("/api/v1/products/", {"page": 9}).status_code == 404
