"""The preferences form: one choice of delivery per family of notifications."""

from __future__ import annotations

from typing import Any

from django import forms

from bumdes_export.notifications import kinds
from bumdes_export.notifications.models import Delivery


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.security = [family for family in kinds.families() if family.security]
        for family in kinds.choosable():
            self.fields[family.key] = forms.ChoiceField(
                label=family.label,
                choices=Delivery.choices,
                initial=current.get(family.key, Delivery.EMAIL),
            )
