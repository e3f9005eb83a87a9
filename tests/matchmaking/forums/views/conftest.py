"""Helpers and fixtures of the forum page tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page_url(template: str, scene) -> str:
    return template.format(
        forum=scene.forum.pk,
        konawe=scene.konawe.pk,
        org_a=scene.org_a.pk,
        meeting=scene.meeting.pk,
    )


def status_of(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code
