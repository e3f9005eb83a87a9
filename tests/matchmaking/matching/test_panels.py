"""Match panels on the product, organisation and BUMDes pages: who sees them and what they say.

The panel functions are called directly (each returns ``""`` for a viewer who may see nothing
of it) and, where it matters, through the pages whose slots ``register()`` fills.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.matching import panels, services
from matchmaking.matching.models import ProductMatches
from products.models import Product
from tests.matchmaking.factories import OrganisationFactory, member
from tests.matchmaking.matching.page_world import score_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def scored(world, org_a, org_b, org_pending):
    score_world(world, org_a, org_b, org_pending)
    return world


@pytest.fixture
def panel_request(request):
    """``panel_request("ministry", "?x=1")``: a GET request by that role's user."""

    def make(role: str, query: str = ""):
        http = RequestFactory().get("/registry/products/1/" + query)
        http.user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
        return http

    return make


def test_register_fills_the_three_slots_once():
    from exporters.panels import EXPORTER_PAGE_PANELS
    from products.panels import BUMDES_PAGE_PANELS, PRODUCT_PAGE_PANELS

    assert panels.register() == [
        "PRODUCT_PAGE_PANELS",
        "BUMDES_PAGE_PANELS",
        "EXPORTER_PAGE_PANELS",
    ]
    panels.register()
    assert PRODUCT_PAGE_PANELS.count(panels.product_panel) == 1
    assert BUMDES_PAGE_PANELS.count(panels.bumdes_panel) == 1
    assert EXPORTER_PAGE_PANELS.count(panels.organisation_panel) == 1


# --- Product page ---------------------------------------------------------------------------


PRODUCT_SIDE = ["ministry", "officer_sultra", "officer_konawe", "linked_operator"]
NOT_PRODUCT_SIDE = [
    "anonymous",
    "officer_sulteng",
    "operator",
    "exporter",
    "verified_exporter",
    "pending_exporter",
]


@pytest.mark.parametrize("role", PRODUCT_SIDE)
def test_product_side_sees_the_best_organisations(role, panel_request, scored, org_a, org_b):
    html = panels.product_panel(panel_request(role), scored.crab)
    assert "Best exporters and buyers" in html
    # Best first: org A wants exactly this subheading, org B only the heading.
    assert html.index("Harbour Test Seafood Ltd") < html.index("Second Buyer Pte Ltd")
    assert f'href="/exporters/{org_a.pk}/"' in html
    assert "Pending Foods" not in html  # not scored until verified
    for label in ("Product fit (HS code)", "Volume", "Certificates", "Markets", "Logistics"):
        assert label in html
    assert "30 / 30" in html and "21 / 30" in html  # subheading, then 70 % for the heading
    assert "Same HS subheading as the organisation" in html
    assert "Same HS heading as the organisation" in html
    assert "Up to date: computed" in html and "after the latest change to this product" in html
    assert "Being recomputed" not in html and "version" not in html
    assert 'action="/matchmaking/matches/dismiss/"' in html


@pytest.mark.parametrize("role", NOT_PRODUCT_SIDE)
def test_nobody_else_sees_a_products_matches(role, panel_request, scored):
    assert panels.product_panel(panel_request(role), scored.crab) == ""


def test_product_changed_since_the_list_was_computed(panel_request, scored):
    Product.objects.filter(pk=scored.crab.pk).update(version=F("version") + 1)
    scored.crab.refresh_from_db()
    html = panels.product_panel(panel_request("ministry"), scored.crab)
    assert "Being recomputed after a change to this product" in html
    assert "Up to date" not in html and "version" not in html


def test_product_without_a_list_yet(panel_request, scored):
    ProductMatches.objects.filter(pk=scored.crab.pk).delete()
    html = panels.product_panel(panel_request("ministry"), scored.crab)
    assert "have not been computed yet" in html
    assert "Harbour Test Seafood Ltd" not in html


def test_product_with_no_organisation_worth_showing(panel_request, scored):
    html = panels.product_panel(panel_request("linked_operator"), scored.oil)
    assert "No exporter or buyer reaches the minimum score" in html


def test_dismissed_suggestions_hide_and_show_again(panel_request, scored, ministry, org_a):
    services.dismiss(ministry, scored.crab, org_a, "Does not buy from us")
    html = panels.product_panel(panel_request("officer_konawe"), scored.crab)
    assert "Harbour Test Seafood Ltd" not in html  # hidden for the whole product side
    assert "Second Buyer Pte Ltd" in html
    assert "Show 1 dismissed suggestion" in html
    html = panels.product_panel(
        panel_request("officer_konawe", f"?{panels.SHOW_DISMISSED}=1"), scored.crab
    )
    assert "Harbour Test Seafood Ltd" in html
    assert "Dismissed suggestions" in html
    assert 'action="/matchmaking/matches/restore/"' in html
    assert "Hide dismissed suggestions" in html


def test_more_than_five_matches_fold(panel_request, scored):
    for n in range(6):
        OrganisationFactory(legal_name=f"Crab Buyer {n} Ltd").hs_interests.set(["030633"])
    from matchmaking.matching import engine, incremental

    engine.forget_context()
    incremental.rescore_products([scored.crab.pk])
    html = panels.product_panel(panel_request("ministry"), scored.crab)
    assert "3 more matches" in html  # 8 organisations: 5 shown, 3 folded


