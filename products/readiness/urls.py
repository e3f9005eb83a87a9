"""The public document checklist, at /checklist/."""

from django.urls import path

from products.readiness import views

app_name = "readiness"

urlpatterns = [path("", views.checklist, name="checklist")]
