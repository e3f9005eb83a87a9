"""Imports API routes, included at /api/v1/: imports/, imports/{id}/, imports/{id}/commit/."""

from rest_framework.routers import SimpleRouter

from products.imports import api

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("imports", api.ImportViewSet, basename="product-import")

urlpatterns = router.urls
