from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportersConfig(AppConfig):
    name = "exporters"
    verbose_name = _("Exporter directory")

    def ready(self) -> None:
        # Django's documented place for start-up work: the app registry is ready here.
        from exporters import navigation

        navigation.register_links()
        # The kinds of notification this app sends, named for the inbox's filter.
        from bumdes_export.notifications import kinds

        kinds.register("exporter", _("Organisations"))
        # Invitations and email confirmations cannot be turned off.
        kinds.register_security_kind("exporter.invited")
        kinds.register_security_kind("exporter.confirm_email")
