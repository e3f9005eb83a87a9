"""The forum of the story: idempotent, tolerant of missing demo data, every state present."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from matchmaking.deals.models import Deal, DealStep, Shipment
from matchmaking.forums import demo as forum_demo
from matchmaking.forums.models import (
    FollowUp,
    Forum,
    ForumParticipant,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
)

pytestmark = pytest.mark.django_db


def test_without_the_other_demos_it_does_nothing(forum):
    assert forum_demo.load() == []
    assert not Forum.objects.filter(name=forum_demo.FORUM_NAME).exists()


@pytest.fixture
def full_reference(db):
    from bumdes_export.reference.services import load_all

    load_all()


def counts():
    return [
        m.objects.count()
        for m in (
            Forum,
            ForumParticipant,
            MeetingRequest,
            Meeting,
            FollowUp,
            Deal,
            DealStep,
            Shipment,
        )
    ]


def test_the_forum_of_the_story(full_reference, as_role, client):
    call_command("load_demo_data")
    forum_demo.load()
    before = counts()
    forum_demo.load()  # idempotent
    assert counts() == before

    forum = Forum.objects.get(name="Forum BUMDes Ekspor")
    assert forum.status == "finished" and forum.time_zone == "Asia/Makassar"
    names = {p.display_name for p in forum.participants.all()}
    assert {
        "PT Gerbang Niaga Global",
        "Harbour Fresh Seafood Trading Ltd",
        "BUMDes Mina Bahari",
        "BUMDes Sigi Makmur",
        "BUMDes Alpukat Garut",
    } <= names
    assert {p.region_id for p in forum.participants.filter(kind="officer")} == {"72", "74"}
    assert set(forum.meeting_requests.values_list("status", flat=True)) == {
        "accepted",
        "declined",
        "pending",
    }
    assert not forum.meeting_requests.filter(status="accepted", meeting__isnull=True).exists()
    assert set(forum.meetings.values_list("status", flat=True)) == {"held", "no_show"}
    # The Hong Kong buyer × Mina Bahari meeting's crab deal, with two shipments to Hong Kong.
    assert not MeetingOutcome.objects.exists()  # nothing writes outcomes any more
    crab = Deal.objects.get(channel="forum_meeting", product__name_id="Kepiting bakau hidup")
    assert crab.meeting.party_b.bumdes.name == "BUMDes Mina Bahari"
    assert crab.organisation.legal_name == "Harbour Fresh Seafood Trading Ltd"
    assert crab.stage == "repeat_shipments"
    steps = dict(crab.steps.values_list("stage", "occurred_on"))
    assert list(steps) == [
        "interest",
        "sample_sent",
        "loi_mou",
        "contract",
        "first_shipment",
        "repeat_shipments",
    ]
    assert steps["interest"] == forum.starts_on
    contract = crab.steps.get(stage="contract")
    assert (contract.value_usd, contract.volume_kg, contract.destination_id) == (75000, 6000, "HK")
    first, repeat = crab.shipments.order_by("shipped_on")
    assert (first.volume, first.volume_unit, first.value_usd) == (500, "kg", 6250)
    assert (repeat.volume, repeat.value_usd) == (800, 10000)
    for shipment in (first, repeat):
        assert shipment.destination_id == "HK" and shipment.gateway_id == "KDI"
        assert shipment.idr_per_usd == 16000
        assert shipment.value_idr == shipment.value_usd * 16000
        assert shipment.peb_number and shipment.coo_number.startswith("AHK")
        assert shipment.shipped_on <= timezone.localdate()
    assert steps["first_shipment"] == first.shipped_on
    assert steps["repeat_shipments"] == repeat.shipped_on
    assert crab.follow_ups.filter(done_at__isnull=True).exists()
    # The Alibaba × Sigi Makmur meeting opened a banana-flour deal at interest.
    flour = Deal.objects.get(channel="forum_meeting", product__name_id="Tepung pisang kepok")
    assert flour.stage == "interest" and flour.organisation.kind == "platform"
    assert FollowUp.objects.filter(done_at__isnull=True).exists()
    assert FollowUp.objects.filter(done_at__isnull=False).exists()

    # The demo accounts see it.
    from bumdes_export.accounts.models import User

    client.force_login(User.objects.get(username="pembeli"))
    participant = forum.participants.get(organisation__legal_name__startswith="Harbour")
    assert client.get(f"/forums/participants/{participant.pk}/agenda/").status_code == 200
    client.force_login(User.objects.get(username="kemendes"))
    for url in ("statistics", "matrix", "table-plan", "participants", "schedule"):
        assert client.get(f"/forums/{forum.pk}/{url}/").status_code == 200
    stats = client.get(f"/forums/{forum.pk}/statistics/").context["stats"]
    assert stats["deals_opened"] == 2
    assert stats["shipments"]["count"] == 2 and stats["shipments"]["value_usd"] == 16250
    client.force_login(User.objects.get(username="bumdes"))
    page = client.get(f"/forums/meetings/{crab.meeting_id}/")
    assert page.status_code == 200 and crab in page.context["deals"]


def test_a_forum_ahead_takes_registrations_and_requests(full_reference):
    from bumdes_export.accounts.models import User
    from matchmaking.forums import services

    call_command("load_demo_data")
    today = timezone.localdate()
    forum = Forum.objects.get(name=forum_demo.UPCOMING_NAME)
    assert forum.status == "published" and forum.starts_on == today + timedelta(days=21)
    assert forum.registration_opens < timezone.now() < forum.registration_closes
    assert forum.registration_closes.date() < forum.starts_on
    assert not forum.meetings.exists()  # the schedule is the organiser's to run
    assert set(forum.meeting_requests.values_list("status", flat=True)) == {"accepted", "pending"}
    assert forum.participants.filter(status="pending").exists()  # an approval waits too
    # A trainee as the Alibaba team asks BUMDes Mina Bahari for a meeting there.
    partner = User.objects.get(username="mitra")
    alibaba = forum.participants.get(organisation__memberships__user=partner)
    mina = forum.participants.get(bumdes__name="BUMDes Mina Bahari")
    request = services.send_request(
        actor=partner, sender=alibaba, receiver=mina, message="Shall we meet?"
    )
    assert request.status == "pending"
    # ... and the organiser can run the scheduler for the accepted ones.
    services.answer_request(actor=User.objects.get(username="bumdes"), request=request, accept=True)
    services.run_scheduler(actor=User.objects.get(username="kemendes"), forum=forum)
    assert forum.meetings.count() == forum.meeting_requests.filter(status="accepted").count()


def _frozen(day: date):
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _story(forum):
    """The dates of the story of the forum that is over, relative to its first day."""
    crab = Deal.objects.get(channel="forum_meeting", product__name_id="Kepiting bakau hidup")
    return {
        "steps": [
            (stage, (day - forum.starts_on).days)
            for stage, day in crab.steps.order_by("occurred_on", "id").values_list(
                "stage", "occurred_on"
            )
        ],
        "shipments": [
            (s - forum.starts_on).days
            for s in crab.shipments.order_by("shipped_on").values_list("shipped_on", flat=True)
        ],
        "follow_ups": sorted(
            (f - forum.starts_on).days
            for f in FollowUp.objects.filter(meeting__forum=forum).values_list("due_on", flat=True)
        ),
        "slots": sorted(
            (s.astimezone(forum.tzinfo).date() - forum.starts_on).days
            for s in forum.slots.values_list("starts_at", flat=True)
        ),
    }


def test_a_later_load_rolls_both_forums_forward(full_reference):
    # Two dates before today (the database refuses shipments after its own today).
    first_day = timezone.localdate() - timedelta(days=130)
    later_day = first_day + timedelta(days=97)
    with _frozen(first_day):
        call_command("load_demo_data")
    held = Forum.objects.get(name=forum_demo.FORUM_NAME)
    ahead = Forum.objects.get(name=forum_demo.UPCOMING_NAME)
    assert held.starts_on == first_day - timedelta(days=45)
    assert ahead.starts_on == first_day + timedelta(days=21)
    story = _story(held)
    before = counts()

    with _frozen(later_day):
        call_command("load_demo_data")
        held.refresh_from_db()
        ahead.refresh_from_db()
        # The same story, 97 days later: over 45 days back, the other 21 days ahead and open.
        assert held.starts_on == later_day - timedelta(days=45)
        assert ahead.starts_on == later_day + timedelta(days=21)
        assert ahead.registration_opens < timezone.now() < ahead.registration_closes
        assert _story(held) == story
        assert counts() == before  # moved, not made again
        assert all(
            day <= later_day for day in Shipment.objects.values_list("shipped_on", flat=True)
        )
        # Loading again the same day moves nothing.
        assert forum_demo.roll_forward() == {forum_demo.FORUM_NAME: 0, forum_demo.UPCOMING_NAME: 0}
    # Never backwards.
    with _frozen(first_day):
        assert forum_demo.roll_forward() == {forum_demo.FORUM_NAME: 0, forum_demo.UPCOMING_NAME: 0}
    held.refresh_from_db()
    assert held.starts_on == later_day - timedelta(days=45)
