"""Who may import product lists, into which region, and who may commit a checked import.

Ministry staff import into any region (or every region at once); a regional officer imports into
their own region or a region inside it, and commits only their own imports. Pages, the API and
the services ask these functions.
"""

from __future__ import annotations

from bumdes_export.accounts.access import code_within, scope_for
from products.access import AnyUser
from products.imports.models import ProductImport

#: The states in which the importer may still change how the file's columns are read.
COLUMNS_CHANGEABLE = (
    ProductImport.Status.COLUMNS,
    ProductImport.Status.VALIDATED,
    ProductImport.Status.REJECTED,
)


def can_import(user: AnyUser) -> bool:
    """Ministry staff and regional officers; nobody else."""
    scope = scope_for(user)
    return scope.is_ministry or scope.is_officer


def can_import_into(user: AnyUser, region_code: str | None) -> bool:
    """Whether the user may import into the region (``None``: every region, or for an officer
    their own)."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    return scope.is_officer and (region_code is None or scope.covers(region_code))


def can_import_everywhere(user: AnyUser) -> bool:
    """Ministry staff may leave an import unlimited (every region); officers may not."""
    return scope_for(user).is_ministry


def can_commit(user: AnyUser, product_import: ProductImport) -> bool:
    """Ministry staff commit any import; an officer their own, limited to their region."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    return (
        scope.is_officer
        and scope.region_code is not None
        and product_import.created_by_id == getattr(user, "pk", None)
        and product_import.region_id is not None
        and code_within(product_import.region_id, scope.region_code)
    )


def is_ready_to_commit(product_import: ProductImport) -> bool:
    """The commit's precondition: the file was checked and no row was rejected (and it was not
    imported yet)."""
    return product_import.status == ProductImport.Status.VALIDATED and not product_import.rejected


def can_commit_now(user: AnyUser, product_import: ProductImport) -> bool:
    """Whether the page offers the commit: the import is ready and the user may commit it."""
    return is_ready_to_commit(product_import) and can_commit(user, product_import)


def can_change_columns(user: AnyUser, product_import: ProductImport) -> bool:
    """Whoever may commit an import may choose how its columns are read, until it is
    committed."""
    return can_commit(user, product_import) and product_import.status in COLUMNS_CHANGEABLE
