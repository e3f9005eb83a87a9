"""Facilitation for both sides: exporters and buyers ask service providers for help on their
deals and on the products they source, as the product's side does; the provider answers both
kinds in one queue; answer and completion times give each provider's turnaround.

- A product-side request (``requesting_organisation`` empty) is the product side's: the officers
  covering the product, its operators, ministry staff.
- An organisation's request is its members': the product's side does not see it (ministry staff
  read every request, and act on the product side's only).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors, services
from matchmaking.dealings.models import ServiceRequest
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from tests.matchmaking.conftest import MM_ROLES, only
from tests.matchmaking.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def deal(scene, verified_exporter) -> Deal:
    """Org A's open deal of Konawe crab, opened from the scene's inquiry."""
    return services.open_deal_from_inquiry(actor=verified_exporter, inquiry=scene.inquiry).deal


@pytest.fixture
def org_request(deal, verified_exporter, platform) -> ServiceRequest:
    """Org A asks the platform for logistics on its crab deal."""
    return services.request_service(
        actor=verified_exporter,
        provider=platform,
        service="logistics",
        product=None,
        deal=deal,
        description="Air cargo space to Hong Kong",
    )


def ask(actor, provider, product=None, deal=None, service="documents") -> ServiceRequest:
    return services.request_service(
        actor=actor,
        provider=provider,
        service=service,
        product=product,
        deal=deal,
        description="Certificate of origin",
    )


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def lose_verification(organisation) -> None:
    organisation.status = "pending"
    organisation.verified_at = None
    organisation.save()


# --- Asking: exporters and buyers ------------------------------------------------------------


def test_an_exporter_asks_for_help_on_its_deal(
    scene,
    deal,
    verified_exporter,
    colleague_a,
    provider,
    platform,
    org_a,
    officer_konawe,
    linked_operator,
    ministry,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(verified_exporter, platform, deal=deal, service="logistics")
    assert request.product == scene.world.crab and request.deal == deal
    assert request.requesting_organisation == org_a
    assert request.requested_by == verified_exporter and request.status == "requested"
    # The provider and the asking organisation are told; the product's side is not.
    assert recipients() == {provider.email, colleague_a.email}
    assert not {officer_konawe.email, linked_operator.email, ministry.email} & recipients()
    assert "Asked by Harbour Test Seafood Ltd" in mail.outbox[0].body


def test_a_buyer_asks_for_help_with_a_product_it_sources(world, second_exporter, org_b, platform):
    """Org B (a buyer in Singapore) shortlisted the avocado oil: it sources it."""
    with pytest.raises(PermissionDenied):
        ask(second_exporter, platform, product=world.oil)
    services.add_to_shortlist(actor=second_exporter, product=world.oil)
    request = ask(second_exporter, platform, product=world.oil, service="quality")
    assert request.requesting_organisation == org_b and request.deal is None


def test_the_product_side_still_asks_as_itself(scene, deal, officer_konawe, platform):
    on_deal = ask(officer_konawe, platform, deal=deal)
    assert on_deal.requesting_organisation is None and on_deal.deal == deal
    assert ask(officer_konawe, platform, product=scene.world.crab).requesting_organisation is None


@pytest.mark.parametrize(
    ("how", "sources"),
    [
        ("nothing", False),
        ("open_deal", True),
        ("lost_deal", False),
        ("inquiry", True),
        ("closed_inquiry", True),
        ("shortlist", True),
        ("accepted_offer", True),
        ("pending_offer", False),
        ("declined_offer", False),
    ],
)
def test_what_an_organisation_sources(
    world, rfq, verified_exporter, linked_operator, ministry, org_a, platform, how, sources
):
    crab = world.crab
    if how in {"open_deal", "lost_deal"}:
        made = deal_services.open_outside_deal(actor=ministry, product=crab, organisation=org_a)
        if how == "lost_deal":
            deal_services.close_as_lost(actor=ministry, deal=made, reason="price")
    elif how in {"inquiry", "closed_inquiry"}:
        inquiry = services.start_inquiry(actor=verified_exporter, product=crab, body="Hi")
        if how == "closed_inquiry":
            services.set_inquiry_status(actor=verified_exporter, inquiry=inquiry, to="closed")
    elif how == "shortlist":
        services.add_to_shortlist(actor=verified_exporter, product=crab)
    elif how.endswith("_offer"):
        offer = services.make_offer(
            actor=linked_operator,
            buying_request=rfq,
            product=crab,
            data={"price": 12, "quantity": 1},
        )
        if how != "pending_offer":
            accept = how == "accepted_offer"
            services.decide_offer(actor=verified_exporter, offer=offer, accept=accept)
    assert selectors.sources(org_a, crab) is sources
    assert (crab in selectors.sourced_products(org_a)) is sources
    assert (crab in selectors.requestable_products(verified_exporter)) is sources
    assert dealings_access.may_request_service(verified_exporter, crab) is sources
    if sources:
        assert ask(verified_exporter, platform, product=crab).requesting_organisation == org_a
    else:
        with pytest.raises(PermissionDenied):
            ask(verified_exporter, platform, product=crab)


def test_no_help_on_another_organisations_deal_or_a_lost_one(
    scene, deal, second_exporter, verified_exporter, platform
):
    services.add_to_shortlist(actor=second_exporter, product=scene.world.crab)  # sources it
    with pytest.raises(PermissionDenied):
        ask(second_exporter, platform, deal=deal)
    assert not dealings_access.may_request_service(second_exporter, scene.world.crab, deal)
    with pytest.raises(ValidationError) as error:
        ask(verified_exporter, platform, product=scene.world.oil, deal=deal)
    assert "deal" in error.value.message_dict
    deal_services.close_as_lost(actor=verified_exporter, deal=deal, reason="price")
    deal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        ask(verified_exporter, platform, deal=deal)
    assert "lost" in str(error.value.message_dict["deal"])
    assert not ServiceRequest.objects.filter(deal__isnull=False).exists()


def test_unverified_members_and_strangers_do_not_ask(
    scene, deal, verified_exporter, pending_exporter, exporter, officer_sulteng, platform, org_a
):
    for user in (pending_exporter, exporter, officer_sulteng):
        with pytest.raises(PermissionDenied):
            ask(user, platform, product=scene.world.crab)
    lose_verification(org_a)
    for kwargs in ({"deal": deal}, {"product": scene.world.crab}):
        with pytest.raises(PermissionDenied):
            ask(verified_exporter, platform, **kwargs)


def test_an_organisation_does_not_ask_itself(scene, provider, platform):
    services.add_to_shortlist(actor=provider, product=scene.world.crab)
    with pytest.raises(ValidationError) as error:
        ask(provider, platform, product=scene.world.crab)
    assert "cannot ask itself" in str(error.value.message_dict["provider"])
    other = OrganisationFactory(provider=True)
    assert ask(provider, other, product=scene.world.crab).requesting_organisation == platform


# --- Who sees and acts -----------------------------------------------------------------------


def test_who_sees_and_acts_on_each_kind(
    scene,
    org_request,
    verified_exporter,
    colleague_a,
    provider,
    ministry,
    officer_konawe,
    officer_sultra,
    linked_operator,
    officer_sulteng,
    second_exporter,
    pending_exporter,
):
    product_side = scene.service_request

    def seen(user) -> set[ServiceRequest]:
        return set(selectors.visible_service_requests(user))

    assert seen(provider) == seen(ministry) == {product_side, org_request}
    assert seen(verified_exporter) == seen(colleague_a) == {org_request}
    # The Konawe side is the deal's other side: it reads the help asked on the deal.
    for user in (officer_konawe, officer_sultra, linked_operator):
        assert seen(user) == {product_side, org_request}
    for user in (officer_sulteng, second_exporter, pending_exporter):
        assert seen(user) == set()

    side = dealings_access.service_side
    assert side(provider, org_request) == "provider"
    assert side(verified_exporter, org_request) == side(colleague_a, org_request) == "requester"
    for user in (ministry, officer_konawe, linked_operator, second_exporter):
        assert side(user, org_request) is None
    assert side(officer_konawe, product_side) == side(ministry, product_side) == "requester"
    assert side(verified_exporter, product_side) is None
    assert dealings_access.allowed_service_statuses(verified_exporter, org_request) == ["cancelled"]
    assert dealings_access.allowed_service_statuses(provider, org_request) == [
        "accepted",
        "declined",
    ]
    with pytest.raises(PermissionDenied):
        services.transition_service_request(
            actor=officer_konawe, service_request=org_request, to="cancelled", note="No"
        )


def test_the_organisations_request_flow_tells_its_side(
    org_request,
    verified_exporter,
    colleague_a,
    provider,
    officer_konawe,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_service_request(
            actor=provider, service_request=org_request, to="accepted"
        )
    assert recipients() == {verified_exporter.email, colleague_a.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_service_note(
            actor=colleague_a, service_request=org_request, body="Pick-up on Monday"
        )
    assert recipients() == {verified_exporter.email, provider.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_service_request(
            actor=verified_exporter, service_request=org_request, to="cancelled", note="Sea freight"
        )
    assert recipients() == {colleague_a.email, provider.email}
    assert officer_konawe.email not in recipients()


# --- Turnaround ------------------------------------------------------------------------------


def test_answer_and_completion_times_are_recorded(scene, org_request, provider, officer_konawe):
    before = timezone.now()
    assert org_request.answered_at is None and org_request.completed_at is None
    services.transition_service_request(actor=provider, service_request=org_request, to="accepted")
    org_request.refresh_from_db()
    assert before <= org_request.answered_at <= timezone.now()
    answered = org_request.answered_at
    services.transition_service_request(
        actor=provider, service_request=org_request, to="in_progress"
    )
    services.transition_service_request(actor=provider, service_request=org_request, to="completed")
    org_request.refresh_from_db()
    assert org_request.answered_at == answered  # the first answer stays
    assert answered <= org_request.completed_at <= timezone.now()
    # Declining is an answer too; cancelling before an answer is none.
    declined = ask(officer_konawe, scene.service_request.provider, product=scene.world.crab)
    services.transition_service_request(
        actor=provider, service_request=declined, to="declined", note="Fully booked"
    )
    declined.refresh_from_db()
    assert declined.answered_at is not None and declined.completed_at is None
    services.transition_service_request(
        actor=officer_konawe, service_request=scene.service_request, to="cancelled", note="No"
    )
    scene.service_request.refresh_from_db()
    assert scene.service_request.answered_at is None
    assert scene.service_request.completed_at is None


def timed(request: ServiceRequest, status: str, answer_hours=None, complete_days=None) -> None:
    created = timezone.now() - timedelta(days=30)
    ServiceRequest.objects.filter(pk=request.pk).update(
        status=status,
        created_at=created,
        answered_at=created + timedelta(hours=answer_hours) if answer_hours else None,
        completed_at=created + timedelta(days=complete_days) if complete_days else None,
    )


def test_turnaround_figures(scene, org_request, officer_konawe, platform):
    assert selectors.turnaround(platform) == selectors.Turnaround(
        requests=2,
        answered=0,
        median_hours_to_answer=None,
        completed=0,
        median_days_to_complete=None,
    )
    third = ask(officer_konawe, platform, product=scene.world.crab)
    fourth = ask(officer_konawe, platform, product=scene.world.oil)
    timed(scene.service_request, "completed", answer_hours=2, complete_days=4)
    timed(org_request, "declined", answer_hours=5)
    timed(third, "completed", answer_hours=30, complete_days=9)
    timed(fourth, "cancelled")
    assert selectors.turnaround(platform) == selectors.Turnaround(
        requests=4,
        answered=3,
        median_hours_to_answer=5.0,
        completed=2,
        median_days_to_complete=6.5,
    )
    other = OrganisationFactory(provider=True)
    assert selectors.turnaround(other).requests == 0


# --- Pages -----------------------------------------------------------------------------------


def test_the_provider_queue_shows_both_kinds_and_the_turnaround(as_role, scene, org_request, deal):
    page = as_role("provider").get("/matchmaking/service-requests/")
    for row in (scene.service_request, org_request):
        assertContains(page, f"/matchmaking/service-requests/{row.pk}/")
    assertContains(page, "<td>BUMDes Mina Uji<br>")  # the product's side, by its BUMDes' name
    assertContains(page, "Harbour Test Seafood Ltd")
    assertContains(page, "Interest")  # the deal's stage; the provider cannot open the deal
    assertNotContains(page, f"/deals/{deal.pk}/")
    assertContains(page, "Median hours to answer")
    assertContains(page, "PT Mitra Niaga Uji")
    # The exporter sees its own request, linked to its deal, and no turnaround.
    page = as_role("verified_exporter").get("/matchmaking/service-requests/")
    assertContains(page, f"/matchmaking/service-requests/{org_request.pk}/")
    assertNotContains(page, f"/matchmaking/service-requests/{scene.service_request.pk}/")
    assertContains(page, f"/deals/{deal.pk}/")
    assertNotContains(page, "Median hours to answer")
    # Officers see their side's requests and those on their deals; ministry staff every
    # provider's figures.
    page = as_role("officer_konawe").get("/matchmaking/service-requests/")
    assertContains(page, f"/matchmaking/service-requests/{org_request.pk}/")
    page = as_role("officer_sulteng").get("/matchmaking/service-requests/")
    assertNotContains(page, f"/matchmaking/service-requests/{org_request.pk}/")
    assertNotContains(page, "Median hours to answer")
    page = as_role("ministry").get("/matchmaking/service-requests/")
    assertContains(page, f"/matchmaking/service-requests/{org_request.pk}/")
    assertContains(page, "Median hours to answer")


@pytest.mark.parametrize("role", MM_ROLES)
def test_who_may_open_an_organisations_request(as_role, org_request, role):
    response = as_role(role).get(f"/matchmaking/service-requests/{org_request.pk}/")
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    deal_side = {"officer_sultra", "officer_konawe", "linked_operator"}
    readers = {"verified_exporter", "provider", "ministry"} | deal_side
    assert response.status_code == only(readers)[role]
    if role in deal_side:  # the deal's other side reads the request, does not act on it
        assertNotContains(response, 'name="to"')
    if role == "verified_exporter":
        assertContains(response, "Cancel the request")
    elif role == "provider":
        assertContains(response, "Accept")
    elif role == "ministry":
        assertNotContains(response, 'name="to"')  # reads, does not act


@pytest.mark.parametrize("role", MM_ROLES)
def test_who_may_ask_on_a_deal_from_the_page(as_role, deal, role):
    response = as_role(role).get(f"/matchmaking/service-requests/new/?deal={deal.pk}")
    if role == "anonymous":
        assert response.status_code == 302
        return
    allowed = {"verified_exporter", "ministry", "officer_sultra", "officer_konawe"}
    expected = only(allowed | {"linked_operator"})
    expected.update({"exporter": 403, "pending_exporter": 403})
    assert response.status_code == expected[role]
    if response.status_code == 200:
        assertContains(response, f'<option value="{deal.pk}" selected>')


def test_the_exporter_asks_on_its_deal_from_the_page(as_role, scene, deal, platform, org_a):
    url = f"/matchmaking/service-requests/new/?deal={deal.pk}"
    client = as_role("verified_exporter")
    page = client.get(url)
    assertContains(page, "For the deal of Kepiting bakau")
    assertContains(page, f'href="/deals/{deal.pk}/"')
    response = client.post(
        url, {"service": "payment", "provider": platform.pk, "deal": deal.pk, "description": " "}
    )
    assertContains(response, "This field is required", status_code=400)
    response = client.post(
        url,
        {"service": "payment", "provider": platform.pk, "deal": deal.pk, "description": "L/C"},
    )
    created = ServiceRequest.objects.get(service="payment")
    assert response["Location"] == f"/matchmaking/service-requests/{created.pk}/"
    assert created.deal == deal and created.requesting_organisation == org_a
    page = client.get(response["Location"])
    assertContains(page, "Harbour Test Seafood Ltd")
    assertContains(page, f'href="/deals/{deal.pk}/"')


def test_the_exporter_asks_for_a_sourced_product_from_the_page(as_role, scene, platform):
    """The scene's exporter asked about the crab: its conversation links to the request form."""
    inquiry_page = as_role("verified_exporter").get(f"/matchmaking/inquiries/{scene.inquiry.pk}/")
    url = f"/matchmaking/service-requests/new/?product={scene.world.crab.pk}"
    assertContains(inquiry_page, url.replace("&", "&amp;"))
    response = as_role("verified_exporter").post(
        url, {"service": "quality", "provider": platform.pk, "description": "Grading"}
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get(service="quality")
    assert created.deal is None and created.requesting_organisation is not None
    # Not for a product it does not source.
    oil = f"/matchmaking/service-requests/new/?product={scene.world.oil.pk}"
    assert as_role("verified_exporter").get(oil).status_code == 404


def test_pending_exporters_are_told_why(as_role, scene):
    response = as_role("pending_exporter").get(
        f"/matchmaking/service-requests/new/?product={scene.world.crab.pk}"
    )
    assertContains(response, "not verified yet", status_code=403)


# --- API -------------------------------------------------------------------------------------


def test_an_exporter_asks_over_the_api(api_as, scene, deal, platform, org_a):
    body = {
        "provider": platform.pk,
        "service": "logistics",
        "deal": deal.pk,
        "description": "Cargo",
    }
    response = api_as("verified_exporter").post(f"{API}/service-requests/", body, format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    assert data["product"] == scene.world.crab.pk and data["deal"] == deal.pk
    assert data["requesting_organisation"] == org_a.pk
    assert data["requesting_organisation_name"] == "Harbour Test Seafood Ltd"
    assert data["answered_at"] is None and data["completed_at"] is None
    assert data["allowed_statuses"] == ["cancelled"]
    accepted = api_as("provider").post(
        f"{API}/service-requests/{data['id']}/transition/", {"status": "accepted"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["answered_at"] is not None
    product_side = api_as("officer_konawe").get(
        f"{API}/service-requests/{scene.service_request.pk}/"
    )
    assert product_side.json()["requesting_organisation"] is None
    assert product_side.json()["requesting_organisation_name"] is None


@pytest.mark.parametrize(
    ("role", "change", "code", "field"),
    [
        # Another organisation's deal is unknown to a buyer that does not take part in it.
        ("second_exporter", {"deal": "deal"}, 400, "deal"),
        ("second_exporter", {"product": "crab"}, 403, None),
        ("verified_exporter", {"product": "oil"}, 403, None),
        ("verified_exporter", {"deal": "deal", "product": "oil"}, 400, "deal"),
        ("verified_exporter", {"deal": 999999}, 400, "deal"),
        ("verified_exporter", {}, 400, "product"),
        ("pending_exporter", {"product": "crab"}, 403, None),
    ],
)
def test_what_the_api_refuses(api_as, scene, deal, platform, role, change, code, field):
    ids = {"deal": deal.pk, "crab": scene.world.crab.pk, "oil": scene.world.oil.pk}
    body = {
        "provider": platform.pk,
        "service": "quality",
        "description": "Grading",
        **{key: ids.get(value, value) for key, value in change.items()},
    }
    response = api_as(role).post(f"{API}/service-requests/", body, format="json")
    assert response.status_code == code, response.content[:300]
    if field:
        assert field in response.json()
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("role", MM_ROLES)
def test_who_reads_an_organisations_request_over_the_api(api_as, org_request, role):
    client = api_as(role)
    response = client.get(f"{API}/service-requests/{org_request.pk}/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    readers = {"verified_exporter", "provider", "ministry"} | {
        "officer_sultra",
        "officer_konawe",
        "linked_operator",
    }
    assert response.status_code == only(readers)[role]
    listed = client.get(f"{API}/service-requests/").json()
    assert (org_request.pk in {row["id"] for row in listed["results"]}) is (role in readers)
    cancel = client.post(
        f"{API}/service-requests/{org_request.pk}/transition/",
        {"status": "cancelled", "note": "Not needed"},
        format="json",
    )
    assert (
        cancel.status_code
        == {
            **only(readers),
            "provider": 403,
            "ministry": 403,
            "officer_sultra": 403,
            "officer_konawe": 403,
            "linked_operator": 403,
        }[role]
    )


def test_the_turnaround_over_the_api(api_as, scene, org_request, platform):
    services.transition_service_request(
        actor=member("t-mitra-2", platform), service_request=org_request, to="accepted"
    )
    other = OrganisationFactory(provider=True, legal_name="Zeta Logistik")
    mine = api_as("provider").get(f"{API}/service-requests/turnaround/")
    assert mine.status_code == 200
    assert mine.json() == [
        {
            "provider": platform.pk,
            "provider_name": "PT Mitra Niaga Uji",
            "requests": 2,
            "answered": 1,
            "median_hours_to_answer": 0.0,
            "completed": 0,
            "median_days_to_complete": None,
        }
    ]
    everyone = api_as("ministry").get(f"{API}/service-requests/turnaround/").json()
    assert [row["provider"] for row in everyone] == [platform.pk, other.pk]
    for role in ("officer_konawe", "verified_exporter", "operator"):
        assert api_as(role).get(f"{API}/service-requests/turnaround/").json() == []
    assert api_as("anonymous").get(f"{API}/service-requests/turnaround/").status_code == 401


def test_both_sides_of_a_deal_read_the_help_asked_on_it(
    scene, verified_exporter, provider, platform, linked_operator, officer_sultra, officer_sulteng
):
    """A buyer asks for help on its deal: the BUMDes side of that deal reads the request too (an
    officer elsewhere does not), and only the asking side and the provider act on it."""
    from matchmaking.dealings import access as dealings_access
    from matchmaking.dealings import selectors as dealings_selectors
    from matchmaking.dealings import services as dealings_services

    opening = dealings_services.open_deal_from_inquiry(
        actor=verified_exporter, inquiry=scene.inquiry
    )
    asked = dealings_services.request_service(
        actor=verified_exporter,
        provider=platform,
        service="logistics",
        product=None,
        deal=opening.deal,
        description="Air freight space KDI-HKG for 800 kg live crab",
    )
    for reader in (linked_operator, officer_sultra, provider, verified_exporter):
        assert dealings_selectors.visible_service_requests(reader).filter(pk=asked.pk).exists()
    assert (
        not dealings_selectors.visible_service_requests(officer_sulteng)
        .filter(pk=asked.pk)
        .exists()
    )
    assert dealings_access.service_side(linked_operator, asked) is None
