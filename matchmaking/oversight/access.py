"""Who sees the dashboard and who sets the targets.

Ministry staff see every province and set the targets; a regional officer sees the same page
limited to his region. Everyone else has no dashboard yet (their own pipeline is another page).
"""

from __future__ import annotations

from bumdes_export.accounts.access import scope_for
from matchmaking.access import AnyUser


def may_see_dashboard(user: AnyUser) -> bool:
    scope = scope_for(user)
    return scope.is_ministry or scope.is_officer


def may_set_targets(user: AnyUser) -> bool:
    return scope_for(user).is_ministry
