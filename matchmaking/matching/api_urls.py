"""Match API routes, included at /api/v1/ by ``matchmaking.dealings.api_urls``."""

from django.urls import path

from matchmaking.matching import api

urlpatterns = [
    path(
        "products/<int:pk>/matches/", api.ProductMatchesView.as_view(), name="api-product-matches"
    ),
    path(
        "exporters/<int:pk>/matches/",
        api.OrganisationMatchesView.as_view(),
        name="api-exporter-matches",
    ),
    path("matches/dismissals/", api.DismissView.as_view(), name="api-match-dismissals"),
    path("matches/region/", api.RegionMatchesView.as_view(), name="api-match-region"),
    path("matches/gaps/", api.GapsView.as_view(), name="api-match-gaps"),
    path("matches/weights/", api.WeightsView.as_view(), name="api-match-weights"),
    path("matches/runs/", api.RunsView.as_view(), name="api-match-runs"),
]
