"""Who may do what with one dealing (``matchmaking.dealings.access``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from matchmaking.access import Viewer
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import services
from matchmaking.dealings.models import BuyingRequest, Inquiry, ServiceRequest

pytestmark = pytest.mark.django_db


# --- Shortlist -------------------------------------------------------------------------------


def test_exporter_accounts_see_a_shortlist(
    verified_exporter, pending_exporter, exporter, officer_sultra, ministry
):
    for user in (verified_exporter, pending_exporter, exporter):
        assert dealings_access.may_see_shortlist(user)
    for user in (officer_sultra, ministry, AnonymousUser()):
        assert not dealings_access.may_see_shortlist(user)


def test_members_remove_from_their_shortlist(
    world, verified_exporter, colleague_a, second_exporter
):
    entry = services.add_to_shortlist(actor=verified_exporter, product=world.crab)
    assert dealings_access.may_remove_from_shortlist(verified_exporter, entry)
    assert dealings_access.may_remove_from_shortlist(colleague_a, entry)
    assert not dealings_access.may_remove_from_shortlist(second_exporter, entry)


# --- Inquiries -------------------------------------------------------------------------------


def test_inquiry_sides_and_who_may_write(
    world, verified_exporter, linked_operator, ministry, officer_sulteng, second_exporter
):
    inquiry = services.start_inquiry(actor=verified_exporter, product=world.crab, body="Price?")
    assert dealings_access.inquiry_side(verified_exporter, inquiry) == "exporter"
    assert dealings_access.inquiry_side(linked_operator, inquiry) == "product"
    assert dealings_access.inquiry_side(ministry, inquiry) == "product"
    assert dealings_access.inquiry_side(officer_sulteng, inquiry) is None
    assert dealings_access.inquiry_side(second_exporter, inquiry) is None
    # A viewer looked up once decides the same.
    viewer = Viewer(linked_operator)
    assert dealings_access.inquiry_side(linked_operator, inquiry, viewer) == "product"
    assert dealings_access.may_post_message(verified_exporter, inquiry)
    assert not dealings_access.may_post_message(officer_sulteng, inquiry)
    services.set_inquiry_status(actor=verified_exporter, inquiry=inquiry, to="closed")
    inquiry.refresh_from_db()
    assert not dealings_access.may_post_message(verified_exporter, inquiry)
    assert dealings_access.allowed_inquiry_statuses(verified_exporter, inquiry) == []


def test_allowed_inquiry_statuses(world, verified_exporter, linked_operator, officer_sulteng):
    sample = services.start_inquiry(
        actor=verified_exporter,
        product=world.crab,
        kind=Inquiry.Kind.SAMPLE_REQUEST,
        body="A kilo, please",
    )
    assert dealings_access.allowed_inquiry_statuses(verified_exporter, sample) == ["closed"]
    assert dealings_access.allowed_inquiry_statuses(linked_operator, sample) == [
        "sample_sent",
        "closed",
    ]
    assert dealings_access.allowed_inquiry_statuses(officer_sulteng, sample) == []
    plain = services.start_inquiry(actor=verified_exporter, product=world.crab, body="Price?")
    assert dealings_access.allowed_inquiry_statuses(linked_operator, plain) == ["closed"]


# --- Buying requests and offers --------------------------------------------------------------


def test_the_posting_organisation_manages_its_buying_request(
    world, rfq, verified_exporter, colleague_a, second_exporter, linked_operator, org_a
):
    for user in (verified_exporter, colleague_a):
        assert dealings_access.may_manage_buying_request(user, rfq)
        assert dealings_access.may_change_buying_request(user, rfq)
    for user in (second_exporter, linked_operator):
        assert not dealings_access.may_manage_buying_request(user, rfq)
        assert not dealings_access.may_change_buying_request(user, rfq)
    services.close_buying_request(actor=verified_exporter, buying_request=rfq)
    rfq.refresh_from_db()
    # Still its manager, but a closed request is not changed any more.
    assert dealings_access.may_manage_buying_request(verified_exporter, rfq)
    assert not dealings_access.may_change_buying_request(verified_exporter, rfq)
    # Members of an organisation that lost its verification manage nothing.
    org_a.status = "pending"
    org_a.verified_at = None
    org_a.save()
    assert not dealings_access.may_manage_buying_request(verified_exporter, rfq)


def test_who_may_offer(
    world, rfq, linked_operator, officer_sulteng, officer_sultra, operator, verified_exporter
):
    for user in (linked_operator, officer_sulteng, officer_sultra, operator):
        assert dealings_access.may_make_offers(user)
    assert not dealings_access.may_make_offers(verified_exporter)
    assert dealings_access.may_offer(linked_operator, rfq)
    assert dealings_access.may_offer(officer_sulteng, rfq)  # Donggala has crab under 0306 too
    assert not dealings_access.may_offer(operator, rfq)  # no product under the heading
    assert not dealings_access.may_offer(verified_exporter, rfq)
    # A request past its date takes no more offers, even before the daily job marks it.
    BuyingRequest.objects.filter(pk=rfq.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    rfq.refresh_from_db()
    assert not dealings_access.may_offer(linked_operator, rfq)


# --- Facilitation (service) requests ---------------------------------------------------------


@pytest.fixture
def service_request(world, platform, officer_konawe) -> ServiceRequest:
    return services.request_service(
        actor=officer_konawe,
        provider=platform,
        service="documents",
        product=world.crab,
        description="Form AHK please",
    )


def test_the_product_side_and_verified_organisations_request_services(
    officer_sultra,
    linked_operator,
    ministry,
    verified_exporter,
    provider,
    pending_exporter,
    exporter,
):
    for user in (officer_sultra, linked_operator, ministry, verified_exporter, provider):
        assert dealings_access.may_request_services(user)
    for user in (pending_exporter, exporter, AnonymousUser()):
        assert not dealings_access.may_request_services(user)


def test_service_request_sides_notes_and_statuses(
    service_request, provider, officer_konawe, linked_operator, officer_sulteng, second_exporter
):
    assert dealings_access.service_side(provider, service_request) == "provider"
    assert dealings_access.service_side(officer_konawe, service_request) == "requester"
    assert dealings_access.service_side(linked_operator, service_request) == "requester"
    assert dealings_access.service_side(officer_sulteng, service_request) is None
    for user in (provider, officer_konawe, linked_operator):
        assert dealings_access.may_add_service_note(user, service_request)
    for user in (officer_sulteng, second_exporter):
        assert not dealings_access.may_add_service_note(user, service_request)
    assert dealings_access.allowed_service_statuses(provider, service_request) == [
        "accepted",
        "declined",
    ]
    assert dealings_access.allowed_service_statuses(officer_konawe, service_request) == [
        "cancelled"
    ]
    assert dealings_access.allowed_service_statuses(officer_sulteng, service_request) == []
    services.transition_service_request(
        actor=provider, service_request=service_request, to="accepted"
    )
    service_request.refresh_from_db()
    assert dealings_access.allowed_service_statuses(provider, service_request) == [
        "in_progress",
        "completed",
    ]


# --- Panels ----------------------------------------------------------------------------------


def test_an_organisations_dealings_are_for_its_members_and_ministry(
    org_a,
    verified_exporter,
    colleague_a,
    pending_exporter,
    second_exporter,
    ministry,
    officer_sultra,
):
    for user in (verified_exporter, colleague_a, ministry):
        assert dealings_access.may_see_organisation_dealings(user, org_a)
    for user in (second_exporter, pending_exporter, officer_sultra, AnonymousUser()):
        assert not dealings_access.may_see_organisation_dealings(user, org_a)
