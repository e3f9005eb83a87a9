"""A participant's forum agenda as an iCalendar (RFC 5545) file.

Times carry the TZID of the participant's zone (the forum's unless the participant chose its
own), with a VTIMEZONE for it, so calendar programs show each meeting at the right local time
wherever they are. UIDs are stable (one per meeting), so importing the file again updates the
events instead of duplicating them; a cancelled meeting is exported with STATUS:CANCELLED.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from matchmaking.forums.models import ForumParticipant, Meeting

PRODID = "-//Kemendes PDTT//BUMDes Export Portal forums//ID"


def _uid(meeting: Meeting) -> str:
    host = settings.PORTAL_BASE_URL.split("://")[-1].split("/")[0] or "localhost"
    return f"forum-meeting-{meeting.pk}@{host}"


def agenda_calendar(participant: ForumParticipant, meetings: list[Meeting], request=None) -> bytes:
    forum = participant.forum
    zone = participant.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{forum.name}: {participant.display_name}")
    calendar.add("x-wr-timezone", str(zone))
    stamp = timezone.now()
    for meeting in meetings:
        other = meeting.other_party(participant)
        event = Event()
        event.add("uid", _uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.slot.starts_at.astimezone(zone))
        event.add("dtend", meeting.slot.ends_at.astimezone(zone))
        event.add(
            "summary",
            _("Meeting with %(other)s (%(forum)s)")
            % {"other": other.display_name, "forum": forum.name},
        )
        location = ", ".join(filter(None, [meeting.table.name, forum.venue]))
        if location:
            event.add("location", location)
        link = reverse("forums:meeting_detail", args=[meeting.pk])
        url = request.build_absolute_uri(link) if request else settings.PORTAL_BASE_URL + link
        event.add("url", url)
        lines = [
            _("Table: %(table)s") % {"table": meeting.table.name},
            _("Attending: %(names)s")
            % {"names": ", ".join(a.name for a in meeting.attendees.all())},
        ]
        if forum.online_url:
            lines.append(_("Online: %(url)s") % {"url": forum.online_url})
        if meeting.request.message:
            lines.append(meeting.request.message)
        event.add("description", "\n".join(lines))
        event.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    # A VTIMEZONE for every TZID used: calendars without the zone database still get it right.
    calendar.add_missing_timezones()
    return calendar.to_ical()
