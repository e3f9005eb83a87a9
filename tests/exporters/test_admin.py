"""Editing an organisation in the Django admin reaches matching like an edit on the pages."""

from __future__ import annotations

import pytest

from exporters import services
from exporters.models import OrganisationChange
from tests.exporters.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_recorded_bumps_the_version_and_is_announced_after_commit(
    ministry, django_capture_on_commit_callbacks
):
    from exporters import events

    organisation = OrganisationFactory()
    before = organisation.version
    heard = []

    def listener(sender, organisation_id, version, **kwargs):
        heard.append((organisation_id, version))

    events.organisation_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.record_admin_change(actor=ministry, organisation=organisation)
    finally:
        events.organisation_changed.disconnect(listener)

    assert organisation.version == before + 1
    assert heard == [(organisation.pk, before + 1)]
    assert OrganisationChange.objects.filter(
        organisation=organisation, action="admin_edit", actor=ministry
    ).exists()
