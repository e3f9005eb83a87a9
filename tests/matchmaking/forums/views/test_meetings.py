"""Meeting pages: move, record, outcome and follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services

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
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/outcomes/", {"stage": "first_shipment"}
    )
    assertContains(response, "Give the volume shipped.", status_code=400)
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/outcomes/",
        {
            "stage": "first_shipment",
            "volume_kg": "1.500",
            "value_usd": "18750",
            "destination": "HK",
            "occurred_on": timezone.localdate().isoformat(),
            "products": [held.world.crab.pk],
        },
    )
    assert response.status_code == 302
    page = as_role("verified_exporter").get(f"/forums/meetings/{meeting.pk}/")
    assertContains(page, "First shipment")
    assertContains(page, "1,500 kg")
    response = as_role("verified_exporter").post(
        f"/forums/meetings/{meeting.pk}/follow-ups/",
        {
            "title": "Book cargo",
            "due_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "owner": linked_operator.pk,
        },
    )
    assert response.status_code == 302
    task = meeting.follow_ups.get(title="Book cargo")
    assert as_role("second_exporter").post(f"/forums/follow-ups/{task.pk}/done/").status_code == 404
    as_role("linked_operator").post(f"/forums/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_at is not None
