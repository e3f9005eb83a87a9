"""The deal fixtures work: a deal made outside the portal, then its first shipment."""

from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from tests.matchmaking.deals.conftest import shipment_data


def test_a_first_shipment_record_moves_the_deal_to_first_shipment(crab_deal, ministry):
    assert crab_deal.stage == Deal.Stage.INTEREST
    deal_services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data())
    crab_deal.refresh_from_db()
    assert crab_deal.stage == Deal.Stage.FIRST_SHIPMENT
    assert crab_deal.shipments.get().value_idr == 6250 * 15800
