"""Catalogue API routes, included at /api/v1/."""

from django.urls import path

from products.catalogue import api

urlpatterns = [
    path("catalogue/", api.CatalogueList.as_view(), name="api-catalogue"),
    path("catalogue/<int:pk>/", api.CatalogueDetail.as_view(), name="api-catalogue-item"),
]
