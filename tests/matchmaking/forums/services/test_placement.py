"""Placement services: the scheduler (conflicting availability, infeasible requests, confirmed
meetings kept), manual moves, and no double booking (the database refuses it even when the
code's own check is skipped)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Forum,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    ScheduleRun,
)
from matchmaking.forums.services import placement
from tests.matchmaking.forums.conftest import attendee
from tests.matchmaking.forums.services.conftest import accepted, slots_of, told

pytestmark = pytest.mark.django_db


def test_scheduler_places_meetings_where_both_are_available(
    fs, organiser, linked_operator, verified_exporter, second_exporter, officer_sulteng
):
    slots = slots_of(fs.forum)
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    # Org A can only do slots 1 and 2, the Konawe BUMDes only 2 and 3: only slot 2 is common.
    services.set_availability(actor=verified_exporter, participant=fs.org_a, slots=slots[:2])
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[1:3])
    # Org B with the Konawe BUMDes: the BUMDes is busy at slot 2 with org A, so slot 3.
    accepted(fs, fs.org_b, fs.konawe, second_exporter, linked_operator)
    report = services.run_scheduler(actor=organiser, forum=fs.forum)
    assert report.placed == 2 and report.unplaced == {}
    a = Meeting.objects.get(request=fs.request)
    assert a.slot == slots[1]
    b = Meeting.objects.exclude(pk=a.pk).get()
    assert b.slot == slots[2]
    assert set(a.bookings.values_list("key", flat=True)) == {
        f"party:{fs.org_a.pk}",
        f"party:{fs.konawe.pk}",
        f"user:{verified_exporter.pk}",
        f"user:{linked_operator.pk}",
    }
    assert set(a.attendees.values_list("user", flat=True)) == {
        verified_exporter.pk,
        linked_operator.pk,
    }
    assert ScheduleRun.objects.get().placed == 2


def test_infeasible_requests_are_reported_with_a_reason(
    fs, organiser, linked_operator, verified_exporter, officer_sulteng
):
    slots = slots_of(fs.forum)
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.set_availability(actor=verified_exporter, participant=fs.org_a, slots=slots[:1])
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[3:])
    report = services.run_scheduler(actor=organiser, forum=fs.forum)
    assert report.placed == 0
    assert report.unplaced == {fs.request.pk: "no_common_slot"}
    fs.request.refresh_from_db()
    assert fs.request.unplaced_reason == "no_common_slot"
    assert not Meeting.objects.exists()


def test_a_shared_person_is_never_in_two_meetings_at_once(
    fs, organiser, linked_operator, verified_exporter, second_exporter, officer_sultra
):
    """The Sulawesi Tenggara officer attends for the Konawe government and the Konawe BUMDes:
    their meetings (with different organisations) can never share a slot; with a single slot
    one is reported."""
    for participant in (fs.government, fs.konawe):
        services.add_attendee(
            actor=organiser, participant=participant, data=attendee(officer_sultra)
        )
    first = accepted(fs, fs.org_a, fs.government, verified_exporter, fs.government.officer)
    second = accepted(fs, fs.org_b, fs.konawe, second_exporter, linked_operator)
    slot = slots_of(fs.forum)[0]
    for participant in (fs.org_a, fs.org_b, fs.government, fs.konawe):
        services.set_availability(actor=organiser, participant=participant, slots=[slot])
    report = services.run_scheduler(actor=organiser, forum=fs.forum)
    assert report.placed == 1
    assert set(report.unplaced) <= {first.pk, second.pk} and len(report.unplaced) == 1
    assert list(report.unplaced.values()) == ["parties_busy"]


def test_attendees_with_an_account_belong_to_the_participant(fs, organiser, second_exporter):
    with pytest.raises(ValidationError) as error:
        services.add_attendee(
            actor=organiser, participant=fs.konawe, data=attendee(second_exporter)
        )
    assert "user" in error.value.message_dict


def test_no_free_table_is_reported(
    fs, organiser, linked_operator, second_exporter, officer_sulteng
):
    slot = slots_of(fs.forum)[0]
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    accepted(fs, fs.org_b, fs.donggala, second_exporter, officer_sulteng)
    fs.forum.tables.exclude(pk=fs.forum.tables.first().pk).delete()
    for participant in (fs.org_a, fs.org_b, fs.konawe, fs.donggala):
        services.set_availability(actor=organiser, participant=participant, slots=[slot])
    report = services.run_scheduler(actor=organiser, forum=fs.forum)
    assert report.placed == 1 and list(report.unplaced.values()) == ["no_free_table"]


def test_rerunning_keeps_confirmed_meetings(fs, organiser, linked_operator, second_exporter):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    first = Meeting.objects.get()
    slots = slots_of(fs.forum)
    target = next(s for s in slots if s != first.slot)
    services.move_meeting(actor=organiser, meeting=first, slot=target, table=fs.forum.tables.last())
    assert services.confirm_meetings(actor=organiser, forum=fs.forum) == 1
    confirmed = {user for user, kind in told() if kind == "forum.meeting.confirmed"}
    assert {"t-buyer-a", "t-bumdes-linked"} <= confirmed  # both sides told
    accepted(fs, fs.org_b, fs.konawe, second_exporter, linked_operator)
    report = services.run_scheduler(actor=organiser, forum=fs.forum)
    assert report.kept == 1 and report.placed == 1
    kept = Meeting.objects.get(pk=first.pk)
    assert (kept.slot, kept.table, kept.status) == (target, fs.forum.tables.last(), "confirmed")
    other = Meeting.objects.exclude(pk=first.pk).get()
    assert other.slot != target  # the BUMDes is busy then


def test_manual_moves_follow_the_rules(
    fs, organiser, ministry, linked_operator, second_exporter, officer_sulteng
):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    accepted(fs, fs.org_b, fs.konawe, second_exporter, linked_operator)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    one, two = Meeting.objects.order_by("slot__starts_at")
    tables = list(fs.forum.tables.all())
    with pytest.raises(PermissionDenied):
        services.move_meeting(actor=ministry, meeting=two, slot=one.slot, table=tables[1])
    # the BUMDes is in the first meeting then
    with pytest.raises(ValidationError) as error:
        services.move_meeting(
            actor=organiser,
            meeting=two,
            slot=one.slot,
            table=next(t for t in tables if t != one.table),
        )
    assert "slot" in error.value.message_dict and "BUMDes Mina Uji" in str(error.value)
    # a table already taken
    services.set_availability(
        actor=organiser, participant=fs.org_b, slots=[s for s in slots_of(fs.forum)]
    )
    other = accepted(fs, fs.org_b, fs.donggala, second_exporter, officer_sulteng)
    meeting = services.place_by_hand(
        actor=organiser, request=other, slot=slots_of(fs.forum)[3], table=tables[0]
    )
    with pytest.raises(ValidationError) as error:
        services.move_meeting(actor=organiser, meeting=meeting, slot=one.slot, table=one.table)
    assert "table" in error.value.message_dict
    # a slot where a party is not available
    services.set_availability(
        actor=officer_sulteng, participant=fs.donggala, slots=[slots_of(fs.forum)[3]]
    )
    with pytest.raises(ValidationError) as error:
        services.move_meeting(
            actor=organiser, meeting=meeting, slot=slots_of(fs.forum)[0], table=tables[1]
        )
    assert "Not available" in str(error.value)


def test_the_database_refuses_double_booking_even_without_the_check(
    fs, organiser, linked_operator, second_exporter, monkeypatch
):
    """Two writers racing both pass the friendly check; the unique (slot, key) rows stop the
    second, which gets a validation error, not a 500 and not a double booking."""
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    accepted(fs, fs.org_b, fs.konawe, second_exporter, linked_operator)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    one, two = Meeting.objects.order_by("slot__starts_at")
    free_table = next(t for t in fs.forum.tables.all() if t != one.table)
    monkeypatch.setattr(placement, "_conflicts", lambda *args, **kwargs: [])
    with pytest.raises(ValidationError) as error:
        services.move_meeting(actor=organiser, meeting=two, slot=one.slot, table=free_table)
    assert "same moment" in str(error.value)
    two.refresh_from_db()
    assert two.slot != one.slot
    assert MeetingBooking.objects.filter(meeting=two, slot=two.slot).count() == 4


def test_booking_rows_are_unique_per_slot_and_key(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingBooking.objects.create(
            meeting=meeting, slot=meeting.slot, key=f"party:{fs.konawe.pk}"
        )
    other_request = MeetingRequest.objects.create(
        forum=fs.forum,
        from_participant=fs.org_b,
        to_participant=fs.donggala,
        pair=MeetingRequest.pair_of(fs.org_b.pk, fs.donggala.pk),
        status="accepted",
        answered_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            forum=fs.forum,
            request=other_request,
            party_a=fs.org_b,
            party_b=fs.donggala,
            slot=meeting.slot,
            table=meeting.table,
            placed_by="hand",
        )


def test_the_scheduler_leaves_a_finished_forum_as_it_was(organiser, forum):
    services.set_forum_status(actor=organiser, forum=forum, to=Forum.Status.FINISHED)
    with pytest.raises(ValidationError, match="over"):
        services.run_scheduler(actor=organiser, forum=forum)
