"""After the meeting: records and feedback, outcomes up to the first shipment, follow-ups."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bumdes_export.reference.models import Country
from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Meeting,
    MeetingOutcome,
)
from tests.matchmaking.forums.services.conftest import told

pytestmark = pytest.mark.django_db


def test_records_and_feedback(past_meeting, verified_exporter, linked_operator, second_exporter):
    with pytest.raises(PermissionDenied):
        services.record_meeting(actor=second_exporter, meeting=past_meeting, held=True)
    with pytest.raises(ValidationError) as error:
        services.record_meeting(actor=verified_exporter, meeting=past_meeting, held=True, rating=9)
    assert "rating" in error.value.message_dict
    services.record_meeting(actor=verified_exporter, meeting=past_meeting, held=False)
    assert Meeting.objects.get(pk=past_meeting.pk).status == "no_show"
    services.record_meeting(
        actor=linked_operator, meeting=past_meeting, held=True, rating=5, comment="Bagus"
    )
    assert Meeting.objects.get(pk=past_meeting.pk).status == "held"
    assert past_meeting.records.count() == 2


def test_a_future_meeting_cannot_be_recorded(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    with pytest.raises(ValidationError) as error:
        services.record_meeting(actor=linked_operator, meeting=Meeting.objects.get(), held=True)
    assert "held" in error.value.message_dict


def test_outcomes_up_to_the_first_shipment(fs, past_meeting, verified_exporter, linked_operator):
    with pytest.raises(ValidationError):
        services.add_outcome(
            actor=verified_exporter, meeting=past_meeting, data={"stage": "interest"}
        )
    services.record_meeting(actor=verified_exporter, meeting=past_meeting, held=True)
    interest = services.add_outcome(
        actor=verified_exporter, meeting=past_meeting, data={"stage": "interest"}
    )
    assert interest.stage == "interest"
    with pytest.raises(ValidationError) as error:
        services.add_outcome(
            actor=linked_operator, meeting=past_meeting, data={"stage": "interest"}
        )
    assert "stage" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_outcome(
            actor=linked_operator, meeting=past_meeting, data={"stage": "first_shipment"}
        )
    assert {"volume_kg", "value_usd", "destination", "occurred_on", "products"} <= set(
        error.value.message_dict
    )
    with pytest.raises(ValidationError) as error:
        services.add_outcome(
            actor=linked_operator,
            meeting=past_meeting,
            data={
                "stage": "first_shipment",
                "volume_kg": "500",
                "value_usd": "6250",
                "destination": Country.objects.get(code="HK"),
                "occurred_on": timezone.localdate(),
                "products": [fs.world.donggala_crab],
            },
        )
    assert "products" in error.value.message_dict
    shipment = services.add_outcome(
        actor=linked_operator,
        meeting=past_meeting,
        data={
            "stage": "first_shipment",
            "volume_kg": "500",
            "value_usd": "6250.00",
            "destination": Country.objects.get(code="HK"),
            "occurred_on": timezone.localdate(),
            "products": [fs.world.crab],
        },
    )
    assert shipment.value_usd == Decimal("6250.00")
    assert list(shipment.products.all()) == [fs.world.crab]


def test_the_database_wants_a_complete_first_shipment(past_meeting):
    Meeting.objects.filter(pk=past_meeting.pk).update(status="held")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingOutcome.objects.create(meeting=past_meeting, stage="first_shipment")


def test_follow_ups(past_meeting, verified_exporter, linked_operator, second_exporter):
    with pytest.raises(ValidationError) as error:
        services.add_follow_up(
            actor=verified_exporter,
            meeting=past_meeting,
            title="",
            due_on=None,
            owner=second_exporter,
        )
    assert {"title", "due_on", "owner"} <= set(error.value.message_dict)
    task = services.add_follow_up(
        actor=verified_exporter,
        meeting=past_meeting,
        title="Send the price list",
        due_on=timezone.localdate() + timedelta(days=7),
        owner=linked_operator,
    )
    assert told()[-1] == (linked_operator.username, "forum.follow_up")
    with pytest.raises(PermissionDenied):
        services.complete_follow_up(actor=second_exporter, follow_up=task)
    assert services.complete_follow_up(actor=linked_operator, follow_up=task).done_at
