"""Asking for a meeting from a catalogue product: at a forum both sides attend, or by
registering for an open forum the product's BUMDes attends; nobody else is offered either."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from matchmaking.forums import panels
from matchmaking.forums.models import ForumParticipant

pytestmark = pytest.mark.django_db


def panel(user, product) -> str:
    request = RequestFactory().get(f"/catalogue/{product.pk}/")
    request.user = user
    return panels.catalogue_panel(request, SimpleNamespace(pk=product.pk))


def test_both_at_a_forum_the_buyer_asks_there(fs, verified_exporter):
    html = panel(verified_exporter, fs.world.crab)
    assert f"/forums/participants/{fs.org_a.pk}/#ask" in html
    assert fs.forum.name in html and "/register/" not in html


def test_not_registered_yet_the_buyer_is_offered_the_open_forum(fs, verified_exporter):
    ForumParticipant.objects.filter(pk=fs.org_a.pk).delete()
    html = panel(verified_exporter, fs.world.crab)
    assert f"/forums/{fs.forum.pk}/register/" in html and "#ask" not in html


def test_a_forum_whose_registration_closed_is_not_offered(fs, verified_exporter):
    from datetime import timedelta

    from django.utils import timezone

    ForumParticipant.objects.filter(pk=fs.org_a.pk).delete()
    type(fs.forum).objects.filter(pk=fs.forum.pk).update(
        registration_closes=timezone.now() - timedelta(minutes=1)
    )
    assert panel(verified_exporter, fs.world.crab) == ""


def test_a_product_whose_bumdes_attends_no_forum_offers_nothing(fs, verified_exporter):
    ForumParticipant.objects.filter(pk=fs.konawe.pk).update(status="rejected")
    assert panel(verified_exporter, fs.world.crab) == ""


@pytest.mark.parametrize(
    "role", ["pending_exporter", "linked_operator", "officer_konawe", "ministry", "anonymous"]
)
def test_nobody_else_is_offered_a_meeting(request, fs, role):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert panel(user, fs.world.crab) == ""


def test_the_catalogue_page_shows_it(fs, verified_exporter, client):
    from products.catalogue import services as catalogue

    catalogue.refresh_entries([fs.world.crab.pk])
    client.force_login(verified_exporter)
    page = client.get(f"/catalogue/{fs.world.crab.pk}/").content.decode()
    assert 'id="forum-meeting"' in page
