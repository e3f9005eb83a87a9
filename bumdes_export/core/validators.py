"""What every text, date and phone number of the portal must be, whichever way it comes in
(pages, API, admin, imports), so that nothing the forms refuse is stored another way.

- Text holds no control characters other than tab and line breaks (ANSI escapes, NUL, the C1
  controls) and no bidirectional overrides, embeddings or isolates (which make "exe.fdp" read as
  "pdf.exe"); a text field without a length of its own holds at most ``TEXT_LENGTH`` characters.
- Dates lie between ``EARLIEST_DATE`` and ``LATEST_DATE`` (0001-01-01 and 9999-12-31 are typing
  slips, and dates far out break the dashboard's periods).
- Phone numbers are written the Indonesian way (``0812-3456-7890``, ``(0401) 312345``) or the
  international way (``+62 812 3456 7890``, ``+852 2123 4567``): 7 to 15 digits.

``attach()`` adds the first two to every text and date field of the portal's own models when the
apps are ready (the models' ``full_clean``, their forms and serializers run them); the phone
fields name ``validate_phone`` themselves.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: The longest text a field without a length of its own holds (descriptions, messages, notes).
TEXT_LENGTH = 10_000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
#: Bidirectional embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\t\n\r")
#: The apps whose models ``attach`` covers: the portal's own.
OWN_APPS = (
    "core",
    "accounts",
    "reference",
    "notifications",
    "products",
    "exporters",
    "matchmaking",
)


def _forbidden(char: str) -> bool:
    if char in ALLOWED_CONTROLS:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


@deconstructible
class PlainTextValidator:
    """Refuses control characters (but tab and line breaks) and bidirectional controls."""

    code = "control_character"

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        for position, char in enumerate(value, start=1):
            if _forbidden(char):
                raise ValidationError(
                    _(
                        "Remove the invisible control character U+%(code)s at position "
                        "%(position)s."
                    ),
                    code=self.code,
                    params={"code": f"{ord(char):04X}", "position": position},
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator)

    def __hash__(self) -> int:
        return hash(self.__class__)


validate_plain_text = PlainTextValidator()

PHONE = re.compile(r"^\+?[0-9 ()\-./]+$")


def validate_phone(value: str) -> None:
    """A phone number as Indonesians or an international contact write it: digits with spaces,
    dashes, dots, brackets, an optional leading ``+``; 7 to 15 digits."""
    if not value:
        return
    digits = sum(c.isdigit() for c in value)
    if not PHONE.match(value) or not 7 <= digits <= 15 or value.count("+") > 1:
        raise ValidationError(
            _(
                "Enter a phone number such as 0812-3456-7890, (0401) 312345 or "
                "+62 812 3456 7890 (7 to 15 digits)."
            ),
            code="invalid_phone",
        )


def _add(field: models.Field, validator: object) -> None:
    if validator not in field.validators:
        field._validators = [*field._validators, validator]  # type: ignore[attr-defined]
        field.__dict__.pop("validators", None)  # Django caches the list it builds


def attach() -> None:
    """Give every text and date field of the portal's own models the rules above."""
    for app_label in OWN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.local_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    _add(field, validate_plain_text)
                    if isinstance(field, models.TextField) and not field.max_length:
                        _add(field, MaxLengthValidator(TEXT_LENGTH))
                elif isinstance(field, models.DateField) and not isinstance(
                    field, models.DateTimeField
                ):
                    _add(field, MinValueValidator(EARLIEST_DATE))
                    _add(field, MaxValueValidator(LATEST_DATE))
