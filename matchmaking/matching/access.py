"""Who may see and tune match scores. Every decision of the matching pages, API, panels and
services is one of these functions."""

from __future__ import annotations

from bumdes_export.accounts.access import scope_for
from exporters import access as exporter_access
from exporters.models import Organisation
from matchmaking.access import AnyUser


def may_tune_matching(user: AnyUser) -> bool:
    """Ministry staff put weights in force, start full rescores, read the runs, the gaps by
    province and the weights history, and look up any organisation's list."""
    return scope_for(user).is_ministry


def may_see_organisation_matches(user: AnyUser, organisation: Organisation) -> bool:
    """An organisation's recommended products: its members and ministry staff."""
    return exporter_access.can_see_members(user, organisation)


def picks_organisation(user: AnyUser) -> bool:
    """Whether the recommendations page first asks whose list to show (ministry staff) rather
    than showing the user's own organisation's."""
    return scope_for(user).is_ministry


def has_own_recommendations(user: AnyUser) -> bool:
    """Organisation accounts (exporters, buyers ...) see their own organisation's recommended
    products; the product side reads matches from the product's page instead."""
    return scope_for(user).is_exporter
