from django.urls import path

from products.imports import views

# Included at /registry/imports/ inside the "products" namespace: "products:import_list".
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_upload, name="import_upload"),
    path("clear/", views.import_clear, name="import_clear"),
    path("template.<str:fmt>", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/errors.csv", views.import_report, name="import_report"),
]
