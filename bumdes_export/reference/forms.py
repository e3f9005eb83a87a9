from django import forms
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import normalize_region_code


class MoveReferencesForm(forms.Form):
    """Two region codes as regions; whether the move is allowed (a retired region to a current
    one of the same level) is for ``services.move_region_references`` to say."""

    old = forms.CharField(widget=forms.HiddenInput)
    new = forms.CharField(
        label=_("Current region code"),
        help_text=_("With or without dots, e.g. 74.02 or 7402."),
    )

    def clean_old(self) -> Region:
        try:
            return Region.objects.get(code=self.cleaned_data["old"])
        except Region.DoesNotExist:
            raise forms.ValidationError(_("This is not a retired region code.")) from None

    def clean_new(self) -> Region:
        code = normalize_region_code(self.cleaned_data["new"])
        try:
            return Region.objects.get(code=code)
        except Region.DoesNotExist:
            raise forms.ValidationError(
                _("There is no current region with the code %(code)s.") % {"code": code}
            ) from None


class DesignationForm(forms.Form):
    """A newer designation of disadvantaged regencies, as a CSV file in the shipped format."""

    file = forms.FileField(
        label=_("CSV file (columns kode, nama, provinsi)"),
        help_text=_("One regency per row, as in the list shipped with the portal."),
    )
    period_start = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Until year"), min_value=2000, max_value=2100)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=80)
