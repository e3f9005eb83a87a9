from django.urls import path

from bumdes_export.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/active/", views.set_active, name="set_active"),
    path("<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("me/", views.profile, name="profile"),
]
