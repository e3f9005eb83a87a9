"""Factories for directory tests: organisations and memberships written straight to the database.

They bypass ``exporters.services`` (no history, no events, no member flag): use the services or
the pages when a test is about those. Countries and provinces come from the real reference data.
"""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from exporters.models import Kind, Membership, Organisation
from tests.factories import UserFactory


class OrganisationFactory(DjangoModelFactory):
    """A pending Indonesian exporter in Sulawesi Tenggara (74), unless told otherwise."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"PT Uji Ekspor {n}")
    kind = Kind.EXPORTER
    country_id = "ID"
    province_id = "74"
    contact_name = factory.Sequence(lambda n: f"Kontak {n}")
    contact_email = factory.Sequence(lambda n: f"kontak{n}@example.id")
    contact_phone = "+62 401 555 0100"
    address = "Jl. Pelabuhan No. 1, Kendari"
    description = "Test organisation."
    status = Organisation.Status.PENDING

    class Params:
        verified = factory.Trait(
            status=Organisation.Status.VERIFIED,
            verified_at=factory.LazyFunction(timezone.now),
        )
        buyer = factory.Trait(kind=Kind.BUYER, country_id="HK", province_id=None)

    @factory.post_generation
    def hs(self, create, codes, **kwargs):
        if create and codes:
            self.hs_interests.set(codes)

    @factory.post_generation
    def markets(self, create, codes, **kwargs):
        if create and codes:
            self.destination_markets.set(codes)


class MembershipFactory(DjangoModelFactory):
    """An exporter account in an organisation; the account's verified flag follows the
    organisation's status, as ``exporters.services`` keeps it."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_admin = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        membership = super()._create(model_class, *args, **kwargs)
        user = membership.user
        user.organisation_verified = membership.organisation.is_verified
        user.save(update_fields=["organisation_verified"])
        return membership
