"""Forum set-up services: creating and changing forums, their status, time slots and tables."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Forum,
)
from tests.matchmaking.forums.conftest import forum_data, make_forum

pytestmark = pytest.mark.django_db


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
