"""Facilitation on the dashboard: the help asked about the region's products, by service, with
the turnaround; counted by hand from the matchmaking scene (one documents request about the
Konawe crab, answered by the platform)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from matchmaking.dealings import services
from matchmaking.dealings.models import ServiceRequest
from matchmaking.oversight.facilitation import facilitation_rows
from matchmaking.oversight.shipments import Period


def _rows(user, period: Period | None = None):
    return {row.key: row.turnaround for row in facilitation_rows(user, period or Period())}


def test_requests_by_service_with_their_turnaround(scene, ministry, provider):
    request = scene.service_request
    services.transition_service_request(actor=provider, service_request=request, to="accepted")
    two_hours_later = request.created_at + timedelta(hours=2)
    ServiceRequest.objects.filter(pk=request.pk).update(answered_at=two_hours_later)
    rows = _rows(ministry)
    assert (rows["documents"].requests, rows["documents"].answered) == (1, 1)
    assert rows["documents"].median_hours_to_answer == 2.0
    assert rows["logistics"].requests == 0 and rows["all"].requests == 1


def test_the_region_and_the_period_narrow_the_requests(scene, officer_sulteng, officer_sultra):
    assert _rows(officer_sultra)["all"].requests == 1
    assert _rows(officer_sulteng)["all"].requests == 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _rows(officer_sultra, Period(start=tomorrow))["all"].requests == 0


def test_the_dashboard_shows_the_facilitation_table(scene, as_role):
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    section = html.split('id="facilitation"')[1].split("</section>")[0]
    assert 'data-service="documents"' in section and 'data-service="all"' in section
