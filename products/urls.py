from django.urls import include, path

app_name = "products"
urlpatterns = [
    path("imports/", include("products.imports.urls")),
]
