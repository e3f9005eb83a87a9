from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.models import Role
from bumdes_export.reference.models import Region


def scope_regions():
    return Region.objects.filter(
        level__in=[Region.Level.PROVINCE, Region.Level.REGENCY], retired_at__isnull=True
    ).order_by("code")


class RegionScopeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        indent = "" if obj.level == Region.Level.PROVINCE else "\u00a0\u00a0\u00a0"
        return f"{indent}{obj.code} {obj.name}"


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER)
    region = RegionScopeField(
        label=_("Region scope"),
        queryset=scope_regions(),
        required=False,
        help_text=_("Required for regional officers: a province or a regency."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="id")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_regions()


class RoleScopeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = RegionScopeField(label=_("Region scope"), queryset=scope_regions(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_regions()


class ActivationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
