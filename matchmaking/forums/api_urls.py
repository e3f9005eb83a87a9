"""Forum API routes, included at /api/v1/."""

from rest_framework.routers import DefaultRouter

from matchmaking.forums import api as api
from matchmaking.forums import api_outcomes

# Path converters (<int:pk>), so ids are integers in the schema and anything else is a 404.
router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_format_suffixes = False  # JSON only, like the rest of /api/v1/
router.include_root_view = False
router.register("forums", api.ForumViewSet, basename="forum")
router.register("forum-participants", api.ParticipantViewSet, basename="forum-participant")
router.register("meeting-requests", api.MeetingRequestViewSet, basename="meeting-request")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("outcomes", api_outcomes.OutcomeViewSet, basename="outcome")  # deprecated
router.register("follow-ups", api.FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
