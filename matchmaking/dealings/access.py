"""Who may do what with one dealing: a shortlist entry, an inquiry, a buying request and its
offers, a facilitation (service) request, and opening a deal from an inquiry or an offer.

Party-level decisions (who acts for which organisation, who is on a product's side) live in
``matchmaking.access``; who may see and record into a deal in ``matchmaking.deals.access``; which
rows a user may read lives in ``matchmaking.dealings.selectors``. Services, views, the API,
serializers, panels and templates all ask these functions.
"""

from __future__ import annotations

from bumdes_export.accounts.access import is_ministry, scope_for
from exporters.models import Organisation
from matchmaking import access
from matchmaking.access import AnyUser, Viewer
from matchmaking.dealings import selectors
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from matchmaking.deals import access as deal_access
from matchmaking.deals.models import Deal
from products import access as product_access
from products.models import Product

#: The two sides of a service request.
PROVIDER = "provider"
REQUESTER = "requester"

_Status = ServiceRequest.Status
#: (from, to): who moves a service request, the ``provider`` or the ``requester`` side.
SERVICE_TRANSITIONS: dict[tuple[str, str], str] = {
    (_Status.REQUESTED, _Status.ACCEPTED): PROVIDER,
    (_Status.REQUESTED, _Status.DECLINED): PROVIDER,
    (_Status.ACCEPTED, _Status.IN_PROGRESS): PROVIDER,
    (_Status.ACCEPTED, _Status.COMPLETED): PROVIDER,
    (_Status.IN_PROGRESS, _Status.COMPLETED): PROVIDER,
    (_Status.REQUESTED, _Status.CANCELLED): REQUESTER,
    (_Status.ACCEPTED, _Status.CANCELLED): REQUESTER,
    (_Status.IN_PROGRESS, _Status.CANCELLED): REQUESTER,
}


# --- Shortlist -------------------------------------------------------------------------------


def has_dealings_to_follow(user: AnyUser) -> bool:
    """Officers, operators and organisation accounts follow their inquiries and requests from
    the home page (ministry staff start from curation instead)."""
    scope = scope_for(user)
    return scope.authenticated and not scope.is_ministry


def may_see_shortlist(user: AnyUser) -> bool:
    """Exporter accounts, verified or not, read their organisation's shortlist."""
    return access.is_exporter_account(user)


def may_remove_from_shortlist(user: AnyUser, entry: ShortlistEntry) -> bool:
    """Any member of the organisation whose shortlist it is."""
    return access.is_member(user, entry.organisation)


# --- Inquiries -------------------------------------------------------------------------------


def inquiry_side(user: AnyUser, inquiry: Inquiry, viewer: Viewer | None = None) -> str | None:
    """``exporter`` or ``product`` when the user may write in this conversation, else None."""
    viewer = viewer or Viewer(user)
    if viewer.acts_for(inquiry.organisation):
        return InquiryMessage.Side.EXPORTER
    if viewer.is_product_side(inquiry.product):
        return InquiryMessage.Side.PRODUCT
    return None


def may_post_message(user: AnyUser, inquiry: Inquiry, viewer: Viewer | None = None) -> bool:
    """Either side writes while the conversation is not closed."""
    return inquiry_side(user, inquiry, viewer) is not None and not inquiry.is_closed


def allowed_inquiry_statuses(
    user: AnyUser, inquiry: Inquiry, viewer: Viewer | None = None
) -> list[str]:
    """The statuses this user may set on the inquiry now: the product side marks a sample
    request's sample as sent; either side closes an open conversation."""
    side = inquiry_side(user, inquiry, viewer)
    if side is None or inquiry.is_closed:
        return []
    targets: list[str] = []
    if (
        side == InquiryMessage.Side.PRODUCT
        and inquiry.kind == Inquiry.Kind.SAMPLE_REQUEST
        and inquiry.status in (Inquiry.Status.OPEN, Inquiry.Status.ANSWERED)
    ):
        targets.append(Inquiry.Status.SAMPLE_SENT)
    targets.append(Inquiry.Status.CLOSED)
    return targets


# --- Buying requests and offers --------------------------------------------------------------


def may_manage_buying_request(user: AnyUser, buying_request: BuyingRequest) -> bool:
    """The verified members of the posting organisation edit and close the request and decide
    on its offers."""
    return access.acts_for(user, buying_request.organisation)


def may_change_buying_request(user: AnyUser, buying_request: BuyingRequest) -> bool:
    """Whether the page offers editing, closing and deciding on offers: to the request's managers
    while it is not closed."""
    return (
        may_manage_buying_request(user, buying_request)
        and buying_request.status != BuyingRequest.Status.CLOSED
    )


def may_make_offers(user: AnyUser) -> bool:
    """Roles that answer buying requests with their side's products (officers, operators,
    ministry staff)."""
    return product_access.uses_registry(user)


