"""Deal fixtures on top of the matchmaking world (``tests/matchmaking/conftest.py``).

- ``crab_deal``: live mud crab of the Konawe BUMDes (``world.crab``) with org A (the verified
  exporter's), entered by ministry staff as made outside the portal, at "interest".
- ``shipment_data(**overrides)``: what a valid shipment of that deal says (air freight to Hong
  Kong from Haluoleo airport, Kendari).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bumdes_export.reference.models import Country, ExportGateway
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal


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
