"""The demo forum that is over: "Forum BUMDes Ekspor" in Kendari, and what it led to.

- Organised by ministry staff (``kemendes``), WITA, two mornings of 30-minute meetings at four
  tables; Sulawesi Tenggara, Sulawesi Tengah and Jawa Barat invited.
- Participants: the Alibaba team (the platform partner, account ``mitra``), the Hong Kong buyer
  (``pembeli``), the Kendari crab exporter (``eksportir``); the regional governments of Sulawesi
  Tenggara (``sultra``) and Sulawesi Tengah (``sulteng``); BUMDes Mina Bahari (crab, operator
  ``bumdes``), BUMDes Sigi Makmur (banana flour) and BUMDes Alpukat Garut (avocado oil).
- Requests accepted and one declined; the scheduler placed the meetings and the organiser
  confirmed them; one meeting was a no-show; one request still waits for an answer.
- The Hong Kong buyer × Mina Bahari meeting opened the deal for live mud crab and went all the
  way: interest, sample sent, letter of intent, contract, then a first (500 kg, USD 6,250) and a
  repeat (800 kg, USD 10,000) air shipment to Hong Kong from Haluoleo airport, Kendari, with
  their PEB and Form AHK numbers at IDR 16,000 to the dollar; a follow-up for the third
  shipment. The Alibaba × Sigi Makmur meeting opened a banana-flour deal at interest.

Needs the accounts, BUMDes and organisations of the other demos (does nothing without them).
Everything goes through ``matchmaking.forums.services`` (shipments through
``matchmaking.deals.services``).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Country, ExportGateway, Region
from exporters.models import Membership, Organisation
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, Meeting
from products.models import UNIT_BASE, Bumdes, Product

FORUM_NAME = "Forum BUMDes Ekspor"


def user_named(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def organisation_of(username: str) -> Organisation | None:
    membership = (
        Membership.objects.select_related("organisation").filter(user__username=username).first()
    )
    return membership.organisation if membership else None


def bumdes_named(name: str) -> Bumdes | None:
    return Bumdes.objects.filter(name=name).order_by("id").first()


def products_of(bumdes: Bumdes, *names: str) -> list[Product]:
    return list(Product.objects.filter(bumdes=bumdes, name_id__in=names).order_by("id"))


def person(user: User, position: str = "") -> services.AttendeeData:
    return services.AttendeeData(
        name=user.get_full_name() or user.username, position=position, email=user.email, user=user
    )


def load(start: date) -> bool:
    """The forum that is over, its first day ``start``; False when the demos it needs are not
    there."""
    ministry = user_named("kemendes")
    sultra, sulteng = user_named("sultra"), user_named("sulteng")
    buyer_user, exporter_user, operator = (
        user_named("pembeli"),
        user_named("eksportir"),
        user_named("bumdes"),
    )
    partner = user_named("mitra")
    mina, sigi, garut = (
        bumdes_named("BUMDes Mina Bahari"),
        bumdes_named("BUMDes Sigi Makmur"),
        bumdes_named("BUMDes Alpukat Garut"),
    )
    buyer, exporter, platform = (
        organisation_of("pembeli"),
        organisation_of("eksportir"),
        organisation_of("mitra"),
    )
    needed = [ministry, sultra, sulteng, buyer_user, exporter_user, operator, partner]
    if not all([*needed, mina, sigi, garut, buyer, exporter, platform]):
        return False  # the other demos are not there (yet)
    crab = products_of(mina, "Kepiting bakau hidup", "Rajungan hidup")
    flour = products_of(sigi, "Tepung pisang kepok")
    oil = products_of(garut, "Minyak alpukat murni")
    if not (crab and flour and oil):
        return False

    today = timezone.localdate()
    now = timezone.now()
    forum = services.create_forum(
        actor=ministry,
        data={
            "name": FORUM_NAME,
            "description": "Pertemuan bisnis BUMDes dengan eksportir dan pembeli luar negeri, "
            "bersama tim Alibaba.com dan pemerintah daerah Sulawesi. / Business meetings of "
            "BUMDes with exporters and foreign buyers, with the Alibaba.com team and the "
            "regional governments of Sulawesi.",
            "starts_on": start,
            "ends_on": start + timedelta(days=1),
            "venue": "Hotel Claro Kendari, Jl. Edi Sabara No. 89, Kendari",
            "online_url": "https://meet.example.id/forum-bumdes-ekspor",
            "time_zone": Forum.TimeZone.WITA,
            "registration_opens": now - timedelta(days=90),
            "registration_closes": now - timedelta(days=50),
            "meeting_minutes": 30,
            "invited_regions": list(Region.objects.filter(code__in=["72", "74", "32"])),
        },
    )
    for day in (forum.starts_on, forum.ends_on):
        services.add_slots(
            actor=ministry, forum=forum, day=day, start=time(9), end=time(12), in_the_past=True
        )
    for n in range(1, 5):
        services.add_table(actor=ministry, forum=forum, name=f"Meja {n}")
    services.set_forum_status(actor=ministry, forum=forum, to=Forum.Status.PUBLISHED)

    def register(kind: str, people: list, **kwargs):
        return services.register(actor=ministry, forum=forum, kind=kind, attendees=people, **kwargs)

    alibaba = register(
        "organisation", [person(partner, "Alibaba.com partner manager")], organisation=platform
    )
    hong_kong = register(
        "organisation",
        [person(buyer_user, "Purchasing")],
        organisation=buyer,
        time_zone="Asia/Hong_Kong",
    )
    kendari = register("organisation", [person(exporter_user, "Director")], organisation=exporter)
    gov_sultra = register("officer", [person(sultra, "Dinas PMD")], officer=sultra)
    gov_sulteng = register("officer", [person(sulteng, "Dinas PMD")], officer=sulteng)
    mina_bahari = register(
        "bumdes",
        [
            person(operator, "Manajer"),
            services.AttendeeData(name="La Ode Rahman", position="Ketua"),
        ],
        bumdes=mina,
        products=crab,
    )
    sigi_makmur = register(
        "bumdes",
        [services.AttendeeData(name="Ni Ketut Ayu", position="Manajer")],
        bumdes=sigi,
        products=flour,
    )
    alpukat = register(
        "bumdes",
        [services.AttendeeData(name="Asep Sunandar", position="Manajer")],
        bumdes=garut,
        products=oil,
        time_zone="Asia/Jakarta",  # joins online from Garut (WIB)
    )
    # Mina Bahari's operator can only come on the first morning.
    services.set_availability(
        actor=operator,
        participant=mina_bahari,
        slots=[
            slot
            for slot in forum.slots.all()
            if slot.starts_at.astimezone(forum.tzinfo).date() == forum.starts_on
        ],
    )

    def ask(actor, sender, receiver, message, answer_by=None, accept=True, answer=""):
        request = services.send_request(
            actor=actor, sender=sender, receiver=receiver, message=message
        )
        if answer_by is not None:
            services.answer_request(actor=answer_by, request=request, accept=accept, answer=answer)
        return request

    crab_talk = ask(
        buyer_user,
        hong_kong,
        mina_bahari,
        "We buy live mud crab for Hong Kong restaurants, 2 tonnes a month. Can we meet?",
        operator,
        answer="Ya, silakan. We bring the KI-1 certificate and photos of the packing.",
    )
    ask(
        partner,
        alibaba,
        mina_bahari,
        "Let us put your crab on Alibaba.com and plan the logistics.",
        operator,
    )
    ask(
        partner,
        alibaba,
        sigi_makmur,
        "Banana flour sells well to Japan and Korea on Alibaba.com; shall we meet?",
        sulteng,
    )
    ask(
        exporter_user,
        kendari,
        alpukat,
        "We add edible oils to our Singapore shipments; 600 litres a month?",
        ministry,  # the help desk answers for the Garut BUMDes, which has no account
    )
    ask(partner, alibaba, gov_sultra, "Programme for more Sultra BUMDes on Alibaba.com", sultra)
    ask(
        buyer_user,
        hong_kong,
        gov_sulteng,
        "Can the Donggala mud crab come to Hong Kong too?",
        sulteng,
        accept=False,
        answer="Not yet: the KI-1 certificate of the Donggala crab is still in process.",
    )
    ask(exporter_user, kendari, sigi_makmur, "Banana flour for our Malaysian buyer?")

    services.run_scheduler(actor=ministry, forum=forum)
    services.confirm_meetings(actor=ministry, forum=forum)

    # After the forum: what each meeting led to.
    meetings = {
        m.request_id: m for m in Meeting.objects.filter(forum=forum).select_related("request")
    }
    for meeting in meetings.values():
        a, b = meeting.party_a, meeting.party_b
        if b == alpukat:
            services.record_meeting(
                actor=exporter_user,
                meeting=meeting,
                held=False,
                notes="The online link did not work for the Garut team; to be rescheduled.",
            )
            continue
        services.record_meeting(
            actor=_acting(a, buyer_user, partner, exporter_user),
            meeting=meeting,
            held=True,
            rating=5 if a == hong_kong else 4,
            comment="Productive meeting.",
        )
    hk_meeting = meetings.get(crab_talk.pk)
    if hk_meeting is not None:
        services.record_meeting(
            actor=operator,
            meeting=hk_meeting,
            held=True,
            rating=5,
            comment="Pembeli serius, harga baik.",
            notes="Sample box of 20 kg by air next week; price FOB Kendari USD 12.50/kg.",
        )
        _crab_deal(forum, hk_meeting, crab, buyer_user=buyer_user, operator=operator)
    for meeting in Meeting.objects.filter(
        forum=forum, party_b=sigi_makmur, status=Meeting.Status.HELD
    ):
        interest = services.record_outcome(
            actor=partner,
            meeting=meeting,
            data={"stage": "interest", "occurred_on": forum.starts_on, "product": flour[0]},
        )
        services.add_follow_up(
            actor=partner,
            meeting=meeting,
            deal=interest.deal,
            title="List the banana flour on Alibaba.com with photos and the price",
            due_on=today + timedelta(days=14),
            owner=partner,
        )
    services.set_forum_status(actor=ministry, forum=forum, to=Forum.Status.FINISHED)
    return True


def _crab_deal(
    forum: Forum, meeting: Meeting, crab: list[Product], *, buyer_user: User, operator: User
) -> Deal:
    """The Hong Kong buyer × Mina Bahari meeting's deal for live mud crab: interest, sample,
    letter of intent, contract, then a first and a repeat air shipment to Hong Kong."""
    today = timezone.localdate()
    hk = Country.objects.get(code="HK")
    mud_crab = next(p for p in crab if p.name_id == "Kepiting bakau hidup")
    steps = [
        ("interest", 0, {"note": "Wants 2 tonnes a month for Hong Kong restaurants."}),
        ("sample_sent", 7, {"note": "20 kg by air KDI-UPG-HKG; arrived alive."}),
        ("loi_mou", 14, {"note": "Letter of intent: 2 tonnes a month from the next season."}),
        (
            "contract",
            25,
            {"value_usd": Decimal("75000"), "volume_kg": Decimal("6000"), "destination": hk},
        ),
    ]
    step = None
    for stage, days, extra in steps:
        step = services.record_outcome(
            actor=buyer_user if stage in ("interest", "loi_mou") else operator,
            meeting=meeting,
            data={
                "stage": stage,
                "product": mud_crab,
                "occurred_on": forum.starts_on + timedelta(days=days),
                **extra,
            },
        )
    assert step is not None
    deal = step.deal
    airport = ExportGateway.objects.filter(code="KDI").first()  # Haluoleo airport, Kendari
    shipments = [
        (38, Decimal("500"), Decimal("6250"), "000731", "AHK-KDI-0001", "First air shipment."),
        (44, Decimal("800"), Decimal("10000"), "000917", "AHK-KDI-0002", "Repeat shipment."),
    ]
    # The quantity in the product's unit (the Konawe crab is sold by the tonne).
    unit, per_unit = UNIT_BASE.get(mud_crab.unit, ("kg", Decimal(1)))
    for days, kg, usd, peb, coo, note in shipments:
        deal_services.record_shipment(
            actor=operator,
            deal=deal,
            data={
                "shipped_on": min(forum.starts_on + timedelta(days=days), today),
                "quantity": kg / per_unit if unit == "kg" else kg,
                "volume": kg,
                "value_usd": usd,
                "idr_per_usd": Decimal("16000"),
                "destination": hk,
                "gateway": airport,
                "peb_number": f"PEB-{peb}",
                "coo_number": coo,  # Form AHK: the ASEAN-Hong Kong certificate of origin
                "note": f"{note} Live mud crab, 300-500 g, tied, in ventilated styrofoam boxes.",
            },
        )
    services.add_follow_up(
        actor=buyer_user,
        meeting=meeting,
        deal=deal,
        title="Third shipment: 1 tonne, book cargo space and the KI-1 inspection",
        due_on=today + timedelta(days=7),
        owner=operator,
    )
    done = services.add_follow_up(
        actor=operator,
        meeting=meeting,
        deal=deal,
        title="Send the Form AHK of the first shipment to the buyer",
        due_on=today - timedelta(days=5),
        owner=operator,
    )
    services.complete_follow_up(actor=operator, follow_up=done)
    return deal


def _acting(participant, buyer_user, partner, exporter_user) -> User:
    """The demo user who speaks for an organisation participant."""
    organisation = participant.organisation
    for user in (buyer_user, partner, exporter_user):
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            return user
    raise LookupError(participant)


__all__ = ["load", "FORUM_NAME"]
