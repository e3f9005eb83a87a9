"""Opening a deal in one step from an inquiry, a sample request or an accepted offer
(``matchmaking.dealings.services.open_deal_from_inquiry`` / ``open_deal_from_offer``), on the
pages and over the API.

Either side of the record that may act on it opens the deal; a second opening (from either
side, or from another channel) gives the open deal of the same product and organisation.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.generators import SchemaGenerator
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import services
from matchmaking.dealings.models import Inquiry, Offer
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from tests.matchmaking.conftest import KONAWE_SIDE, MM_ROLES, Scene, only

pytestmark = pytest.mark.django_db

API = "/api/v1"
#: Who sees the scene's inquiry and the accepted offer (and so may open their deal).
SIDES = KONAWE_SIDE | {"verified_exporter"}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def accepted(scene, verified_exporter) -> Offer:
    """The scene's offer of Konawe crab, accepted by the verified exporter's organisation."""
    return services.decide_offer(actor=verified_exporter, offer=scene.offer, accept=True)


def lose_verification(organisation) -> None:
    organisation.status = "pending"
    organisation.verified_at = None
    organisation.save()


# --- Services: every channel -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "channel"),
    [
        (Inquiry.Kind.INQUIRY, Deal.Channel.INQUIRY),
        (Inquiry.Kind.INTEREST, Deal.Channel.INQUIRY),
        (Inquiry.Kind.SAMPLE_REQUEST, Deal.Channel.SAMPLE_REQUEST),
    ],
)
def test_an_inquiry_opens_a_deal_of_its_channel(
    world, verified_exporter, org_a, linked_operator, kind, channel
):
    inquiry = services.start_inquiry(
        actor=verified_exporter, product=world.oil, kind=kind, body="A litre, please"
    )
    opening = services.open_deal_from_inquiry(actor=verified_exporter, inquiry=inquiry)
    assert opening.created
    deal = opening.deal
    assert (deal.product, deal.organisation, deal.channel) == (world.oil, org_a, channel)
    assert deal.inquiry == inquiry and deal.offer is None and deal.meeting is None
    assert deal.stage == Deal.Stage.INTEREST and deal.opened_by == verified_exporter
    assert list(deal.steps.values_list("stage", flat=True)) == [Deal.Stage.INTEREST]
    # The other side opening it too gets the same deal.
    again = services.open_deal_from_inquiry(actor=linked_operator, inquiry=inquiry)
    assert again.deal == deal and not again.created
    assert Deal.objects.count() == 1


def test_the_product_side_opens_a_deal_from_a_sample_request_and_both_sides_are_told(
    world,
    verified_exporter,
    colleague_a,
    officer_konawe,
    linked_operator,
    django_capture_on_commit_callbacks,
):
    sample = services.start_inquiry(
        actor=verified_exporter, product=world.crab, kind="sample_request", body="One box"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opening = services.open_deal_from_inquiry(actor=officer_konawe, inquiry=sample)
    assert opening.created and opening.deal.channel == Deal.Channel.SAMPLE_REQUEST
    told = {address for message in mail.outbox for address in message.to}
    assert {verified_exporter.email, colleague_a.email, linked_operator.email} <= told
    assert officer_konawe.email not in told


def test_a_closed_conversation_still_opens_its_deal(scene, verified_exporter):
    """Talks often move on elsewhere before the deal is agreed: the closed inquiry stays its
    origin."""
    services.set_inquiry_status(actor=verified_exporter, inquiry=scene.inquiry, to="closed")
    scene.inquiry.refresh_from_db()
    assert dealings_access.may_open_deal_from_inquiry(verified_exporter, scene.inquiry)
    opening = services.open_deal_from_inquiry(actor=verified_exporter, inquiry=scene.inquiry)
    assert opening.created and opening.deal.inquiry == scene.inquiry


def test_an_accepted_offer_opens_a_deal_from_either_side(
    scene, accepted, verified_exporter, linked_operator, org_a
):
    opening = services.open_deal_from_offer(actor=linked_operator, offer=accepted)
    assert opening.created
    deal = opening.deal
    assert (deal.product, deal.organisation) == (scene.world.crab, org_a)
    assert deal.channel == Deal.Channel.OFFER and deal.offer == accepted and deal.inquiry is None
    again = services.open_deal_from_offer(actor=verified_exporter, offer=accepted)
    assert again == type(opening)(deal, created=False)
    assert Deal.objects.count() == 1


@pytest.mark.parametrize("decision", [None, "declined"])
def test_a_pending_or_declined_offer_opens_no_deal(scene, verified_exporter, decision):
    offer = scene.offer
    if decision:
        offer = services.decide_offer(actor=verified_exporter, offer=offer, accept=False)
    assert not dealings_access.may_open_deal_from_offer(verified_exporter, offer)
    with pytest.raises(ValidationError) as error:
        services.open_deal_from_offer(actor=verified_exporter, offer=offer)
    assert "offer" in error.value.message_dict
    assert not Deal.objects.exists()


def test_a_deal_opened_from_another_channel_is_the_one_returned(scene, accepted, ministry, org_a):
    outside = deal_services.open_outside_deal(
        actor=ministry, product=scene.world.crab, organisation=org_a
    )
    from_inquiry = services.open_deal_from_inquiry(actor=ministry, inquiry=scene.inquiry)
    from_offer = services.open_deal_from_offer(actor=ministry, offer=accepted)
    assert from_inquiry.deal == from_offer.deal == outside
    assert not from_inquiry.created and not from_offer.created
    outside.refresh_from_db()
    assert outside.channel == Deal.Channel.OUTSIDE


def test_after_a_lost_deal_the_inquiry_opens_a_new_one(scene, verified_exporter):
    first = services.open_deal_from_inquiry(actor=verified_exporter, inquiry=scene.inquiry).deal
    deal_services.close_as_lost(actor=verified_exporter, deal=first, reason="price")
    second = services.open_deal_from_inquiry(actor=verified_exporter, inquiry=scene.inquiry)
    assert second.created and second.deal != first


# --- Who may open ----------------------------------------------------------------------------


def test_who_may_open_a_deal_from_an_inquiry(
    scene,
    verified_exporter,
    colleague_a,
    ministry,
    officer_sultra,
    officer_konawe,
    linked_operator,
    officer_sulteng,
    operator,
    second_exporter,
    provider,
    pending_exporter,
    org_a,
):
    inquiry = scene.inquiry
    for user in (verified_exporter, colleague_a, ministry, officer_sultra, officer_konawe):
        assert dealings_access.may_open_deal_from_inquiry(user, inquiry)
    assert dealings_access.may_open_deal_from_inquiry(linked_operator, inquiry)
    outsiders = (officer_sulteng, operator, second_exporter, provider, pending_exporter)
    for user in (*outsiders, AnonymousUser()):
        assert not dealings_access.may_open_deal_from_inquiry(user, inquiry)
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            services.open_deal_from_inquiry(actor=user, inquiry=inquiry)
    # Members of an organisation that lost its verification read, but are told why they cannot.
    lose_verification(org_a)
    with pytest.raises(PermissionDenied, match="not verified yet"):
        services.open_deal_from_inquiry(actor=verified_exporter, inquiry=inquiry)
    assert not Deal.objects.exists()


def test_who_may_open_a_deal_from_an_offer(
    scene,
    accepted,
    verified_exporter,
    colleague_a,
    ministry,
    officer_sultra,
    linked_operator,
    officer_sulteng,
    operator,
    second_exporter,
    provider,
    org_a,
):
    assert dealings_access.offer_side(verified_exporter, accepted) == "organisation"
    assert dealings_access.offer_side(linked_operator, accepted) == "product"
    for user in (verified_exporter, colleague_a, ministry, officer_sultra, linked_operator):
        assert dealings_access.may_open_deal_from_offer(user, accepted)
    for user in (officer_sulteng, operator, second_exporter, provider):
        assert not dealings_access.may_open_deal_from_offer(user, accepted)
        with pytest.raises(PermissionDenied):
            services.open_deal_from_offer(actor=user, offer=accepted)
    lose_verification(org_a)
    with pytest.raises(PermissionDenied, match="not verified yet"):
        services.open_deal_from_offer(actor=verified_exporter, offer=accepted)


# --- Pages -----------------------------------------------------------------------------------


def status_of(response) -> int | str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("record", ["inquiry", "offer"])
def test_who_may_open_a_deal_on_the_pages(as_role, scene, accepted, role, record):
    url = (
        f"/matchmaking/inquiries/{scene.inquiry.pk}/deal/"
        if record == "inquiry"
        else f"/matchmaking/buying-requests/{scene.rfq.pk}/offers/{accepted.pk}/deal/"
    )
    response = as_role(role).post(url)
    if role == "anonymous":
        assert status_of(response) == "login"
        return
    # Sulawesi Tengah sees the buying request, but not the Konawe offer on it.
    assert status_of(response) == only(SIDES, 302)[role]
    if role in SIDES:
        deal = Deal.objects.get()
        assert response["Location"] == f"/deals/{deal.pk}/"
    else:
        assert not Deal.objects.exists()


def test_the_inquiry_page_offers_to_open_the_deal_then_links_it(
    as_role, scene, org_a, verified_exporter
):
    url = f"/matchmaking/inquiries/{scene.inquiry.pk}/"
    deal_url = f"/matchmaking/inquiries/{scene.inquiry.pk}/deal/"
    for role in ("verified_exporter", "linked_operator", "ministry"):
        page = as_role(role).get(url)
        assertContains(page, "Open a deal")
        assertContains(page, f'action="{deal_url}"')
        assertNotContains(page, "See the deal")
    assert as_role("verified_exporter").get(deal_url).status_code == 405
    response = as_role("verified_exporter").post(deal_url, follow=True)
    deal = Deal.objects.get()
    assert response.redirect_chain[-1][0] == f"/deals/{deal.pk}/"
    assertContains(response, "The deal is opened")
    for role in ("verified_exporter", "linked_operator", "officer_sultra"):
        page = as_role(role).get(url)
        assertContains(page, "See the deal")
        assertContains(page, f'href="/deals/{deal.pk}/"')
        assertNotContains(page, f'action="{deal_url}"')
    # Opening again (a stale page) goes to the same deal, saying so.
    response = as_role("linked_operator").post(deal_url, follow=True)
    assert response.redirect_chain[-1][0] == f"/deals/{deal.pk}/"
    assertContains(response, "already had an open deal; this is it")
    assert Deal.objects.count() == 1
    # A member of an organisation that lost its verification sees the deal, cannot open one.
    deal.delete()
    lose_verification(org_a)
    page = as_role("verified_exporter").get(url)
    assertNotContains(page, "Open a deal")
    response = as_role("verified_exporter").post(deal_url)
    assertContains(response, "not verified yet", status_code=403)


def test_the_buying_request_page_opens_the_deal_of_an_accepted_offer_only(
    as_role, scene, verified_exporter
):
    url = f"/matchmaking/buying-requests/{scene.rfq.pk}/"
    deal_url = f"/matchmaking/buying-requests/{scene.rfq.pk}/offers/{scene.offer.pk}/deal/"
    for role in ("verified_exporter", "linked_operator"):
        assertNotContains(as_role(role).get(url), "Open a deal")
    response = as_role("verified_exporter").post(deal_url)
    assertContains(response, "Only an accepted offer opens a deal", status_code=400)
    services.decide_offer(actor=verified_exporter, offer=scene.offer, accept=True)
    for role in ("verified_exporter", "linked_operator", "ministry"):
        page = as_role(role).get(url)
        assertContains(page, "Open a deal")
        assertContains(page, f'action="{deal_url}"')
    # Sulawesi Tengah reads the request but not the offer: no deal to open.
    assertNotContains(as_role("officer_sulteng").get(url), "Open a deal")
    response = as_role("linked_operator").post(deal_url)
    deal = Deal.objects.get()
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert deal.channel == Deal.Channel.OFFER and deal.offer == scene.offer
    for role in ("verified_exporter", "linked_operator"):
        page = as_role(role).get(url)
        assertContains(page, "See the deal")
        assertContains(page, f'href="/deals/{deal.pk}/"')
        assertNotContains(page, f'action="{deal_url}"')


# --- API -------------------------------------------------------------------------------------


def deal_api_url(record: str, scene: Scene, offer: Offer) -> str:
    if record == "inquiry":
        return f"{API}/inquiries/{scene.inquiry.pk}/deal/"
    return f"{API}/buying-requests/{scene.rfq.pk}/offers/{offer.pk}/deal/"


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("record", ["inquiry", "offer"])
def test_who_may_open_a_deal_over_the_api(api_as, scene, accepted, role, record):
    response = api_as(role).post(deal_api_url(record, scene, accepted))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == only(SIDES, 201)[role], response.content[:300]
    assert Deal.objects.exists() == (role in SIDES)


@pytest.mark.parametrize(("record", "channel"), [("inquiry", "inquiry"), ("offer", "offer")])
def test_the_api_answers_the_deal_201_then_200(api_as, scene, accepted, org_a, record, channel):
    url = deal_api_url(record, scene, accepted)
    first = api_as("verified_exporter").post(url)
    assert first.status_code == 201
    deal = Deal.objects.get()
    assert first.json() == {
        "id": deal.pk,
        "product": scene.world.crab.pk,
        "organisation": org_a.pk,
        "channel": channel,
        "stage": "interest",
        "created": True,
        "url": f"/deals/{deal.pk}/",
    }
    second = api_as("linked_operator").post(url)
    assert second.status_code == 200
    assert second.json()["id"] == deal.pk and second.json()["created"] is False


def test_the_api_refuses_a_deal_from_an_offer_not_accepted(api_as, scene):
    response = api_as("verified_exporter").post(deal_api_url("offer", scene, scene.offer))
    assert response.status_code == 400
    assert "offer" in response.json()
    assert not Deal.objects.exists()


def test_the_api_tells_an_unverified_member_why(api_as, scene, org_a):
    lose_verification(org_a)
    response = api_as("verified_exporter").post(deal_api_url("inquiry", scene, scene.offer))
    assert response.status_code == 403
    assert "not verified yet" in response.json()["detail"]


def test_the_deal_actions_are_documented():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/inquiries/{id}/deal/",
        "/api/v1/buying-requests/{id}/offers/{offer_id}/deal/",
    ):
        post = schema["paths"][path]["post"]
        assert {"200", "201"} <= set(post["responses"])
        body = post["responses"]["201"]["content"]["application/json"]["schema"]
        name = body["$ref"].rsplit("/", 1)[-1]
        fields = schema["components"]["schemas"][name]["properties"]
        assert {"id", "stage", "channel", "created"} <= set(fields)


def test_the_inquiry_page_shows_an_earlier_lost_deal(scene, as_role, verified_exporter):
    from matchmaking.deals import services as deal_services

    opening = services.open_deal_from_inquiry(actor=verified_exporter, inquiry=scene.inquiry)
    deal_services.close_as_lost(actor=verified_exporter, deal=opening.deal, reason="price")
    page = as_role("verified_exporter").get(f"/matchmaking/inquiries/{scene.inquiry.pk}/")
    assertContains(page, f'data-lost-deal="{opening.deal.pk}"')
    assertContains(page, "Open a deal")  # a new deal may start after the lost one
    stranger = as_role("second_exporter").get(f"/matchmaking/inquiries/{scene.inquiry.pk}/")
    assert stranger.status_code == 404
