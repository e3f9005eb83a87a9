"""Registry API, BUMDes: representation, validation, workflow, photo, history, filters."""

from __future__ import annotations

import pytest

from products.models import Bumdes, HistoryEntry
from tests.products.factories import (
    BumdesFactory,
    fake_image_upload,
    first_desa,
    first_kelurahan,
    png_upload,
)
from tests.products.test_api import build_registry, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(operator):
    return build_registry(operator)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def create(api, **fields):
    body = {"name": "BUMDes Mekar Jaya", "village": first_desa("74.02."), **fields}
    return api.post("/api/v1/bumdes/", body, format="json")


# --- Create and read -------------------------------------------------------------------------


def test_an_officer_creates_a_bumdes_in_its_region(api_as):
    village = first_desa("74.02.")
    response = create(
        api_as("officer_konawe"),
        village=village.replace(".", ""),
        year_founded=2019,
        npwp="01.234.567.8-901.000",
        nib="1234567890123",
        business_units="Perikanan\nSimpan pinjam",
        contact_email="bumdes@example.id",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["village"] == village
    assert body["district"] == village[:8]
    assert body["regency"] == "74.02" and body["regency_name"] == "Kabupaten Konawe"
    assert body["province"] == "74" and body["province_name"]
    assert body["village_name"] and body["district_name"]
    assert body["npwp"] == "012345678901000"
    assert body["status"] == "draft" and body["return_reason"] == ""
    assert body["products_count"] == 0
    assert body["photo"] is None
    assert body["member_villages"] == []
    assert HistoryEntry.objects.filter(bumdes_id=body["id"], kind="created").exists()


def test_officer_outside_the_region_cannot_create_there(api_as):
    response = create(api_as("officer_sulteng"))
    assert response.status_code == 400
    assert "outside your region" in response.json()["village"][0]
    assert create(api_as("officer_sulteng"), village=first_desa("72.03.")).status_code == 201


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"npwp": "12345"}, "npwp"),
        ({"nib": "12-34"}, "nib"),
        ({"village": "kelurahan"}, "village"),
        ({"village": "99.99.99.9999"}, "village"),
        ({"village": "74.02"}, "village"),
        ({"village": None}, "village"),
        ({"village": ["74"]}, "village"),
        ({"kind": "koperasi"}, "kind"),
        ({"legal_status": "legal_entity"}, "legal_certificate_number"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"year_founded": "kemarin"}, "year_founded"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_bumdes_fields_are_400_field_errors(api_as, fields, error_field):
    if fields.get("village") == "kelurahan":
        fields["village"] = first_kelurahan("74.02.")
    response = create(api_as("ministry"), **fields)
    assert response.status_code == 400
    assert error_field in response.json(), response.json()


def test_a_duplicate_name_in_the_same_village_is_400(api_as):
    api = api_as("ministry")
    assert create(api).status_code == 201
    response = create(api, name="bumdes mekar jaya")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_bum_desa_bersama_members_lie_in_one_regency(api_as):
    api = api_as("officer_sultra")
    lead = first_desa("74.02.")
    other = first_desa("74.02.", index=1)
    response = create(api, kind="bersama", member_villages=[other.replace(".", "")])
    assert response.status_code == 201, response.data
    assert sorted(response.json()["member_villages"]) == sorted({lead, other})

    response = create(
        api, name="BUMDesma Lintas", kind="bersama", member_villages=[first_desa("74.03.")]
    )
    assert response.status_code == 400
    assert "member_villages" in response.json()


# --- Update and delete -----------------------------------------------------------------------