def test_existing_conversation_is_linked(panel_request, scored, verified_exporter):
    from matchmaking.dealings import services as matchmaking_services

    inquiry = matchmaking_services.start_inquiry(
        actor=verified_exporter, product=scored.crab, subject="Crab", body="Price please"
    )
    html = panels.product_panel(panel_request("linked_operator"), scored.crab)
    assert f"/matchmaking/inquiries/{inquiry.pk}/" in html


def test_product_page_shows_the_panel(as_role, scored):
    response = as_role("officer_konawe").get(f"/registry/products/{scored.crab.pk}/")
    assertContains(response, 'id="product-matches"')
    assertContains(response, "Harbour Test Seafood Ltd")
    assertContains(response, "css/matching.css")
    response = as_role("officer_sulteng").get(f"/registry/products/{scored.donggala_crab.pk}/")
    assertContains(response, 'id="product-matches"')


def test_dismiss_from_the_product_page_and_back(as_role, scored, org_a):
    client = as_role("officer_konawe")
    page = f"/registry/products/{scored.crab.pk}/"
    response = client.post(
        "/matchmaking/matches/dismiss/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": page + "#product-matches"},
        follow=True,
    )
    assert response.redirect_chain == [(page + "#product-matches", 302)]
    assertContains(response, "Show 1 dismissed suggestion")
    response = client.get(page + "?dismissed_matches=1")
    assertContains(response, "Restore")
    response = client.post(
        "/matchmaking/matches/restore/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": page},
        follow=True,
    )
    assertNotContains(response, "dismissed suggestion")


# --- Organisation page ----------------------------------------------------------------------


def test_member_sees_top_recommended_products(panel_request, scored, org_a):
    html = panels.organisation_panel(panel_request("verified_exporter"), org_a)
    assert "Recommended products" in html
    assert "Mud crab" in html and "Kepiting Donggala" in html
    assert f'href="/catalogue/{scored.crab.pk}/"' in html
    assert 'href="/matchmaking/matches/recommendations/"' in html


def test_panel_shows_at_most_five(panel_request, scored, org_a):
    from tests.products.factories import ProductFactory

    extra = [
        ProductFactory(bumdes=scored.konawe, name_id=f"Kepiting {n}", status="export_ready")
        for n in range(5)
    ]
    from matchmaking.matching import engine, incremental

    engine.forget_context()
    incremental.rescore_products([p.pk for p in extra])
    html = panels.organisation_panel(panel_request("verified_exporter"), org_a)
    assert html.count('class="match"') == panels.ORGANISATION_PANEL_ROWS


def test_ministry_sees_an_organisations_recommendations(panel_request, scored, org_a):
    html = panels.organisation_panel(panel_request("ministry"), org_a)
    assert "Mud crab" in html
    assert f"/matchmaking/matches/recommendations/?organisation={org_a.pk}" in html


@pytest.mark.parametrize(
    "role", ["second_exporter", "exporter", "officer_sultra", "linked_operator", "anonymous"]
)
def test_others_do_not_see_an_organisations_recommendations(role, panel_request, scored, org_a):
    assert panels.organisation_panel(panel_request(role), org_a) == ""


def test_pending_organisation_is_told_it_is_matched_once_verified(
    panel_request, scored, org_pending
):
    html = panels.organisation_panel(panel_request("pending_exporter"), org_pending)
    assert "once ministry staff have verified it" in html
    assert "Mud crab" not in html


def test_service_providers_get_no_panel(panel_request, scored):
    service = OrganisationFactory(legal_name="Only Services Ltd", kind="service")
    member("t-services", service)
    assert panels.organisation_panel(panel_request("ministry"), service) == ""


def test_organisation_without_matches(panel_request, scored, platform):
    html = panels.organisation_panel(panel_request("provider"), platform)
    assert "No export-ready product matches" in html


def test_organisation_page_shows_the_panel(as_role, scored, org_a):
    response = as_role("verified_exporter").get(f"/exporters/{org_a.pk}/")
    assertContains(response, 'id="recommended-products"')
    assertContains(response, "Mud crab")
    response = as_role("second_exporter").get(f"/exporters/{org_a.pk}/")
    assertNotContains(response, 'id="recommended-products"')


# --- BUMDes page ----------------------------------------------------------------------------


def test_bumdes_panel_lists_each_products_best_match(panel_request, scored, org_a):
    html = panels.bumdes_panel(panel_request("linked_operator"), scored.konawe)
    assert "Matches of its products" in html
    assert "Kepiting bakau" in html and "Minyak alpukat" in html
    assert "Daging rajungan" not in html  # a draft
    assert f'href="/exporters/{org_a.pk}/"' in html
    assert "no match" in html  # the oil


@pytest.mark.parametrize("role", ["officer_sulteng", "operator", "verified_exporter", "anonymous"])
def test_bumdes_panel_is_for_its_side_only(role, panel_request, scored):
    assert panels.bumdes_panel(panel_request(role), scored.konawe) == ""


def test_bumdes_page_shows_the_panel(as_role, scored):
    response = as_role("officer_sultra").get(f"/registry/bumdes/{scored.konawe.pk}/")
    assertContains(response, 'id="bumdes-matches"')
    assertContains(response, "Kepiting bakau")
