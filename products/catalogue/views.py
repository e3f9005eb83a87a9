"""Catalogue pages: the public list of export-ready products, a product's page, the contact log.

Anyone may read the list and product pages. Contact details of a BUMDes are shown to verified
exporters and ministry staff only (``access.may_see_contacts``); regional officers and BUMDes
operators see the catalogue as the public does. Each page that shows contact details records a
``ContactView``; ministry staff read them at ``/catalogue/contact-log/``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.decorators import ministry_required
from bumdes_export.accounts.models import Role
from bumdes_export.core.i18n import active_language
from bumdes_export.core.panels import render_panels
from bumdes_export.core.spreadsheets import FORMATS, download
from products.catalogue import access, exports, panels, presenters, selectors, services
from products.catalogue.models import ContactView
from products.catalogue.serializers import CatalogueParams
from products.models import Product

FILTERS = ("q", "hs_chapter", "province", "form", "certificate", "ready_for", "disadvantaged")
FILTERS += ("available_this_month", "ordering")
FACET_TITLES = {
    "hs_chapter": gettext_lazy("HS chapter"),
    "province": gettext_lazy("Province"),
    "form": gettext_lazy("Commodity form"),
    "certificate": gettext_lazy("Certificate"),
    "ready_for": gettext_lazy("Ready for"),
    "disadvantaged": gettext_lazy("Disadvantaged regency"),
    "available_this_month": gettext_lazy("Available this month"),
}
ORDERING_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "newest": gettext_lazy("Newest"),
    "capacity": gettext_lazy("Largest capacity"),
}
LOG_PAGE_SIZE = 50


def contact_note(user) -> str:
    """Why this reader does or does not see contact details (shown on the pages)."""
    scope = scope_for(user)
    if scope.is_ministry:
        return _(
            "As ministry staff you see the BUMDes' contact details. Each time they are shown it "
            "is recorded, as the Personal Data Protection Law (UU 27/2022) expects."
        )
    if scope.is_verified_exporter:
        return _(
            "Your organisation is verified, so you see the BUMDes' contact details. Each time "
            "they are shown it is recorded, as the Personal Data Protection Law (UU 27/2022) "
            "expects."
        )
    if scope.is_exporter:
        return _(
            "Contact details of BUMDes are shown to verified organisations (exporters and "
            "buyers) only. They will appear here once ministry staff have verified your "
            "organisation."
        )
    if scope.role in (Role.OFFICER, Role.OPERATOR):
        return _(
            "Regional officers and BUMDes operators see the catalogue as the public does, "
            "without contact details; those are shown to verified exporters and ministry staff "
            "only. The registry has the details of the BUMDes you work with."
        )
    return _(
        "Contact details of BUMDes are shown to verified exporters and buyers only: log in "
        "with the account of an organisation ministry staff have verified."
    )


def _params(request: HttpRequest) -> tuple[CatalogueParams, bool]:
    """The valid filters of the request; invalid ones are dropped (and the page says so)."""
    data = {k: v for k, v in request.GET.items() if k in (*FILTERS, "page") and v != ""}
    params = CatalogueParams(data=data)
    if params.is_valid():
        return params, False
    kept = {k: v for k, v in data.items() if k not in params.errors}
    params = CatalogueParams(data=kept)
    params.is_valid()
    return params, True


def _url(params: dict[str, str], **changes) -> str:
    merged = {**params, **changes}
    merged = {k: v for k, v in merged.items() if v not in (None, "")}
    return f"?{urlencode(merged)}" if merged else "?"


def _toggled(name: str, current: dict[str, str], option: dict) -> str | None:
    """The facet's value in the link of an option: the option added to (or, when chosen,
    taken from) the values chosen, for the facets that take several; else the option alone."""
    if name not in selectors.MULTI_VALUE_FACETS:
        return None if option["selected"] else option["value"]
    chosen = set(selectors.values_of(current.get(name, "")))
    chosen ^= {option["value"]}
    return ",".join(sorted(chosen)) or None


def catalogue_list(request: HttpRequest) -> HttpResponse:
    params, dropped = _params(request)
    if dropped:
        messages.warning(request, _("Some filters were not understood and were left out."))
    query = params.query()
    if (fmt := request.GET.get("export", "")) in FORMATS:
        table = exports.catalogue_table(query, presenters.Reading(active_language()))
        return download(table, "catalogue", fmt)
    current = {
        k: str(v) for k, v in params.validated_data.items() if k in FILTERS and v not in ("", None)
    }
    if current.get("ordering") == "relevance":
        current.pop("ordering")
    page = params.validated_data.get("page") or 1
    try:
        results = selectors.search(query, page=page)
    except selectors.PageOutOfRange:
        results = selectors.search(query, page=1)
        results = selectors.search(query, page=results.num_pages)
    reading = presenters.Reading(active_language())
    facets = presenters.facets_data(results.facets, query, reading)
    facet_groups = []
    active = []
    for name, options in facets.items():
        for option in options:
            option["url"] = _url(current, **{name: _toggled(name, current, option)})
            if option["selected"]:
                active.append(
                    {
                        "title": FACET_TITLES[name],
                        "label": option["label"],
                        "url": option["url"],
                    }
                )
        facet_groups.append(
            {
                "name": name,
                "title": FACET_TITLES[name],
                "options": options,
                "several": name in selectors.MULTI_VALUE_FACETS,
            }
        )
    context = {
        "query": query,
        "results": results,
        "items": [presenters.entry_data(e, reading) for e in results.entries],
        "facet_groups": facet_groups,
        "active_filters": active,
        "hidden_filters": [(k, v) for k, v in current.items() if k not in ("q", "ordering")],
        "orderings": list(ORDERING_LABELS.items()),
        "clear_url": _url({"q": current.get("q", "")}),
        "previous_url": _url(current, page=results.page - 1) if results.has_previous else "",
        "next_url": _url(current, page=results.page + 1) if results.has_next else "",
        "contact_note": contact_note(request.user),
        "can_read_contact_log": access.can_read_contact_log(request.user),
    }
    return render(request, "catalogue/list.html", context)


def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product = selectors.listed_product(pk)
    except Product.DoesNotExist:
        raise Http404 from None
    contacts = None
    if access.may_see_contacts(request.user):
        contacts = selectors.contact_details(product)
        if contacts:
            services.record_contact_view(
                viewer=request.user,
                product=product,
                fields=sorted(contacts),
                via=ContactView.Via.PAGE,
            )
    reading = presenters.Reading(active_language())
    data = presenters.product_data(product, reading, contacts=contacts)
    months = set(data["available_months"])
    context = {
        "item": data,
        "months": [{"name": MONTHS_3[m], "on": m in months} for m in range(1, 13)],
        "places": [data[level] for level in ("village", "district", "regency", "province")],
        "contact_note": contact_note(request.user),
        "panels": render_panels(panels.CATALOGUE_PAGE_PANELS, request, product),
    }
    return render(request, "catalogue/detail.html", context)


@ministry_required
def contact_log(request: HttpRequest) -> HttpResponse:
    viewer = request.GET.get("viewer", "").strip()[:150]
    product = request.GET.get("product", "").strip()
    product_id = int(product) if product.isdigit() and len(product) <= 18 else None
    rows = selectors.contact_log(viewer=viewer, product=product_id)
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(ContactView.Via.choices)
    field_labels = {
        "manager_name": _("contact person"),
        "contact_phone": _("phone"),
        "contact_whatsapp": _("WhatsApp"),
        "contact_email": _("email"),
        "address": _("street address"),
    }
    for row in page:
        row.via_label = labels.get(row.via, row.via)
        row.field_labels = [str(field_labels.get(f, f)) for f in row.fields]
    return render(
        request,
        "catalogue/contact_log.html",
        {"page": page, "viewer": viewer, "product": product},
    )
