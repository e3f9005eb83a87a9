app_name = "exporters"
urlpatterns: list = []
