"""Factories for matchmaking tests: exporter organisations and their members.

Written straight to the database (no exporters.services); a member's ``organisation_verified``
flag is set as the directory keeps it: true when the organisation is verified.
"""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from exporters.models import Kind, Membership, Organisation, Service
from tests.factories import UserFactory


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Test Trading {n} Ltd")
    kind = Kind.BUYER
    country_id = "HK"
    status = Organisation.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=Organisation.Status.PENDING, verified_at=None)
        provider = factory.Trait(
            kind=Kind.PLATFORM,
            country_id="ID",
            services=[Service.DOCUMENTS, Service.QUALITY, Service.PAYMENT, Service.LOGISTICS],
        )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    is_admin = True


def member(username: str, organisation: Organisation, **user_fields):
    """An exporter account in ``organisation``, verified exactly when the organisation is."""
    user = UserFactory(
        username=username, organisation_verified=organisation.is_verified, **user_fields
    )
    MembershipFactory(user=user, organisation=organisation)
    return user
