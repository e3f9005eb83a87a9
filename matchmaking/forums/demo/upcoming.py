"""The demo forum ahead: "Temu Bisnis Ekspor BUMDes Sulawesi" in Makassar, open for registration.

- Organised by ministry staff (``kemendes``), WITA, two mornings of 30-minute meetings at three
  tables; Sulawesi Tenggara, Sulawesi Tengah and Sulawesi Selatan invited; registration opened
  ten days before the demo was loaded and closes a week before the first day.
- Registered by themselves: the Hong Kong buyer (``pembeli``, approved by the organiser), the
  Kendari exporter (``eksportir``, waiting for approval), BUMDes Mina Bahari (by its operator
  ``bumdes``); by the organiser: the Alibaba team (``mitra``), Sulawesi Tenggara's government
  (``sultra``) and BUMDes Sigi Makmur.
- The Hong Kong buyer asked Mina Bahari for a second meeting (accepted) and Sigi Makmur about
  banana flour (waiting); the Alibaba team asked Sulawesi Tenggara's government (waiting).
- Nobody has been scheduled: the organiser runs the scheduler when registration closes, and
  the demo accounts can still register, ask and answer.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bumdes_export.reference.models import Region
from matchmaking.forums import services
from matchmaking.forums.demo.held import (
    bumdes_named,
    organisation_of,
    person,
    products_of,
    user_named,
)
from matchmaking.forums.models import Forum

UPCOMING_NAME = "Temu Bisnis Ekspor BUMDes Sulawesi"


def load(start: date) -> bool:
    """The forum ahead, its first day ``start``; False when the demos it needs are not there."""
    ministry, sultra = user_named("kemendes"), user_named("sultra")
    buyer_user, exporter_user, operator = (
        user_named("pembeli"),
        user_named("eksportir"),
        user_named("bumdes"),
    )
    partner = user_named("mitra")
    mina, sigi = bumdes_named("BUMDes Mina Bahari"), bumdes_named("BUMDes Sigi Makmur")
    buyer, exporter, platform = (
        organisation_of("pembeli"),
        organisation_of("eksportir"),
        organisation_of("mitra"),
    )
    people = [ministry, sultra, buyer_user, exporter_user, operator, partner]
    if not all([*people, mina, sigi, buyer, exporter, platform]):
        return False
    crab = products_of(mina, "Kepiting bakau hidup", "Rajungan hidup")
    flour = products_of(sigi, "Tepung pisang kepok")
    if not (crab and flour):
        return False

    now = timezone.now()
    # A week before the first day, at the end of the day where the forum takes place.
    closes = datetime.combine(
        start - timedelta(days=7), time(23, 59), tzinfo=ZoneInfo(Forum.TimeZone.WITA)
    )
    forum = services.create_forum(
        actor=ministry,
        data={
            "name": UPCOMING_NAME,
            "description": "Temu bisnis BUMDes Sulawesi dengan pembeli dan eksportir: kepiting, "
            "rajungan, tepung pisang dan minyak alpukat. Daftar, atur waktu luang Anda dan "
            "ajukan pertemuan. / Business meetings of Sulawesi BUMDes with buyers and "
            "exporters: crab, banana flour and avocado oil. Register, set your free times and "
            "request meetings.",
            "starts_on": start,
            "ends_on": start + timedelta(days=1),
            "venue": "Hotel Four Points, Jl. Andi Djemma No. 130, Makassar",
            "online_url": "https://meet.example.id/temu-bisnis-sulawesi",
            "time_zone": Forum.TimeZone.WITA,
            "registration_opens": now - timedelta(days=10),
            "registration_closes": closes,
            "meeting_minutes": 30,
            "invited_regions": list(Region.objects.filter(code__in=["72", "73", "74"])),
        },
    )
    for day in (forum.starts_on, forum.ends_on):
        services.add_slots(actor=ministry, forum=forum, day=day, start=time(9), end=time(12))
    for n in range(1, 4):
        services.add_table(actor=ministry, forum=forum, name=f"Meja {n}")
    services.set_forum_status(actor=ministry, forum=forum, to=Forum.Status.PUBLISHED)

    hong_kong = services.register(
        actor=buyer_user,
        forum=forum,
        kind="organisation",
        organisation=buyer,
        attendees=[person(buyer_user, "Purchasing")],
        time_zone="Asia/Hong_Kong",
        note="Second visit: we want to add blue swimming crab.",
    )
    hong_kong = services.decide_participant(actor=ministry, participant=hong_kong, approve=True)
    services.register(
        actor=exporter_user,
        forum=forum,
        kind="organisation",
        organisation=exporter,
        attendees=[person(exporter_user, "Director")],
    )  # waits for the organiser's approval
    mina_bahari = services.register(
        actor=operator,
        forum=forum,
        kind="bumdes",
        bumdes=mina,
        products=crab,
        attendees=[person(operator, "Manajer")],
    )
    if mina_bahari.status == mina_bahari.Status.PENDING:
        mina_bahari = services.decide_participant(
            actor=ministry, participant=mina_bahari, approve=True
        )
    alibaba = services.register(
        actor=ministry,
        forum=forum,
        kind="organisation",
        organisation=platform,
        attendees=[person(partner, "Alibaba.com partner manager")],
    )
    services.register(
        actor=ministry,
        forum=forum,
        kind="officer",
        officer=sultra,
        attendees=[person(sultra, "Dinas PMD")],
    )
    sigi_makmur = services.register(
        actor=ministry,
        forum=forum,
        kind="bumdes",
        bumdes=sigi,
        products=flour,
        attendees=[services.AttendeeData(name="Ni Ketut Ayu", position="Manajer")],
    )
    gov_sultra = forum.participants.get(kind="officer", officer=sultra)

    second = services.send_request(
        actor=buyer_user,
        sender=hong_kong,
        receiver=mina_bahari,
        message="Good to meet again: the third shipment, and blue swimming crab from March?",
    )
    services.answer_request(
        actor=operator,
        request=second,
        accept=True,
        answer="Ya, kami bawa contoh rajungan. We bring a sample of blue swimming crab.",
    )
    services.send_request(
        actor=buyer_user,
        sender=hong_kong,
        receiver=sigi_makmur,
        message="Is your banana flour gluten-free certified? We supply bakeries too.",
    )
    services.send_request(
        actor=partner,
        sender=alibaba,
        receiver=gov_sultra,
        message="Training for ten more Sultra BUMDes on Alibaba.com: can we plan it?",
    )
    return True


__all__ = ["load", "UPCOMING_NAME"]
