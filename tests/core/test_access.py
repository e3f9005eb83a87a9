"""Who may follow a background job (``bumdes_export.core.access``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bumdes_export.accounts.models import User
from bumdes_export.core.access import can_follow_job
from bumdes_export.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


def test_the_person_who_started_a_job_and_ministry_staff_follow_it(
    ministry, officer_sultra, officer_sulteng, exporter
):
    job = BackgroundJob.objects.create(kind="test", created_by=officer_sultra)
    assert can_follow_job(officer_sultra, job)
    assert can_follow_job(ministry, job)
    assert not can_follow_job(officer_sulteng, job)
    assert not can_follow_job(exporter, job)
    assert not can_follow_job(AnonymousUser(), job)
    assert not can_follow_job(None, job)


def test_a_job_nobody_started_is_for_ministry_staff_only(ministry, officer_sultra):
    job = BackgroundJob.objects.create(kind="reference.reload")
    assert can_follow_job(ministry, job)
    assert not can_follow_job(officer_sultra, job)


def test_a_deactivated_ministry_account_follows_only_its_own_jobs(ministry, officer_sultra):
    own = BackgroundJob.objects.create(kind="test", created_by=ministry)
    other = BackgroundJob.objects.create(kind="test", created_by=officer_sultra)
    User.objects.filter(pk=ministry.pk).update(is_active=False)
    ministry.refresh_from_db()
    assert can_follow_job(ministry, own)
    assert not can_follow_job(ministry, other)
