"""The deal page (how it started, its stages, history, shipments and facilitation) and its forms:
record a step, record a shipment, close as lost. Only both sides of a deal, the officers of the
product's region and ministry staff open it (404 for anyone else); the forms are for those who
may record (``access.may_record``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking import access
from matchmaking.deals import access as deal_access
from matchmaking.deals import panels, selectors, services
from matchmaking.deals.badges import SERVICE_BADGES, stage_badge
from matchmaking.deals.forms import LostForm, ShipmentForm, StepForm, open_stages
from matchmaking.deals.models import STAGE_ORDER, Deal
from matchmaking.pages import product_link, signed_in


def _origin(deal: Deal) -> dict[str, str] | None:
    """The record the deal started from, with a link to its page (by URL name: this package
    imports neither forums nor dealings)."""
    if deal.meeting_id:
        meeting: Any = deal.meeting
        return {
            "label": _("Meeting at %(forum)s") % {"forum": meeting.forum.name},
            "url": reverse("forums:meeting_detail", args=[deal.meeting_id]),
        }
    if deal.inquiry_id:
        inquiry: Any = deal.inquiry
        return {
            "label": f"{inquiry.get_kind_display()}: {inquiry.subject}",
            "url": reverse("matchmaking:inquiry_detail", args=[deal.inquiry_id]),
        }
    if deal.offer_id:
        offer: Any = deal.offer
        return {
            "label": _("Offer on the buying request “%(title)s”")
            % {"title": offer.buying_request.title},
            "url": reverse("matchmaking:buying_request_detail", args=[offer.buying_request_id]),
        }
    return None


def _next_stage(deal: Deal, stages: list[tuple[str, Any]]) -> dict[str, str]:
    """The step form starts at the first open stage after the deal's current one (earlier open
    stages stay in the list, to fill in what was skipped)."""
    current = STAGE_ORDER.index(deal.stage) if deal.stage in STAGE_ORDER else -1
    later = [value for value, _label in stages if STAGE_ORDER.index(value) > current]
    return {"stage": later[0]} if later else {}


def _deal_page(
    request: HttpRequest,
    deal: Deal,
    *,
    status: int = 200,
    step_form: forms.Form | None = None,
    shipment_form: forms.Form | None = None,
    lost_form: forms.Form | None = None,
) -> HttpResponse:
    user = request.user
    steps = list(selectors.steps_of(deal))
    for step in steps:
        step.badge = stage_badge(step.stage)  # type: ignore[attr-defined]
    reached = {step.stage: step.occurred_on for step in steps}
    shipments = list(selectors.shipments_of(deal))
    service_requests = panels.service_requests_on(user, deal)
    for row in service_requests:
        row.badge = SERVICE_BADGES.get(row.status, "")
    may_record = deal_access.may_record(user, deal)
    context: dict[str, Any] = {
        "deal": deal,
        "badge": stage_badge(deal.stage),
        "side": deal_access.deal_side(user, deal),
        "product_url": product_link(user, deal.product),
        "origin": _origin(deal),
        "progress": [
            {
                "label": Deal.Stage(stage).label,
                "on": reached.get(stage),
                "current": stage == deal.stage,
            }
            for stage in STAGE_ORDER
        ],
        "steps": steps,
        "shipments": shipments,
        "totals": selectors.shipment_totals(shipments),
        "service_requests": service_requests,
        "may_record": may_record,
    }
    if may_record:
        stages = open_stages(set(reached))
        context.update(
            {
                "step_form": step_form
                or (StepForm(stages=stages, initial=_next_stage(deal, stages)) if stages else None),
                "shipment_form": shipment_form
                or ShipmentForm(product=deal.product, initial=services.shipment_defaults(deal)),
                "lost_form": lost_form or LostForm(),
                "help_url": reverse("matchmaking:service_request_create") + f"?deal={deal.pk}",
            }
        )
    return render(request, "matchmaking/deals/deal_detail.html", context, status=status)


@signed_in
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_page(request, selectors.deal_detail(request.user, pk))


def _recordable(request: HttpRequest, pk: int) -> Deal:
    """The deal, for a user who may record into it: 404 for those who may not see it, 403 with
    the reason for those who see it but may not record."""
    deal = selectors.deal_detail(request.user, pk)
    if not deal_access.may_record(request.user, deal):
        if deal.is_lost:
            raise PermissionDenied(_("This deal is closed as lost."))
        raise access.refusal(request.user, deal.organisation)
    return deal


def _after(deal: Deal, anchor: str) -> HttpResponse:
    return redirect(reverse("deals:deal_detail", args=[deal.pk]) + anchor)


@signed_in
@require_POST
def step_record(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _recordable(request, pk)
    reached = set(deal.steps.values_list("stage", flat=True))
    form = StepForm(request.POST, stages=open_stages(reached))
    if step := form_action(
        form, lambda data: services.record_step(actor=request.user, deal=deal, data=data)
    ):
        assert step.value is not None
        messages.success(
            request,
            _("Recorded: %(stage)s.") % {"stage": step.value.get_stage_display()},
        )
        return _after(deal, "#history")
    return _deal_page(request, deal, status=400, step_form=form)


@signed_in
@require_POST
def shipment_record(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _recordable(request, pk)
    form = ShipmentForm(request.POST, product=deal.product)
    if form_action(
        form, lambda data: services.record_shipment(actor=request.user, deal=deal, data=data)
    ):
        messages.success(request, _("The shipment was recorded."))
        return _after(deal, "#shipments")
    return _deal_page(request, deal, status=400, shipment_form=form)


@signed_in
@require_POST
def lost_record(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _recordable(request, pk)
    form = LostForm(request.POST)
    if form_action(
        form,
        lambda data: services.close_as_lost(
            actor=request.user,
            deal=deal,
            reason=data["reason"],
            note=data["note"],
            occurred_on=data["occurred_on"],
        ),
    ):
        messages.success(request, _("The deal was closed as lost."))
        return _after(deal, "#history")
    return _deal_page(request, deal, status=400, lost_form=form)
