"""Who sees what in the public catalogue beyond the products themselves.

Anyone reads the catalogue. A BUMDes' contact details are personal data (UU 27/2022): shown to
verified exporters and ministry staff only, and every showing is recorded; only ministry staff
read that record (the contact log).
"""

from __future__ import annotations

from bumdes_export.accounts.access import scope_for
from products.access import AnyUser


def may_see_contacts(user: AnyUser) -> bool:
    """Verified exporters and ministry staff; nobody else (officers and operators included)."""
    scope = scope_for(user)
    return scope.is_verified_exporter or scope.is_ministry


def can_read_contact_log(user: AnyUser) -> bool:
    """Ministry staff read who saw which contact details (``/catalogue/contact-log/``)."""
    return scope_for(user).is_ministry


def shops_the_catalogue(user: AnyUser) -> bool:
    """Organisations (exporters, buyers ...) come to the portal for the catalogue first."""
    return scope_for(user).is_exporter
