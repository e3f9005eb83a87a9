"""Slots for the navigation bar and the home page's buttons, filled by the apps.

The shared apps never import ``products``, ``exporters`` or ``matchmaking``: each app registers
its links here from its ``AppConfig.ready()``, each with the rule (a function of that app's
``access`` module) that says who sees it. A link whose URL is not installed is left out.

- ``NAV_ITEMS``: the main bar, ``NAV_TOOLS``: the second, smaller row (ministry tools, the API),
  ``HOME_ACTIONS``: the buttons under the welcome on the home page (the first one shown is the
  main one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from bumdes_export.accounts.access import AnyUser


@dataclass(frozen=True)
class Link:
    """A link for the users ``rule`` lets in; ``order`` places it among the others."""

    order: int
    url_name: str
    label: str | Promise
    rule: Callable[[AnyUser], bool]


NAV_ITEMS: list[Link] = []
NAV_TOOLS: list[Link] = []
HOME_ACTIONS: list[Link] = []


def register(slot: list[Link], *links: Link) -> None:
    """Add links to a slot; registering the same link again changes nothing."""
    for link in links:
        if link not in slot:
            slot.append(link)


def links_for(slot: list[Link], user: AnyUser) -> list[tuple[str, str | Promise]]:
    """The slot's links this user may follow, in order, as ``(url, label)``."""
    shown = []
    for link in sorted(slot, key=lambda link: link.order):
        if not link.rule(user):
            continue
        try:
            shown.append((reverse(link.url_name), link.label))
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
    return shown


def everyone(user: AnyUser) -> bool:
    """Links for every visitor, signed in or not."""
    return True
