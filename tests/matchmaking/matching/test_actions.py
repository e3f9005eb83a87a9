"""Acting on a recommended product through other packages: the openings hook.

Matching never imports forums; forums register ``meeting_openings`` as a provider of openings
(``matchmaking.forums.panels.register``), and the recommendations page shows each product's
opening as a "Request a meeting" link.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.forums import selectors as forum_selectors
from matchmaking.matching import actions
from tests.matchmaking.matching.page_world import score_world

pytestmark = pytest.mark.django_db

BASE = "/matchmaking/matches/"


@pytest.fixture
def providers():
    """Providers registered by the test, removed afterwards."""
    added = []

    def register(provider):
        actions.register_opening(provider)
        added.append(provider)
        return provider

    yield register
    for provider in added:
        actions.unregister_opening(provider)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_forums_offer_meeting_openings_as_the_app_starts():
    assert forum_selectors.meeting_openings in actions.opening_providers()


def test_a_provider_registered_twice_is_asked_once(providers, monkeypatch):
    monkeypatch.setattr(actions, "_opening_providers", [])
    calls = []

    def provider(organisation, product_ids):
        calls.append(list(product_ids))
        return {}

    providers(provider)
    actions.register_opening(provider)

    assert actions.opening_providers().count(provider) == 1
    assert actions.openings(SimpleNamespace(pk=1), [5, 6]) == {}
    assert calls == [[5, 6]]


def test_each_product_gets_the_first_providers_opening(providers, monkeypatch):
    monkeypatch.setattr(actions, "_opening_providers", [])
    providers(lambda organisation, ids: {ids[0]: "first", ids[1]: None})
    providers(lambda organisation, ids: {i: f"second {i}" for i in ids})

    assert actions.openings(SimpleNamespace(pk=1), [7, 8, 9]) == {
        7: "first",
        8: "second 8",
        9: "second 9",
    }


def test_no_products_ask_no_provider(providers, monkeypatch):
    monkeypatch.setattr(actions, "_opening_providers", [])
    providers(lambda organisation, ids: pytest.fail("asked about no products"))

    assert actions.openings(SimpleNamespace(pk=1), []) == {}


def test_the_recommendations_page_links_each_opening(
    as_role, world, org_a, org_b, org_pending, providers
):
    score_world(world, org_a, org_b, org_pending)
    seen = []
    participant = SimpleNamespace(pk=4321, forum=SimpleNamespace(name="Makassar Seafood Expo"))

    def provider(organisation, product_ids):
        seen.append((organisation.pk, sorted(product_ids)))
        return {world.crab.pk: participant}

    providers(provider)
    response = as_role("verified_exporter").get(BASE + "recommendations/")

    assert seen == [(org_a.pk, sorted([world.crab.pk, world.donggala_crab.pk]))]
    assertContains(response, reverse("forums:participant_detail", args=[4321]), count=1)
    assertContains(response, "Request a meeting at Makassar Seafood Expo", count=1)


def test_ministry_reading_a_list_is_offered_no_opening(
    as_role, world, org_a, org_b, org_pending, providers
):
    score_world(world, org_a, org_b, org_pending)
    providers(lambda organisation, ids: pytest.fail("only those acting for the organisation"))

    response = as_role("ministry").get(BASE + f"recommendations/?organisation={org_a.pk}")

    assert response.status_code == 200
    assertNotContains(response, "Request a meeting")
