"""The catalogue's "ready for" facet: the markets each export-ready product is ready for, by
the same rules as the registry's readiness per market."""

from __future__ import annotations

import pytest

from products.catalogue import services as catalogue
from products.catalogue.models import CatalogueEntry
from products.models import Bumdes
from tests.products.catalogue.helpers import api_list, certificate, facet, ready
from tests.products.factories import BumdesFactory, first_desa

pytestmark = pytest.mark.django_db

MUD_CRAB = {
    "species": "scylla",
    "carapace_width_cm": 13,
    "weight_g": 200,
    "egg_bearing_excluded": True,
}


@pytest.fixture
def markets(regions):
    bumdes = BumdesFactory(
        village_id=first_desa("74.02."),
        status=Bumdes.Status.VERIFIED,
        nib="1234567890123",
        npwp="012345678901000",
        legal_status=Bumdes.LegalStatus.LEGAL_ENTITY,
    )
    common = {
        "bumdes": bumdes,
        "hs_code_id": "030633",
        "form": "live",
        "unit": "kg",
        "capacity_per_month": 500,
    }
    hong_kong = ready(name_id="Kepiting untuk Hong Kong", specification=MUD_CRAB, **common)
    certificate(hong_kong, "health-fish")
    certificate(hong_kong, "coo-form-ahk")
    china = ready(name_id="Kepiting untuk Tiongkok", specification=MUD_CRAB, **common)
    certificate(china, "health-fish")
    certificate(china, "coo-form-e")
    small = ready(
        name_id="Kepiting kecil",
        specification={**MUD_CRAB, "carapace_width_cm": 10, "weight_g": 100},
        **common,
    )
    certificate(small, "health-fish")
    certificate(small, "coo-form-ahk")
    catalogue.refresh_all()
    return hong_kong, china, small


def test_each_entry_stores_the_markets_it_is_ready_for(markets):
    hong_kong, china, small = markets
    stored = dict(CatalogueEntry.objects.values_list("product_id", "ready_for"))
    assert stored[hong_kong.pk] == "|HK|"
    assert stored[china.pk] == "|CN|"
    assert stored[small.pk] == ""  # below the minimum size: blocked everywhere


def test_the_facet_counts_and_filters_by_market(markets, api_as):
    hong_kong, china, _small = markets
    api = api_as("anonymous")
    data = api_list(api)
    assert facet(data, "ready_for") == {"HK": 1, "CN": 1}
    names = {v["value"]: v["label"] for v in data["facets"]["ready_for"]}
    assert names["HK"] in ("Hong Kong", "Hong Kong SAR China", "Hongkong DAK Tiongkok")
    assert [i["id"] for i in api_list(api, ready_for="HK")["results"]] == [hong_kong.pk]
    both = {i["id"] for i in api_list(api, ready_for="hk,CN")["results"]}
    assert both == {hong_kong.pk, china.pk}
    # Choosing one market keeps the other on offer with its count.
    assert facet(api_list(api, ready_for="HK"), "ready_for") == {"HK": 1, "CN": 1}


def test_an_unknown_market_is_a_400(markets, api_as):
    response = api_as("anonymous").get("/api/v1/catalogue/", {"ready_for": "XX"})
    assert response.status_code == 400
    assert "ready_for" in response.json()


def test_the_item_page_lists_the_markets_it_is_ready_for_and_its_own(markets, client):
    hong_kong, _china, _small = markets
    page = client.get(f"/catalogue/{hong_kong.pk}/").content.decode()
    assert 'id="market-HK"' in page
    assert 'id="market-SG"' not in page  # not every market some rule names
    hong_kong.target_markets.set(["CN"])
    page = client.get(f"/catalogue/{hong_kong.pk}/").content.decode()
    assert 'id="market-CN"' in page and "Form E" in page  # what its own market still needs


def test_a_list_item_names_the_markets_it_is_ready_for(markets, api_as, client):
    hong_kong, _china, _small = markets
    items = {i["id"]: i for i in api_list(api_as("anonymous"))["results"]}
    assert [m["code"] for m in items[hong_kong.pk]["ready_for"]] == ["HK"]
    page = client.get("/catalogue/").content.decode()
    assert "Ready for:" in page
