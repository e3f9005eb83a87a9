"""Every text, date and phone number of the portal, whichever way it comes in: no control
characters or bidirectional overrides, text of a bounded length, plausible dates, phone numbers
written as people write them (issue #12)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bumdes_export.core import validators
from bumdes_export.core.validators import validate_phone, validate_plain_text
from products.models import Bumdes, Product
from tests.products.factories import first_desa

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["Kepiting bakau", "Baris satu\nBaris dua\tkolom", "蟹 · crabe · 🦀", "Rp 1.500.000", ""],
)
def test_plain_text_passes(text):
    validate_plain_text(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\x1b[31mMerah", "001B"),
        ("invoice\u202egpj.exe", "202E"),
        ("a\x00b", "0000"),
        ("a\u2066b", "2066"),
        ("a\x85b", "0085"),
    ],
)
def test_control_characters_are_refused_by_name_and_place(text, code):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(text)
    assert f"U+{code}" in refused.value.messages[0]


@pytest.mark.parametrize(
    "number", ["0812-3456-7890", "(0401) 312345", "+62 812 3456 7890", "+852 2123 4567", ""]
)
def test_phone_numbers_as_people_write_them(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["12345", "call me", "+62+812345678", "0812 3456 7890 1234 5"])
def test_what_is_no_phone_number_is_refused(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_every_text_and_date_field_of_the_portal_carries_the_rules():
    from django.apps import apps
    from django.db import models

    for label in validators.OWN_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    assert validate_plain_text in field.validators, (model, field.name)
                    assert field.max_length or any(
                        getattr(v, "limit_value", None) == validators.TEXT_LENGTH
                        for v in field.validators
                    ), (model, field.name)
    description = Product._meta.get_field("description_id")
    with pytest.raises(ValidationError):
        description.clean("x" * (validators.TEXT_LENGTH + 1), None)


def test_the_api_refuses_an_override_character_in_a_name(api_as):
    response = api_as("officer_konawe").post(
        "/api/v1/bumdes/",
        {"name": "BUMDes \u202eayaJ rakeM", "village": first_desa("74.02.")},
        format="json",
    )
    assert response.status_code == 400
    assert "U+202E" in response.json()["name"][0]
    assert not Bumdes.objects.exists()


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31)])
def test_implausible_dates_are_refused_by_every_date_field(day):
    from matchmaking.deals.models import Shipment
    from products.models import Certificate

    for model, name in ((Shipment, "shipped_on"), (Certificate, "valid_until")):
        with pytest.raises(ValidationError):
            model._meta.get_field(name).clean(day, None)
    Shipment._meta.get_field("shipped_on").clean(date(2026, 12, 7), None)


def test_the_api_refuses_a_phone_number_that_is_none(api_as):
    response = api_as("officer_konawe").post(
        "/api/v1/bumdes/",
        {"name": "BUMDes Mekar", "village": first_desa("74.02."), "contact_phone": "call me"},
        format="json",
    )
    assert response.status_code == 400
    assert "0812-3456-7890" in response.json()["contact_phone"][0]


def test_a_page_form_refuses_control_characters(as_role):
    from tests.products.test_views import bumdes_data

    response = as_role("officer_konawe").post(
        "/registry/bumdes/new/", bumdes_data(name="BUMDes \x1b[31mMerah")
    )
    assert response.status_code in (200, 400)
    assert "U+001B" in response.content.decode()
    assert not Bumdes.objects.exists()
