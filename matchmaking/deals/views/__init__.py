"""Deal pages (being built): the deal with its history and shipments."""

from matchmaking.deals.views.deals import deal_detail

__all__ = ["deal_detail"]