def may_offer(user: AnyUser, buying_request: BuyingRequest) -> bool:
    """An offer on this request is possible now: the request takes offers and the user's side
    has a product that may answer it."""
    return (
        may_make_offers(user)
        and selectors.effective_status(buying_request) == BuyingRequest.Status.OPEN
        and selectors.offerable_products(user, buying_request).exists()
    )


# --- Deals opened from a dealing ------------------------------------------------------------


def may_open_deal_from_inquiry(
    user: AnyUser, inquiry: Inquiry, viewer: Viewer | None = None
) -> bool:
    """Either side of the conversation that may act on it (``inquiry_side``: a member of the
    verified organisation, or the product's side) opens the deal it led to, even once the
    conversation is closed (talks often move on elsewhere before a deal is agreed)."""
    return inquiry_side(user, inquiry, viewer) is not None


def offer_side(user: AnyUser, offer: Offer, viewer: Viewer | None = None) -> str | None:
    """``organisation`` (a member of the verified organisation that posted the buying request)
    or ``product`` (the side of the offered product) when the user may act on the offer."""
    viewer = viewer or Viewer(user)
    if viewer.acts_for(offer.buying_request.organisation):
        return deal_access.ORGANISATION_SIDE
    if viewer.is_product_side(offer.product):
        return deal_access.PRODUCT_SIDE
    return None


def may_open_deal_from_offer(user: AnyUser, offer: Offer, viewer: Viewer | None = None) -> bool:
    """Either side of an *accepted* offer opens the deal it led to."""
    return offer.status == Offer.Status.ACCEPTED and offer_side(user, offer, viewer) is not None


# --- Facilitation (service) requests ---------------------------------------------------------


def may_request_services(user: AnyUser) -> bool:
    """Who asks partners for facilitation at all: the product's side (officers, operators,
    ministry staff) for products on their side, and members of a verified organisation for
    products their organisation sources and for its deals."""
    return product_access.uses_registry(user) or access.may_act(user)


def may_request_service(user: AnyUser, product: Product, deal: Deal | None = None) -> bool:
    """May this user ask for a service for ``product`` (on ``deal``, a deal of that product)?

    On a deal: whoever may record into it (``matchmaking.deals.access.may_record``: its product's
    side, or a member of its verified organisation; a lost deal takes no requests). Otherwise: the
    product's side, or a member of a verified organisation that sources the product
    (``selectors.sources``)."""
    if deal is not None:
        return deal.product_id == product.pk and deal_access.may_record(user, deal)
    if product_access.uses_registry(user):
        return access.is_product_side(user, product)
    organisation = access.verified_organisation(user)
    return organisation is not None and selectors.sources(organisation, product)


def requesting_organisation(user: AnyUser) -> Organisation | None:
    """The organisation a service request is asked for: the asker's verified organisation, or
    None when the product's side asks (officers, operators and ministry staff belong to none)."""
    if product_access.uses_registry(user):
        return None
    return access.verified_organisation(user)


def _acts_for_id(viewer: Viewer, organisation_id: int | None) -> bool:
    return viewer.organisation is not None and viewer.organisation.pk == organisation_id


def service_side(
    user: AnyUser, service_request: ServiceRequest, viewer: Viewer | None = None
) -> str | None:
    """``provider`` or ``requester`` when the user may act on the request, else None.

    The provider's verified members act as the provider. The requesting side is the verified
    organisation that asked, or, when the product's side asked, that side (ministry staff, the
    officers covering the product, its operators). Ministry staff read every request
    (``selectors.service_requests_q``) but act only on the product side's."""
    viewer = viewer or Viewer(user)
    if _acts_for_id(viewer, service_request.provider_id):
        return PROVIDER
    if service_request.requesting_organisation_id is not None:
        return (
            REQUESTER if _acts_for_id(viewer, service_request.requesting_organisation_id) else None
        )
    if viewer.is_product_side(service_request.product):
        return REQUESTER
    return None


def may_add_service_note(user: AnyUser, service_request: ServiceRequest) -> bool:
    """Either side adds notes and documents, whatever the status."""
    return service_side(user, service_request) is not None


def allowed_service_statuses(
    user: AnyUser, service_request: ServiceRequest, viewer: Viewer | None = None
) -> list[str]:
    """The statuses this user may move the request to now (``SERVICE_TRANSITIONS``)."""
    side = service_side(user, service_request, viewer)
    if side is None:
        return []
    return [
        target
        for (source, target), who in SERVICE_TRANSITIONS.items()
        if source == service_request.status and who == side
    ]


# --- Panels ----------------------------------------------------------------------------------


def may_see_organisation_dealings(user: AnyUser, organisation: Organisation) -> bool:
    """An organisation's shortlist, inquiries and requests (its page's panel): its members and
    ministry staff."""
    return is_ministry(user) or access.is_member(user, organisation)
