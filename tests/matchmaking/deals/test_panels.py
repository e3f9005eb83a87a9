"""Deals on the product, BUMDes and organisation pages: the deals the viewer may see there, with
their stage and last shipment, the count and a link to the list narrowed to them; nothing when
there is none, except the way to enter a deal made outside the portal for those who may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from exporters.panels import EXPORTER_PAGE_PANELS
from matchmaking.deals import panels
from products.panels import BUMDES_PAGE_PANELS, PRODUCT_PAGE_PANELS
from tests.matchmaking.deals.page_scene import build_scene
from tests.products.factories import BumdesFactory, ProductFactory, first_desa

pytestmark = pytest.mark.django_db

PANEL = 'id="deals"'


@pytest.fixture
def deals(world, crab_deal, org_b, org_pending, ministry):
    return build_scene(world, crab_deal, org_b, org_pending, ministry)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- Product pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["ministry", "officer_sultra", "officer_konawe", "linked_operator"]
)
def test_the_product_page_shows_its_deals(as_role, deals, role):
    crab = deals.world.crab
    response = page(as_role(role), f"/registry/products/{crab.pk}/")
    assertContains(response, PANEL)
    assertContains(response, f'href="/deals/{deals.crab.pk}/"')
    assertContains(response, "Harbour Test Seafood Ltd")
    assertContains(response, "First shipment")
    assertContains(response, "1 shipment, the last on")
    assertContains(response, f'href="/deals/?product={crab.pk}"')
    new_link = f'href="/deals/new/?product={crab.pk}"'
    if role == "linked_operator":  # operators do not enter deals made outside the portal
        assertNotContains(response, new_link)
    else:
        assertContains(response, new_link)


def test_a_product_without_deals(as_role, deals):
    fresh = ProductFactory(bumdes=deals.world.konawe, status="export_ready")
    url = f"/registry/products/{fresh.pk}/"
    # Nothing for the operator; the way to enter an outside deal for the officer.
    assertNotContains(page(as_role("linked_operator"), url), PANEL)
    response = page(as_role("officer_konawe"), url)
    assertContains(response, "No deal recorded yet.")
    assertContains(response, f'href="/deals/new/?product={fresh.pk}"')
    # A draft cannot have a deal entered: nothing at all.
    draft = f"/registry/products/{deals.world.crab_draft.pk}/"
    assertNotContains(page(as_role("officer_konawe"), draft), PANEL)


# --- BUMDes pages ----------------------------------------------------------------------------


def test_the_bumdes_page_shows_the_deals_of_its_products(as_role, deals):
    konawe = deals.world.konawe
    response = page(as_role("linked_operator"), f"/registry/bumdes/{konawe.pk}/")
    assertContains(response, PANEL)
    for deal in (deals.crab, deals.oil):
        assertContains(response, f'href="/deals/{deal.pk}/"')
    assertNotContains(response, f'href="/deals/{deals.donggala.pk}/"')
    assertContains(response, "Pending Foods K.K.")
    assertContains(response, "no shipment yet")
    assertContains(response, "See all 2 deals in the list")
    assertContains(response, f'href="/deals/?bumdes={konawe.pk}"')
    donggala = page(as_role("officer_sulteng"), f"/registry/bumdes/{deals.world.donggala.pk}/")
    assertContains(donggala, f'href="/deals/{deals.donggala.pk}/"')
    assertContains(donggala, "Letter of intent or MoU")


def test_a_bumdes_without_deals_shows_nothing(as_role, deals):
    quiet = BumdesFactory(name="BUMDes Sepi Uji", village_id=first_desa("74.02."))
    assertNotContains(page(as_role("ministry"), f"/registry/bumdes/{quiet.pk}/"), PANEL)


# --- Organisation pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "seen", "may_enter"),
    [
        ("ministry", True, True),
        ("officer_konawe", True, True),
        ("linked_operator", True, False),
        ("verified_exporter", True, False),
        # The panel only offers to enter a deal made outside the portal.
        ("officer_sulteng", False, True),
        ("second_exporter", False, False),
        ("provider", False, False),
        ("operator", False, False),
    ],
)
def test_the_organisation_page_shows_the_deals_the_viewer_may_see(
    as_role, deals, org_a, role, seen, may_enter
):
    response = page(as_role(role), f"/exporters/{org_a.pk}/")
    crab_link = f'href="/deals/{deals.crab.pk}/"'
    new_link = f'href="/deals/new/?organisation={org_a.pk}"'
    if seen:
        assertContains(response, crab_link)
        assertContains(response, "Kepiting bakau")
        assertContains(response, f'href="/deals/?organisation={org_a.pk}"')
    else:
        assertNotContains(response, crab_link)
    if may_enter:
        assertContains(response, new_link)
    else:
        assertNotContains(response, new_link)
    if not seen and not may_enter:
        assertNotContains(response, PANEL)


def test_an_unverified_organisations_members_see_its_deals(as_role, deals, org_pending):
    response = page(as_role("pending_exporter"), f"/exporters/{org_pending.pk}/")
    assertContains(response, f'href="/deals/{deals.oil.pk}/"')
    assertContains(response, "Contract")
    # Ministry staff see it too, but a deal is not entered for an unverified organisation.
    ministry = page(as_role("ministry"), f"/exporters/{org_pending.pk}/")
    assertContains(ministry, f'href="/deals/{deals.oil.pk}/"')
    assertNotContains(ministry, "/deals/new/?organisation=")


def test_a_service_providers_page_offers_no_deal(as_role, deals, platform):
    assertNotContains(page(as_role("ministry"), f"/exporters/{platform.pk}/"), PANEL)


# --- The panels themselves -------------------------------------------------------------------


def test_anonymous_visitors_get_no_panel(deals, org_a):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert panels.product_deals_panel(request, deals.world.crab) == ""
    assert panels.bumdes_deals_panel(request, deals.world.konawe) == ""
    assert panels.organisation_deals_panel(request, org_a) == ""


def test_panels_are_registered_once():
    panels.register()
    panels.register()
    assert PRODUCT_PAGE_PANELS.count(panels.product_deals_panel) == 1
    assert BUMDES_PAGE_PANELS.count(panels.bumdes_deals_panel) == 1
    assert EXPORTER_PAGE_PANELS.count(panels.organisation_deals_panel) == 1
