"""Page slots: one app's page shows fragments that another app provides.

A slot is a module-level list of callables ``(request, obj) -> str`` in the page's app
(``products.views.PRODUCT_PAGE_PANELS``, ``exporters.panels.EXPORTER_PAGE_PANELS`` …). The app
that owns the page never imports the app that fills the slot (matchmaking appends its panels in
its ``AppConfig.ready()``), so dependencies keep pointing one way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.html import conditional_escape

logger = logging.getLogger(__name__)

Panel = Callable[[HttpRequest, Any], str]


def render_panels(panels: list[Panel], request: HttpRequest, obj) -> list[str]:
    """Each panel's HTML (a plain ``str`` is escaped); a panel that fails is logged and left
    out, so it never takes the page down."""
    rendered = []
    for panel in panels:
        try:
            html = panel(request, obj)
        except Exception:
            logger.exception("Page panel %r failed", panel)
            continue
        if html:
            rendered.append(conditional_escape(html))
    return rendered
