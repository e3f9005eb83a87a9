"""Who sees contact details in the catalogue, and who reads their log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from products.catalogue import access

pytestmark = pytest.mark.django_db


def test_contact_details_for_verified_exporters_and_the_ministry(
    ministry, officer_sultra, operator, exporter
):
    assert access.may_see_contacts(ministry)
    assert not access.may_see_contacts(exporter)
    exporter.organisation_verified = True
    assert access.may_see_contacts(exporter)
    for user in (officer_sultra, operator, AnonymousUser()):
        assert not access.may_see_contacts(user)


def test_only_the_ministry_reads_the_contact_log(ministry, officer_sultra, exporter):
    assert access.can_read_contact_log(ministry)
    exporter.organisation_verified = True
    for user in (officer_sultra, exporter, AnonymousUser()):
        assert not access.can_read_contact_log(user)
