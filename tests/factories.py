"""Factories for tests. Regions come from the real reference data loaded by conftest."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from bumdes_export.accounts.models import Role, User

PASSWORD = "test-password-123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.id")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.EXPORTER
    language = "en"  # tests read English; tests/i18n checks the Indonesian default
    password = factory.django.Password(PASSWORD)

    class Params:
        ministry = factory.Trait(role=Role.MINISTRY, is_staff=True)
        officer = factory.Trait(role=Role.OFFICER)
        operator = factory.Trait(role=Role.OPERATOR)
