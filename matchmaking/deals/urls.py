from django.urls import path

from matchmaking.deals import views

app_name = "deals"
urlpatterns = [
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
]
