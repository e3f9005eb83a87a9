"""Entering a deal made outside the portal: ministry staff, or a regional officer for a product
of the region (``access.may_record_outside_deal``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bumdes_export.core.forms import form_action
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors, services
from matchmaking.deals.forms import OutsideDealForm
from matchmaking.pages import int_param, signed_in


@signed_in
def deal_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not deal_access.may_record_outside_deal(user):
        raise PermissionDenied(
            _("Deals made outside the portal are entered by ministry staff and regional officers.")
        )
    products = selectors.outside_deal_products(user)
    organisations = selectors.deal_organisations()
    initial = {}
    # ``?product=`` and ``?organisation=`` preselect (from the product and organisation pages);
    # anything the user may not choose is ignored.
    product_id = int_param(request, "product")
    if product_id and products.filter(pk=product_id).exists():
        initial["product"] = product_id
    organisation_id = int_param(request, "organisation")
    if organisation_id and organisations.filter(pk=organisation_id).exists():
        initial["organisation"] = organisation_id
    form = OutsideDealForm(
        request.POST or None,
        products=products,
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and (
        opened := form_action(
            form,
            lambda data: services.open_outside_deal(
                actor=user,
                product=data["product"],
                organisation=data["organisation"],
                stage=data["stage"],
                occurred_on=data["occurred_on"],
                note=data["note"],
            ),
        )
    ):
        assert opened.value is not None
        messages.success(request, _("The deal was recorded."))
        return redirect("deals:deal_detail", pk=opened.value.pk)
    return render(
        request,
        "matchmaking/deals/deal_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
