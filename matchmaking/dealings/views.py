"""Matchmaking pages: inbox and inquiry threads, shortlist, buying requests and offers, service
requests.

Thin: every read goes through ``matchmaking.dealings.selectors`` (a record outside the reader's scope
answers 404), every write through ``matchmaking.dealings.services``, whose ``ValidationError`` messages
are shown on the form fields (the page answers 400) and whose ``PermissionDenied`` answers 403 —
with its message, when it has one (for instance: the organisation is not verified yet).
Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bumdes_export.accounts.access import scope_for
from bumdes_export.core.forms import apply_errors
from matchmaking import access
from matchmaking.dealings import selectors, services
from matchmaking.dealings.forms import (
    BuyingRequestFilterForm,
    BuyingRequestForm,
    InquiryFilterForm,
    InquiryForm,
    InquiryStatusForm,
    MessageForm,
    OfferForm,
    ServiceNoteForm,
    ServiceRequestFilterForm,
    ServiceRequestForm,
    ServiceTransitionForm,
    ShortlistForm,
)
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
)
from matchmaking.pages import attachment_response, int_param, safe_next, signed_in
from products.models import Product

PAGE_SIZE = 25

BADGES = {
    # inquiries
    "open": "warn",
    "answered": "ok",
    "sample_sent": "ok",
    "closed": "",
    # buying requests
    "expired": "",
    # offers
    "submitted": "warn",
    "accepted": "ok strong",
    "declined": "danger",
    # service requests
    "requested": "warn",
    "in_progress": "ok",
    "completed": "ok strong",
    "cancelled": "",
}
INQUIRY_ACTION_LABELS = {
    Inquiry.Status.SAMPLE_SENT: gettext_lazy("Mark the sample as sent"),
    Inquiry.Status.CLOSED: gettext_lazy("Close the conversation"),
}
SERVICE_ACTION_LABELS = {
    ServiceRequest.Status.ACCEPTED: gettext_lazy("Accept"),
    ServiceRequest.Status.DECLINED: gettext_lazy("Decline"),
    ServiceRequest.Status.IN_PROGRESS: gettext_lazy("Start work"),
    ServiceRequest.Status.COMPLETED: gettext_lazy("Mark completed"),
    ServiceRequest.Status.CANCELLED: gettext_lazy("Cancel the request"),
}


# --- Helpers ---------------------------------------------------------------------------------


def _page(request: HttpRequest, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _badge(obj, status: str | None = None) -> None:
    obj.badge = BADGES.get(status or obj.status, "")


def _tabs(request: HttpRequest, current: str) -> dict:
    return {
        "current_tab": current,
        "is_exporter": scope_for(request.user).is_exporter,
        "pending": access.is_pending_exporter(request.user),
    }


def product_link(user, product: Product) -> str:
    """The registry page for the product side, the catalogue entry for everyone else."""
    if access.is_on_product_side_role(user) and access.is_product_side(user, product):
        return reverse("products:product_detail", args=[product.pk])
    return f"/catalogue/{product.pk}/"


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    return redirect("matchmaking:inbox")


# --- Inquiries -------------------------------------------------------------------------------


@signed_in
def inbox(request: HttpRequest) -> HttpResponse:
    filters = InquiryFilterForm(request.GET)
    rows = selectors.inquiry_list(
        request.user,
        status=filters.value("status"),
        kind=filters.value("kind"),
        q=filters.value("q").strip(),
    )
    page = _page(request, rows)
    for inquiry in page:
        _badge(inquiry)
    return render(
        request,
        "matchmaking/inbox.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.inquiry_counts(request.user),
            **_tabs(request, "inbox"),
        },
    )


@signed_in
def inquiry_new(request: HttpRequest) -> HttpResponse:
    organisation = access.acting_organisation(request.user)
    product_id = int_param(request, "product")
    product = get_object_or_404(
        Product.objects.select_related("bumdes__village", "hs_code"),
        pk=product_id or 0,
        status=Product.Status.EXPORT_READY,
    )
    kind = request.GET.get("kind", "")
    initial = {"kind": kind if kind in Inquiry.Kind.values else Inquiry.Kind.INQUIRY}
    if request.method == "GET":
        active = selectors.active_inquiry(organisation, product, initial["kind"])
        if active is not None:
            messages.info(request, _("Your organisation already talks about this product here."))
            return redirect("matchmaking:inquiry_detail", pk=active.pk)
    form = InquiryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.start_inquiry(
                actor=request.user,
                product=product,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your message was sent to the product's side."))
            return redirect("matchmaking:inquiry_detail", pk=inquiry.pk)
    return render(
        request,
        "matchmaking/inquiry_form.html",
        {"form": form, "product": product, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


def _inquiry_or_404(user, pk: int) -> Inquiry:
    try:
        return selectors.inquiry_detail(user, pk)
    except Inquiry.DoesNotExist:
        raise Http404 from None


def _inquiry_page(request: HttpRequest, inquiry: Inquiry, *, status: int = 200, form=None):
    user = request.user
    side = services.inquiry_side(user, inquiry)
    thread = list(selectors.inquiry_messages(inquiry))
    _badge(inquiry)
    context = {
        "inquiry": inquiry,
        "thread": thread,
        "side": side,
        "can_reply": side is not None and not inquiry.is_closed,
        "form": form or MessageForm(),
        "actions": [
            {"to": to, "label": INQUIRY_ACTION_LABELS[to]}
            for to in services.inquiry_transitions(user, inquiry)
        ],
        "product_url": product_link(user, inquiry.product),
        "pending": access.is_pending_exporter(user),
    }
    return render(request, "matchmaking/inquiry_detail.html", context, status=status)


@signed_in
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _inquiry_page(request, _inquiry_or_404(request.user, pk))


@signed_in
@require_POST
def inquiry_reply(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_message(
                actor=request.user,
                inquiry=inquiry,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(reverse("matchmaking:inquiry_detail", args=[pk]) + "#latest")
    return _inquiry_page(request, inquiry, status=400, form=form)


@signed_in
@require_POST
def inquiry_status(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request.user, pk)
    form = InquiryStatusForm(request.POST)
    if form.is_valid():
        try:
            inquiry = services.set_inquiry_status(
                actor=request.user, inquiry=inquiry, to=form.cleaned_data["to"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _inquiry_page(request, inquiry, status=400)
        messages.success(
            request,
            _("The conversation is now: %(status)s.") % {"status": inquiry.get_status_display()},
        )
        return redirect("matchmaking:inquiry_detail", pk=pk)
    messages.error(request, _("Choose a valid status."))
    return _inquiry_page(request, inquiry, status=400)


@signed_in
def inquiry_attachment(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request.user, pk)
    message = get_object_or_404(InquiryMessage, pk=message_pk, inquiry=inquiry)
    return attachment_response(message.attachment, message.attachment_name)


# --- Shortlist -------------------------------------------------------------------------------


def _shortlist_page(request: HttpRequest, *, status: int = 200, errors=None) -> HttpResponse:
    rows = list(selectors.shortlist(request.user))
    organisation = access.organisation_of(request.user)
    active = {}
    if organisation is not None:
        for inquiry in Inquiry.objects.filter(organisation=organisation).exclude(
            status=Inquiry.Status.CLOSED
        ):
            active.setdefault(inquiry.product_id, inquiry)
    for entry in rows:
        entry.inquiry = active.get(entry.product_id)
        entry.available = entry.product.status == Product.Status.EXPORT_READY
    return render(
        request,
        "matchmaking/shortlist.html",
        {
            "entries": rows,
            "errors": errors or [],
            "can_act": access.verified_organisation(request.user) is not None,
            "organisation": organisation,
            **_tabs(request, "shortlist"),
        },
        status=status,
    )


def _exporters_only(user) -> None:
    if not scope_for(user).is_exporter:
        raise PermissionDenied


@signed_in
def shortlist(request: HttpRequest) -> HttpResponse:
    _exporters_only(request.user)
    return _shortlist_page(request)


@signed_in
@require_POST
def shortlist_add(request: HttpRequest) -> HttpResponse:
    access.acting_organisation(request.user)
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        return _shortlist_page(request, status=400, errors=[_("Choose a product.")])
    product = get_object_or_404(Product, pk=form.cleaned_data["product"])
    try:
        services.add_to_shortlist(
            actor=request.user, product=product, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        return _shortlist_page(request, status=400, errors=error.messages)
    messages.success(request, _("%(product)s is on your shortlist.") % {"product": product.name_id})
    return redirect(safe_next(request, reverse("matchmaking:shortlist")))


@signed_in
@require_POST
def shortlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _exporters_only(request.user)
    entry = get_object_or_404(selectors.shortlist(request.user), pk=pk)
    services.remove_from_shortlist(actor=request.user, entry=entry)
    messages.success(request, _("Removed from your shortlist."))
    return redirect("matchmaking:shortlist")


# --- Buying requests -------------------------------------------------------------------------


@signed_in
def buying_request_list(request: HttpRequest) -> HttpResponse:
    filters = BuyingRequestFilterForm(request.GET)
    rows = selectors.buying_request_list(
        request.user, status=filters.value("status"), q=filters.value("q").strip()
    )
    page = _page(request, rows)
    for row in page:
        row.effective_status = selectors.effective_status(row)
        row.effective_label = BuyingRequest.Status(row.effective_status).label
        _badge(row, row.effective_status)
    return render(
        request,
        "matchmaking/buying_request_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": access.verified_organisation(request.user) is not None,
            **_tabs(request, "buying_requests"),
        },
    )


@signed_in
def buying_request_create(request: HttpRequest) -> HttpResponse:
    access.acting_organisation(request.user)
    form = BuyingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            buying_request = services.create_buying_request(
                actor=request.user, data=form.service_data()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your buying request is published."))
            return redirect("matchmaking:buying_request_detail", pk=buying_request.pk)
    return render(
        request,
        "matchmaking/buying_request_form.html",
        {"form": form, "buying_request": None},
        status=400 if request.method == "POST" else 200,
    )


def _buying_request_or_404(user, pk: int) -> BuyingRequest:
    try:
        return selectors.buying_request_detail(user, pk)
    except BuyingRequest.DoesNotExist:
        raise Http404 from None


def _buying_request_page(
    request: HttpRequest, buying_request: BuyingRequest, *, status: int = 200, offer_form=None
):
    user = request.user
    offers = list(selectors.offers_on(user, buying_request))
    for offer in offers:
        _badge(offer)
        offer.product_url = product_link(user, offer.product)
    owner = access.acts_for(user, buying_request.organisation)
    effective = selectors.effective_status(buying_request)
    _badge(buying_request, effective)
    may_offer = services.may_offer(user, buying_request)
    if may_offer and offer_form is None:
        offer_form = OfferForm(
            products=selectors.offerable_products(user, buying_request),
            buying_request=buying_request,
        )
    return render(
        request,
        "matchmaking/buying_request_detail.html",
        {
            "buying_request": buying_request,
            "effective_status": effective,
            "effective_label": BuyingRequest.Status(effective).label,
            "offers": offers,
            "is_owner": owner,
            "may_decide": owner and buying_request.status != BuyingRequest.Status.CLOSED,
            "may_offer": may_offer,
            "offer_form": offer_form,
        },
        status=status,
    )


@signed_in
def buying_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _buying_request_page(request, _buying_request_or_404(request.user, pk))


def _owned_buying_request(request: HttpRequest, pk: int) -> BuyingRequest:
    buying_request = _buying_request_or_404(request.user, pk)
    if not access.acts_for(request.user, buying_request.organisation):
        if access.is_member(request.user, buying_request.organisation):
            access.acting_organisation(request.user)  # says why: not verified
        raise PermissionDenied
    return buying_request


@signed_in
def buying_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    buying_request = _owned_buying_request(request, pk)
    form = BuyingRequestForm(request.POST or None, buying_request=buying_request)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_buying_request(
                actor=request.user, buying_request=buying_request, data=form.service_data()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
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
    buying_request = _owned_buying_request(request, pk)
    services.close_buying_request(actor=request.user, buying_request=buying_request)
    messages.success(request, _("The buying request is closed."))
    return redirect("matchmaking:buying_request_detail", pk=pk)


@signed_in
@require_POST
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    buying_request = _buying_request_or_404(request.user, pk)
    if not access.is_on_product_side_role(request.user):
        raise PermissionDenied
    products = selectors.offerable_products(request.user, buying_request)
    form = OfferForm(request.POST, products=products, buying_request=buying_request)
    if form.is_valid():
        try:
            services.make_offer(
                actor=request.user,
                buying_request=buying_request,
                product=form.cleaned_data["product"],
                data=form.service_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your offer was sent to the buyer."))
            return redirect("matchmaking:buying_request_detail", pk=pk)
    return _buying_request_page(request, buying_request, status=400, offer_form=form)


def _decide(request: HttpRequest, pk: int, offer_pk: int, accept: bool) -> HttpResponse:
    buying_request = _owned_buying_request(request, pk)
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


# --- Service requests ------------------------------------------------------------------------


@signed_in
def service_request_list(request: HttpRequest) -> HttpResponse:
    filters = ServiceRequestFilterForm(request.GET)
    rows = selectors.service_request_list(
        request.user, status=filters.value("status"), service=filters.value("service")
    )
    page = _page(request, rows)
    for row in page:
        _badge(row)
    return render(
        request,
        "matchmaking/service_request_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": access.is_on_product_side_role(request.user),
            **_tabs(request, "service_requests"),
        },
    )


def _requestable_products(user):
    """The products a user may ask a service for: those on the user's side."""
    return Product.objects.filter(access.product_side_q(user, prefix="")).select_related(
        "bumdes__village"
    )


