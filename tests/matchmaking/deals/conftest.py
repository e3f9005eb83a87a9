"""Deal fixtures on top of the matchmaking world (``tests/matchmaking/conftest.py``).

- ``crab_deal``: live mud crab of the Konawe BUMDes (``world.crab``) with org A (the verified
  exporter's), entered by ministry staff as made outside the portal, at "interest".
- ``shipment_data(**overrides)``: what a valid shipment of that deal says (air freight to Hong
  Kong from Haluoleo airport, Kendari).
- ``ds``: three deals in two provinces (``DealScene``; who sees and records each: ``SEES``,
  ``RECORDS``); ``meeting``: a scheduled forum meeting of the Konawe BUMDes with org A.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from bumdes_export.reference.models import Country, ExportGateway
from exporters.models import Organisation
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal, Shipment
from matchmaking.forums import services as forum_services
from matchmaking.forums.models import Meeting
from tests.matchmaking.forums.conftest import attendee, make_forum


def entered_while_verified(whose: Organisation, **deal):
    """A deal made outside the portal, entered while ``whose`` (its organisation) was verified;
    it is awaiting verification again afterwards (its members read the deal but cannot act)."""
    Organisation.objects.filter(pk=whose.pk).update(
        status=Organisation.Status.VERIFIED, verified_at=timezone.now()
    )
    entered = deal_services.open_outside_deal(**deal)
    Organisation.objects.filter(pk=whose.pk).update(
        status=Organisation.Status.PENDING, verified_at=None
    )
    return entered


def shipment_data(**overrides) -> dict:
    gateway = ExportGateway.objects.get(code="KDI")
    return {
        "shipped_on": timezone.localdate() - timedelta(days=3),
        "quantity": Decimal("500"),
        "value_usd": Decimal("6250"),
        "idr_per_usd": Decimal("15800"),
        "destination": Country.objects.get(code="HK"),
        "gateway": gateway,
        "peb_number": "000123",
        "coo_number": "AHK-2026-0001",
        **overrides,
    }


@pytest.fixture
def crab_deal(world, org_a, ministry) -> Deal:
    return deal_services.open_outside_deal(
        actor=ministry, product=world.crab, organisation=org_a, note="Agreed at a trade fair."
    )


# --- Three deals in two provinces, and a forum meeting -----------------------------------------
#
# - ``ds.crab``: ``crab_deal`` (Konawe crab × org A) with one shipment to Hong Kong
#   (``ds.shipment``): seen by the Konawe side and org A's members.
# - ``ds.donggala``: the Donggala crab × org B (Sulawesi Tengah), at "interest".
# - ``ds.pending``: the Konawe avocado oil × an organisation awaiting verification again (the deal
#   was entered while it was verified): its members read it, only the Konawe side records into it.


@dataclass
class DealScene:
    world: object
    crab: Deal
    shipment: Shipment
    donggala: Deal
    pending: Deal


#: Who sees each deal of the scene (by role), and who records into it.
SEES = {
    "crab": {
        "ministry",
        "officer_sultra",
        "officer_konawe",
        "linked_operator",
        "verified_exporter",
    },
    "donggala": {"ministry", "officer_sulteng", "second_exporter"},
    "pending": {
        "ministry",
        "officer_sultra",
        "officer_konawe",
        "linked_operator",
        "pending_exporter",
    },
}
RECORDS = {
    "crab": SEES["crab"],
    "donggala": SEES["donggala"],
    "pending": SEES["pending"] - {"pending_exporter"},
}


@pytest.fixture
def ds(crab_deal, world, ministry, org_b, org_pending) -> DealScene:
    shipment = deal_services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data())
    donggala = deal_services.open_outside_deal(
        actor=ministry, product=world.donggala_crab, organisation=org_b
    )
    pending = entered_while_verified(
        org_pending, actor=ministry, product=world.oil, organisation=org_pending
    )
    crab_deal.refresh_from_db()
    mail.outbox.clear()
    return DealScene(world, crab_deal, shipment, donggala, pending)


def deal_ids(scene: DealScene, *names: str) -> set[int]:
    return {getattr(scene, name).pk for name in names}


def seen_by(role: str) -> set[str]:
    """The names of the scene's deals ``role`` sees."""
    return {name for name, roles in SEES.items() if role in roles}


@pytest.fixture
def meeting(world, org_a, ministry, verified_exporter, linked_operator) -> Meeting:
    """A held forum meeting of the Konawe BUMDes (crab, avocado oil) with org A."""
    forum = make_forum(ministry)
    konawe = forum_services.register(
        actor=ministry,
        forum=forum,
        kind="bumdes",
        bumdes=world.konawe,
        products=[world.crab, world.oil],
        attendees=[attendee(linked_operator)],
    )
    buyer = forum_services.register(
        actor=ministry,
        forum=forum,
        kind="organisation",
        organisation=org_a,
        attendees=[attendee(verified_exporter)],
    )
    request = forum_services.send_request(
        actor=verified_exporter, sender=buyer, receiver=konawe, message="Crab?"
    )
    forum_services.answer_request(actor=linked_operator, request=request, accept=True)
    forum_services.run_scheduler(actor=ministry, forum=forum)
    mail.outbox.clear()
    return Meeting.objects.get(forum=forum)
