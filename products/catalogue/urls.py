"""Catalogue pages, mounted at /catalogue/."""

from django.urls import path

from products.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("contact-log/", views.contact_log, name="contact_log"),
    path("<int:pk>/", views.catalogue_detail, name="detail"),
]
