"""The registry's and the catalogue's links in the navigation and on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bumdes_export.core.navigation import (
    HOME_ACTIONS,
    NAV_ITEMS,
    NAV_TOOLS,
    Link,
    everyone,
    register,
)
from products import access
from products.catalogue import access as catalogue_access
from products.imports import access as imports_access


def signed_in(user: access.AnyUser) -> bool:
    """Anyone signed in (visitors find the checklist on the welcome page and in the tools)."""
    return bool(user and user.is_authenticated)


def register_links() -> None:
    register(
        NAV_ITEMS,
        Link(10, "catalogue:list", _("Catalogue"), everyone),
        Link(20, "products:bumdes_list", _("BUMDes"), access.uses_registry),
        Link(30, "products:product_list", _("Products"), access.uses_registry),
        Link(40, "products:curation", _("Curation"), access.can_curate),
        Link(50, "products:import_list", _("Import"), imports_access.can_import),
    )
    register(
        NAV_TOOLS,
        Link(40, "catalogue:contact_log", _("Contact log"), catalogue_access.can_read_contact_log),
        Link(35, "readiness:checklist", _("Export documents"), everyone),
    )
    register(
        HOME_ACTIONS,
        Link(10, "products:curation", _("Curation queue"), access.can_curate),
        Link(11, "products:product_list", _("Products of my region"), access.works_for_region),
        Link(12, "products:bumdes_list", _("My BUMDes"), access.keeps_own_bumdes),
        Link(13, "catalogue:list", _("Browse the catalogue"), catalogue_access.shops_the_catalogue),
        Link(20, "products:bumdes_create", _("Register a BUMDes"), access.works_for_region),
        Link(30, "products:import_list", _("Import product lists"), imports_access.can_import),
        Link(90, "readiness:checklist", _("Export document checklist"), signed_in),
    )
