"""Who sees a deal and who records into it (``matchmaking.deals.access``), for every role.

Both sides of a deal see it: the product's side (ministry staff, the regional officers whose
region covers the product's village, the operators of its BUMDes) and the members of the
organisation, verified or not. Only the product's side and members of a *verified*
organisation record steps and shipments; a lost deal takes no more records. Nobody else sees
it: not officers of another region, other organisations, service providers or anonymous visitors.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from exporters.models import Membership
from matchmaking.access import Viewer
from matchmaking.deals import access as deal_access
from matchmaking.deals import services
from matchmaking.deals.models import Deal
from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.deals.conftest import RECORDS, SEES, DealScene, seen_by

pytestmark = pytest.mark.django_db

SIDES = {
    "crab": {
        "ministry": "product",
        "officer_sultra": "product",
        "officer_konawe": "product",
        "linked_operator": "product",
        "verified_exporter": "organisation",
    },
    "donggala": {
        "ministry": "product",
        "officer_sulteng": "product",
        "second_exporter": "organisation",
    },
    "pending": {
        "ministry": "product",
        "officer_sultra": "product",
        "officer_konawe": "product",
        "linked_operator": "product",
        "pending_exporter": "organisation",
    },
}
#: Roles that open the deal list at all (everyone with a side in some deal).
HAS_DEALS = {
    "ministry",
    "officer_sultra",
    "officer_sulteng",
    "officer_konawe",
    "operator",
    "linked_operator",
    "verified_exporter",
    "second_exporter",
    "pending_exporter",
    "provider",
}


@pytest.fixture
def user_of(request):
    def get(role: str):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return get


def test_the_scene_covers_every_role():
    everyone = set(MM_ROLES)
    for name in SEES:
        assert set(SIDES[name]) == SEES[name] and SEES[name] <= everyone
        assert RECORDS[name] <= SEES[name]


@pytest.mark.parametrize("role", MM_ROLES)
def test_each_role_sees_exactly_its_deals(ds: DealScene, user_of, role):
    user = user_of(role)
    visible = set(Deal.objects.filter(deal_access.deals_q(user)).values_list("pk", flat=True))
    assert visible == {getattr(ds, name).pk for name in seen_by(role)}
    for name in SEES:
        deal = getattr(ds, name)
        assert deal_access.may_see_deal(user, deal) == (role in SEES[name]), name
        assert deal_access.deal_side(user, deal) == SIDES[name].get(role), name


@pytest.mark.parametrize("role", MM_ROLES)
def test_both_sides_record_but_unverified_members_only_read(ds: DealScene, user_of, role):
    user = user_of(role)
    viewer = Viewer(user)
    for name in SEES:
        deal = getattr(ds, name)
        assert deal_access.may_record(user, deal) == (role in RECORDS[name]), name
        # A viewer looked up once decides the same.
        assert deal_access.may_record(user, deal, viewer) == (role in RECORDS[name]), name
        assert deal_access.acts_on_deal(user, deal, viewer) == (role in RECORDS[name]), name


@pytest.mark.parametrize("role", MM_ROLES)
def test_a_lost_deal_takes_no_more_records_from_anyone(ds: DealScene, ministry, user_of, role):
    lost = services.close_as_lost(actor=ministry, deal=ds.crab, reason="price")
    user = user_of(role)
    assert not deal_access.may_record(user, lost)
    # ... but its sides still see it and still act for it.
    assert deal_access.may_see_deal(user, lost) == (role in SEES["crab"])
    assert deal_access.acts_on_deal(user, lost) == (role in RECORDS["crab"])


@pytest.mark.parametrize("role", MM_ROLES)
def test_who_opens_the_deal_lists_and_downloads_them(regions, user_of, role):
    user = user_of(role)
    assert deal_access.has_deals(user) == (role in HAS_DEALS)
    assert deal_access.may_export_deals(user) == (role in HAS_DEALS)


@pytest.mark.parametrize("role", MM_ROLES)
def test_ministry_staff_and_the_products_officers_enter_outside_deals(world, user_of, role):
    user = user_of(role)
    enterers = {"ministry", "officer_sultra", "officer_konawe", "officer_sulteng"}
    assert deal_access.may_record_outside_deal(user) == (role in enterers)
    assert deal_access.may_record_outside_deal(user, world.crab) == (
        role in {"ministry", "officer_sultra", "officer_konawe"}
    )
    assert deal_access.may_record_outside_deal(user, world.donggala_crab) == (
        role in {"ministry", "officer_sulteng"}
    )


def test_rows_reached_through_a_prefix_follow_the_same_rule(ds: DealScene, officer_sulteng):
    from matchmaking.deals.models import Shipment

    assert not Shipment.objects.filter(deal_access.deals_q(officer_sulteng, prefix="deal__"))
    ds.crab.refresh_from_db()
    assert set(
        Shipment.objects.filter(deal_access.deals_q(ds.crab.opened_by, prefix="deal__"))
    ) == {ds.shipment}


def test_a_member_who_left_the_organisation_sees_its_deals_no_more(
    ds: DealScene, verified_exporter
):
    Membership.objects.filter(user=verified_exporter).delete()
    assert not deal_access.may_see_deal(verified_exporter, ds.crab)
    assert not Deal.objects.filter(deal_access.deals_q(verified_exporter))
