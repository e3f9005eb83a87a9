"""What forums add to other packages' pages.

What meetings led to are deals now: the deals package's panels show them on the product, BUMDes
and organisation pages (``matchmaking.deals``), so forums fill no page slot of their own any more.
``register()`` (called from ``MatchmakingConfig.ready()``) offers meeting requests on an
organisation's recommended products (``matching.actions.register_opening``), since matching never
imports forums, and on a catalogue product's page (``CATALOGUE_PAGE_PANELS``): at a forum both
attend, or by registering for an open forum the product's BUMDes attends.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from matchmaking import access
from matchmaking.forums import selectors
from matchmaking.matching import actions as matching_actions
from products.catalogue import panels as catalogue_panels


def catalogue_panel(request: HttpRequest, product: Any) -> str:
    """On a catalogue item, for a verified organisation's member: ask for a meeting about it at
    a forum both attend, or register for an open forum its BUMDes attends. ``product`` may be
    the catalogue's entry: only its id (``pk``) is used."""
    organisation = access.verified_organisation(request.user)
    if organisation is None:
        return ""
    opening = selectors.meeting_openings(organisation, [product.pk]).get(product.pk)
    to_join = [] if opening else selectors.forums_to_join_for(organisation, product.pk)
    if not (opening or to_join):
        return ""
    return mark_safe(  # noqa: S308 - a template we render
        render_to_string(
            "matchmaking/forums/panels/catalogue.html",
            {"product": product, "opening": opening, "to_join": to_join},
            request=request,
        )
    )


def register() -> list[str]:
    """Offer meeting requests on the organisation's recommended products (``matching.actions``)
    and on catalogue products. Returns the page slots filled."""
    matching_actions.register_opening(selectors.meeting_openings)
    if catalogue_panel not in catalogue_panels.CATALOGUE_PAGE_PANELS:
        catalogue_panels.CATALOGUE_PAGE_PANELS.append(catalogue_panel)
    return ["CATALOGUE_PAGE_PANELS"]
