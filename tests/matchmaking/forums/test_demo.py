"""The forum of the story: idempotent, tolerant of missing demo data, every state present."""

from __future__ import annotations

import pytest
from django.core.management import call_command

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
        for m in (Forum, ForumParticipant, MeetingRequest, Meeting, MeetingOutcome, FollowUp)
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
    shipment = MeetingOutcome.objects.get(stage="first_shipment")
    assert shipment.destination_id == "HK" and shipment.volume_kg == 500
    assert shipment.meeting.party_b.bumdes.name == "BUMDes Mina Bahari"
    assert list(shipment.products.values_list("name_id", flat=True)) == ["Kepiting bakau hidup"]
    assert set(shipment.meeting.outcomes.values_list("stage", flat=True)) == {
        "interest",
        "sample_sent",
        "loi_mou",
        "contract",
        "first_shipment",
    }
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
