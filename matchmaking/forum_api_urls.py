"""Forum API routes, included at /api/v1/."""

urlpatterns: list = []
