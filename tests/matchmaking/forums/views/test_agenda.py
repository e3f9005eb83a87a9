"""A participant's agenda: times in the participant's zone, printable page."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services

pytestmark = pytest.mark.django_db


def test_agenda_shows_times_in_the_participants_zone(as_role, held, verified_exporter):
    local = held.meeting.slot.starts_at.astimezone(held.forum.tzinfo)
    page = as_role("verified_exporter").get(f"/forums/participants/{held.org_a.pk}/agenda/")
    assertContains(page, local.strftime("%H:%M"))
    services.set_time_zone(
        actor=verified_exporter, participant=held.org_a, time_zone="Asia/Hong_Kong"
    )
    page = as_role("verified_exporter").get(f"/forums/participants/{held.org_a.pk}/agenda/")
    assertContains(page, "Asia/Hong_Kong")
    assertContains(page, local.strftime("%H:%M"))  # Hong Kong is UTC+8 like WITA
    printable = as_role("verified_exporter").get(
        f"/forums/participants/{held.org_a.pk}/agenda/print/"
    )
    assertContains(printable, "@media print")
    assertContains(printable, "BUMDes Mina Uji")
