app_name = "signalements-dashboard"

urlpatterns = []
