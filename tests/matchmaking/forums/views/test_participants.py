"""A participant's page: requests and answers, availability."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services
from matchmaking.forums.models import MeetingRequest

pytestmark = pytest.mark.django_db


def test_participant_page_requests_and_answers(as_role, fs, linked_operator):
    page = as_role("verified_exporter").get(f"/forums/participants/{fs.org_a.pk}/")
    assertContains(page, "Suggested counterparts")
    assertContains(page, "BUMDes Bakau Uji")
    response = as_role("verified_exporter").post(
        f"/forums/participants/{fs.org_a.pk}/requests/",
        {"to_participant": fs.donggala.pk, "message": "Crab from Donggala?"},
    )
    assert response.status_code == 302
    again = as_role("verified_exporter").post(
        f"/forums/participants/{fs.org_a.pk}/requests/", {"to_participant": fs.donggala.pk}
    )
    assertContains(again, "already an open meeting request", status_code=400)
    assert (
        as_role("second_exporter")
        .post(f"/forums/participants/{fs.org_a.pk}/requests/", {"to_participant": fs.konawe.pk})
        .status_code
        == 404
    )
    konawe_page = as_role("linked_operator").get(f"/forums/participants/{fs.konawe.pk}/")
    assertContains(konawe_page, "Crab talk?")
    response = as_role("linked_operator").post(
        f"/forums/requests/{fs.request.pk}/answer/", {"accept": "1", "answer": "Sure"}
    )
    assert response.status_code == 302
    assert MeetingRequest.objects.get(pk=fs.request.pk).status == "accepted"
    response = as_role("linked_operator").post(
        f"/forums/requests/{fs.request.pk}/answer/", {"accept": "0"}
    )
    assertContains(response, "already answered", status_code=400)


def test_availability_page(as_role, fs):
    slots = list(fs.forum.slots.values_list("pk", flat=True))
    client = as_role("verified_exporter")
    response = client.post(
        f"/forums/participants/{fs.org_a.pk}/availability/",
        {"slots": slots[:2], "time_zone": "Asia/Hong_Kong"},
    )
    assert response.status_code == 302
    fs.org_a.refresh_from_db()
    assert fs.org_a.time_zone == "Asia/Hong_Kong" and fs.org_a.availability.count() == 2
    bad = client.post(
        f"/forums/participants/{fs.org_a.pk}/availability/",
        {"slots": ["x"], "time_zone": "Mars/Base"},
    )
    assert bad.status_code == 400
