"""No double booking under concurrent writes (PostgreSQL): two organisers place meetings of the
same BUMDes in the same slot at the same moment, both passing the code's own check (and without
the forum lock); the unique (slot, key) booking rows let exactly one through, and the other gets
a validation error, not a 500."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matchmaking.forums import services as services
from matchmaking.forums.models import Meeting, MeetingBooking
from matchmaking.forums.services import placement
from tests.conftest import needs_services

pytestmark = pytest.mark.services


def test_concurrent_placements_never_double_book(
    transactional_db, fs, organiser, linked_operator, second_exporter, monkeypatch
):
    needs_services("concurrent writes need PostgreSQL")
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    request = services.send_request(actor=second_exporter, sender=fs.org_b, receiver=fs.konawe)
    other = services.answer_request(actor=linked_operator, request=request, accept=True)
    slot = fs.forum.slots.order_by("starts_at").first()
    tables = list(fs.forum.tables.all())
    # Both writers pass the friendly check and neither waits for the other's forum lock.
    monkeypatch.setattr(placement, "_conflicts", lambda *args, **kwargs: [])
    monkeypatch.setattr(placement, "lock_forum", lambda forum: forum)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def place(meeting_request, table):
        try:
            barrier.wait(timeout=10)
            results.append(
                services.place_by_hand(
                    actor=organiser, request=meeting_request, slot=slot, table=table
                )
            )
        except ValidationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=place, args=(fs.request, tables[0])),
        threading.Thread(target=place, args=(other, tables[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(isinstance(r, Meeting) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert MeetingBooking.objects.filter(slot=slot, key=f"party:{fs.konawe.pk}").count() == 1
    assert Meeting.objects.filter(slot=slot).count() == 1
