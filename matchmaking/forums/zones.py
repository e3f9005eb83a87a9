"""The time zones a participant chooses from: Indonesia's three by their names, then the places
buyers and partners join from (by city and country, with their offset from UTC). The value is
always the IANA name; pages show the zone by ``zone_label``."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.forums.models import Forum, ForumSlot
from matchmaking.forums.models.events import TIME_ZONE_ABBREVIATIONS

#: Where the portal's buyers and partners are, by IANA name: the place as people say it.
ABROAD = [
    ("Asia/Hong_Kong", _("Hong Kong")),
    ("Asia/Shanghai", _("China (Beijing, Shanghai)")),
    ("Asia/Singapore", _("Singapore")),
    ("Asia/Kuala_Lumpur", _("Malaysia (Kuala Lumpur)")),
    ("Asia/Taipei", _("Taiwan (Taipei)")),
    ("Asia/Tokyo", _("Japan (Tokyo)")),
    ("Asia/Seoul", _("South Korea (Seoul)")),
    ("Asia/Bangkok", _("Thailand (Bangkok)")),
    ("Asia/Ho_Chi_Minh", _("Vietnam (Ho Chi Minh City)")),
    ("Asia/Manila", _("Philippines (Manila)")),
    ("Asia/Kolkata", _("India")),
    ("Asia/Dubai", _("United Arab Emirates (Dubai)")),
    ("Australia/Sydney", _("Australia (Sydney)")),
    ("Europe/Amsterdam", _("Netherlands (Amsterdam)")),
    ("Europe/Berlin", _("Germany (Berlin)")),
    ("Europe/London", _("United Kingdom (London)")),
    ("America/New_York", _("United States (New York)")),
    ("America/Los_Angeles", _("United States (Los Angeles)")),
]


def utc_offset(name: str, at: datetime | None = None) -> str:
    """``UTC+8``, ``UTC+5:30``, ``UTC-4``: the zone's offset now (or at ``at``)."""
    offset = (at or timezone.now()).astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_choices(current: str = "") -> list:
    """Grouped choices for a form's select (a blank choice first: the forum's own zone):
    Indonesia's three zones by name, then the places buyers and partners join from. No list of
    every IANA zone: a participant elsewhere picks the listed place of the same offset; a zone
    already chosen outside the list (through the API) is kept, by its own name."""
    abroad = [(name, f"{label} ({utc_offset(name)})") for name, label in ABROAD]
    listed = {value for value, _label in Forum.TimeZone.choices} | {n for n, _l in ABROAD}
    choices = [
        ("", _("The forum's time zone")),
        (_("Indonesia"), list(Forum.TimeZone.choices)),
        (_("Where buyers and partners join from"), abroad),
    ]
    if current and current not in listed and current in zoneinfo.available_timezones():
        choices.append((_("Your time zone"), [(current, zone_label(current))]))
    return choices


def zone_label(name: str) -> str:
    """A zone as people name it: "WITA (Makassar)", "Hong Kong (UTC+8)", else its place."""
    indonesian = dict(Forum.TimeZone.choices)
    if name in indonesian:
        return str(indonesian[name])
    abroad = dict(ABROAD)
    if name in abroad:
        return f"{abroad[name]} ({utc_offset(name)})"
    return f"{name.rsplit('/', 1)[-1].replace('_', ' ')} ({utc_offset(name)})"


def zone_name(zone: zoneinfo.ZoneInfo, at: datetime) -> str:
    """WIB, WITA or WIT for Indonesia's zones; elsewhere the zone's own abbreviation (HKT, CST)
    or, where it has none, its offset."""
    short = TIME_ZONE_ABBREVIATIONS.get(zone.key) or at.astimezone(zone).tzname() or ""
    return short if short[:1].isalpha() else utc_offset(zone.key, at)


def slot_label(slot: ForumSlot, zone: zoneinfo.ZoneInfo) -> str:
    """ "Sen 28 Des 09:00–09:30 WITA": the day and month in the reader's language, and the zone."""
    starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    day = formats.date_format(starts, "D j M")
    return f"{day} {starts:%H:%M}–{ends:%H:%M} {zone_name(zone, slot.starts_at)}"
