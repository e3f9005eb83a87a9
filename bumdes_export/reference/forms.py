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
