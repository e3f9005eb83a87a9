from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from products.access import AnyUser
from products.imports.access import can_import_everywhere
from products.imports.selectors import region_choices


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma or semicolon separated, UTF-8) or XLSX, in the template's columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    region = forms.ChoiceField(
        label=_("Limit to region"),
        required=False,
        help_text=_("Rows for villages outside this region are refused."),
    )

    def __init__(self, *args, user: AnyUser, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_choices(user)
        if can_import_everywhere(user):
            self.fields["region"].choices = [("", _("All regions"))] + choices
        else:
            self.fields["region"].choices = choices
            self.fields["region"].initial = getattr(user, "region_id", None)
