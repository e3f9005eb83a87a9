"""The dashboard's filter and the target form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Region
from matchmaking.oversight.shipments import Period


def _years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 1, 2019, -1)]


class YearForm(forms.Form):
    """The dashboard's filters: the target's year, and the period of the shipments shown."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years, required=False)
    shipped_from = forms.DateField(
        label=_("Shipped from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    shipped_until = forms.DateField(
        label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> Period:
        if not self.is_valid():
            return Period()
        return Period(self.cleaned_data.get("shipped_from"), self.cleaned_data.get("shipped_until"))

    def year_or_current(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class TargetForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE, retired_at__isnull=True),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years)
    export_ready_bumdes = forms.IntegerField(
        label=_("BUMDes with an export-ready product"), min_value=1, max_value=10000, initial=1
    )
