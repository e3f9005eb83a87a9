"""The bulk import's API: upload, progress, commit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from products.imports.models import ProductImport
from tests.products.factories import first_desa
from tests.products.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db


# --- API ------------------------------------------------------------------------------------------


def test_upload_and_commit_through_the_api(api_as, ministry):
    api = api_as("ministry")
    village = first_desa("74.02.", 0)
    data = csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    response = api.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("p.csv", data)}, format="multipart"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["rows"], body["created"], body["rejected"]) == (
        "validated",
        1,
        1,
        0,
    )
    assert body["report"][0]["action"] == "create"
    assert body["progress"] is None and body["error_report"] is None

    detail = api.get(f"/api/v1/imports/{body['id']}/").json()
    assert detail["status"] == "validated" and detail["report_truncated"] is False

    response = api.post(f"/api/v1/imports/{body['id']}/commit/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["created"]) == ("done", 1)
    assert api.post(f"/api/v1/imports/{body['id']}/commit/").status_code == 409

    bad = csv_bytes("74.99.99.9999,BUMDes Dua,Udang,030617,beku,kg,10,1")
    body = api.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("bad.csv", bad)}, format="multipart"
    ).json()
    assert body["status"] == "rejected"
    assert body["report"][0]["errors"]["kode_desa"].startswith("There is no village")
    assert body["error_report"].endswith(f"/registry/imports/{body['id']}/errors.csv")
    assert api.post(f"/api/v1/imports/{body['id']}/commit/").status_code == 409

    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", data), "region": "99"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "region" in response.json()


def test_an_officer_region_outside_their_own_is_403_on_the_api(api_as):
    data = csv_bytes(f"{first_desa()},B,P,030633,hidup,kg,1,1")
    response = api_as("officer_sulteng").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", data), "region": "74"},
        format="multipart",
    )
    assert response.status_code == 403
    assert ProductImport.objects.count() == 0
