"""Directory API routes, included at /api/v1/."""

from rest_framework.routers import DefaultRouter

from exporters import api

# Path converters (<int:pk>), so ids are integers in the schema and anything else is a 404.
router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_root_view = False  # products' router already answers /api/v1/
router.include_format_suffixes = False  # JSON only, like the rest of /api/v1/
router.register("exporters", api.OrganisationViewSet, basename="exporter")

urlpatterns = router.urls
