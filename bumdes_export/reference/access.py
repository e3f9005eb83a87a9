"""Who may change the national reference data (the public reads it through the API)."""

from __future__ import annotations

from bumdes_export.accounts.access import AnyUser, scope_for


def can_manage_reference_data(user: AnyUser) -> bool:
    """Reload the reference data and move records off retired region codes: ministry staff."""
    return scope_for(user).is_ministry
