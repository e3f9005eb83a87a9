from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        # Products and exporters offer page slots; matchmaking fills them (never the reverse).
        from matchmaking.dealings import panels
        from matchmaking.matching import receivers

        panels.register()
        from matchmaking.forums import panels as forum_panels
        from matchmaking.matching import panels as matching_panels

        matching_panels.register()
        forum_panels.register()
        # Changes in products and exporters reach the workers through their events.
        receivers.connect()
