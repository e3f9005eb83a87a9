"""Registration pages: registering for a forum and the organiser's approval."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from matchmaking.forums import services as services
from matchmaking.forums.models import ForumParticipant

pytestmark = pytest.mark.django_db


def test_registration_and_approval_pages(as_role, forum, organiser, verified_exporter, org_a):
    response = as_role("verified_exporter").post(
        f"/forums/{forum.pk}/register/", {"kind": "organisation", "note": "Crab buyers"}
    )
    participant = ForumParticipant.objects.get()
    assert response.status_code == 302 and participant.organisation == org_a
    again = as_role("verified_exporter").post(
        f"/forums/{forum.pk}/register/", {"kind": "organisation"}, follow=True
    )
    # Taken to the participation it has, with a message; nothing registered twice.
    assert again.redirect_chain[-1][0] == f"/forums/participants/{participant.pk}/"
    assertContains(again, "already registered")
    assert ForumParticipant.objects.count() == 1
    client = as_role("organiser")
    assertContains(client.get(f"/forums/{forum.pk}/participants/"), "Harbour Test Seafood Ltd")
    bad = client.post(
        f"/forums/{forum.pk}/participants/{participant.pk}/decide/", {"approve": "0", "reason": ""}
    )
    assertContains(bad, "Say why.", status_code=400)
    client.post(f"/forums/{forum.pk}/participants/{participant.pk}/decide/", {"approve": "1"})
    participant.refresh_from_db()
    assert participant.status == "approved"
