from django.urls import path

from exporters import views

app_name = "exporters"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("mine/", views.mine, name="mine"),
    path("pending/", views.pending, name="pending"),
    path("privacy/", views.privacy, name="privacy"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_done, name="register_done"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm_email, name="confirm_email"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/logo/", views.logo, name="logo"),
    path("<int:pk>/members/", views.members, name="members"),
    path(
        "<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
