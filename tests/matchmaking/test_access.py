"""Party-level decisions of ``matchmaking.access``: who acts for which organisation, who is on a
product's side."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from matchmaking import access

pytestmark = pytest.mark.django_db


def test_verified_organisation_needs_account_and_organisation_verified(
    verified_exporter, pending_exporter, exporter, officer_sultra, org_a
):
    assert access.verified_organisation(verified_exporter) == org_a
    assert access.verified_organisation(pending_exporter) is None
    assert access.verified_organisation(exporter) is None
    assert access.verified_organisation(officer_sultra) is None
    # A stale flag on the account is not enough once the organisation lost its verification.
    org_a.status = "rejected"
    org_a.rejection_reason = "Fake documents"
    org_a.verified_at = None
    org_a.save()
    assert access.verified_organisation(verified_exporter) is None


def test_exporter_accounts_are_the_exporter_side_verified_or_not(
    verified_exporter, pending_exporter, exporter, provider, officer_sultra, ministry, operator
):
    for user in (verified_exporter, pending_exporter, exporter, provider):
        assert access.is_exporter_account(user)
    for user in (officer_sultra, ministry, operator, AnonymousUser()):
        assert not access.is_exporter_account(user)


def test_only_members_of_verified_organisations_may_act(
    verified_exporter, pending_exporter, exporter, provider, ministry, officer_sultra
):
    assert access.may_act(verified_exporter)
    assert access.may_act(provider)  # a platform's member may act as a buyer too
    for user in (pending_exporter, exporter, ministry, officer_sultra, AnonymousUser()):
        assert not access.may_act(user)


def test_the_refusal_says_why_to_members_of_an_unverified_organisation(
    verified_exporter, second_exporter, officer_sultra, org_a
):
    org_a.status = "pending"
    org_a.verified_at = None
    org_a.save()
    assert "not verified yet" in str(access.refusal(verified_exporter, org_a))
    # Strangers get a plain refusal: it says nothing about the organisation.
    assert str(access.refusal(second_exporter, org_a)) == ""
    assert str(access.refusal(officer_sultra, org_a)) == ""


def test_the_registry_page_is_for_the_product_side_only(
    world, ministry, officer_sultra, officer_sulteng, linked_operator, operator, verified_exporter
):
    for user in (ministry, officer_sultra, linked_operator):
        assert access.may_open_registry_page(user, world.crab)
    for user in (officer_sulteng, operator, verified_exporter, AnonymousUser()):
        assert not access.may_open_registry_page(user, world.crab)
    assert access.may_open_registry_page(officer_sulteng, world.donggala_crab)


def test_service_providers_are_platforms_and_service_organisations(org_a, platform):
    assert access.is_service_provider(platform)
    assert not access.is_service_provider(org_a)
    assert access.offers_service(platform, "documents")
    assert not access.offers_service(org_a, "documents")
