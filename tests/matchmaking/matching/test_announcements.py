"""New export-ready products that match an organisation well: its members are told once a day,
each product once, never what they dismissed, never another organisation's; nobody on the
product side receives it. Scores come from a real full run (tasks in-process)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from bumdes_export.notifications import services as notification_services
from bumdes_export.notifications.models import Delivery, Notification
from matchmaking.matching import announcements, tasks
from matchmaking.matching.models import MatchAnnouncement, MatchDismissal, OrganisationMatch
from products.models import BumdesOperator, Product
from tests.exporters.factories import MembershipFactory
from tests.factories import UserFactory
from tests.matchmaking.matching.factories import make_bumdes, make_organisation, make_product

pytestmark = pytest.mark.django_db

KIND = "match.new_products"


@pytest.fixture
def crab_market(regions, django_capture_on_commit_callbacks):
    """Live crab from Konawe, ready two days ago; a Hong Kong crab buyer (two members) and a
    coffee buyer (one member); the BUMDes' operator and an officer on the product side."""
    now = timezone.now()
    konawe = make_bumdes("74.02")
    crab = make_product(
        konawe,
        hs="030633",
        name_id="Kepiting bakau hidup",
        name_en="Live mud crab",
        export_ready_at=now - timedelta(days=2),
    )
    old_crab = make_product(konawe, hs="030633", export_ready_at=now - timedelta(days=30))
    in_review = make_product(konawe, hs="030633", status="verified")
    crab_buyer = make_organisation(hs=("0306",), legal_name="Harbour Seafood Ltd")
    coffee_buyer = make_organisation(hs=("0901",), legal_name="Kopi Trading Ltd")
    members = [
        MembershipFactory(organisation=crab_buyer, user__language=language).user
        for language in ("en", "id")
    ]
    outsider = MembershipFactory(organisation=coffee_buyer).user
    operator = UserFactory(username="t-operator", operator=True)
    BumdesOperator.objects.create(user=operator, bumdes=konawe)
    officer = UserFactory(username="t-officer-konawe", officer=True, region_id="74.02")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_full_run()
    assert OrganisationMatch.objects.filter(organisation=crab_buyer, product=crab).exists()
    return {
        "crab": crab,
        "old_crab": old_crab,
        "in_review": in_review,
        "crab_buyer": crab_buyer,
        "coffee_buyer": coffee_buyer,
        "members": members,
        "outsider": outsider,
        "operator": operator,
        "officer": officer,
    }


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=KIND))


def test_members_of_the_matched_organisation_are_told_about_the_new_product(crab_market):
    result = tasks.announce_new_matches.apply().get()
    assert result == {"organisations": 1, "members": 2, "products": 1}
    for member in crab_market["members"]:
        (note,) = told(member)
        name = "Live mud crab" if member.language == "en" else "Kepiting bakau hidup"
        assert name in note.body
        assert f"/catalogue/{crab_market['crab'].pk}/" in note.body
        assert note.link.endswith("/matchmaking/matches/recommendations/")
        assert "Harbour Seafood Ltd" in note.subject
    # Not the coffee buyer, not the product side; not the old product nor the one in review.
    for other in ("outsider", "operator", "officer"):
        assert told(crab_market[other]) == []
    announced = set(MatchAnnouncement.objects.values_list("product_id", flat=True))
    assert announced == {crab_market["crab"].pk}


def test_in_the_recipients_language(crab_market):
    english, indonesian = crab_market["members"]
    announcements.announce_new_matches()
    assert "matches Harbour Seafood Ltd well" in told(english)[0].subject
    assert "cocok" in told(indonesian)[0].subject.lower()


