"""Fixtures of every bulk import test: stored files in a temporary directory, pages in English."""

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client
