"""The dashboard's tests build their worlds with factories and ORM updates, which announce no
change: the tallies are counted again before every read here, so that each test reads what its
data makes. ``test_tallies`` shows that the portal's own writes keep them counted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bumdes_export.reference.models import Country
from matchmaking.deals import services as deal_services
from matchmaking.oversight import tallies
from tests.matchmaking.deals.conftest import shipment_data

READERS = ("figures_of", "counts_by_region", "gaps_of", "counted_at")


@pytest.fixture(autouse=True)
def counted_before_reading(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    if request.node.get_closest_marker("tallies_as_kept"):
        return
    for name in READERS:
        original = getattr(tallies, name)

        def counted(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            tallies.refresh_all()
            return _original(*args, **kwargs)

        monkeypatch.setattr(tallies, name, counted)


# Shipments counted by hand: crab (HS 030633, Konawe) to Hong Kong twice (USD 6,250 + 3,000,
# 500 + 240 kg, in two months) and avocado oil (HS 151590, Konawe, litres) to Japan once
# (USD 1,800, 120 l); Donggala crab (Sulawesi Tengah) to Singapore (USD 900, 80 kg).
@pytest.fixture
def shipped(world, org_a, org_b, ministry):
    crab = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    oil = deal_services.open_outside_deal(actor=ministry, product=world.oil, organisation=org_b)
    donggala = deal_services.open_outside_deal(
        actor=ministry, product=world.donggala_crab, organisation=org_b
    )
    record = deal_services.record_shipment
    record(actor=ministry, deal=crab, data=shipment_data(shipped_on=date(2026, 10, 5)))
    record(
        actor=ministry,
        deal=crab,
        data=shipment_data(
            shipped_on=date(2026, 11, 20), quantity=Decimal(240), value_usd=Decimal(3000)
        ),
    )
    record(
        actor=ministry,
        deal=oil,
        data=shipment_data(
            shipped_on=date(2026, 11, 2),
            quantity=Decimal(120),
            value_usd=Decimal(1800),
            destination=Country.objects.get(code="JP"),
        ),
    )
    record(
        actor=ministry,
        deal=donggala,
        data=shipment_data(
            shipped_on=date(2026, 11, 3),
            quantity=Decimal(80),
            value_usd=Decimal(900),
            destination=Country.objects.get(code="SG"),
        ),
    )
    return world


@pytest.fixture(autouse=True)
def reference_names_read_afresh():
    """Each test reads the names of its own reference data (a process keeps them minutes) and
    its own shipments' ledger."""
    from matchmaking.oversight import labels, ledger

    labels.forget()
    ledger.forget()
    yield
    labels.forget()
    ledger.forget()
