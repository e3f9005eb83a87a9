"""The organiser's pages: the scheduler runs and places by hand."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services
from matchmaking.forums.models import Meeting

pytestmark = pytest.mark.django_db


def test_scheduler_page_runs_and_places_by_hand(as_role, fs, linked_operator, verified_exporter):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    slots = list(fs.forum.slots.all())
    services.set_availability(actor=verified_exporter, participant=fs.org_a, slots=slots[:1])
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[1:2])
    assert as_role("ministry").post(f"/forums/{fs.forum.pk}/schedule/").status_code == 403
    client = as_role("organiser")
    assert client.post(f"/forums/{fs.forum.pk}/schedule/").status_code == 302
    page = client.get(f"/forums/{fs.forum.pk}/schedule/")
    assertContains(page, "The participants have no available time slot in common.")
    response = client.post(
        f"/forums/{fs.forum.pk}/requests/{fs.request.pk}/place/",
        {"slot": slots[0].pk, "table": fs.forum.tables.first().pk},
    )
    assertContains(response, "Not available in this slot", status_code=400)
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[:2])
    response = client.post(
        f"/forums/{fs.forum.pk}/requests/{fs.request.pk}/place/",
        {"slot": slots[0].pk, "table": fs.forum.tables.first().pk},
    )
    assert response.status_code == 302 and Meeting.objects.get().slot == slots[0]
    assertContains(client.get(f"/forums/{fs.forum.pk}/table-plan/"), "BUMDes Mina Uji")
    assertContains(client.get(f"/forums/{fs.forum.pk}/matrix/"), "Scheduled")
    client.post(f"/forums/{fs.forum.pk}/schedule/confirm/")
    assert Meeting.objects.get().status == "confirmed"


def test_participants_without_free_slots_are_shown_to_the_organiser_and_told(
    as_role, fs, linked_operator, verified_exporter
):
    from pytest_django.asserts import assertNotContains

    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=[])
    slots = fs.forum.slots.count()
    page = as_role("organiser").get(f"/forums/{fs.forum.pk}/participants/")
    assertContains(page, "none: cannot be scheduled", count=1)
    rows = {row.pk: row.free_slots for row in page.context["rows"]}
    assert rows[fs.konawe.pk] == 0 and rows[fs.org_a.pk] == slots
    schedule = as_role("organiser").get(f"/forums/{fs.forum.pk}/schedule/")
    assert [p.pk for p in schedule.context["without_free_slots"]] == [fs.konawe.pk]
    assertContains(schedule, f"/forums/participants/{fs.konawe.pk}/#availability")
    # The participant is told on its own page; the others are not.
    own = as_role("linked_operator").get(f"/forums/participants/{fs.konawe.pk}/")
    assertContains(own, "You can attend none of the forum's time slots")
    other = as_role("verified_exporter").get(f"/forums/participants/{fs.org_a.pk}/")
    assertNotContains(other, "You can attend none")
