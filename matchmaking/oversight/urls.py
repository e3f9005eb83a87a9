from django.urls import path

from matchmaking.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/", views.set_target, name="set_target"),
    path("report/", views.monthly_report, name="report"),
    path("provinces/", views.province_pick, name="province_pick"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("export/<slug:what>.<str:fmt>", views.export, name="export"),
]
