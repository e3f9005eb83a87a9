"""Match pages: an organisation's recommended products, the product side's lists by region, the
ministry's gaps, weights and full rescores, and dismissing or restoring a suggestion.

Thin: reads go through ``selectors``, writes through ``services``. As on the
other matchmaking pages, anonymous visitors are sent to the login page and a page for another
role answers 403 with the reason. Dismiss and restore answer every problem with a message on the
page they came from: a stale button must never end in an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bumdes_export.accounts.access import scope_for
from bumdes_export.core.forms import form_action
from exporters.models import Organisation
from matchmaking import access
from matchmaking.dealings import selectors as matchmaking_selectors
from matchmaking.matching import access as matching_access
from matchmaking.matching import actions, runs, selectors, services, tasks
from matchmaking.matching.forms import DismissForm, RegionFilterForm, WeightsForm
from matchmaking.matching.models import MatchWeights
from matchmaking.matching.panels import decorate, tone
from matchmaking.matching.scoring import COMPONENTS
from matchmaking.pages import int_param, safe_next, signed_in
from products import access as product_access
from products.models import Product

REGION_ROWS = 200

MINISTRY_ONLY = gettext_lazy("Only ministry staff can do this.")
RECOMMENDATIONS_FOR_EXPORTERS = gettext_lazy(
    "Recommended products are for members of exporter and buyer organisations. Ministry staff "
    "can open any organisation's list."
)
REGION_FOR_PRODUCT_SIDE = gettext_lazy(
    "Match lists by region are for ministry staff, regional officers and BUMDes operators."
)


def _ministry_only(user) -> None:
    if not matching_access.may_tune_matching(user):
        raise PermissionDenied(str(MINISTRY_ONLY))


def _ministry_tabs(request: HttpRequest, current: str) -> dict:
    return {"current_tab": current, "ministry": matching_access.may_tune_matching(request.user)}


# --- The organisation's recommended products ------------------------------------------------


@signed_in
def recommendations(request: HttpRequest) -> HttpResponse:
    user = request.user
    requested = int_param(request, "organisation")
    if matching_access.picks_organisation(user):
        if requested is None:
            q = request.GET.get("q", "").strip()[:100]
            return render(
                request,
                "matchmaking/matching/recommendations_pick.html",
                {
                    "q": q,
                    "organisations": selectors.find_organisations(user, q),
                    **_ministry_tabs(request, "recommendations"),
                },
            )
        organisation = get_object_or_404(
            Organisation.objects.select_related("country"), pk=requested
        )
    elif matching_access.has_own_recommendations(user):
        organisation = access.organisation_of(user)
        if requested is not None and (organisation is None or organisation.pk != requested):
            raise Http404  # another organisation's list is not for its competitors
    else:
        raise PermissionDenied(str(RECOMMENDATIONS_FOR_EXPORTERS))
    context = {
        "organisation": organisation,
        "matched": organisation is not None and selectors.is_matched(organisation),
        "pending_message": None,
        **_ministry_tabs(request, "recommendations"),
    }
    if matching_access.has_own_recommendations(user) and access.verified_organisation(user) is None:
        # No list: a pending organisation is not scored yet, and cannot act on one anyway.
        context["pending_message"] = access.VERIFICATION_PENDING if organisation else None
        return render(request, "matchmaking/matching/recommendations.html", context)
    if not context["matched"]:
        return render(request, "matchmaking/matching/recommendations.html", context)
    show_dismissed = request.GET.get("show") == "dismissed"
    acts = access.acts_for(user, organisation)
    good = selectors.weights().good_score
    matches = [decorate(m, good) for m in selectors.organisation_matches(user, organisation)]
    dismissals = selectors.organisation_dismissals(user, organisation)
    if show_dismissed:
        scores = selectors.pair_scores((d.product_id, organisation.pk) for d in dismissals)
        for dismissal in dismissals:
            dismissal.pair = scores.get((dismissal.product_id, organisation.pk))
            dismissal.tone = tone(dismissal.pair.score if dismissal.pair else None, good)
    product_ids = [m.product.pk for m in matches]
    regencies = selectors.region_names(
        selectors.regency_code(m.product.bumdes.village_id) for m in matches
    )
    for match in matches:
        match.regency = regencies.get(selectors.regency_code(match.product.bumdes.village_id))
    context.update(
        {
            "matches": matches,
            "dismissals": dismissals,
            "show_dismissed": show_dismissed,
            "acts": acts,
            "shortlisted": matchmaking_selectors.shortlisted_product_ids(user) if acts else set(),
            "conversations": (
                selectors.active_inquiries(organisation, product_ids) if acts else {}
            ),
            "good": good,
            "next": request.get_full_path(),
        }
    )
    # Acting on a suggestion where other packages offer a way (a forum both sides take part
    # in: a meeting request), through the providers registered in ``actions``.
    openings = actions.openings(organisation, product_ids) if acts else {}
    for match in matches:
        match.shortlisted = match.product.pk in context["shortlisted"]
        match.conversation = context["conversations"].get(match.product.pk)
        match.forum_participant = openings.get(match.product.pk)
    return render(request, "matchmaking/matching/recommendations.html", context)


# --- The product side: products by region ---------------------------------------------------


@signed_in
def region(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    if not product_access.uses_registry(user):
        raise PermissionDenied(str(REGION_FOR_PRODUCT_SIDE))
    good = selectors.weights().good_score
    filters = RegionFilterForm(request.GET or None, regions=selectors.region_choices(user))
    province = filters.value("province") or ""
    below = filters.value("below")
    rows = selectors.region_products(user, province=province, below=below, limit=REGION_ROWS)
    regencies = selectors.region_names(
        selectors.regency_code(row.product.bumdes.village_id) for row in rows
    )
    for row in rows:
        row.tone = tone(row.best_score, good)
        row.regency = regencies.get(selectors.regency_code(row.product.bumdes.village_id))
    return render(
        request,
        "matchmaking/matching/region.html",
        {
            "rows": rows,
            "filters": filters,
            "province": province,
            "below": below,
            "good": good,
            "truncated": len(rows) >= REGION_ROWS,
            "row_limit": REGION_ROWS,
            "scope": scope,
            "region_name": selectors.region_names([scope.region_code or ""]).get(
                scope.region_code or ""
            ),
            "operator": access.is_operator(user),
            **_ministry_tabs(request, "region"),
        },
    )


# --- Ministry: gaps, weights, full rescores -------------------------------------------------


def _weights_summary(row: MatchWeights) -> list[dict]:
    return [
        {"label": row._meta.get_field(f"weight_{name}").verbose_name, "points": row.weights[name]}
        for name in COMPONENTS
    ]


@signed_in
def gaps(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ministry_only(user)
    rows = selectors.gaps_by_province(user)
    weights_row = selectors.current_weights_row() or MatchWeights()
    run = selectors.last_run()
    return render(
        request,
        "matchmaking/matching/gaps.html",
        {
            "gaps": rows,
            "totals": {
                "products": sum(g.products for g in rows),
                "without_good_match": sum(g.without_good_match for g in rows),
                "without_any_match": sum(g.without_any_match for g in rows),
            },
            "weights": weights_row,
            "weights_summary": _weights_summary(weights_row),
            "run": run,
            "progress": runs.progress(run) if run else None,
            "running": runs.active_run() is not None,
            "counts": selectors.matched_counts(),
            **_ministry_tabs(request, "gaps"),
        },
    )


@signed_in
@require_POST
def rescore(request: HttpRequest) -> HttpResponse:
    _ministry_only(request.user)
    already = runs.active_run()
    run = tasks.start_full_run(user=request.user)
    if already is not None and already.pk == run.pk:
        messages.info(request, _("A full rescore is already running; its progress is below."))
    else:
        messages.success(request, _("Full rescore #%(run)s started.") % {"run": run.pk})
    return redirect(reverse("matching:gaps") + "#rescore")


@signed_in
def weights(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ministry_only(user)
    current = selectors.current_weights_row()
    source = current or MatchWeights()
    initial = {name: getattr(source, name) for name in services.WEIGHT_FIELDS}
    initial |= {name: getattr(source, name) for name in services.THRESHOLD_FIELDS}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and (
        result := form_action(form, lambda data: tasks.put_weights_in_force(user, data))
    ):
        if result.value is not None and not result.value.changed:
            messages.info(request, _("Nothing changed: these weights are already in force."))
        else:
            messages.success(
                request,
                _("The new weights are in force. Every match is being rescored with them."),
            )
        return redirect(reverse("matching:gaps") + "#rescore")
    return render(
        request,
        "matchmaking/matching/weights.html",
        {
            "form": form,
            "current": current,
            "history": selectors.weights_history(user),
            **_ministry_tabs(request, "weights"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Dismissing and restoring a suggestion --------------------------------------------------


def _fallback(request: HttpRequest, product_id: int | None) -> str:
    """Where to go back to without a usable ``next``: the exporter's list, or the product."""
    if matching_access.has_own_recommendations(request.user):
        return reverse("matching:recommendations")
    if product_id:
        return reverse("products:product_detail", args=[product_id])
    return reverse("matching:region")


def _change_dismissal(request: HttpRequest, *, restore: bool) -> HttpResponse:
    form = DismissForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    target = safe_next(request, _fallback(request, data.get("product")))
    if "reason" in form.errors:
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect(target)
    product = Product.objects.select_related("bumdes").filter(pk=data.get("product") or 0).first()
    organisation = Organisation.objects.filter(pk=data.get("organisation") or 0).first()
    if product is None or organisation is None:
        messages.error(request, _("That suggestion could not be found."))
        return redirect(target)
    try:
        if restore:
            services.restore(request.user, product, organisation)
        else:
            services.dismiss(request.user, product, organisation, data.get("reason", ""))
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You cannot change this suggestion."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if restore:
            messages.success(request, _("The suggestion is shown again."))
        else:
            messages.success(
                request,
                _("Suggestion dismissed: it stays hidden for your side until you restore it."),
            )
    return redirect(target)


@signed_in
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    return _change_dismissal(request, restore=False)


@signed_in
@require_POST
def restore(request: HttpRequest) -> HttpResponse:
    return _change_dismissal(request, restore=True)
