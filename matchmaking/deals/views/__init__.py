"""Deal pages: the deal and shipment lists with their downloads, the deal with its history,
shipments and forms, and entering a deal made outside the portal."""

from matchmaking.deals.views.deals import deal_detail, lost_record, shipment_record, step_record
from matchmaking.deals.views.lists import deal_export, deal_list, shipment_export, shipment_list
from matchmaking.deals.views.outside import deal_new

__all__ = [
    "deal_detail",
    "deal_export",
    "deal_list",
    "deal_new",
    "lost_record",
    "shipment_export",
    "shipment_list",
    "shipment_record",
    "step_record",
]
