from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from products.access import AnyUser
from products.imports.access import can_import_everywhere
from products.imports.columns import COLUMNS
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


class ColumnsForm(forms.Form):
    """How each header of the file is read: a template column, or left out."""

    def __init__(self, *args, mapping: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = [header for header, _column in mapping]
        choices = [("", _("— leave out —"))] + [
            (c.name, f"{c.name}{' *' if c.required else ''}") for c in COLUMNS
        ]
        for index, (header, column) in enumerate(mapping):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=column
            )

    def rows(self):
        return [(header, self[f"column_{i}"]) for i, header in enumerate(self.headers)]

    def column_map(self) -> list[tuple[str, str]]:
        return [
            (header, self.cleaned_data.get(f"column_{i}") or "")
            for i, header in enumerate(self.headers)
        ]


class SuggestionsForm(forms.Form):
    """Which of the portal's suggestions (missing HS code, form, unit) the importer accepts."""

    accept = forms.TypedMultipleChoiceField(coerce=int, required=False)
    accept_all = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any row number: the service keeps only rows that have suggestions.
        self.fields["accept"].valid_value = lambda value: str(value).isdigit()
