"""The agenda as iCalendar: valid RFC 5545 that calendar programs read, with the right times in
the participant's zone (a VTIMEZONE for its TZID), stable UIDs and no meetings of others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from matchmaking.forums import services as services
from matchmaking.forums.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    return Meeting.objects.get()


def fetch(as_role, role, participant):
    response = as_role(role).get(f"/forums/participants/{participant.pk}/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_ics_file_is_valid_with_the_forums_time_zone(as_role, fs, scheduled):
    body = fetch(as_role, "verified_exporter", fs.org_a)
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.rstrip().endswith(b"END:VCALENDAR")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Asia/Makassar"]
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == scheduled.slot.starts_at  # the same instant
    assert str(start.tzinfo) == "Asia/Makassar"
    assert start.utcoffset() == timedelta(hours=8)
    assert event.decoded("DTEND") - start == timedelta(minutes=30)
    assert "DTSTART;TZID=Asia/Makassar:" in body.decode()
    assert str(event["UID"]).startswith(f"forum-meeting-{scheduled.pk}@")
    assert "BUMDes Mina Uji" in str(event["SUMMARY"])
    assert "Meja" in str(event["LOCATION"])
    assert event["DTSTAMP"]


def test_a_participant_elsewhere_gets_its_own_zone(as_role, fs, scheduled, verified_exporter):
    services.set_time_zone(actor=verified_exporter, participant=fs.org_a, time_zone="Europe/Berlin")
    calendar = Calendar.from_ical(fetch(as_role, "verified_exporter", fs.org_a))
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == scheduled.slot.starts_at
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Berlin"


def test_the_uid_is_stable_and_only_own_meetings_are_in(as_role, fs, scheduled):
    first = Calendar.from_ical(fetch(as_role, "linked_operator", fs.konawe))
    second = Calendar.from_ical(fetch(as_role, "linked_operator", fs.konawe))
    assert [e["UID"] for e in first.walk("VEVENT")] == [e["UID"] for e in second.walk("VEVENT")]
    assert Calendar.from_ical(fetch(as_role, "second_exporter", fs.org_b)).walk("VEVENT") == []
