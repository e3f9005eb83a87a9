"""Forms of the match pages: the weights, the region filters, dismissing a suggestion.

The weights form checks only the shape of each number; the rules between them (the weights add
up to 100, a chapter match earns no more than a heading match …) are the service's, whose
``ValidationError`` the view puts on the fields.
"""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from matchmaking.matching.models import MatchWeights
from matchmaking.matching.services import THRESHOLD_FIELDS, WEIGHT_FIELDS

HELP = {
    "weight_fit": _(
        "Points for the product's HS code meeting the organisation's interests: all of them for "
        "the same subheading, a share for the same heading or chapter."
    ),
    "weight_volume": _(
        "Points for a monthly capacity that covers the volume the organisation needs."
    ),
    "weight_certificates": _("Points for holding the certificates the organisation requires."),
    "weight_markets": _(
        "Points for having the documents ready for the organisation's destination markets."
    ),
    "weight_logistics": _(
        "Points for a short distance to a suitable export gateway and for lying in the "
        "organisation's preferred provinces or gateways."
    ),
    "weight_readiness": _(
        "Points for the product's export readiness and its availability in the coming months."
    ),
    "fit_heading_pct": _(
        "Share of the fit points for a product in the same HS heading (first four digits)."
    ),
    "fit_chapter_pct": _(
        "Share of the fit points for a product in the same HS chapter (first two digits); at "
        "most the heading's share."
    ),
    "volume_share_pct": _(
        "Without a minimum order, a product should supply this share of the organisation's "
        "largest monthly volume to earn all the volume points."
    ),
    "volume_unknown_pct": _(
        "Share of the volume points for a capacity that cannot be compared (pieces, boxes …)."
    ),
    "distance_full_km": _(
        "Products this close to their export gateway earn all the distance credit."
    ),
    "distance_zero_km": _(
        "From this distance on, no distance credit; in between it falls in a straight line."
    ),
    "preference_share_pct": _(
        "Share of the logistics points for the organisation's preferred provinces or gateways; "
        "the rest is for the distance."
    ),
    "season_share_pct": _(
        "Share of the readiness points for availability in the coming months; the rest is for "
        "the export-readiness score."
    ),
    "season_months": _("How many months ahead the season counts (1 to 12)."),
}


class WeightsForm(forms.Form):
    """Every weight and threshold of ``MatchWeights``, labelled as the model labels them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(
            MatchWeights, fields=WEIGHT_FIELDS + THRESHOLD_FIELDS
        ).items():
            field.label = str(field.label)[:1].upper() + str(field.label)[1:]
            field.help_text = HELP.get(name, field.help_text)
            field.required = True
            field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
            self.fields[name] = field

    def weight_fields(self):
        return [self[name] for name in WEIGHT_FIELDS]

    def threshold_fields(self):
        return [self[name] for name in THRESHOLD_FIELDS]


class RegionFilterForm(forms.Form):
    """The region list's filters from the query string; an unknown value is left out."""

    province = forms.ChoiceField(label=_("Province or regency"), required=False)
    below = forms.IntegerField(
        label=_("Only products whose best score is below"),
        required=False,
        min_value=0,
        max_value=100,
    )

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All of your area"))] + regions
        if not regions:
            del self.fields["province"]

    def value(self, name: str):
        if not self.is_bound or name not in self.fields:
            return None
        self.is_valid()  # an invalid value is left out (the page says so); valid ones apply
        value = self.cleaned_data.get(name)
        return None if value in (None, "") else value


class DismissForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    organisation = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
