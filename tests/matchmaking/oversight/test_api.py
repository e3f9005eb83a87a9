"""The dashboard's figures through the API, with the page's access rules."""

from __future__ import annotations

import pytest

from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.oversight.test_dashboard import (
    SEES_PROVINCES,
    figures,  # noqa: F401 (fixture)
)

URLS = [
    "/api/v1/dashboard/provinces/",
    "/api/v1/dashboard/provinces/74/regencies/",
    "/api/v1/dashboard/funnel/",
    "/api/v1/dashboard/shipments/",
]


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("url", URLS)
def test_who_reads_the_dashboard_api(figures, api_as, role, url):  # noqa: F811
    response = api_as(role).get(url)
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role in SEES_PROVINCES:
        expected = 404 if (url.endswith("regencies/") and role == "officer_sulteng") else 200
        assert response.status_code == expected
    else:
        assert response.status_code == 403


def test_provinces_and_their_figures(figures, api_as):  # noqa: F811
    body = api_as("ministry").get("/api/v1/dashboard/provinces/", {"year": 2026}).json()
    assert (body["year"], body["provinces"], body["meeting"]) == (2026, 38, 1)
    sultra = next(r for r in body["results"] if r["code"] == "74")
    assert (sultra["bumdes_registered"], sultra["bumdes_export_ready"], sultra["meets_target"]) == (
        2,
        1,
        True,
    )
    officer = api_as("officer_sulteng").get("/api/v1/dashboard/provinces/").json()
    assert [r["code"] for r in officer["results"]] == ["72"]


def test_shipment_totals_grouped_and_filtered(figures, api_as):  # noqa: F811
    client = api_as("ministry")
    rows = client.get("/api/v1/dashboard/shipments/", {"group": "destination"}).json()
    assert [(r["key"], r["shipments"]) for r in rows] == [("HK", 1)]
    assert client.get("/api/v1/dashboard/shipments/", {"region": "72"}).json() == []


@pytest.mark.parametrize(
    "params",
    [{"group": "secret"}, {"shipped_from": "yesterday"}, {"year": "1900"}, {"year": "x"}],
)
def test_bad_parameters_are_a_400(figures, api_as, params):  # noqa: F811
    url = "/api/v1/dashboard/provinces/" if "year" in params else "/api/v1/dashboard/shipments/"
    assert api_as("ministry").get(url, params).status_code == 400


def _registered(response):
    return next(step["products"] for step in response.json() if step["key"] == "registered")


@pytest.mark.parametrize(
    ("role", "region", "status", "products"),
    [
        ("ministry", "", 200, 5),  # every product of the world
        ("ministry", "74", 200, 3),  # the Konawe crab, crab meat and avocado oil
        ("ministry", "72.03", 200, 2),  # the Donggala crab and the product in review
        ("officer_sultra", "74.02", 200, 3),
        ("officer_sultra", "", 200, 3),  # his province
        ("officer_konawe", "74.02", 200, 3),
        ("officer_konawe", "74", 404, None),  # more than his regency
        ("officer_sulteng", "74", 404, None),
        ("ministry", "99", 400, None),
        ("ministry", "74.02.01", 400, None),  # a district: the API takes provinces and regencies
    ],
)
def test_the_funnel_of_a_region(figures, api_as, role, region, status, products):  # noqa: F811
    response = api_as(role).get("/api/v1/dashboard/funnel/", {"region": region})
    assert response.status_code == status
    if products is not None:
        assert _registered(response) == products
