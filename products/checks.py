"""Checks shared by the forms, the API and the bulk import, so each rule says one thing once.

Each returns ``None`` when the value is acceptable, or the message a person should read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from bumdes_export.reference.suggestions.selectors import suggest
from products.models import UNIT_BASE


def village_problem(
    code: str, *, exists: bool, level: int | None, kind: str | None, retired: bool
) -> str | None:
    if not exists:
        return _("There is no village with the code %(code)s.") % {"code": code}
    if level != 4:
        return _("%(code)s is not a village code (it has too few segments).") % {"code": code}
    if retired:
        return _("The village code %(code)s is retired; use the current code.") % {"code": code}
    if kind == "kelurahan":
        return _("%(code)s is a kelurahan (urban ward); only a desa can own a BUMDes.") % {
            "code": code
        }
    return None


def scope_problem(code: str, *, covered: bool) -> str | None:
    if covered:
        return None
    return _("The village %(code)s is outside your region.") % {"code": code}


def hs_problem(
    code: str, *, level: int | None, typed: str = "", nearest: Sequence[str] = ()
) -> str | None:
    """What is wrong with an HS code (None when it is a subheading). ``typed``: the code as the
    user wrote it, when it was read differently; ``nearest``: valid subheadings to offer."""
    if level == 6:
        return None
    shown = code if not typed or typed == code else f"“{typed}”"
    if level is None:
        message = _("There is no HS 2022 code %(code)s.") % {"code": shown}
    else:
        message = _("%(code)s is an HS chapter or heading; choose a 6-digit subheading.") % {
            "code": shown
        }
    if nearest:
        message += " " + _("Nearest: %(codes)s.") % {
            "codes": ", ".join(f"{c[:4]}.{c[4:]}" for c in nearest)
        }
    return message


def hs_suggestion_note(name: str, description: str = "") -> str:
    """What the portal suggests for an HS code left out or mistyped, read from the product's
    name (and description): ``Suggested from the name: 0306.14 (Crustaceans; frozen, crabs …),
    …``; empty when nothing could be read. Never applied: the person picks."""
    if not (name or "").strip():
        return ""
    found = suggest(name, description).hs
    if not found:
        return ""
    codes = ", ".join(f"{s.dotted} ({_shorten(s.description)})" for s in found)
    return _("Suggested from the name: %(codes)s.") % {"codes": codes}


def _shorten(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip(" ,;") + "…"


def nearest_subheadings(typed: str, subheadings: Iterable[str], limit: int = 5) -> list[str]:
    """The subheadings that share the longest start with the digits typed (``0301.9`` → the
    subheadings 0301.9x; ``0399`` → those of chapter 03), at most ``limit``, in order."""
    digits = "".join(ch for ch in typed if ch.isdigit())
    if len(digits) % 2 and not digits.startswith("0") and "." not in typed:
        digits = "0" + digits  # a leading zero a spreadsheet dropped
    codes = sorted(subheadings)
    for length in range(min(len(digits), 6), 1, -1):
        found = [c for c in codes if c.startswith(digits[:length])]
        if found:
            return found[:limit]
    return []


def national_code_problem(national_code: str, hs_code: str) -> str | None:
    if not national_code:
        return None
    if not (national_code.isdigit() and len(national_code) == 8):
        return _("A national tariff code has 8 digits.")
    if not national_code.startswith(hs_code):
        return _("The national tariff code must start with the HS subheading %(hs)s.") % {
            "hs": hs_code
        }
    return None


def to_base(quantity: Decimal | None, unit: str) -> tuple[Decimal | None, str]:
    """Quantity in kg or litres where the unit converts; ``(None, "")`` where it does not."""
    if quantity is None or unit not in UNIT_BASE:
        return None, ""
    base_unit, factor = UNIT_BASE[unit]
    return (quantity * factor).quantize(Decimal("0.001")), base_unit


def months_to_mask(months: list[int]) -> int:
    mask = 0
    for month in months:
        if not 1 <= int(month) <= 12:
            raise ValueError(month)
        mask |= 1 << (int(month) - 1)
    return mask
