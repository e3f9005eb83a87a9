"""Who may see and tune match scores (``matchmaking.matching.access``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from matchmaking.matching import access

pytestmark = pytest.mark.django_db


def test_only_ministry_staff_tune_matching(ministry, officer_sultra, verified_exporter, operator):
    assert access.may_tune_matching(ministry)
    for user in (officer_sultra, verified_exporter, operator, AnonymousUser()):
        assert not access.may_tune_matching(user)


def test_an_organisations_list_is_for_its_members_and_ministry_staff(
    ministry, verified_exporter, officer_sultra, org_a, org_b
):
    assert access.may_see_organisation_matches(ministry, org_a)
    assert access.may_see_organisation_matches(verified_exporter, org_a)
    assert not access.may_see_organisation_matches(verified_exporter, org_b)
    assert not access.may_see_organisation_matches(officer_sultra, org_a)
    assert not access.may_see_organisation_matches(AnonymousUser(), org_a)


def test_organisation_accounts_have_their_own_list_and_ministry_staff_pick_one(
    ministry, verified_exporter, officer_sultra, operator
):
    assert access.picks_organisation(ministry) and not access.has_own_recommendations(ministry)
    assert access.has_own_recommendations(verified_exporter)
    assert not access.picks_organisation(verified_exporter)
    for user in (officer_sultra, operator):
        assert not access.has_own_recommendations(user) and not access.picks_organisation(user)
