"""Fixtures shared by the account tests."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The token endpoint is rate-limited through the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


LINK = re.compile(r"https?://\S+")


def link_path_in(body: str) -> str:
    """The path of the one absolute link in an email body."""
    links = LINK.findall(body)
    assert len(links) == 1, body
    return urlparse(links[0]).path
