"""Inquiry pages: the inbox, starting a conversation, the thread, replies and status changes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
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
    InquiryFilterForm,
    InquiryForm,
    InquiryStatusForm,
    MessageForm,
)
from matchmaking.dealings.models import Inquiry, InquiryMessage
from matchmaking.dealings.views.common import (
    deal_opened,
    error_messages,
    open_deal,
    paginate,
    set_badge,
    tab_context,
)
from matchmaking.deals import selectors as deal_selectors
from matchmaking.pages import attachment_response, int_param, product_link, signed_in
from products.models import Product

INQUIRY_ACTION_LABELS = {
    Inquiry.Status.SAMPLE_SENT: gettext_lazy("Mark the sample as sent"),
    Inquiry.Status.CLOSED: gettext_lazy("Close the conversation"),
}


@signed_in
def inbox(request: HttpRequest) -> HttpResponse:
    filters = InquiryFilterForm(request.GET)
    rows = selectors.inquiry_list(
        request.user,
        status=filters.value("status"),
        kind=filters.value("kind"),
        q=filters.value("q").strip(),
    )
    page = paginate(request, rows)
    for inquiry in page:
        set_badge(inquiry)
    return render(
        request,
        "matchmaking/inbox.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.inquiry_counts(request.user),
            **tab_context(request, "inbox"),
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
    if request.method == "POST" and (
        started := form_action(
            form,
            lambda data: services.start_inquiry(
                actor=request.user,
                product=product,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                attachment=data["attachment"],
            ),
        )
    ):
        messages.success(request, _("Your message was sent to the product's side."))
        return redirect("matchmaking:inquiry_detail", pk=started.value.pk)
    return render(
        request,
        "matchmaking/inquiry_form.html",
        {"form": form, "product": product, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


def _inquiry_or_404(user: AnyUser, pk: int) -> Inquiry:
    try:
        return selectors.inquiry_detail(user, pk)
    except Inquiry.DoesNotExist:
        raise Http404 from None


def _inquiry_page(
    request: HttpRequest,
    inquiry: Inquiry,
    *,
    status: int = 200,
    form: forms.Form | None = None,
) -> HttpResponse:
    user = request.user
    thread = list(selectors.inquiry_messages(inquiry))
    set_badge(inquiry)
    context = {
        "inquiry": inquiry,
        "thread": thread,
        "side": dealings_access.inquiry_side(user, inquiry),
        "can_reply": dealings_access.may_post_message(user, inquiry),
        "form": form or MessageForm(),
        "actions": [
            {"to": to, "label": INQUIRY_ACTION_LABELS[to]}
            for to in dealings_access.allowed_inquiry_statuses(user, inquiry)
        ],
        "product_url": product_link(user, inquiry.product),
        "pending": access.is_pending_exporter(user),
        "deal": open_deal(user, inquiry.product, inquiry.organisation),
        "lost_deals": deal_selectors.lost_deals_of(user, inquiry.product, inquiry.organisation),
        "may_open_deal": dealings_access.may_open_deal_from_inquiry(user, inquiry),
        "may_request_service": dealings_access.may_request_service(user, inquiry.product),
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
    if form_action(
        form,
        lambda data: services.post_message(
            actor=request.user,
            inquiry=inquiry,
            body=data["body"],
            attachment=data["attachment"],
        ),
    ):
        messages.success(request, _("Message sent."))
        return redirect(reverse("matchmaking:inquiry_detail", args=[pk]) + "#latest")
    return _inquiry_page(request, inquiry, status=400, form=form)


@signed_in
@require_POST
def inquiry_status(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request.user, pk)
    form = InquiryStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return _inquiry_page(request, inquiry, status=400)
    changed = form_action(
        form,
        lambda data: services.set_inquiry_status(
            actor=request.user, inquiry=inquiry, to=data["to"]
        ),
    )
    if not changed:
        messages.error(request, " ".join(error_messages(form)))
        return _inquiry_page(request, inquiry, status=400)
    messages.success(
        request,
        _("The conversation is now: %(status)s.") % {"status": changed.value.get_status_display()},
    )
    return redirect("matchmaking:inquiry_detail", pk=pk)


@signed_in
def inquiry_attachment(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request.user, pk)
    message = get_object_or_404(InquiryMessage, pk=message_pk, inquiry=inquiry)
    return attachment_response(message.attachment, message.attachment_name)


@signed_in
@require_POST
def inquiry_deal(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the deal this conversation led to, or go to the open deal already there."""
    inquiry = _inquiry_or_404(request.user, pk)
    opening = services.open_deal_from_inquiry(actor=request.user, inquiry=inquiry)
    return deal_opened(request, opening)
