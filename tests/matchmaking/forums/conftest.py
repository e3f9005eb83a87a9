"""Forum fixtures: a published forum (WITA) with four slots on its first day and two tables,
organised by ``organiser`` (ministry staff; ``ministry`` is ministry staff who do not organise
it), and approved participants on both sides.

- ``fs.konawe``: BUMDes of Konawe (74.02) with its mud crab, attended by ``linked_operator``.
- ``fs.donggala``: BUMDes of Donggala (72.03) with its crab, attended by a person without account.
- ``fs.org_a``: org A (``verified_exporter``); ``fs.org_b``: org B (``second_exporter``).
- ``fs.government``: the Konawe regional government, registered by ``officer_konawe``.
- ``fs.request``: org A asked the Konawe BUMDes for a meeting (pending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, ForumParticipant, Meeting, MeetingRequest
from tests.factories import UserFactory
from tests.matchmaking.conftest import MM_ROLES

#: Every role the forum pages and endpoints are checked with.
FORUM_ROLES = [*MM_ROLES, "organiser"]


@pytest.fixture
def organiser(regions):
    return UserFactory(username="t-organiser", ministry=True)


def forum_data(**overrides) -> dict:
    now = timezone.now()
    start = timezone.localdate() + timedelta(days=10)
    return {
        "name": "Forum BUMDes Ekspor Uji",
        "description": "Test forum",
        "starts_on": start,
        "ends_on": start + timedelta(days=1),
        "venue": "Hotel Claro, Kendari",
        "online_url": "https://meet.example.id/forum",
        "time_zone": Forum.TimeZone.WITA,
        "registration_opens": now - timedelta(days=1),
        "registration_closes": now + timedelta(days=5),
        "meeting_minutes": 30,
        **overrides,
    }


def make_forum(organiser, *, slots: int = 4, tables: int = 2, **overrides) -> Forum:
    forum = services.create_forum(actor=organiser, data=forum_data(**overrides))
    start = time(9, 0)
    end = (datetime.combine(forum.starts_on, start) + timedelta(minutes=30 * slots)).time()
    if slots:
        services.add_slots(actor=organiser, forum=forum, day=forum.starts_on, start=start, end=end)
    for n in range(tables):
        services.add_table(actor=organiser, forum=forum, name=f"Meja {n + 1}")
    services.set_forum_status(actor=organiser, forum=forum, to=Forum.Status.PUBLISHED)
    return forum


@dataclass
class ForumScene:
    forum: Forum
    konawe: ForumParticipant
    donggala: ForumParticipant
    org_a: ForumParticipant
    org_b: ForumParticipant
    government: ForumParticipant
    request: MeetingRequest
    world: object


def attendee(user):
    return services.AttendeeData(name=user.get_full_name() or user.username, user=user)


@pytest.fixture
def forum(organiser) -> Forum:
    return make_forum(organiser)


@pytest.fixture
def fs(
    forum,
    organiser,
    world,
    org_a,
    org_b,
    verified_exporter,
    second_exporter,
    linked_operator,
    officer_konawe,
) -> ForumScene:
    konawe = services.register(
        actor=organiser,
        forum=forum,
        kind="bumdes",
        bumdes=world.konawe,
        products=[world.crab, world.oil],
        attendees=[attendee(linked_operator)],
    )
    donggala = services.register(
        actor=organiser,
        forum=forum,
        kind="bumdes",
        bumdes=world.donggala,
        products=[world.donggala_crab],
        attendees=[services.AttendeeData(name="Abdul Karim", position="Manajer")],
    )
    participant_a = services.register(
        actor=organiser,
        forum=forum,
        kind="organisation",
        organisation=org_a,
        attendees=[attendee(verified_exporter)],
    )
    participant_b = services.register(
        actor=organiser,
        forum=forum,
        kind="organisation",
        organisation=org_b,
        attendees=[attendee(second_exporter)],
    )
    government = services.register(actor=officer_konawe, forum=forum, kind="officer")
    government = services.decide_participant(actor=organiser, participant=government, approve=True)
    request = services.send_request(
        actor=verified_exporter, sender=participant_a, receiver=konawe, message="Crab talk?"
    )
    mail.outbox.clear()
    return ForumScene(
        forum, konawe, donggala, participant_a, participant_b, government, request, world
    )


SIGNED_IN = [r for r in FORUM_ROLES if r != "anonymous"]
#: Who reads the Konawe BUMDes' requests and meetings with org A (and their deal).
READERS = {
    "ministry",
    "organiser",
    "officer_sultra",
    "officer_konawe",
    "linked_operator",
    "verified_exporter",
}
#: Who acts for (or reads the inside of) the Konawe BUMDes participant.
KONAWE_SIDE = READERS - {"verified_exporter"}
#: Who has an approved participant at the forum (sees the others' listings).
AT_THE_FORUM = READERS | {"officer_sulteng", "second_exporter"}


def only(allowed: set[str], code: int = 200, otherwise: int = 404) -> dict[str, int]:
    return {role: code if role in allowed else otherwise for role in SIGNED_IN}


@pytest.fixture
def held(fs: ForumScene, organiser, linked_operator, verified_exporter):
    """The org A × Konawe meeting took place and opened a deal (the Konawe crab with org A, at
    interest: ``fs.deal``, its step ``fs.step``), with a follow-up (``fs.task``)."""
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    for slot in fs.forum.slots.all():
        slot.starts_at -= timedelta(days=30)
        slot.ends_at -= timedelta(days=30)
        slot.save()
    meeting = Meeting.objects.get()
    services.record_meeting(actor=verified_exporter, meeting=meeting, held=True, rating=4)
    step = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={"stage": "interest", "product": fs.world.crab},
    )
    task = services.add_follow_up(
        actor=verified_exporter,
        meeting=meeting,
        title="Send prices",
        due_on=timezone.localdate() + timedelta(days=3),
        owner=linked_operator,
    )
    fs.meeting, fs.step, fs.deal, fs.task = meeting, step, step.deal, task
    return fs
