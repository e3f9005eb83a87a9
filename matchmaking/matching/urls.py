"""Match pages, included at /matchmaking/matches/."""

from django.urls import path

from matchmaking.matching import views

app_name = "matching"
urlpatterns = [
    path("recommendations/", views.recommendations, name="recommendations"),
    path("region/", views.region, name="region"),
    path("gaps/", views.gaps, name="gaps"),
    path("rescore/", views.rescore, name="rescore"),
    path("weights/", views.weights, name="weights"),
    path("dismiss/", views.dismiss, name="dismiss"),
    path("restore/", views.restore, name="restore"),
]
