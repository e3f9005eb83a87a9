from django.urls import path

from bumdes_export.reference import views

app_name = "reference"
urlpatterns = [
    path("retired/", views.retired_references, name="retired"),
    path("reload/", views.reload, name="reload"),
    path("disadvantaged/", views.disadvantaged, name="disadvantaged"),
]
