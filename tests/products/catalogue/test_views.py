"""The catalogue pages, and every page and endpoint with every role."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.products.catalogue.helpers import (
    ALL_ROLES,
    api_list,
)

pytestmark = pytest.mark.django_db


# --- Pages ------------------------------------------------------------------------------------


def test_the_list_page_shows_cards_facets_and_pages(cat, client):
    html = client.get(reverse("catalogue:list")).content.decode()
    for product in (cat.crab, cat.coffee, cat.seaweed, cat.flour):
        assert product.name_en in html
        assert reverse("catalogue:detail", args=[product.pk]) in html
    assert "4 export-ready products" in html
    assert "Sulawesi Tenggara" in html and "Kabupaten Donggala" in html
    assert "?province=72" in html and "HS chapter" in html
    html = client.get(reverse("catalogue:list"), {"q": "kopi", "province": "72"}).content.decode()
    assert "1 export-ready product" in html and "Robusta coffee" in html
    assert "Live mud crab" not in html
    assert "Clear all filters" in html
    # On a phone the filters wait behind a button that says how many are on (CSS, checked in
    # Chromium at 390 px: the results come first, the filters open with the button).
    assert "Filters (1)" in html and 'id="show-filters"' in html


def test_the_list_page_combines_values_of_a_facet_and_undoes_each_alone(cat, client):
    html = client.get(reverse("catalogue:list"), {"province": "72"}).content.decode()
    # Choosing a second province keeps the first; both are then one chip each.
    assert "?province=72%2C74" in html
    html = client.get(reverse("catalogue:list"), {"province": "72,74"}).content.decode()
    assert "4 export-ready products" in html and "Filters (2)" in html
    assert "Sulawesi Tengah ×" in html and "Sulawesi Tenggara ×" in html
    # Each chip (and each chosen option) takes away its own value only.
    assert 'href="?province=74"' in html and 'href="?province=72"' in html
    assert "Choose one or more" in html


def test_the_list_page_leaves_out_filters_it_does_not_know(cat, client):
    response = client.get(reverse("catalogue:list"), {"province": "99", "q": "kopi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not understood" in html and "Robusta coffee" in html
    response = client.get(reverse("catalogue:list"), {"page": "999"})
    assert response.status_code == 200


def test_the_product_page_shows_what_a_buyer_needs(cat, client):
    html = client.get(reverse("catalogue:detail", args=[cat.flour.pk])).content.decode()
    for text in (
        "Banana flour",
        "Tepung pisang",
        "BUMDes Pisang Emas",
        "Kabupaten Tojo Una Una",
        "Sulawesi Tengah",
        "1106.30",
        "Processed",
        "500 kilogram",
        "Halal",
        "expired",
        "Harvest calendar",
        "Export readiness",
        "disadvantaged regency",
    ):
        assert text in html, text


def test_texts_recorded_in_indonesian_only_say_so_to_other_readers(cat, client, api_as):
    cat.flour.packaging = "Karung 25 kg berlapis plastik"
    cat.flour.description_en = ""
    cat.flour.save()
    url = reverse("catalogue:detail", args=[cat.flour.pk])
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert '<span lang="id">Karung 25 kg berlapis plastik</span>' in html
    assert "(in Indonesian only)" in html and "The description is in Indonesian only." in html
    assert "name is in Indonesian only" not in html  # the flour has an English name
    client.cookies["django_language"] = "id"
    html = client.get(url).content.decode()
    assert "Karung 25 kg" in html and "only-in" not in html
    api = api_as("anonymous")
    data = api.get(reverse("api-catalogue-item", args=[cat.flour.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert data.json()["only_in_indonesian"] == ["description", "packaging"]


def test_the_product_api_shows_what_a_buyer_needs(cat, api_as):
    data = api_as("anonymous").get(reverse("api-catalogue-item", args=[cat.flour.pk])).json()
    assert data["id"] == cat.flour.pk
    assert data["village"]["code"] == cat.flour.bumdes.village_id
    assert data["regency"] == {"code": "72.09", "name": "Kabupaten Tojo Una Una"}
    assert data["province"] == {"code": "72", "name": "Sulawesi Tengah"}
    assert data["available_months"] == [date.today().month]
    assert data["disadvantaged"] is True
    certificates = {c["code"]: (c["valid"], c["expired"]) for c in data["certificates"]}
    assert certificates == {"halal": (True, False), "bpom-md": (True, False), "sni": (False, True)}
    assert data["readiness"]["score"] == 100
    assert data["bumdes"]["name"] == "BUMDes Pisang Emas"


# --- Every page and endpoint with every role ------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_with_every_role(cat, as_role, role):
    client = as_role(role)
    assert client.get(reverse("catalogue:list")).status_code == 200
    assert client.get(reverse("catalogue:list"), {"q": "crab", "form": "live"}).status_code == 200
    assert client.get(reverse("catalogue:detail", args=[cat.crab.pk])).status_code == 200
    assert client.get(reverse("catalogue:detail", args=[cat.hidden[0].pk])).status_code == 404
    assert client.get(reverse("catalogue:detail", args=[999999])).status_code == 404
    log = client.get(reverse("catalogue:contact_log"))
    expected = {"anonymous": 302, "ministry": 200}.get(role, 403)
    assert log.status_code == expected
    if role == "anonymous":
        assert log.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_endpoint_with_every_role(cat, api_as, role):
    api = api_as(role)
    data = api_list(api, q="crab")
    assert [r["id"] for r in data["results"]] == [cat.crab.pk]
    response = api.get(reverse("api-catalogue-item", args=[cat.crab.pk]))
    assert response.status_code == 200
    assert response.json()["contact_visible"] is (role in ("ministry", "verified_exporter"))
    assert api.get(reverse("api-catalogue-item", args=[cat.hidden[0].pk])).status_code == 404
    assert api.get(reverse("api-catalogue"), {"form": "gas"}).status_code == 400
