"""The dashboard's filter and the target form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Region


def _years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 1, 2019, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years, required=False)

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