@signed_in
def service_request_create(request: HttpRequest) -> HttpResponse:
    if not access.is_on_product_side_role(request.user):
        raise PermissionDenied
    product_id = int_param(request, "product")
    product = get_object_or_404(_requestable_products(request.user), pk=product_id or 0)
    service = request.GET.get("service", "")
    form = ServiceRequestForm(
        request.POST or None,
        providers=selectors.providers(),
        initial={"service": service} if service else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = services.request_service(
                actor=request.user,
                provider=form.cleaned_data["provider"],
                service=form.cleaned_data["service"],
                product=product,
                description=form.cleaned_data["description"],
                shipment=form.cleaned_data["shipment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request was sent to the service provider."))
            return redirect("matchmaking:service_request_detail", pk=service_request.pk)
    return render(
        request,
        "matchmaking/service_request_form.html",
        {
            "form": form,
            "product": product,
            "no_providers": not selectors.providers().exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _service_request_or_404(user, pk: int) -> ServiceRequest:
    try:
        return selectors.service_request_detail(user, pk)
    except ServiceRequest.DoesNotExist:
        raise Http404 from None


def _service_request_page(
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    status: int = 200,
    note_form=None,
    transition_form=None,
):
    user = request.user
    notes = list(selectors.service_request_notes(service_request))
    for note in notes:
        if note.to_status:
            note.to_label = ServiceRequest.Status(note.to_status).label
            note.badge = BADGES.get(note.to_status, "")
    _badge(service_request)
    side = services.service_side(user, service_request)
    return render(
        request,
        "matchmaking/service_request_detail.html",
        {
            "service_request": service_request,
            "notes": notes,
            "side": side,
            "note_form": note_form or ServiceNoteForm(),
            "transition_form": transition_form or ServiceTransitionForm(),
            "actions": [
                {
                    "to": to,
                    "label": SERVICE_ACTION_LABELS[to],
                    "needs_note": to in services.SERVICE_NEEDS_REASON,
                }
                for to in services.service_transitions(user, service_request)
            ],
            "product_url": product_link(user, service_request.product),
        },
        status=status,
    )


@signed_in
def service_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _service_request_page(request, _service_request_or_404(request.user, pk))


@signed_in
@require_POST
def service_request_note(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _service_request_or_404(request.user, pk)
    form = ServiceNoteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_service_note(
                actor=request.user,
                service_request=service_request,
                body=form.cleaned_data["body"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect(reverse("matchmaking:service_request_detail", args=[pk]) + "#notes")
    return _service_request_page(request, service_request, status=400, note_form=form)


@signed_in
@require_POST
def service_request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _service_request_or_404(request.user, pk)
    form = ServiceTransitionForm(request.POST)
    if form.is_valid():
        try:
            service_request = services.transition_service_request(
                actor=request.user,
                service_request=service_request,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The request is now: %(status)s.")
                % {"status": service_request.get_status_display()},
            )
            return redirect("matchmaking:service_request_detail", pk=pk)
    return _service_request_page(request, service_request, status=400, transition_form=form)


@signed_in
def service_note_document(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    service_request = _service_request_or_404(request.user, pk)
    note = get_object_or_404(ServiceRequestNote, pk=note_pk, service_request=service_request)
    return attachment_response(note.document, note.document_name)
