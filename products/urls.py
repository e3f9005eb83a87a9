from django.urls import include, path

from products import views

app_name = "products"
urlpatterns = [
    path("", views.index, name="index"),
    path("imports/", include("products.imports.urls")),
    # BUMDes
    path("bumdes/", views.bumdes_list, name="bumdes_list"),
    path("bumdes/new/", views.bumdes_create, name="bumdes_create"),
    path("bumdes/<int:pk>/", views.bumdes_detail, name="bumdes_detail"),
    path("bumdes/<int:pk>/edit/", views.bumdes_edit, name="bumdes_edit"),
    path("bumdes/<int:pk>/transition/", views.bumdes_transition, name="bumdes_transition"),
    path("bumdes/<int:pk>/photo/", views.bumdes_photo, name="bumdes_photo"),
    path("bumdes/<int:pk>/operator/", views.bumdes_operator, name="bumdes_operator"),
    # Products
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/transition/", views.product_transition, name="product_transition"),
    path("products/<int:pk>/confirm/", views.product_confirm, name="product_confirm"),
    path(
        "products/<int:pk>/specification/",
        views.specification_edit,
        name="product_specification",
    ),
    path("products/<int:pk>/photos/", views.product_photo_add, name="product_photo_add"),
    path(
        "products/<int:pk>/photos/<int:photo_pk>/delete/",
        views.product_photo_delete,
        name="product_photo_delete",
    ),
    path("products/<int:pk>/certificates/new/", views.certificate_add, name="certificate_add"),
    path(
        "products/<int:pk>/certificates/<int:certificate_pk>/edit/",
        views.certificate_edit,
        name="certificate_edit",
    ),
    path(
        "products/<int:pk>/certificates/<int:certificate_pk>/delete/",
        views.certificate_delete,
        name="certificate_delete",
    ),
    # Ministry
    path("curation/", views.curation, name="curation"),
]
