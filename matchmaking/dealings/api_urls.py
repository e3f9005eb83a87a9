"""API routes of the dealings, included at /api/v1/."""

from rest_framework.routers import DefaultRouter

from matchmaking.dealings import api

# Path converters (<int:pk>), so ids are integers in the schema and anything else is a 404.
router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_format_suffixes = False  # JSON only, like the rest of /api/v1/
router.include_root_view = False
router.register("inquiries", api.InquiryViewSet, basename="inquiry")
router.register("shortlist", api.ShortlistViewSet, basename="shortlist")
router.register("buying-requests", api.BuyingRequestViewSet, basename="buying-request")
router.register("service-requests", api.ServiceRequestViewSet, basename="service-request")

urlpatterns = router.urls
