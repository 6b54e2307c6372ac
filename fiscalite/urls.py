from django.urls import path  # noqa: F401  (pages are added by the observatory's views)

app_name = "fiscalite"

urlpatterns = []

# Mounted under /api/v1/fiscalite/ (namespace « fiscalite-api »).
api_urlpatterns = []
