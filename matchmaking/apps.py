from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import views and models of other apps,
        # which Django allows only once the app registry is ready (``AppConfig.ready`` is the
        # documented place for such registrations).
        from matchmaking import navigation
        from matchmaking.dealings import panels
        from matchmaking.dealings import selectors as dealings_selectors
        from matchmaking.deals import panels as deal_panels
        from matchmaking.forums import panels as forum_panels
        from matchmaking.matching import panels as matching_panels
        from matchmaking.matching import receivers
        from matchmaking.oversight import receivers as oversight_receivers

        # Products and exporters offer page slots; matchmaking fills them (never the reverse).
        panels.register()
        matching_panels.register()
        forum_panels.register()
        # Deals on those pages; the deal page reads facilitation requests through dealings.
        deal_panels.register(service_requests=dealings_selectors.visible_service_requests)
        # A product's readiness per market also covers the markets of its best matches.
        from matchmaking.matching import selectors as matching_selectors
        from products.readiness import selectors as readiness_selectors

        readiness_selectors.register_market_source(matching_selectors.markets_asked_for)
        # Changes in products and exporters reach the workers through their events.
        receivers.connect()
        # ... and, with the deals' events, keep the dashboard's tallies counted.
        oversight_receivers.connect()
        # The dashboard's shipments read before a web process takes its first request.
        from bumdes_export.core import warmup
        from matchmaking.oversight import shipments

        warmup.register(shipments.prepare)
        # The meeting scheduler runs in an organiser's request: compiled before it comes.
        from matchmaking.forums import scheduling

        warmup.register(scheduling.warm_up)
        warmup.register_templates(
            "matchmaking/oversight/dashboard.html", "matchmaking/oversight/province.html"
        )
        # Its links in the navigation and on the home page.
        navigation.register_links()
        # The kinds of notification matchmaking sends, named for the inbox's filter.
        from bumdes_export.notifications import kinds

        for family, label in (
            ("inquiry", _("Inquiries and messages")),
            ("sample_request", _("Sample requests")),
            ("buying_request", _("Buying requests")),
            ("offer", _("Offers")),
            ("service_request", _("Facilitation")),
            ("forum", _("Forums and meetings")),
            ("deal", _("Deals and shipments")),
            ("rescore", _("Match rescoring")),
            ("match", _("New matching products")),
        ):
            kinds.register(family, label)
