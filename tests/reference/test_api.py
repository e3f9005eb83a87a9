"""The public reference API: conventions shared by every list endpoint."""

import pytest

from tests.conftest import ROLES


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_reference_endpoints_are_public_for_every_role(api_as, role):
    api = api_as(role)
    for url in ["/api/v1/regions/", "/api/v1/hs-codes/", "/api/v1/countries/", "/api/v1/gateways/"]:
        response = api.get(url)
        assert response.status_code == 200, url
        assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.django_db
def test_regions_filter_by_level_parent_and_name(client):
    body = client.get("/api/v1/regions/", {"level": "regency", "q": "konawe"}).json()
    assert body["count"] == 4
    assert {r["level"] for r in body["results"]} == {"regency"}

    children = client.get("/api/v1/regions/", {"parent": "74", "page_size": 100}).json()
    assert children["count"] == 17
    assert all(r["parent"] == "74" for r in children["results"])

    detail = client.get("/api/v1/regions/74.02/").json()
    assert detail["name"] == "Kabupaten Konawe"
    assert detail["kind"] == "kabupaten"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, params",
    [
        ("/api/v1/regions/", {"level": "planet"}),
        ("/api/v1/regions/", {"parent": "99.99"}),
        ("/api/v1/hs-codes/", {"level": "section"}),
        ("/api/v1/gateways/", {"kind": "spaceport"}),
    ],
)
def test_unknown_filter_values_are_answered_with_400(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["crab", "0306.33", "kepiting"])
def test_hs_codes_search(client, q):
    body = client.get("/api/v1/hs-codes/", {"q": q, "level": "subheading"}).json()
    assert "030633" in {r["code"] for r in body["results"]}
    assert {r["level"] for r in body["results"]} == {"subheading"}


@pytest.mark.django_db
def test_page_size_is_capped_at_100(client):
    body = client.get("/api/v1/hs-codes/", {"page_size": 500}).json()
    assert len(body["results"]) == 100
    assert body["next"]


@pytest.mark.django_db
def test_countries_have_indonesian_and_english_names(client):
    body = client.get("/api/v1/countries/", {"q": "hong kong"}).json()
    assert body["count"] == 1
    hk = body["results"][0]
    assert hk["code"] == "HK" and hk["alpha3"] == "HKG"
    assert hk["name_id"] and hk["name_en"]
    assert client.get("/api/v1/countries/", {"q": "Jepang"}).json()["results"][0]["code"] == "JP"
