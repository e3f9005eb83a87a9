"""Registration services: each kind of participant, the registration rules, approval, attendees and
availability."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Forum,
    ForumParticipant,
    Meeting,
)
from products.models import Bumdes
from tests.matchmaking.forums.conftest import attendee
from tests.matchmaking.forums.services.conftest import slots_of, told

pytestmark = pytest.mark.django_db


def test_registration_by_each_kind_and_approval(
    forum, organiser, world, officer_sultra, linked_operator, verified_exporter, org_a
):
    Bumdes.objects.filter(pk=world.konawe.pk).update(status=Bumdes.Status.VERIFIED)
    world.konawe.refresh_from_db()
    government = services.register(actor=officer_sultra, forum=forum, kind="officer")
    assert government.region_id == "74" and government.status == "pending"
    bumdes = services.register(
        actor=linked_operator,
        forum=forum,
        kind="bumdes",
        bumdes=world.konawe,
        products=[world.crab],
    )
    assert list(bumdes.attendees.values_list("user", flat=True)) == [linked_operator.pk]
    organisation = services.register(actor=verified_exporter, forum=forum, kind="organisation")
    assert organisation.organisation == org_a
    assert told() == [(organiser.username, "forum.registration")] * 3
    with pytest.raises(ValidationError):
        services.register(actor=verified_exporter, forum=forum, kind="organisation")
    services.decide_participant(actor=organiser, participant=organisation, approve=True)
    organisation.refresh_from_db()
    assert organisation.status == "approved"
    assert organisation.availability.count() == forum.slots.count()
    with pytest.raises(ValidationError) as error:
        services.decide_participant(actor=organiser, participant=bumdes, approve=False)
    assert "reason" in error.value.message_dict
    services.decide_participant(
        actor=organiser, participant=bumdes, approve=False, reason="Produk belum siap"
    )
    assert ForumParticipant.objects.get(pk=bumdes.pk).status == "rejected"


def test_registration_rules(
    forum,
    organiser,
    world,
    officer_sulteng,
    exporter,
    pending_exporter,
    linked_operator,
    officer_sultra,
):
    Bumdes.objects.filter(pk=world.konawe.pk).update(status=Bumdes.Status.VERIFIED)
    world.konawe.refresh_from_db()
    # an officer of another region cannot register a BUMDes
    with pytest.raises(PermissionDenied):
        services.register(
            actor=officer_sulteng,
            forum=forum,
            kind="bumdes",
            bumdes=world.konawe,
            products=[world.crab],
        )
    # a product of another BUMDes, or a draft product, is refused on the field
    with pytest.raises(ValidationError) as error:
        services.register(
            actor=linked_operator,
            forum=forum,
            kind="bumdes",
            bumdes=world.konawe,
            products=[world.donggala_crab],
        )
    assert "products" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.register(
            actor=linked_operator,
            forum=forum,
            kind="bumdes",
            bumdes=world.konawe,
            products=[world.crab_draft],
        )
    assert "products" in error.value.message_dict
    # exporters without a verified organisation
    for user in (exporter, pending_exporter):
        with pytest.raises(PermissionDenied):
            services.register(actor=user, forum=forum, kind="organisation")
    # only invited regions
    services.update_forum(
        actor=organiser,
        forum=forum,
        data={"invited_regions": [world.donggala.village.parent.parent]},
    )
    with pytest.raises(ValidationError):
        services.register(actor=officer_sultra, forum=forum, kind="officer")
    assert services.register(actor=officer_sulteng, forum=forum, kind="officer")
    # registration window
    Forum.objects.filter(pk=forum.pk).update(registration_closes=timezone.now() - timedelta(1))
    forum.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.register(
            actor=linked_operator,
            forum=forum,
            kind="bumdes",
            bumdes=world.konawe,
            products=[world.crab],
        )
    assert "closed" in str(error.value)


def test_attendees(fs, verified_exporter, second_exporter, colleague_a):
    added = services.add_attendee(
        actor=verified_exporter, participant=fs.org_a, data=attendee(colleague_a)
    )
    assert added.booking_key == f"user:{colleague_a.pk}"
    with pytest.raises(ValidationError):
        services.add_attendee(
            actor=verified_exporter, participant=fs.org_a, data=attendee(second_exporter)
        )
    with pytest.raises(PermissionDenied):
        services.add_attendee(
            actor=second_exporter, participant=fs.org_a, data=services.AttendeeData(name="X")
        )


def test_availability_keeps_booked_slots(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    others = [s for s in slots_of(fs.forum) if s != meeting.slot]
    with pytest.raises(ValidationError) as error:
        services.set_availability(actor=linked_operator, participant=fs.konawe, slots=others)
    assert "slots" in error.value.message_dict
