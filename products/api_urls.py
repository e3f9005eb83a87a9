"""Registry API routes, included at /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from products import api

# Path converters (<int:pk>), so ids are integers in the schema and anything else is a 404.
router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_format_suffixes = False  # JSON only, like the rest of /api/v1/
router.register("bumdes", api.BumdesViewSet, basename="bumdes")
router.register("products", api.ProductViewSet, basename="product")
router.register("certificate-types", api.CertificateTypeViewSet, basename="certificate-type")

certificate_list = api.CertificateViewSet.as_view({"get": "list", "post": "create"})
certificate_detail = api.CertificateViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path(
        "products/<int:product_pk>/certificates/",
        certificate_list,
        name="product-certificate-list",
    ),
    path(
        "products/<int:product_pk>/certificates/<int:pk>/",
        certificate_detail,
        name="product-certificate-detail",
    ),
    *router.urls,
]
