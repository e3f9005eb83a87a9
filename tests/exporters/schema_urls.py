"""The directory API beside the registry API (whose ``kind`` and ``status`` fields name other
choice sets), for checking that the directory's schema comes without warnings."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("products.api_urls")),
    path("api/v1/", include("exporters.api_urls")),
]
