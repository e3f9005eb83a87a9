"""Forms of the readiness pages: a product's commodity specification, the public checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from products.models import CommodityForm
from products.readiness.selectors import Template, destinations

YES_NO_CHOICES = [("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))]


class SpecificationForm(forms.Form):
    """One field per field of the product's template; the values are checked by the service
    (``services.save_specification``), whose errors land on these fields."""

    def __init__(self, template: Template, language: str, *args: Any, **kwargs: Any) -> None:
        values = kwargs.pop("values", None) or {}
        super().__init__(*args, **kwargs)
        for spec in template.fields:
            label = spec.label_in(language) + (f" ({spec.unit})" if spec.unit else "")
            help_text = spec.help_in(language)
            value = values.get(spec.key)
            field: forms.Field
            if spec.kind == "number":
                field = forms.CharField(
                    label=label,
                    required=False,
                    help_text=help_text,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
                initial = (
                    "" if value is None else f"{value:g}" if isinstance(value, float) else value
                )
            elif spec.kind == "yes_no":
                field = forms.ChoiceField(
                    label=label, required=False, help_text=help_text, choices=YES_NO_CHOICES
                )
                initial = "" if value is None else ("yes" if value else "no")
            else:
                choices = [("", _("Not recorded"))] + [
                    (c.value, c.label.get(language[:2]) or c.label.get("en") or c.value)
                    for c in spec.choices
                ]
                field = forms.ChoiceField(
                    label=label, required=False, help_text=help_text, choices=choices
                )
                initial = value or ""
            field.initial = initial
            self.fields[spec.key] = field


TRANSPORT_CHOICES = [("", _("Not decided")), ("sea", _("By sea")), ("air", _("By air"))]


class ChecklistForm(forms.Form):
    q = forms.CharField(
        label=_("Product or HS code"),
        max_length=200,
        help_text=_("A name in Indonesian or English (kepiting hidup, banana flour) or a code."),
    )
    destination = forms.ChoiceField(label=_("Destination"))
    form = forms.ChoiceField(
        label=_("Form of the product"),
        required=False,
        choices=[("", _("Any form"))] + list(CommodityForm.choices),
    )
    transport = forms.ChoiceField(label=_("Transport"), required=False, choices=TRANSPORT_CHOICES)

    def __init__(self, language: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = [(c.code, c.localized_name(language)) for c in destinations()]
        countries.sort(key=lambda pair: pair[1].lower())
        self.fields["destination"].choices = [("", _("Choose a country"))] + countries
