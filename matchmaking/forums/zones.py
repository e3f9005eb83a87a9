"""The time zones a participant chooses from: Indonesia's three by their names, then the places
buyers and partners join from (by city and country, with their offset from UTC), then every
other zone by its IANA name. The value is always the IANA name."""

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


def zone_choices() -> list:
    """Grouped choices for a form's select (a blank choice first: the forum's own zone)."""
    indonesian = [value for value, _label in Forum.TimeZone.choices]
    abroad = [(name, f"{label} ({utc_offset(name)})") for name, label in ABROAD]
    listed = set(indonesian) | {name for name, _label in ABROAD}
    others = sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in listed)
    return [
        ("", _("The forum's time zone")),
        (_("Indonesia"), list(Forum.TimeZone.choices)),
        (_("Where buyers and partners join from"), abroad),
        (_("Other time zones"), [(z, z.replace("_", " ")) for z in others]),
    ]


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
