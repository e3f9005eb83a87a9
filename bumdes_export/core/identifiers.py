"""Indonesian business identifiers (NIB, NPWP), shared by the registry and the directory."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def digits_only(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def clean_nib(value: str) -> str:
    """NIB: 13 digits, as issued by OSS."""
    digits = digits_only(value)
    if digits and not re.fullmatch(r"\d{13}", digits):
        raise ValidationError(_("An NIB has 13 digits."), code="nib")
    return digits


def clean_npwp(value: str) -> str:
    """NPWP: 15 digits (``01.234.567.8-901.000``) or the 16-digit form used since 2024."""
    digits = digits_only(value)
    if digits and not re.fullmatch(r"\d{15}|\d{16}", digits):
        raise ValidationError(
            _("An NPWP has 15 digits (01.234.567.8-901.000) or 16 digits."), code="npwp"
        )
    return digits


def format_npwp(digits: str) -> str:
    if len(digits) == 15:
        d = digits
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
    return digits
