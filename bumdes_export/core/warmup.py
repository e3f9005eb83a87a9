"""Readying a web process before it takes its first request.

Left to the first request, a fresh process imports every view module (the URL patterns), loads
each language's translations and compiles the templates of the pages: about 350 ms here, paid
by whoever comes first after a restart. The WSGI module calls ``warm_up`` as the process starts.
Apps add their own steps with ``register`` (the dashboard reads its shipments' ledger): a step
that fails is logged and the process starts anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver
from django.utils import translation

#: Templates nearly every page extends or includes (apps add theirs: ``register_templates``).
TEMPLATES = ["base.html", "includes/form_fields.html"]
#: What the apps registered to do before a process takes its first request.
STEPS: list[Callable[[], object]] = []

logger = logging.getLogger(__name__)


def register(step: Callable[[], object]) -> None:
    """Run ``step`` as each web process starts (once, however often registered)."""
    if step not in STEPS:
        STEPS.append(step)


def register_templates(*names: str) -> None:
    """Compile these templates as each web process starts."""
    TEMPLATES.extend(name for name in names if name not in TEMPLATES)


def _reversible(resolver: URLResolver) -> None:
    """Build what ``reverse`` reads, for the active language, in the resolver and in each
    namespace under it (each builds its own on first use)."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, inner in resolver.namespace_dict.values():
        _reversible(inner)


def warm_up() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URLconf and every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
            _reversible(resolver)
    for name in TEMPLATES:
        get_template(name)
    for step in STEPS:
        try:
            step()
        except Exception:  # a process that could not get ready still serves
            logger.exception("Getting ready failed: %s", getattr(step, "__name__", step))
