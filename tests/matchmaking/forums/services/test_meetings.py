"""After the meeting: records and feedback, what it led to recorded into the deal of the product
and the organisation (opened by the meeting unless the pair has an open deal), follow-ups."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bumdes_export.reference.models import Country
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from matchmaking.forums import selectors as selectors
from matchmaking.forums import services as services
from matchmaking.forums.models import Meeting, MeetingRequest
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


def _held(meeting, actor) -> Meeting:
    services.record_meeting(actor=actor, meeting=meeting, held=True)
    meeting.refresh_from_db()
    return meeting


def test_a_held_meeting_opens_the_deal_and_records_its_steps(
    fs, past_meeting, verified_exporter, linked_operator
):
    crab = fs.world.crab
    with pytest.raises(ValidationError):  # not held yet
        services.record_outcome(
            actor=verified_exporter,
            meeting=past_meeting,
            data={"stage": "interest", "product": crab},
        )
    meeting = _held(past_meeting, verified_exporter)
    interest = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={"stage": "interest", "product": crab, "note": "Wants 2 t a month"},
    )
    deal = interest.deal
    assert (deal.channel, deal.meeting, deal.product, deal.organisation) == (
        "forum_meeting",
        meeting,
        crab,
        fs.org_a.organisation,
    )
    assert (deal.stage, deal.note, interest.note) == (
        "interest",
        "Wants 2 t a month",
        "Wants 2 t a month",
    )
    assert (linked_operator.username, "deal.opened") in told()
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=linked_operator, meeting=meeting, data={"stage": "interest", "product": crab}
        )
    assert "stage" in error.value.message_dict
    day = timezone.localdate() - timedelta(days=2)
    sample = services.record_outcome(
        actor=linked_operator,
        meeting=meeting,
        data={"stage": "sample_sent", "product": crab, "occurred_on": day, "note": "20 kg"},
    )
    contract = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={
            "stage": "contract",
            "product": crab,
            "volume_kg": "6000",
            "value_usd": "75000.00",
            "destination": Country.objects.get(code="HK"),
        },
    )
    assert sample.deal == contract.deal == deal
    assert (sample.occurred_on, sample.recorded_by) == (day, linked_operator)
    assert (contract.volume_kg, contract.value_usd, contract.destination_id) == (
        Decimal("6000"),
        Decimal("75000.00"),
        "HK",
    )
    assert contract.occurred_on == timezone.localdate()
    deal.refresh_from_db()
    assert deal.stage == "contract"
    assert list(deal.steps.order_by("id").values_list("stage", flat=True)) == [
        "interest",
        "sample_sent",
        "contract",
    ]
    assert Deal.objects.count() == 1


@pytest.mark.parametrize("stage", ["first_shipment", "repeat_shipments", "lost", "", "rich"])
def test_shipments_and_lost_are_not_recorded_from_the_meeting(
    fs, past_meeting, verified_exporter, stage
):
    meeting = _held(past_meeting, verified_exporter)
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=verified_exporter,
            meeting=meeting,
            data={
                "stage": stage,
                "product": fs.world.crab,
                "volume_kg": "500",
                "value_usd": "6250",
                "destination": Country.objects.get(code="HK"),
            },
        )
    assert "stage" in error.value.message_dict
    assert not Deal.objects.exists()


def test_opening_at_a_later_stage_dates_the_interest_by_the_meeting(
    fs, past_meeting, verified_exporter
):
    meeting = _held(past_meeting, verified_exporter)
    step = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={"stage": "loi_mou", "product": fs.world.oil, "note": "LoI signed"},
    )
    interest = step.deal.steps.get(stage="interest")
    assert interest.occurred_on == meeting.slot.starts_at.astimezone(fs.forum.tzinfo).date()
    assert interest.note == "" and step.deal.note == ""
    assert step.deal.stage == "loi_mou" and step.deal.product == fs.world.oil


def test_a_bad_step_leaves_no_deal_behind(fs, past_meeting, verified_exporter):
    meeting = _held(past_meeting, verified_exporter)
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=verified_exporter,
            meeting=meeting,
            data={
                "stage": "contract",
                "product": fs.world.crab,
                "value_usd": "-5",
                "volume_kg": "0",
                "occurred_on": timezone.localdate() + timedelta(days=3),
            },
        )
    assert {"value_usd", "volume_kg", "occurred_on"} <= set(error.value.message_dict)
    assert not Deal.objects.exists()


def test_an_interest_has_no_volume_value_or_destination(fs, past_meeting, verified_exporter):
    meeting = _held(past_meeting, verified_exporter)
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=verified_exporter,
            meeting=meeting,
            data={"stage": "interest", "product": fs.world.crab, "volume_kg": Decimal("5")},
        )
    assert set(error.value.message_dict) == {"volume_kg"}


def test_the_product_is_one_of_the_meetings(fs, past_meeting, verified_exporter):
    meeting = _held(past_meeting, verified_exporter)
    for product in (None, fs.world.donggala_crab):  # three products to choose from; another BUMDes'
        with pytest.raises(ValidationError) as error:
            services.record_outcome(
                actor=verified_exporter,
                meeting=meeting,
                data={"stage": "interest", "product": product},
            )
        assert set(error.value.message_dict) == {"product"}
    assert not Deal.objects.exists()


def test_the_only_product_of_the_meeting_needs_no_choosing(
    fs, organiser, second_exporter, officer_sulteng
):
    request = services.send_request(actor=second_exporter, sender=fs.org_b, receiver=fs.donggala)
    services.answer_request(actor=officer_sulteng, request=request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    for slot in fs.forum.slots.all():
        slot.starts_at -= timedelta(days=30)
        slot.ends_at -= timedelta(days=30)
        slot.save()
    meeting = _held(Meeting.objects.get(request=request), second_exporter)
    step = services.record_outcome(
        actor=officer_sulteng, meeting=meeting, data={"stage": "sample_sent"}
    )
    assert step.deal.product == fs.world.donggala_crab
    assert step.deal.organisation == fs.org_b.organisation
    assert step.recorded_by == officer_sulteng


def test_an_open_deal_of_the_pair_is_recorded_into(fs, past_meeting, verified_exporter, ministry):
    outside = deal_services.open_outside_deal(
        actor=ministry, product=fs.world.crab, organisation=fs.org_a.organisation
    )
    meeting = _held(past_meeting, verified_exporter)
    step = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={"stage": "sample_sent", "product": fs.world.crab},
    )
    assert step.deal == outside and step.deal.channel == "outside"
    assert Deal.objects.count() == 1
    assert set(selectors.meeting_deals(meeting)) == {outside}


def test_who_records_what_a_meeting_led_to(
    fs, past_meeting, verified_exporter, second_exporter, ministry, organiser
):
    meeting = _held(past_meeting, verified_exporter)
    data = {"stage": "interest", "product": fs.world.crab}
    for outsider in (second_exporter, ministry):
        with pytest.raises(PermissionDenied):
            services.record_outcome(actor=outsider, meeting=meeting, data=data)
    step = services.record_outcome(actor=organiser, meeting=meeting, data=data)
    assert step.deal.opened_by == organiser


def test_a_meeting_without_an_organisation_cannot_lead_to_a_deal(fs, past_meeting, officer_konawe):
    """Meetings are between an organisation and the village side; should one have none, it says
    so (the legacy data may hold such meetings)."""
    request = MeetingRequest.objects.create(
        forum=fs.forum,
        from_participant=fs.government,
        to_participant=fs.konawe,
        pair=MeetingRequest.pair_of(fs.government.pk, fs.konawe.pk),
        status="accepted",
        answered_at=timezone.now(),
    )
    other_table = fs.forum.tables.exclude(pk=past_meeting.table_id).first()
    meeting = Meeting.objects.create(
        forum=fs.forum,
        request=request,
        party_a=fs.government,
        party_b=fs.konawe,
        slot=past_meeting.slot,
        table=other_table,
        status="held",
        placed_by="hand",
    )
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=officer_konawe,
            meeting=meeting,
            data={"stage": "interest", "product": fs.world.crab},
        )
    assert "no exporter or buyer" in " ".join(error.value.messages)
    assert not Deal.objects.exists()


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


def test_a_follow_up_may_be_about_one_of_the_meetings_deals(
    fs, past_meeting, verified_exporter, linked_operator, ministry
):
    meeting = _held(past_meeting, verified_exporter)
    deal = services.record_outcome(
        actor=verified_exporter,
        meeting=meeting,
        data={"stage": "interest", "product": fs.world.crab},
    ).deal
    elsewhere = deal_services.open_outside_deal(
        actor=ministry, product=fs.world.donggala_crab, organisation=fs.org_a.organisation
    )
    due = timezone.localdate() + timedelta(days=7)
    with pytest.raises(ValidationError) as error:
        services.add_follow_up(
            actor=verified_exporter,
            meeting=meeting,
            title="Ship",
            due_on=due,
            owner=linked_operator,
            deal=elsewhere,
        )
    assert set(error.value.message_dict) == {"deal"}
    task = services.add_follow_up(
        actor=verified_exporter,
        meeting=meeting,
        title="Send the sample",
        due_on=due,
        owner=linked_operator,
        deal=deal,
    )
    assert task.deal == deal and task.outcome is None
