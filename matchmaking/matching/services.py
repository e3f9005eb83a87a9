"""Writes about matches: dismissing suggestions, the weights, full rescores."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import User
from exporters.models import Organisation
from matchmaking import access
from matchmaking.matching import access as matching_access
from matchmaking.matching.models import MatchDismissal, MatchWeights
from matchmaking.matching.scoring import COMPONENTS
from products.models import Product

WEIGHT_FIELDS = [f"weight_{name}" for name in COMPONENTS]
THRESHOLD_FIELDS = [
    "fit_heading_pct",
    "fit_chapter_pct",
    "volume_share_pct",
    "volume_unknown_pct",
    "distance_full_km",
    "distance_zero_km",
    "preference_share_pct",
    "season_share_pct",
    "season_months",
    "min_score",
    "good_score",
]


def side_of(user: User, product: Product, organisation: Organisation) -> str:
    """Which side of a suggestion the user speaks for, or ``PermissionDenied``."""
    if access.acts_for(user, organisation):
        return MatchDismissal.Side.ORGANISATION
    if access.is_product_side(user, product):
        return MatchDismissal.Side.PRODUCT
    raise PermissionDenied(
        _("You can only dismiss suggestions for your own products or organisation.")
    )


def dismiss(
    user: User, product: Product, organisation: Organisation, reason: str = ""
) -> MatchDismissal:
    """Hide a suggestion from the user's side; kept until restored."""
    side = side_of(user, product, organisation)
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    try:
        with transaction.atomic():
            dismissal, _created = MatchDismissal.objects.get_or_create(
                product=product,
                organisation=organisation,
                side=side,
                defaults={"dismissed_by": user, "reason": reason.strip()},
            )
    except IntegrityError:  # a concurrent dismissal of the same pair won
        dismissal = MatchDismissal.objects.get(
            product=product, organisation=organisation, side=side
        )
    return dismissal


def restore(user: User, product: Product, organisation: Organisation) -> bool:
    """Show a dismissed suggestion again; returns whether there was one."""
    side = side_of(user, product, organisation)
    deleted, _rows = MatchDismissal.objects.filter(
        product=product, organisation=organisation, side=side
    ).delete()
    return bool(deleted)


@dataclass(frozen=True)
class WeightsUpdate:
    """The weights in force after an update: a new row (``changed``: every list must be
    rescored with them) or the current one, when nothing changed."""

    weights: MatchWeights
    changed: bool


def update_weights(user: User, values: dict[str, int]) -> WeightsUpdate:
    """Put new weights and thresholds in force (a new row). The caller starts the full rescore
    they need (``matching.tasks.put_weights_in_force``)."""
    if not matching_access.may_tune_matching(user):
        raise PermissionDenied
    current = MatchWeights.objects.order_by("-pk").first() or MatchWeights()
    row = MatchWeights(created_by=user)
    for name in WEIGHT_FIELDS + THRESHOLD_FIELDS:
        setattr(row, name, values.get(name, getattr(current, name)))
    errors: dict[str, list[str]] = {}
    if sum(getattr(row, name) for name in WEIGHT_FIELDS) != 100:
        errors["__all__"] = [_("The six weights must add up to 100 points.")]
    if row.min_score > row.good_score:
        errors["min_score"] = [
            _("The minimum worth showing cannot be above the score of a good match.")
        ]
    if row.fit_chapter_pct > row.fit_heading_pct:
        errors["fit_chapter_pct"] = [_("A chapter match cannot earn more than a heading match.")]
    if row.distance_zero_km <= row.distance_full_km:
        errors["distance_zero_km"] = [
            _("Must be further than the distance that still earns full credit.")
        ]
    for name, low, high in (
        ("fit_heading_pct", 0, 100),
        ("fit_chapter_pct", 0, 100),
        ("volume_share_pct", 1, 100),
        ("volume_unknown_pct", 0, 100),
        ("preference_share_pct", 0, 100),
        ("season_share_pct", 0, 100),
        ("season_months", 1, 12),
        ("min_score", 0, 100),
        ("good_score", 0, 100),
    ):
        if not low <= getattr(row, name) <= high:
            errors[name] = [_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    unchanged = current.pk and all(
        getattr(row, name) == getattr(current, name) for name in WEIGHT_FIELDS + THRESHOLD_FIELDS
    )
    if unchanged:
        return WeightsUpdate(current, changed=False)
    with transaction.atomic():
        row.full_clean()
        row.save()
    return WeightsUpdate(row, changed=True)
