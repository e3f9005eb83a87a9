"""The public catalogue API."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.products.catalogue.helpers import (
    api_list,
)

pytestmark = pytest.mark.django_db


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"province": "99"},
        {"province": "Sulawesi"},
        {"hs_chapter": "xx"},
        {"hs_chapter": "98"},
        {"form": "gas"},
        {"certificate": "nope"},
        {"disadvantaged": "maybe"},
        {"available_this_month": "2"},
        {"ordering": "price"},
        {"page": "0"},
        {"page_size": "1000"},
    ],
)
def test_unknown_filter_values_are_400(cat, api_as, params):
    response = api_as("anonymous").get(reverse("api-catalogue"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pages_link_to_each_other(cat, api_as):
    api = api_as("anonymous")
    first = api_list(api, ordering="newest", page_size=3)
    assert (first["count"], len(first["results"]), first["previous"]) == (4, 3, None)
    second = api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [cat.flour.pk]
    assert second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query) == {
        "ordering": ["newest"],
        "page_size": ["3"],
    }
    assert api.get(reverse("api-catalogue"), {"page": 3, "page_size": 3}).status_code == 404


def test_a_list_item_carries_what_a_card_shows(cat, api_as):
    data = api_list(api_as("anonymous"), q="kopi")
    (item,) = data["results"]
    assert item["id"] == cat.coffee.pk
    assert (item["name"], item["name_id"], item["name_en"]) == (
        "Robusta coffee",
        "Kopi robusta",
        "Robusta coffee",
    )
    assert item["bumdes"] == {"id": cat.coffee.bumdes_id, "name": "BUMDes Kopi Lembah"}
    assert item["regency"] == {"code": "72.03", "name": "Kabupaten Donggala"}
    assert item["province"] == {"code": "72", "name": "Sulawesi Tengah"}
    assert (item["hs_code"], item["form"], item["capacity_per_month"], item["unit"]) == (
        "090111",
        "dried",
        "800",
        "kg",
    )
    assert (item["disadvantaged"], item["available_this_month"]) == (True, False)
    assert [c["code"] for c in item["certificates"]] == ["halal"]
    assert item["url"].endswith(f"/api/v1/catalogue/{cat.coffee.pk}/")


def test_the_name_follows_the_readers_language(cat, api_as):
    api = api_as("anonymous")
    api.cookies["django_language"] = "id"
    (item,) = api_list(api, q="coffee")["results"]
    assert item["name"] == "Kopi robusta"
