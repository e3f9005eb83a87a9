"""Forum services: set-up, registration, requests and answers, scheduling (conflicting
availability, infeasible requests, confirmed meetings kept), manual moves, no double booking
(the database refuses it even when the code's own check is skipped), outcomes and follow-ups."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bumdes_export.notifications.models import Notification
from bumdes_export.reference.models import Country
from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Forum,
    ForumParticipant,
    Meeting,
    MeetingBooking,
    MeetingOutcome,
    MeetingRequest,
    ScheduleRun,
)
from products.models import Bumdes
from tests.matchmaking.forums.conftest import attendee, forum_data, make_forum

pytestmark = pytest.mark.django_db


def told() -> list[tuple[str, str]]:
    """(username, kind) of every notification so far (emails go after commit)."""
    return list(Notification.objects.values_list("recipient__username", "kind").order_by("id"))


def slots_of(forum):
    return list(forum.slots.order_by("starts_at"))


# --- Set-up ----------------------------------------------------------------------------------


def test_only_ministry_staff_create_forums(organiser, officer_sultra, exporter):
    forum = services.create_forum(actor=organiser, data=forum_data())
    assert forum.organiser == organiser and forum.status == Forum.Status.DRAFT
    for user in (officer_sultra, exporter):
        with pytest.raises(PermissionDenied):
            services.create_forum(actor=user, data=forum_data())


def test_bad_forum_data_gets_field_errors(organiser):
    with pytest.raises(ValidationError) as error:
        services.create_forum(
            actor=organiser,
            data=forum_data(
                name=" ",
                ends_on=timezone.localdate(),
                starts_on=timezone.localdate() + timedelta(days=2),
                venue="",
                online_url="",
                meeting_minutes=2,
            ),
        )
    assert {"name", "ends_on", "venue", "meeting_minutes"} <= set(error.value.message_dict)


def test_slots_are_cut_in_the_forums_time_zone_and_added_once(organiser):
    forum = make_forum(organiser, slots=0)
    created = services.add_slots(
        actor=organiser,
        forum=forum,
        day=forum.starts_on,
        start=time(9, 0),
        end=time(10, 45),
        break_minutes=5,
    )
    assert [s.starts_at.astimezone(forum.tzinfo).strftime("%H:%M") for s in created] == [
        "09:00",
        "09:35",
        "10:10",
    ]
    assert created[0].starts_at.utcoffset() is not None
    assert created[0].starts_at.astimezone(forum.tzinfo).utcoffset() == timedelta(hours=8)
    again = services.add_slots(
        actor=organiser,
        forum=forum,
        day=forum.starts_on,
        start=time(9, 0),
        end=time(10, 45),
        break_minutes=5,
    )
    assert again == [] and forum.slots.count() == 3
    with pytest.raises(ValidationError) as error:
        services.add_slots(
            actor=organiser, forum=forum, day=forum.starts_on, start=time(9, 15), end=time(10, 0)
        )
    assert "start" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_slots(
            actor=organiser,
            forum=forum,
            day=forum.ends_on + timedelta(days=1),
            start=time(9),
            end=time(10),
        )
    assert "day" in error.value.message_dict


def test_only_organisers_manage_their_forum(forum, ministry, organiser):
    with pytest.raises(PermissionDenied):
        services.add_table(actor=ministry, forum=forum, name="Meja 9")
    services.update_forum(actor=organiser, forum=forum, data={"co_organisers": [ministry]})
    assert services.add_table(actor=ministry, forum=forum, name="Meja 9").name == "Meja 9"
    with pytest.raises(ValidationError) as error:
        services.add_table(actor=ministry, forum=forum, name="meja 9")
    assert "name" in error.value.message_dict


# --- Registration ----------------------------------------------------------------------------


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


# --- Requests and answers --------------------------------------------------------------------


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


# --- Scheduling ------------------------------------------------------------------------------


def accepted(fs, sender, receiver, actor_from, actor_to):
    request = services.send_request(actor=actor_from, sender=sender, receiver=receiver)
    return services.answer_request(actor=actor_to, request=request, accept=True)


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
    monkeypatch.setattr(services, "_conflicts", lambda *args, **kwargs: [])
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


def test_cancelling_an_accepted_request_frees_the_slot(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    services.cancel_request(actor=linked_operator, request=fs.request)
    meeting = Meeting.objects.get()
    assert meeting.status == "cancelled" and not meeting.bookings.exists()


def test_availability_keeps_booked_slots(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    others = [s for s in slots_of(fs.forum) if s != meeting.slot]
    with pytest.raises(ValidationError) as error:
        services.set_availability(actor=linked_operator, participant=fs.konawe, slots=others)
    assert "slots" in error.value.message_dict


# --- After the meeting -----------------------------------------------------------------------


@pytest.fixture
def past_meeting(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    # The forum took place: move its slots into the past.
    for slot in fs.forum.slots.all():
        slot.starts_at -= timedelta(days=30)
        slot.ends_at -= timedelta(days=30)
        slot.save()
    meeting.refresh_from_db()
    return meeting


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


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_the_day_before(fs, organiser, linked_operator, verified_exporter):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    assert services.due_reminders() == []
    later = meeting.slot.starts_at - timedelta(hours=20)
    assert services.due_reminders(now=later) == [meeting.pk]
    Notification.objects.all().delete()
    assert services.send_reminder(meeting.pk) >= 2
    reminded = {user for user, kind in told() if kind == "forum.meeting.reminder"}
    assert {verified_exporter.username, linked_operator.username} <= reminded
    assert services.send_reminder(meeting.pk) == 0
    assert services.due_reminders(now=later) == []


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


def test_the_scheduler_leaves_a_finished_forum_as_it_was(organiser, forum):
    services.set_forum_status(actor=organiser, forum=forum, to=Forum.Status.FINISHED)
    with pytest.raises(ValidationError, match="over"):
        services.run_scheduler(actor=organiser, forum=forum)
