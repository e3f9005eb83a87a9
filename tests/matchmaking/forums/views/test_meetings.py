"""Meeting pages: move, record, what it led to (recorded into the deal) and follow-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.deals import services as deal_services
from matchmaking.forums import services as services
from matchmaking.forums.models import MeetingOutcome
from tests.matchmaking.forums.conftest import FORUM_ROLES, READERS

pytestmark = pytest.mark.django_db


def test_meeting_page_move_record_outcome_follow_up(as_role, held, linked_operator):
    meeting = held.meeting
    client = as_role("organiser")
    bad = client.post(f"/forums/meetings/{meeting.pk}/move/", {"slot": "", "table": ""})
    assert bad.status_code == 400
    assert (
        as_role("verified_exporter")
        .post(
            f"/forums/meetings/{meeting.pk}/move/",
            {"slot": meeting.slot_id, "table": meeting.table_id},
        )
        .status_code
        == 403
    )
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/record/", {"held": "1", "rating": "5", "comment": "Good"}
    )
    assert response.status_code == 302
    url = f"/forums/meetings/{meeting.pk}/outcomes/"
    response = as_role("linked_operator").post(url, {"stage": "first_shipment"})
    assertContains(response, "Select a valid choice", status_code=400)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = as_role("linked_operator").post(
        url, {"stage": "contract", "product": held.world.crab.pk, "occurred_on": later}
    )
    assertContains(response, "The date cannot be in the future.", status_code=400)
    response = as_role("linked_operator").post(
        url,
        {
            "stage": "contract",
            "product": held.world.crab.pk,
            "volume_kg": "1.500",
            "value_usd": "18750",
            "destination": "HK",
            "occurred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#deals")
    held.deal.refresh_from_db()
    assert held.deal.stage == "contract"
    contract = held.deal.steps.get(stage="contract")
    assert contract.volume_kg == 1500 and contract.destination_id == "HK"
    page = as_role("verified_exporter").get(f"/forums/meetings/{meeting.pk}/")
    assertContains(page, f'href="/deals/{held.deal.pk}/"')
    assertContains(page, "Contract")
    response = as_role("verified_exporter").post(
        f"/forums/meetings/{meeting.pk}/follow-ups/",
        {
            "title": "Book cargo",
            "due_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "owner": linked_operator.pk,
            "deal": held.deal.pk,
        },
    )
    assert response.status_code == 302
    task = meeting.follow_ups.get(title="Book cargo")
    assert task.deal == held.deal
    assert as_role("second_exporter").post(f"/forums/follow-ups/{task.pk}/done/").status_code == 404
    as_role("linked_operator").post(f"/forums/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_at is not None


def test_the_form_offers_the_meetings_products_and_the_manual_stages(as_role, held):
    page = as_role("verified_exporter").get(f"/forums/meetings/{held.meeting.pk}/")
    form = page.context["outcome_form"]
    assert set(form.fields["product"].queryset) == set(held.world.konawe.products.all())
    assert [value for value, _label in form.fields["stage"].choices] == [
        "interest",
        "sample_sent",
        "loi_mou",
        "contract",
    ]
    assertContains(page, "Shipments are recorded on the deal")
    assert set(page.context["follow_up_form"].fields["deal"].queryset) == {held.deal}


@pytest.mark.parametrize("role", [r for r in FORUM_ROLES if r != "anonymous"])
def test_who_sees_the_meetings_deal(as_role, held, role):
    """Everyone who opens the meeting page sees its deal when the deals' rules let them (both
    sides, the officers of the product's region, ministry staff)."""
    response = as_role(role).get(f"/forums/meetings/{held.meeting.pk}/")
    if role not in READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assertContains(response, f'href="/deals/{held.deal.pk}/"')


def test_a_deal_recorded_into_from_another_channel_shows_where_it_started(
    as_role, held, ministry, world
):
    oil = deal_services.open_outside_deal(
        actor=ministry, product=world.oil, organisation=held.org_a.organisation
    )
    page = as_role("linked_operator").get(f"/forums/meetings/{held.meeting.pk}/")
    assertContains(page, f'href="/deals/{oil.pk}/"')
    assertContains(page, "started from: Made outside the portal")


def test_outcomes_recorded_before_deals_are_listed_read_only_when_no_deal_holds_them(
    as_role, held, world
):
    meeting = held.meeting
    orphan = MeetingOutcome.objects.create(
        meeting=meeting, stage="sample_sent", occurred_on=timezone.localdate(), note="By air"
    )  # named no product, and the meeting has three
    moved = MeetingOutcome.objects.create(meeting=meeting, stage="contract", note="Moved over")
    moved.products.set([world.crab])  # the crab deal holds it
    page = as_role("verified_exporter").get(f"/forums/meetings/{meeting.pk}/")
    assertContains(page, "Recorded before deals")
    assert page.context["legacy_outcomes"] == [orphan]
    assertNotContains(page, "Moved over")


def test_a_meeting_not_held_offers_no_deal_form(as_role, held):
    held.meeting.status = "no_show"
    held.meeting.save(update_fields=["status"])
    page = as_role("verified_exporter").get(f"/forums/meetings/{held.meeting.pk}/")
    assert page.context["outcome_form"] is None
    response = as_role("verified_exporter").post(
        f"/forums/meetings/{held.meeting.pk}/outcomes/",
        {"stage": "sample_sent", "product": held.world.crab.pk},
    )
    assertContains(response, "Record that the meeting took place first.", status_code=400)


def test_before_it_starts_a_meeting_page_offers_no_record_form(
    as_role, fs, organiser, linked_operator
):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = fs.forum.meetings.get()
    assert meeting.slot.starts_at > timezone.now()
    page = as_role("linked_operator").get(f"/forums/meetings/{meeting.pk}/")
    assert page.status_code == 200 and page.context["record_form"] is None
    assertContains(page, "Once the meeting has started")
    assertNotContains(page, f"/forums/meetings/{meeting.pk}/record/")
    refused = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/record/", {"held": "1"}
    )
    assertContains(refused, "The meeting has not started yet.", status_code=400)
