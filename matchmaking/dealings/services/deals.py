"""Deals opened in one step from a dealing: an inquiry or sample request, or an accepted offer on
a buying request.

Either side opens it (``matchmaking.dealings.access``); ``matchmaking.deals.services.open_deal``
records it at "interest", linked to the inquiry or offer it started from, and tells both sides.
When the product and organisation already have an open deal (from any channel), that deal is
returned instead (``created`` is False), so opening twice, or from both sides, gives one deal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import User
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings.models import Inquiry, Offer
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import DealChannel
from matchmaking.deals.services import DealOpening

#: The channel of a deal opened from an inquiry, by the inquiry's kind.
INQUIRY_CHANNELS = {Inquiry.Kind.SAMPLE_REQUEST: DealChannel.SAMPLE_REQUEST}


@transaction.atomic
def open_deal_from_inquiry(*, actor: User, inquiry: Inquiry) -> DealOpening:
    """Either side of an inquiry (or sample request, or expression of interest) opens the deal
    it led to, or gets the open deal of the same product and organisation."""
    inquiry = Inquiry.objects.select_related("product__bumdes", "organisation").get(pk=inquiry.pk)
    if not dealings_access.may_open_deal_from_inquiry(actor, inquiry):
        raise access.refusal(actor, inquiry.organisation)
    return deal_services.open_deal(
        actor=actor,
        product=inquiry.product,
        organisation=inquiry.organisation,
        channel=INQUIRY_CHANNELS.get(Inquiry.Kind(inquiry.kind), DealChannel.INQUIRY),
        origin=inquiry,
    )


@transaction.atomic
def open_deal_from_offer(*, actor: User, offer: Offer) -> DealOpening:
    """Either side of an accepted offer (the organisation that posted the buying request, the
    side of the offered product) opens the deal it led to, or gets the open deal of the same
    product and organisation. An offer not accepted (yet) opens nothing."""
    offer = Offer.objects.select_related("buying_request__organisation", "product__bumdes").get(
        pk=offer.pk
    )
    if dealings_access.offer_side(actor, offer) is None:
        raise access.refusal(actor, offer.buying_request.organisation)
    if not dealings_access.may_open_deal_from_offer(actor, offer):
        raise ValidationError(
            {
                "offer": _("Only an accepted offer opens a deal; this one is %(status)s.")
                % {"status": offer.get_status_display().lower()}
            }
        )
    return deal_services.open_deal(
        actor=actor,
        product=offer.product,
        organisation=offer.buying_request.organisation,
        channel=DealChannel.OFFER,
        origin=offer,
    )
