from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Village product registry")
    # Domain packages that own models of this app (app label ``products``, tables unchanged).
    # They import ``products.models``, never the reverse, so they are loaded here instead.
    model_packages = ("products.catalogue", "products.imports", "products.readiness")

    def import_models(self) -> None:
        super().import_models()
        for package in self.model_packages:
            import_module(f"{package}.models")

    def ready(self) -> None:
        # The receivers import models and services, which cannot load before the apps are.
        from products import navigation
        from products.catalogue import receivers

        receivers.connect()
        navigation.register_links()
        # The kinds of notification this app sends, named for the inbox's filter.
        from bumdes_export.notifications import kinds

        kinds.register("product", _("Products"))
        kinds.register("bumdes", _("BUMDes"))
        kinds.register("certificate", _("Certificates expiring and expired"))
        kinds.register("import", _("Imports"))

        # Products ministry staff have verified teach the HS suggestions by their names.
        from bumdes_export.reference.suggestions import index as hs_suggestions
        from products import selectors

        hs_suggestions.register_examples(
            "verified-products",
            selectors.curated_names_version,
            selectors.curated_names,
        )
