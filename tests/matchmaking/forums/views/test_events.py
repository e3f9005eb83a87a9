"""Forum pages: ministry staff create a forum and set it up (slots, tables), with field errors and 400 on bad input."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services
from matchmaking.forums.models import Forum
from tests.matchmaking.forums.conftest import (
    forum_data,
)

pytestmark = pytest.mark.django_db


def test_ministry_staff_create_and_set_up_a_forum(as_role, organiser):
    client = as_role("organiser")
    data = forum_data()
    post = {
        **data,
        "registration_opens": data["registration_opens"].strftime("%Y-%m-%dT%H:%M"),
        "registration_closes": data["registration_closes"].strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post("/forums/new/", {**post, "venue": "", "online_url": "", "name": "X"})
    assertContains(bad, "Give a venue, an online link, or both.", status_code=400)
    response = client.post("/forums/new/", post)
    forum = Forum.objects.get()
    assert response.status_code == 302 and forum.organiser == organiser
    response = client.post(
        f"/forums/{forum.pk}/setup/",
        {"day": forum.starts_on.isoformat(), "start": "09:00", "end": "10:00", "break_minutes": 0},
    )
    assert response.status_code == 302 and forum.slots.count() == 2
    response = client.post(
        f"/forums/{forum.pk}/setup/",
        {"day": "2001-01-01", "start": "09:00", "end": "10:00", "break_minutes": 0},
    )
    assertContains(response, "Choose a day of the forum.", status_code=400)
    assert client.post(f"/forums/{forum.pk}/setup/", {"name": "Meja 1"}).status_code == 302
    assertContains(
        client.post(f"/forums/{forum.pk}/setup/", {"name": "Meja 1"}),
        "already has a table",
        status_code=400,
    )
    client.post(f"/forums/{forum.pk}/status/", {"to": "published"})
    forum.refresh_from_db()
    assert forum.status == "published"
    assertContains(
        client.post(f"/forums/{forum.pk}/status/", {"to": "draft"}), "cannot go", status_code=400
    )
