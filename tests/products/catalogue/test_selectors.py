"""Search in both languages and facet counts, over export-ready products only
(``products.catalogue.selectors``).

Runs on SQLite by default and on PostgreSQL (full-text search, trigram typo tolerance) with
``DATABASE_URL``; the typo test needs PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from products.catalogue import selectors
from products.catalogue import services as catalogue
from products.catalogue.models import CatalogueEntry
from products.catalogue.selectors import CatalogueQuery
from tests.products.catalogue.helpers import (
    api_list,
    facet,
    find,
    ids,
    ready,
)

pytestmark = pytest.mark.django_db


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ["kepiting", "crab", "KEPITING", "Kepíting", "kepiting bakau", "mud crab", "MANGROVE"]
)
def test_the_konawe_crab_is_found_in_both_languages_whatever_the_case_and_accents(cat, q):
    assert ids(find(q=q)) == [cat.crab.pk]


@pytest.mark.parametrize(
    ("q", "product"),
    [
        ("kopi", "coffee"),
        ("coffee", "coffee"),
        ("tepung pisang", "flour"),
        ("banana flour", "flour"),
        ("rumput laut", "seaweed"),
        ("seaweed", "seaweed"),
        ("gluten", "flour"),
        ("Donggala", "coffee"),
    ],
)
def test_names_descriptions_and_places_are_searched(cat, q, product):
    assert ids(find(q=q)) == [getattr(cat, product).pk]


def test_a_product_is_found_by_the_commodity_terms_of_its_hs_code(cat):
    # "Rajungan" names neither crab nor kepiting: the HS aliases of 0306.33 do.
    swimming_crab = ready(
        bumdes=cat.crab.bumdes, name_id="Rajungan Konawe", hs_code_id="030633", form="fresh"
    )
    catalogue.refresh_entries([swimming_crab.pk])
    assert set(ids(find(q="kepiting"))) == {cat.crab.pk, swimming_crab.pk}
    assert set(ids(find(q="crab"))) == {cat.crab.pk, swimming_crab.pk}


@pytest.mark.parametrize("q", ["xyzzyqwv", "kepiting xyzzyqwv", "zzzz"])
def test_a_term_that_matches_nothing_returns_nothing(cat, q):
    results = find(q=q)
    assert (results.count, results.entries, results.fuzzy) == (0, [], False)
    assert all(not getattr(results.facets, name) for name in ("form", "province", "hs_chapter"))


def test_a_typo_finds_similar_names_on_every_database(cat, api_as, client):
    results = find(q="kepting")
    assert (ids(results), results.fuzzy) == ([cat.crab.pk], True)
    data = api_list(api_as("anonymous"), q="kepting")
    assert ([r["id"] for r in data["results"]], data["approximate"]) == ([cat.crab.pk], True)
    assert ids(find(q="kepting bakau")) == [cat.crab.pk]
    assert ids(find(q="tepung pisng")) == [cat.flour.pk]
    assert find(q="kepting xyzzyqwv").count == 0  # every word must be like a word of a name
    assert api_list(api_as("anonymous"), q="kepiting")["approximate"] is False
    html = client.get(reverse("catalogue:list"), {"q": "kepting"}).content.decode()
    assert "Nothing matched “kepting” exactly" in html and "Live mud crab" in html
    assert ids(find(q="kepitng")) == [cat.crab.pk]  # a letter left out


def test_the_trigram_similarity_is_pg_trgms():
    from products.catalogue.text import similarity

    # The values PostgreSQL gives: SELECT similarity('kepting', 'kepiting') → 0.54545456.
    assert round(similarity("kepting", "kepiting"), 4) == 0.5455
    assert round(similarity("kepitng", "kepiting"), 4) == 0.5455
    assert similarity("crab", "crab") == 1.0 and similarity("crab", "kopi") == 0.0


def test_orderings(cat):
    assert ids(find(ordering="newest")) == [
        cat.coffee.pk,
        cat.seaweed.pk,
        cat.crab.pk,
        cat.flour.pk,
    ]
    assert ids(find(ordering="capacity")) == [
        cat.seaweed.pk,
        cat.crab.pk,
        cat.coffee.pk,
        cat.flour.pk,
    ]
    assert ids(find()) == ids(find(ordering="newest"))  # same readiness: newest first
    # With words, the product named by them comes before one that only mentions them.
    cat.coffee.description_en = "Pairs well with banana flour cakes."
    cat.coffee.save()
    catalogue.refresh_entries([cat.coffee.pk])
    assert ids(find(q="banana flour")) == [cat.flour.pk, cat.coffee.pk]


# --- Facets -----------------------------------------------------------------------------------


def test_facets_count_the_whole_catalogue_exactly(cat, api_as):
    data = api_list(api_as("anonymous"))
    assert data["count"] == 4
    assert facet(data, "province") == {"74": 2, "72": 2}
    assert facet(data, "hs_chapter") == {"03": 1, "09": 1, "12": 1, "11": 1}
    assert facet(data, "form") == {"live": 1, "dried": 2, "processed": 1}
    # The flour's SNI has expired: it counts for the seaweed only.
    assert facet(data, "certificate") == {"health-fish": 1, "halal": 2, "bpom-md": 1, "sni": 1}
    assert facet(data, "disadvantaged") == {"true": 2, "false": 2}
    assert facet(data, "available_this_month") == {"true": 3, "false": 1}
    provinces = {v["value"]: v["label"] for v in data["facets"]["province"]}
    assert provinces == {"74": "Sulawesi Tenggara", "72": "Sulawesi Tengah"}


def test_facets_count_the_filtered_set(cat, api_as):
    api = api_as("anonymous")
    data = api_list(api, province="72")
    assert data["count"] == 2
    assert facet(data, "form") == {"dried": 1, "processed": 1}
    assert facet(data, "certificate") == {"halal": 2, "bpom-md": 1}
    assert facet(data, "disadvantaged") == {"true": 2}
    # The chosen facet keeps its other values on offer, counted as if it were not chosen.
    assert facet(data, "province") == {"72": 2, "74": 2}
    chosen = {v["value"]: v["selected"] for v in data["facets"]["province"]}
    assert chosen == {"72": True, "74": False}

    data = api_list(api, certificate="halal", available_this_month="true")
    assert [r["id"] for r in data["results"]] == [cat.flour.pk]
    data = api_list(api, disadvantaged="false", form="dried")
    assert [r["id"] for r in data["results"]] == [cat.seaweed.pk]
    data = api_list(api, hs_chapter="03", q="crab")
    assert (data["count"], facet(data, "hs_chapter")) == (1, {"03": 1})
    assert api_list(api, certificate="sni", province="72")["count"] == 0


def test_several_values_of_a_facet_combine_as_any_of_them(cat, api_as):
    api = api_as("anonymous")
    both = api_list(api, province="72,74")
    assert both["count"] == 4
    assert {v["value"] for v in both["facets"]["province"] if v["selected"]} == {"72", "74"}
    forms = api_list(api, form="live,processed")
    assert sorted(r["id"] for r in forms["results"]) == sorted([cat.crab.pk, cat.flour.pk])
    assert ids(find(certificate=("health-fish", "bpom-md"))) == ids(
        find(certificate="bpom-md,health-fish")
    )
    assert sorted(ids(find(certificate="health-fish,bpom-md"))) == sorted(
        [cat.crab.pk, cat.flour.pk]
    )


def test_a_chosen_facet_is_counted_under_the_other_filters_only(cat, api_as):
    api = api_as("anonymous")
    data = api_list(api, province="74", form="dried")
    assert [r["id"] for r in data["results"]] == [cat.seaweed.pk]
    # Provinces counted among the dried products; forms counted among Sulawesi Tenggara's.
    assert facet(data, "province") == {"74": 1, "72": 1}
    assert facet(data, "form") == {"dried": 1, "live": 1}
    # A facet not chosen is counted under every filter.
    assert facet(data, "hs_chapter") == {"12": 1}


def test_a_chosen_value_that_nothing_else_matches_stays_on_offer_to_undo(cat, api_as):
    data = api_list(api_as("anonymous"), certificate="sni", province="72")
    assert data["count"] == 0
    provinces = {v["value"]: (v["count"], v["selected"]) for v in data["facets"]["province"]}
    assert provinces == {"72": (0, True), "74": (1, False)}


def test_an_unknown_value_among_several_is_refused_by_name(cat, api_as):
    response = api_as("anonymous").get(reverse("api-catalogue"), {"province": "74,99"})
    assert response.status_code == 400
    assert "99" in response.json()["province"][0]


def test_nothing_of_a_product_that_is_not_export_ready_ever_appears(cat, api_as, client):
    hidden = {p.pk for p in cat.hidden}
    assert not CatalogueEntry.objects.filter(pk__in=hidden).exists()
    api = api_as("anonymous")
    for params in ({}, {"q": "kepiting"}, {"q": "kopi"}, {"q": "hidden"}, {"province": "74"}):
        data = api_list(api, **params, page_size=100)
        assert not {r["id"] for r in data["results"]} & hidden
        assert "frozen" not in facet(data, "form")
        assert "organic" not in facet(data, "certificate")
    assert api_list(api, q="hidden")["count"] == 0
    assert api_list(api, form="frozen")["count"] == 0
    assert api_list(api, q="kepiting")["count"] == 1
    page = client.get(reverse("catalogue:list"), {"q": "kepiting"}).content.decode()
    for product in cat.hidden:
        assert product.name_id not in page
        assert api.get(reverse("api-catalogue-item", args=[product.pk])).status_code == 404
        assert client.get(reverse("catalogue:detail", args=[product.pk])).status_code == 404


def test_facet_counts_are_cached_until_the_catalogue_changes(cat, django_assert_max_num_queries):
    query = CatalogueQuery(province="74")
    assert selectors.search(query).count == 2
    # Another page or ordering of the same filters counts nothing again.
    with django_assert_max_num_queries(2):  # version + the page
        selectors.search(CatalogueQuery(province="74", ordering="capacity"))
    moved = ready(bumdes=cat.seaweed.bumdes, name_id="Teripang kering", hs_code_id="030819")
    catalogue.refresh_entries([moved.pk])
    assert selectors.search(query).count == 3
