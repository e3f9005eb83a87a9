"""Buying request pages: the list, posting and editing a request, offers and their answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors, services
from matchmaking.dealings.forms import BuyingRequestFilterForm, BuyingRequestForm, OfferForm
from matchmaking.dealings.models import BuyingRequest, Offer
from matchmaking.dealings.views.common import (
    deal_opened,
    open_deal,
    paginate,
    set_badge,
    tab_context,
)
from matchmaking.pages import product_link, signed_in


@signed_in
def buying_request_list(request: HttpRequest) -> HttpResponse:
    filters = BuyingRequestFilterForm(request.GET)
    rows = selectors.buying_request_list(
        request.user, status=filters.value("status"), q=filters.value("q").strip()
    )
    page = paginate(request, rows)
    for row in page:
        row.effective_status = selectors.effective_status(row)
        row.effective_label = BuyingRequest.Status(row.effective_status).label
        set_badge(row, row.effective_status)
    return render(
        request,
        "matchmaking/buying_request_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": access.may_act(request.user),
            **tab_context(request, "buying_requests"),
        },
    )


@signed_in
def buying_request_create(request: HttpRequest) -> HttpResponse:
    access.acting_organisation(request.user)
    form = BuyingRequestForm(request.POST or None)
    if request.method == "POST" and (
        created := form_action(
            form,
            lambda data: services.create_buying_request(
                actor=request.user, data=form.service_data()
            ),
        )
    ):
        messages.success(request, _("Your buying request is published."))
        return redirect("matchmaking:buying_request_detail", pk=created.value.pk)
    return render(
        request,
        "matchmaking/buying_request_form.html",
        {"form": form, "buying_request": None},
        status=400 if request.method == "POST" else 200,
    )


def _buying_request_or_404(user: AnyUser, pk: int) -> BuyingRequest:
    try:
        return selectors.buying_request_detail(user, pk)
    except BuyingRequest.DoesNotExist:
        raise Http404 from None


def _buying_request_page(
    request: HttpRequest,
    buying_request: BuyingRequest,
    *,
    status: int = 200,
    offer_form: OfferForm | None = None,
) -> HttpResponse:
    user = request.user
    offers = list(selectors.offers_on(user, buying_request))
    for offer in offers:
        set_badge(offer)
        offer.product_url = product_link(user, offer.product)
        if offer.status == Offer.Status.ACCEPTED:
            offer.deal = open_deal(user, offer.product, buying_request.organisation)
            offer.may_open_deal = dealings_access.may_open_deal_from_offer(user, offer)
    effective = selectors.effective_status(buying_request)
    set_badge(buying_request, effective)
    may_offer = dealings_access.may_offer(user, buying_request)
    if may_offer and offer_form is None:
        offer_form = OfferForm(
            products=selectors.offerable_products(user, buying_request),
            buying_request=buying_request,
        )
    may_change = dealings_access.may_change_buying_request(user, buying_request)
    return render(
        request,
        "matchmaking/buying_request_detail.html",
        {
            "buying_request": buying_request,
            "effective_status": effective,
            "effective_label": BuyingRequest.Status(effective).label,
            "offers": offers,
            "may_change": may_change,
            "may_decide": may_change,
            "deal_column": any(
                getattr(offer, "deal", None) or getattr(offer, "may_open_deal", False)
                for offer in offers
            ),
            "may_offer": may_offer,
            "offer_form": offer_form,
        },
        status=status,
    )


@signed_in
def buying_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _buying_request_page(request, _buying_request_or_404(request.user, pk))


def _managed_buying_request(request: HttpRequest, pk: int) -> BuyingRequest:
    """The request, when the user manages it; 403 (saying why, when the user's organisation is
    not verified) when the user may only read it; 404 when not even that."""
    buying_request = _buying_request_or_404(request.user, pk)
    if not dealings_access.may_manage_buying_request(request.user, buying_request):
        raise access.refusal(request.user, buying_request.organisation)
    return buying_request


@signed_in
def buying_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    buying_request = _managed_buying_request(request, pk)
    form = BuyingRequestForm(request.POST or None, buying_request=buying_request)
    if request.method == "POST" and form_action(
        form,
        lambda data: services.update_buying_request(
            actor=request.user, buying_request=buying_request, data=form.service_data()
        ),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("matchmaking:buying_request_detail", pk=pk)
    return render(
        request,
        "matchmaking/buying_request_form.html",
        {"form": form, "buying_request": buying_request},
        status=400 if request.method == "POST" else 200,
    )


@signed_in
@require_POST
def buying_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    buying_request = _managed_buying_request(request, pk)
    services.close_buying_request(actor=request.user, buying_request=buying_request)
    messages.success(request, _("The buying request is closed."))
    return redirect("matchmaking:buying_request_detail", pk=pk)


@signed_in
@require_POST
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    buying_request = _buying_request_or_404(request.user, pk)
    if not dealings_access.may_make_offers(request.user):
        raise PermissionDenied
    products = selectors.offerable_products(request.user, buying_request)
    form = OfferForm(request.POST, products=products, buying_request=buying_request)
    if form_action(
        form,
        lambda data: services.make_offer(
            actor=request.user,
            buying_request=buying_request,
            product=data["product"],
            data=form.service_data(),
        ),
    ):
        messages.success(request, _("Your offer was sent to the buyer."))
        return redirect("matchmaking:buying_request_detail", pk=pk)
    return _buying_request_page(request, buying_request, status=400, offer_form=form)


def _decide(request: HttpRequest, pk: int, offer_pk: int, accept: bool) -> HttpResponse:
    buying_request = _managed_buying_request(request, pk)
    offer = get_object_or_404(Offer, pk=offer_pk, buying_request=buying_request)
    try:
        offer = services.decide_offer(actor=request.user, offer=offer, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _buying_request_page(request, buying_request, status=400)
    messages.success(
        request, _("The offer is now: %(status)s.") % {"status": offer.get_status_display()}
    )
    return redirect("matchmaking:buying_request_detail", pk=pk)


@signed_in
@require_POST
def offer_accept(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    return _decide(request, pk, offer_pk, accept=True)


@signed_in
@require_POST
def offer_decline(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    return _decide(request, pk, offer_pk, accept=False)


@signed_in
@require_POST
def offer_deal(request: HttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    """Open the deal an accepted offer led to, or go to the open deal already there."""
    buying_request = _buying_request_or_404(request.user, pk)
    offer = get_object_or_404(selectors.offers_on(request.user, buying_request), pk=offer_pk)
    try:
        opening = services.open_deal_from_offer(actor=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _buying_request_page(request, buying_request, status=400)
    return deal_opened(request, opening)