def test_at_most_one_announcement_a_day_and_each_product_once(crab_market):
    member = crab_market["members"][0]
    assert announcements.announce_new_matches()["organisations"] == 1
    # Another product becomes ready the same day: it waits for tomorrow's announcement.
    konawe = crab_market["crab"].bumdes
    later = make_product(
        konawe, hs="030633", name_en="Blue swimming crab", export_ready_at=timezone.now()
    )
    OrganisationMatch.objects.create(
        organisation=crab_market["crab_buyer"],
        product=later,
        product_version=later.version,
        score=900,
        fit=300,
        volume=150,
        certificates=150,
        markets=100,
        logistics=100,
        readiness=100,
    )
    assert announcements.announce_new_matches()["organisations"] == 0
    assert len(told(member)) == 1
    tomorrow = timezone.now() + timedelta(days=1)
    assert announcements.announce_new_matches(tomorrow) == {
        "organisations": 1,
        "members": 2,
        "products": 1,
    }
    notes = told(member)
    assert len(notes) == 2 and "Blue swimming crab" in notes[0].body
    # Nothing new the day after: nobody is told again about the same products.
    assert announcements.announce_new_matches(tomorrow + timedelta(days=1))["organisations"] == 0


def test_a_dismissed_product_is_not_announced(crab_market):
    MatchDismissal.objects.create(
        product=crab_market["crab"],
        organisation=crab_market["crab_buyer"],
        side=MatchDismissal.Side.ORGANISATION,
    )
    assert announcements.announce_new_matches()["organisations"] == 0
    assert told(crab_market["members"][0]) == []


def test_only_scores_at_least_good_are_announced(crab_market):
    OrganisationMatch.objects.filter(product=crab_market["crab"]).update(score=599)  # good: 60
    assert announcements.announce_new_matches()["organisations"] == 0


def test_a_product_no_longer_export_ready_is_not_announced(crab_market):
    Product.objects.filter(pk=crab_market["crab"].pk).update(status=Product.Status.VERIFIED)
    assert announcements.announce_new_matches()["organisations"] == 0


def test_an_organisation_without_members_is_told_once_it_has_some(crab_market):
    buyer = crab_market["crab_buyer"]
    buyer.memberships.all().delete()
    assert announcements.announce_new_matches()["organisations"] == 0
    assert not MatchAnnouncement.objects.exists()
    MembershipFactory(organisation=buyer)
    assert announcements.announce_new_matches()["members"] == 1


@pytest.mark.parametrize(
    ("delivery", "stored", "channel"),
    [
        (Delivery.EMAIL, True, Notification.Channel.EMAIL),
        (Delivery.DIGEST, True, Notification.Channel.DIGEST),
        (Delivery.PORTAL, True, Notification.Channel.PORTAL),
        (Delivery.NONE, False, None),
    ],
)
def test_each_member_chooses_how_it_comes(crab_market, delivery, stored, channel):
    member = crab_market["members"][0]
    notification_services.set_preferences(member, {"match": delivery})
    announcements.announce_new_matches()
    notes = told(member)
    assert bool(notes) == stored
    if stored:
        assert notes[0].channel == channel
    # The other member keeps the default.
    assert len(told(crab_market["members"][1])) == 1


def test_only_products_the_recommendations_page_lists_are_announced(crab_market):
    buyer = crab_market["crab_buyer"]
    crab_score = OrganisationMatch.objects.get(
        organisation=buyer, product=crab_market["crab"]
    ).score
    OrganisationMatch.objects.update_or_create(
        organisation=buyer,
        product=crab_market["old_crab"],
        defaults={
            "product_version": crab_market["old_crab"].version,
            "score": crab_score + 1,
            **dict.fromkeys(
                ("fit", "volume", "certificates", "markets", "logistics", "readiness"), 100
            ),
        },
    )
    # The page lists one product: the older crab ranks first, the new one is not listed.
    with mock.patch.object(announcements, "ORGANISATION_TOP", 1):
        assert announcements.announce_new_matches()["organisations"] == 0
    assert announcements.announce_new_matches()["products"] == 1


def test_ministry_staff_are_not_told(crab_market):
    ministry = UserFactory(username="t-kemendes", role="ministry")
    announcements.announce_new_matches()
    assert told(ministry) == []
