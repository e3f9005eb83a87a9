"""Forum pages, included at /forums/."""

from django.urls import path

app_name = "forums"
urlpatterns: list = []