def test_the_operator_edits_its_own_bumdes_but_cannot_move_it(api_as, registry):
    api = api_as("operator")
    url = f"/api/v1/bumdes/{registry.konawe.pk}/"
    response = api.patch(url, {"manager_name": "Wa Ode Sari", "npwp": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["manager_name"] == "Wa Ode Sari"
    entry = HistoryEntry.objects.filter(bumdes=registry.konawe, kind="updated").get()
    assert entry.changes["manager_name"] == ["", "Wa Ode Sari"]

    response = api.patch(url, {"village": first_desa("74.02.", index=1)}, format="json")
    assert response.status_code == 400
    assert "village" in response.json()


def test_an_officer_cannot_move_a_bumdes_out_of_its_region(api_as, registry):
    response = api_as("officer_konawe").patch(
        f"/api/v1/bumdes/{registry.konawe.pk}/", {"village": first_desa("74.03.")}, format="json"
    )
    assert response.status_code == 400
    assert "village" in response.json()


def test_put_needs_the_required_fields(api_as, registry):
    response = api_as("ministry").put(
        f"/api/v1/bumdes/{registry.konawe.pk}/", {"manager_name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "village"}


def test_only_an_empty_draft_or_returned_bumdes_can_be_deleted(api_as, registry):
    api = api_as("officer_sultra")
    response = api.delete(f"/api/v1/bumdes/{registry.konawe.pk}/")
    assert response.status_code == 400
    assert "products" in response.json()

    set_status(registry.muna, "verified")
    registry.muna_product.delete()
    response = api.delete(f"/api/v1/bumdes/{registry.muna.pk}/")
    assert response.status_code == 400
    assert "status" in response.json()

    Bumdes.objects.filter(pk=registry.muna.pk).update(status="returned", return_reason="salah")
    assert api.delete(f"/api/v1/bumdes/{registry.muna.pk}/").status_code == 204
    assert not Bumdes.objects.filter(pk=registry.muna.pk).exists()
    assert api.get(f"/api/v1/bumdes/{registry.muna.pk}/").status_code == 404


# --- Workflow --------------------------------------------------------------------------------


def test_submit_verify_return_and_submit_again(api_as, registry):
    url = f"/api/v1/bumdes/{registry.konawe.pk}/"
    officer, ministry = api_as("officer_konawe"), api_as("ministry")

    assert api_as("operator").post(url + "submit/").status_code == 403
    response = officer.post(url + "submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    assert officer.post(url + "verify/").status_code == 403
    response = ministry.post(url + "return/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    response = ministry.post(url + "return/", {"note": "  "}, format="json")
    assert response.status_code == 400 and "note" in response.json()

    response = ministry.post(url + "return/", {"note": "Lengkapi NIB"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Lengkapi NIB"

    assert officer.post(url + "submit/").json()["status"] == "submitted"
    response = ministry.post(url + "verify/", {"note": "ok"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "verified" and response.json()["return_reason"] == ""


def test_an_impossible_transition_is_400(api_as, registry):
    response = api_as("ministry").post(f"/api/v1/bumdes/{registry.konawe.pk}/verify/")
    assert response.status_code == 400
    assert "status" in response.json()


def test_history_lists_changes_newest_first(api_as, registry):
    api = api_as("officer_konawe")
    url = f"/api/v1/bumdes/{registry.konawe.pk}/"
    api.patch(url, {"manager_name": "La Ode"}, format="json")
    api.post(url + "submit/")
    body = api.get(url + "history/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    kinds = [entry["kind"] for entry in body["results"]]
    assert kinds == ["transition", "updated"]
    latest = body["results"][0]
    assert latest["from_status"] == "draft" and latest["to_status"] == "submitted"
    assert latest["actor"] == "t-konawe"
    assert latest["product"] is None


# --- Photo -----------------------------------------------------------------------------------


def test_bumdes_photo_upload(api_as, registry, tmp_path):
    api = api_as("operator")
    url = f"/api/v1/bumdes/{registry.konawe.pk}/photo/"
    response = api.post(url, {"photo": png_upload(size=(900, 600))}, format="multipart")
    assert response.status_code == 200, response.data
    assert response.json()["photo"].startswith("http://testserver/")
    registry.konawe.refresh_from_db()
    assert (tmp_path / registry.konawe.photo.name).exists()

    response = api.post(url, {"photo": fake_image_upload()}, format="multipart")
    assert response.status_code == 400 and "photo" in response.json()
    response = api.post(url, {}, format="multipart")
    assert response.status_code == 400 and "photo" in response.json()


# --- Filters ---------------------------------------------------------------------------------


def test_bumdes_filters(api_as, registry):
    api = api_as("ministry")

    def names(**params):
        body = api.get("/api/v1/bumdes/", params).json()
        return [b["name"] for b in body["results"]]

    assert names(province="74") == ["BUMDes Konawe Sejahtera", "BUMDes Muna Jaya"]
    assert names(regency="7402") == ["BUMDes Konawe Sejahtera"]
    assert names(regency="74.03") == ["BUMDes Muna Jaya"]
    assert names(q="banggai") == ["BUMDes Banggai Laut"]
    set_status(registry.muna, "submitted")
    assert names(status="submitted") == ["BUMDes Muna Jaya"]
    assert names(ordering="-name")[0] == "BUMDes Muna Jaya"
    listed = api.get("/api/v1/bumdes/", {"province": "74"}).json()["results"]
    assert {b["name"]: b["products_count"] for b in listed} == {
        "BUMDes Konawe Sejahtera": 1,
        "BUMDes Muna Jaya": 1,
    }


def test_filters_stay_inside_the_scope(api_as, registry):
    body = api_as("officer_konawe").get("/api/v1/bumdes/", {"province": "72"}).json()
    assert body["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"status": "approved"},
        {"province": "99"},
        {"province": "74.02"},
        {"regency": "74"},
        {"ordering": "random"},
    ],
)
def test_unknown_bumdes_filter_values_are_400(api_as, registry, params):
    response = api_as("ministry").get("/api/v1/bumdes/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_bumdes_list_is_paginated(api_as, registry):
    for _ in range(3):
        BumdesFactory()
    body = api_as("ministry").get("/api/v1/bumdes/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6 and len(body["results"]) == 2 and body["next"]
