from rest_framework.routers import SimpleRouter

from bumdes_export.notifications.api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notifications")

urlpatterns = router.urls
