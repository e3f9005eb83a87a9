from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportersConfig(AppConfig):
    name = "exporters"
    verbose_name = _("Exporter directory")
