"""Readiness API routes, included at /api/v1/."""

from django.urls import path

from products.readiness import api

urlpatterns = [path("checklist/", api.Checklist.as_view(), name="api-checklist")]
