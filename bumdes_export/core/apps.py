from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bumdes_export.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Django's documented place for start-up work: the app registry is ready here.
        from bumdes_export.core import links, validators

        links.register_links()
        # Every text and date field of the portal's models refuses what the forms refuse.
        validators.attach()
