from django.urls import path

from matchmaking.deals import views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="deal_list"),
    path("export.<str:fmt>", views.deal_export, name="deal_export"),
    path("new/", views.deal_new, name="deal_new"),
    path("shipments/", views.shipment_list, name="shipment_list"),
    path("shipments/export.<str:fmt>", views.shipment_export, name="shipment_export"),
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
    path("<int:pk>/steps/", views.step_record, name="step_record"),
    path("<int:pk>/shipments/", views.shipment_record, name="shipment_record"),
    path("<int:pk>/lost/", views.lost_record, name="lost_record"),
]
