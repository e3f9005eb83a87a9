"""Fixtures for the notification tests: a template of our own that shows the active language."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "notifications_test/message.txt"


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    return TEMPLATE
