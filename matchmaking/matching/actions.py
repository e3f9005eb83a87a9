"""What an organisation can do about a recommended product, offered by other packages.

Matching shows the recommendations; packages built on it (forums, which match scores feed)
register providers here rather than matching importing them. A provider of **openings** is
called as ``provider(organisation, product_ids)`` and returns, for the products where the
organisation can act, what it acts through: today ``forums`` registers
``selectors.meeting_openings``, the organisation's participation in a forum the product's
BUMDes takes part in too (the recommendations page links to its page, where a meeting is
requested). ``matchmaking.forums.panels.register()`` registers it as the app starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from exporters.models import Organisation

OpeningProvider = Callable[[Organisation, list[int]], Mapping[int, object]]

_opening_providers: list[OpeningProvider] = []


def register_opening(provider: OpeningProvider) -> None:
    """Add a provider of openings (once, however often it is registered)."""
    if provider not in _opening_providers:
        _opening_providers.append(provider)


def unregister_opening(provider: OpeningProvider) -> None:
    """Remove a provider (tests)."""
    if provider in _opening_providers:
        _opening_providers.remove(provider)


def opening_providers() -> tuple[OpeningProvider, ...]:
    """The providers registered, in order."""
    return tuple(_opening_providers)


def openings(organisation: Organisation, product_ids: Iterable[int]) -> dict[int, object]:
    """Each product's opening for the organisation: the first registered provider's that has
    one; products without any are left out."""
    wanted = list(product_ids)
    found: dict[int, object] = {}
    if not wanted:
        return found
    for provider in _opening_providers:
        for product_id, opening in provider(organisation, wanted).items():
            if opening is not None:
                found.setdefault(product_id, opening)
    return found
