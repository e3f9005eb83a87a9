"""API routes of the dashboard, included at /api/v1/."""

from django.urls import path

from matchmaking.oversight import api

urlpatterns = [
    path("dashboard/provinces/", api.ProvincesView.as_view(), name="api-dashboard-provinces"),
    path(
        "dashboard/provinces/<str:code>/regencies/",
        api.RegenciesView.as_view(),
        name="api-dashboard-regencies",
    ),
    path("dashboard/funnel/", api.FunnelView.as_view(), name="api-dashboard-funnel"),
    path("dashboard/shipments/", api.ShipmentTotalsView.as_view(), name="api-dashboard-shipments"),
]
