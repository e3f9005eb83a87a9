"""Reasons a person can read, rendered from the stored numbers in the reader's language.

Nothing here is stored: a list computed yesterday reads in English for one user and in
Indonesian for the next. Each component gets one sentence, worked out from its points and the
weights it was computed with.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchmaking.matching.scoring import COMPONENTS, Weights

LABELS = {
    "fit": gettext_lazy("Product fit (HS code)"),
    "volume": gettext_lazy("Volume"),
    "certificates": gettext_lazy("Certificates"),
    "markets": gettext_lazy("Markets"),
    "logistics": gettext_lazy("Logistics"),
    "readiness": gettext_lazy("Readiness and season"),
}


def _pct(points: int, weight: int) -> int:
    """The share of a component's maximum, in whole percent (points are tenths)."""
    return round(points * 10 / weight) if weight else 0


def reason(component: str, points: int, w: Weights) -> str:
    weight = getattr(w, component)
    full = weight * 10
    pct = _pct(points, weight)
    if component == "fit":
        if points == full:
            return _("Same HS subheading as the organisation's interests.")
        if points == weight * w.fit_heading_pct * 10 // 100:
            return _("Same HS heading as the organisation's interests.")
        return _("Same HS chapter as the organisation's interests.")
    if weight == 0:
        return _("Not counted (weight 0).")
    if component == "volume":
        if points == full:
            return _("Monthly capacity covers the volume the organisation needs.")
        if points == weight * w.volume_unknown_pct * 10 // 100:
            return _("Capacity is not given in kg or litres, so the volume counts in part.")
        if points == weight * 750 // 100:
            return _("Monthly capacity covers at least half of the volume the organisation needs.")
        if points == weight * 500 // 100:
            return _(
                "Monthly capacity covers at least a quarter of the volume the organisation needs."
            )
        if points == weight * 250 // 100:
            return _(
                "Monthly capacity covers at least a tenth of the volume the organisation needs."
            )
        return _("Monthly capacity is less than a tenth of the volume the organisation needs.")
    if component == "certificates":
        if points == full:
            return _("Holds every certificate the organisation requires.")
        if points == 0:
            return _("Holds none of the certificates the organisation requires.")
        return _("Holds %(pct)s%% of the certificates the organisation requires.") % {"pct": pct}
    if component == "markets":
        if points == full:
            return _("Documents ready for all of the organisation's destination markets.")
        if points == 0:
            return _("No documents ready yet for the organisation's destination markets.")
        return _("Documents ready for %(pct)s%% of the organisation's destination markets.") % {
            "pct": pct
        }
    if component == "logistics":
        if pct >= 90:
            return _("Close to a suitable export gateway, in the organisation's preferred area.")
        if pct >= 50:
            return _(
                "Reasonably placed: %(pct)s%% of the logistics points (distance to the nearest "
                "suitable export gateway and the organisation's preferred provinces or gateways)."
            ) % {"pct": pct}
        return _(
            "Far from a suitable export gateway or outside the organisation's preferred area "
            "(%(pct)s%% of the logistics points)."
        ) % {"pct": pct}
    # readiness and season
    if pct >= 80:
        return _("Export-ready and in season in the coming months.")
    return _(
        "%(pct)s%% of the readiness points (the product's export readiness and its "
        "availability in the coming months)."
    ) % {"pct": pct}


def reasons(components: tuple[int, ...], w: Weights) -> list[str]:
    return [reason(name, points, w) for name, points in zip(COMPONENTS, components, strict=True)]


def components_view(components: tuple[int, ...], w: Weights) -> dict[str, dict]:
    """Each component's points (one decimal) and its maximum, by name."""
    return {
        name: {
            "label": str(LABELS[name]),
            "points": points / 10,
            "max": getattr(w, name),
        }
        for name, points in zip(COMPONENTS, components, strict=True)
    }
