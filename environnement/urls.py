from django.urls import path  # noqa: F401  (pages are added by the observatory's views)

app_name = "environnement"

urlpatterns = []

# Mounted under /api/v1/environnement/ (namespace « environnement-api »).
api_urlpatterns = []
