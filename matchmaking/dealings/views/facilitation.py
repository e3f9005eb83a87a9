"""Facilitation (service) request pages: the list, asking a partner, the request with its notes,
status changes and documents."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors, services
from matchmaking.dealings.forms import (
    ServiceNoteForm,
    ServiceRequestFilterForm,
    ServiceRequestForm,
    ServiceTransitionForm,
)
from matchmaking.dealings.models import ServiceRequest, ServiceRequestNote
from matchmaking.dealings.views.common import (
    BADGES,
    paginate,
    set_badge,
    tab_context,
)
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors as deal_selectors
from matchmaking.pages import attachment_response, int_param, product_link, signed_in

SERVICE_ACTION_LABELS = {
    ServiceRequest.Status.ACCEPTED: gettext_lazy("Accept"),
    ServiceRequest.Status.DECLINED: gettext_lazy("Decline"),
    ServiceRequest.Status.IN_PROGRESS: gettext_lazy("Start work"),
    ServiceRequest.Status.COMPLETED: gettext_lazy("Mark completed"),
    ServiceRequest.Status.CANCELLED: gettext_lazy("Cancel the request"),
}


@signed_in
def service_request_list(request: HttpRequest) -> HttpResponse:
    """The queue: requests addressed to the user's organisation (a provider's) and those the
    user's side made, with who asked, the deal and the providers' turnaround."""
    user = request.user
    filters = ServiceRequestFilterForm(request.GET)
    rows = selectors.service_request_list(
        user, status=filters.value("status"), service=filters.value("service")
    )
    page = paginate(request, rows)
    # Links to the deals the reader may open (a provider sees a deal only through the request).
    visible = set(
        deal_selectors.visible_deals(user)
        .filter(pk__in=[row.deal_id for row in page if row.deal_id])
        .values_list("pk", flat=True)
    )
    for row in page:
        set_badge(row)
        row.deal_visible = row.deal_id in visible
    organisation = access.organisation_of(user)
    return render(
        request,
        "matchmaking/service_request_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": dealings_access.may_request_services(user),
            "is_provider": organisation is not None and access.is_service_provider(organisation),
            "turnarounds": [
                (provider, selectors.turnaround(provider))
                for provider in selectors.turnaround_providers(user)
            ],
            **tab_context(request, "service_requests"),
        },
    )


@signed_in
def service_request_create(request: HttpRequest) -> HttpResponse:
    """Ask a partner for a service for ``?product=<id>``, or on ``?deal=<id>`` (preselected; the
    request is then for the deal's product)."""
    user = request.user
    if not dealings_access.may_request_services(user):
        if access.is_exporter_account(user):
            access.acting_organisation(user)  # says the organisation is not verified yet
        raise PermissionDenied
    deal_id = int_param(request, "deal")
    deal = None
    if deal_id is not None:
        deal = get_object_or_404(selectors.requestable_deals(user), pk=deal_id)
        product = deal.product
    else:
        product_id = int_param(request, "product")
        product = get_object_or_404(selectors.requestable_products(user), pk=product_id or 0)
    service = request.GET.get("service", "")
    initial: dict[str, object] = {"deal": deal} if deal else {}
    if service:
        initial["service"] = service
    form = ServiceRequestForm(
        request.POST or None,
        providers=selectors.providers(),
        deals=selectors.requestable_deals(user, product),
        initial=initial,
    )
    if request.method == "POST" and (
        requested := form_action(
            form,
            lambda data: services.request_service(
                actor=user,
                provider=data["provider"],
                service=data["service"],
                product=product,
                description=data["description"],
                shipment=data["shipment"],
                deal=data.get("deal"),
            ),
        )
    ):
        messages.success(request, _("The request was sent to the service provider."))
        return redirect("matchmaking:service_request_detail", pk=requested.value.pk)
    return render(
        request,
        "matchmaking/service_request_form.html",
        {
            "form": form,
            "product": product,
            "product_url": product_link(user, product),
            "deal": deal,
            "no_providers": not selectors.providers().exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _service_request_or_404(user: AnyUser, pk: int) -> ServiceRequest:
    try:
        return selectors.service_request_detail(user, pk)
    except ServiceRequest.DoesNotExist:
        raise Http404 from None


def _service_request_page(
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    status: int = 200,
    note_form: forms.Form | None = None,
    transition_form: forms.Form | None = None,
) -> HttpResponse:
    user = request.user
    notes = list(selectors.service_request_notes(service_request))
    for note in notes:
        if note.to_status:
            note.to_label = ServiceRequest.Status(note.to_status).label
            note.badge = BADGES.get(note.to_status, "")
    set_badge(service_request)
    return render(
        request,
        "matchmaking/service_request_detail.html",
        {
            "service_request": service_request,
            "notes": notes,
            "side": dealings_access.service_side(user, service_request),
            "may_add_note": dealings_access.may_add_service_note(user, service_request),
            "note_form": note_form or ServiceNoteForm(),
            "transition_form": transition_form or ServiceTransitionForm(),
            "actions": [
                {
                    "to": to,
                    "label": SERVICE_ACTION_LABELS[to],
                    "needs_note": to in services.SERVICE_NEEDS_REASON,
                }
                for to in dealings_access.allowed_service_statuses(user, service_request)
            ],
            "product_url": product_link(user, service_request.product),
            "deal_visible": service_request.deal is not None
            and deal_access.may_see_deal(user, service_request.deal),
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
    if form_action(
        form,
        lambda data: services.add_service_note(
            actor=request.user,
            service_request=service_request,
            body=data["body"],
            document=data["document"],
        ),
    ):
        messages.success(request, _("Note added."))
        return redirect(reverse("matchmaking:service_request_detail", args=[pk]) + "#notes")
    return _service_request_page(request, service_request, status=400, note_form=form)


@signed_in
@require_POST
def service_request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _service_request_or_404(request.user, pk)
    form = ServiceTransitionForm(request.POST)
    if moved := form_action(
        form,
        lambda data: services.transition_service_request(
            actor=request.user,
            service_request=service_request,
            to=data["to"],
            note=data["note"],
        ),
    ):
        messages.success(
            request,
            _("The request is now: %(status)s.") % {"status": moved.value.get_status_display()},
        )
        return redirect("matchmaking:service_request_detail", pk=pk)
    return _service_request_page(request, service_request, status=400, transition_form=form)


@signed_in
def service_note_document(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    service_request = _service_request_or_404(request.user, pk)
    note = get_object_or_404(ServiceRequestNote, pk=note_pk, service_request=service_request)
    return attachment_response(note.document, note.document_name)
