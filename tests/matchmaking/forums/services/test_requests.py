"""Meeting request services: sending, accepting and declining, one open request per pair,
cancelling."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Meeting,
    MeetingRequest,
)
from tests.matchmaking.forums.services.conftest import told

pytestmark = pytest.mark.django_db


def test_request_accept_and_decline(fs, verified_exporter, linked_operator, officer_konawe):
    assert fs.request.status == "pending"
    with pytest.raises(PermissionDenied):
        services.answer_request(actor=verified_exporter, request=fs.request, accept=True)
    answered = services.answer_request(
        actor=linked_operator, request=fs.request, accept=True, answer="Ya"
    )
    assert answered.status == "accepted" and answered.answered_at is not None
    assert (verified_exporter.username, "forum.request.accepted") in told()
    with pytest.raises(ValidationError):
        services.answer_request(actor=officer_konawe, request=fs.request, accept=False)
    # the Konawe officer acts for the Konawe BUMDes too
    other = services.send_request(actor=officer_konawe, sender=fs.konawe, receiver=fs.org_b)
    declined = services.answer_request(
        actor=fs.org_b.attendees.get().user, request=other, accept=False
    )
    assert declined.status == "declined"


def test_request_rules(fs, verified_exporter, second_exporter, officer_sulteng, linked_operator):
    # one open request per pair, whichever side asks
    with pytest.raises(ValidationError) as error:
        services.send_request(actor=linked_operator, sender=fs.konawe, receiver=fs.org_a)
    assert "to_participant" in error.value.message_dict
    # organisation with organisation: not a forum meeting
    with pytest.raises(ValidationError):
        services.send_request(actor=verified_exporter, sender=fs.org_a, receiver=fs.org_b)
    # nobody speaks for another's participant
    with pytest.raises(PermissionDenied):
        services.send_request(actor=second_exporter, sender=fs.org_a, receiver=fs.donggala)
    with pytest.raises(PermissionDenied):
        services.send_request(actor=officer_sulteng, sender=fs.konawe, receiver=fs.org_b)
    # after a decline a new request may be sent
    services.answer_request(actor=linked_operator, request=fs.request, accept=False)
    again = services.send_request(actor=linked_operator, sender=fs.konawe, receiver=fs.org_a)
    assert again.status == "pending"


def test_the_database_allows_one_open_request_per_pair(fs):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            forum=fs.forum,
            from_participant=fs.konawe,
            to_participant=fs.org_a,
            pair=MeetingRequest.pair_of(fs.konawe.pk, fs.org_a.pk),
        )


def test_cancelling_an_accepted_request_frees_the_slot(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    services.cancel_request(actor=linked_operator, request=fs.request)
    meeting = Meeting.objects.get()
    assert meeting.status == "cancelled" and not meeting.bookings.exists()
