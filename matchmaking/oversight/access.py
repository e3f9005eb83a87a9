"""Who sees the dashboard and who sets the targets.

Ministry staff see every province and set the targets; a regional officer sees the same page
limited to his region. BUMDes operators and organisation members see their own pipeline there.
"""

from __future__ import annotations

from bumdes_export.accounts.access import scope_for
from matchmaking.access import AnyUser


def may_see_dashboard(user: AnyUser) -> bool:
    scope = scope_for(user)
    return scope.is_ministry or scope.is_officer


def has_own_pipeline(user: AnyUser) -> bool:
    """BUMDes operators and organisation members see their own pipeline on the dashboard."""
    scope = scope_for(user)
    return scope.is_operator or scope.is_exporter


def may_set_targets(user: AnyUser) -> bool:
    return scope_for(user).is_ministry


def opens_dashboard(user: AnyUser) -> bool:
    """The dashboard link: the provinces for ministry staff and officers, the own pipeline for
    operators and organisation members."""
    return may_see_dashboard(user) or has_own_pipeline(user)
