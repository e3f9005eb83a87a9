"""Malformed input found by an attack on the running portal gets a clear 400, never a 500
(issue #12): percent signs in filter values, deeply nested JSON, an overlong search."""

from __future__ import annotations

import pytest

ROLES_SIGNED_IN = ["ministry", "officer_sultra", "exporter", "operator"]


@pytest.mark.parametrize("role", ROLES_SIGNED_IN)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/?regency=%25s",
        "/api/v1/products/?province=%25",
        "/api/v1/bumdes/?province=%25",
        "/api/v1/bumdes/?regency=%25s%25s",
        "/api/v1/exporters/?market=%25s",
    ],
)
def test_a_percent_sign_in_a_filter_is_an_unknown_value_not_a_500(api_as, role, url):
    response = api_as(role).get(url)
    assert response.status_code == 400, response.content[:300]
    assert "%" in response.content.decode()  # the value quoted as given


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/products/"])
def test_deeply_nested_json_is_refused_as_malformed(api_as, url):
    response = api_as("anonymous").generic("POST", url, NESTED, content_type="application/json")
    assert response.status_code in (400, 401, 403), response.content[:300]
    if response.status_code == 400:
        assert "JSON" in response.content.decode()


def test_deeply_nested_json_to_the_registration_page_is_not_a_500(client, regions):
    response = client.generic(
        "POST", "/exporters/register/", NESTED, content_type="application/json"
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "url",
    ["/api/v1/products/", "/api/v1/bumdes/", "/api/v1/exporters/", "/api/v1/catalogue/"],
)
def test_an_overlong_search_is_refused_with_a_reason(api_as, url):
    response = api_as("ministry").get(url, {"q": "kepiting " * 7000})
    assert response.status_code == 400, response.content[:300]
    assert "q" in response.json()


@pytest.mark.parametrize("url", ["/catalogue/", "/registry/products/", "/exporters/"])
def test_an_overlong_search_on_a_page_is_not_a_500(as_role, url):
    response = as_role("ministry").get(url, {"q": "kepiting " * 7000})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/hs-codes/", "/api/v1/countries/"])
def test_an_overlong_search_of_the_reference_data_is_refused(api_as, url):
    response = api_as("anonymous").get(url, {"q": "kepiting " * 30})
    assert response.status_code == 400, response.content[:300]
    assert "q" in response.json()
