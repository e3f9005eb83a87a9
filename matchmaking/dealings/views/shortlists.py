"""The shortlist page: an organisation's export-ready products to keep an eye on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors, services
from matchmaking.dealings.forms import ShortlistForm
from matchmaking.dealings.views.common import error_messages, tab_context
from matchmaking.pages import safe_next, signed_in
from products.models import Product


def _shortlist_page(
    request: HttpRequest, *, status: int = 200, errors: list[str] | None = None
) -> HttpResponse:
    rows = list(selectors.shortlist(request.user))
    organisation = access.organisation_of(request.user)
    active = selectors.active_inquiries_by_product(organisation)
    for entry in rows:
        entry.inquiry = active.get(entry.product_id)
        entry.available = entry.product.status == Product.Status.EXPORT_READY
    return render(
        request,
        "matchmaking/shortlist.html",
        {
            "entries": rows,
            "errors": errors or [],
            "can_act": access.may_act(request.user),
            "organisation": organisation,
            **tab_context(request, "shortlist"),
        },
        status=status,
    )


def _require_shortlist_reader(request: HttpRequest) -> None:
    if not dealings_access.may_see_shortlist(request.user):
        raise PermissionDenied


@signed_in
def shortlist(request: HttpRequest) -> HttpResponse:
    _require_shortlist_reader(request)
    return _shortlist_page(request)


@signed_in
@require_POST
def shortlist_add(request: HttpRequest) -> HttpResponse:
    access.acting_organisation(request.user)
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        return _shortlist_page(request, status=400, errors=[_("Choose a product.")])
    product = get_object_or_404(Product, pk=form.cleaned_data["product"])
    if not form_action(
        form,
        lambda data: services.add_to_shortlist(
            actor=request.user, product=product, note=data["note"]
        ),
    ):
        return _shortlist_page(request, status=400, errors=error_messages(form))
    messages.success(request, _("%(product)s is on your shortlist.") % {"product": product.name_id})
    return redirect(safe_next(request, reverse("matchmaking:shortlist")))


@signed_in
@require_POST
def shortlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_shortlist_reader(request)
    entry = get_object_or_404(selectors.shortlist(request.user), pk=pk)
    services.remove_from_shortlist(actor=request.user, entry=entry)
    messages.success(request, _("Removed from your shortlist."))
    return redirect("matchmaking:shortlist")
