"""Forum set-up services: creating and changing forums, their status, time slots and tables."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def test_registration_closes_before_the_forums_first_day(organiser):
    data = forum_data()
    first_day_noon = timezone.make_aware(
        datetime.combine(data["starts_on"], time(12)), ZoneInfo(data["time_zone"])
    )
    with pytest.raises(ValidationError) as error:
        services.create_forum(actor=organiser, data={**data, "registration_closes": first_day_noon})
    assert "registration_closes" in error.value.message_dict
    the_eve = first_day_noon - timedelta(hours=13)  # 23:00 the day before
    assert services.create_forum(actor=organiser, data={**data, "registration_closes": the_eve})


def test_slots_in_the_past_are_added_only_when_the_organiser_says_so(organiser):
    today = timezone.localdate()
    forum = make_forum(
        organiser,
        slots=0,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        registration_opens=timezone.now() - timedelta(days=20),
        registration_closes=timezone.now() - timedelta(days=3),
    )
    yesterday = today - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.add_slots(actor=organiser, forum=forum, day=yesterday, start=time(9), end=time(10))
    assert "in_the_past" in error.value.message_dict
    assert not forum.slots.exists()
    added = services.add_slots(
        actor=organiser, forum=forum, day=yesterday, start=time(9), end=time(10), in_the_past=True
    )
    assert len(added) == 2
    tomorrow = today + timedelta(days=1)
    assert services.add_slots(
        actor=organiser, forum=forum, day=tomorrow, start=time(9), end=time(10)
    )
