"""Readying a web process before it takes its first request.

Left to the first request, a fresh process imports every view module (the URL patterns), loads
each language's translations and compiles the templates of the pages: about 350 ms here, paid
by whoever comes first after a restart. The WSGI module calls ``warm_up`` as the process starts.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

#: Templates nearly every page extends or includes.
TEMPLATES = ("base.html", "includes/form_fields.html")


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    for name in TEMPLATES:
        get_template(name)
