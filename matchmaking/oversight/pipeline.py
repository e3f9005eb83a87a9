"""The dashboard of a BUMDes operator or an organisation: its own pipeline, from products (or
recommended products) to deals and shipments."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from exporters.models import Organisation
from matchmaking import access as party_access
from matchmaking.access import AnyUser
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal, Shipment
from matchmaking.matching import access as matching_access
from matchmaking.matching import selectors as matching_selectors
from matchmaking.matching.selectors import Match, ProductSummary
from products.access import operated_bumdes_id
from products.models import Bumdes


@dataclass
class Pipeline:
    """One BUMDes' or one organisation's way from products to shipments."""

    bumdes: Bumdes | None = None
    organisation: Organisation | None = None
    products: list[ProductSummary] = field(default_factory=list)
    recommended: list[Match] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    stages: list[tuple[str, str, int]] = field(default_factory=list)  # (stage, label, deals)
    shipments: int = 0
    value_usd: Decimal = Decimal(0)


def own_pipeline(user: AnyUser) -> Pipeline | None:
    """The operator's BUMDes, or the organisation the user belongs to; None for anyone else."""
    bumdes_id = operated_bumdes_id(user)
    if bumdes_id is not None:
        bumdes = Bumdes.objects.get(pk=bumdes_id)
        deals = deal_selectors.deals_for_bumdes(user, bumdes)
        pipeline = Pipeline(
            bumdes=bumdes, products=matching_selectors.bumdes_products(user, bumdes)
        )
    else:
        organisation = party_access.organisation_of(user)
        if organisation is None:
            return None
        deals = deal_selectors.deals_for_organisation(user, organisation)
        pipeline = Pipeline(organisation=organisation)
        if matching_access.may_see_organisation_matches(user, organisation):
            pipeline.recommended = matching_selectors.organisation_matches(
                user, organisation, limit=10
            )
    pipeline.deals = list(deals[:50])
    counts = deal_selectors.stage_counts(deals)
    pipeline.stages = [(stage, str(label), counts[stage]) for stage, label in Deal.Stage.choices]
    totals = Shipment.objects.filter(deal__in=deals.values("pk")).aggregate(
        n=Count("pk"), usd=Sum("value_usd")
    )
    pipeline.shipments = totals["n"] or 0
    pipeline.value_usd = totals["usd"] or Decimal(0)
    return pipeline
