"""Three deals for the page, export and panel tests, each seen by a different set of roles.

- ``crab``: the Konawe crab with org A (``crab_deal``), shipped once to Hong Kong: seen by the
  Konawe side (ministry, officer_sultra, officer_konawe, linked_operator) and verified_exporter.
- ``oil``: the Konawe avocado oil with the organisation awaiting verification, at "contract":
  seen by the Konawe side and pending_exporter (who only reads it).
- ``donggala``: the Donggala crab with org B, at "letter of intent": seen by ministry,
  officer_sulteng and second_exporter.

Nobody else (operator without BUMDes, exporter without organisation, provider) sees any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal, Shipment
from tests.matchmaking.deals.conftest import entered_while_verified, shipment_data

#: Who sees each deal of the scene.
KONAWE_SIDE = {"ministry", "officer_sultra", "officer_konawe", "linked_operator"}
SEES = {
    "crab": KONAWE_SIDE | {"verified_exporter"},
    "oil": KONAWE_SIDE | {"pending_exporter"},
    "donggala": {"ministry", "officer_sulteng", "second_exporter"},
}
#: Who may record into each deal (the product's side, members of a verified organisation).
RECORDS = {
    "crab": KONAWE_SIDE | {"verified_exporter"},
    "oil": KONAWE_SIDE,
    "donggala": {"ministry", "officer_sulteng", "second_exporter"},
}
#: Who opens the deal and shipment lists (everyone with a side in deals).
HAS_DEALS = {
    "ministry",
    "officer_sultra",
    "officer_sulteng",
    "officer_konawe",
    "operator",
    "linked_operator",
    "verified_exporter",
    "second_exporter",
    "pending_exporter",
    "provider",
}
#: Who enters deals made outside the portal.
OUTSIDE = {"ministry", "officer_sultra", "officer_sulteng", "officer_konawe"}


@dataclass
class DealScene:
    world: object
    crab: Deal
    oil: Deal
    donggala: Deal
    shipment: Shipment

    def deal(self, name: str) -> Deal:
        return getattr(self, name)

    def ids(self, *names: str) -> set[int]:
        return {self.deal(name).pk for name in names}

    def seen_by(self, role: str) -> set[int]:
        return {self.deal(name).pk for name, roles in SEES.items() if role in roles}


def build_scene(world, crab_deal, org_b, org_pending, ministry) -> DealScene:
    shipment = deal_services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data())
    oil = entered_while_verified(
        org_pending,
        actor=ministry,
        product=world.oil,
        organisation=org_pending,
        stage=Deal.Stage.CONTRACT,
        occurred_on=timezone.localdate() - timedelta(days=20),
        note="Agreed by phone.",
    )
    donggala = deal_services.open_outside_deal(
        actor=ministry,
        product=world.donggala_crab,
        organisation=org_b,
        stage=Deal.Stage.LOI_MOU,
        occurred_on=timezone.localdate() - timedelta(days=10),
    )
    crab_deal.refresh_from_db()
    mail.outbox.clear()
    return DealScene(world, crab_deal, oil, donggala, shipment)
