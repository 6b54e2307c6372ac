from django.urls import path
from rest_framework.routers import SimpleRouter

from ..satisfaction.api import AvisAPIView
from . import views

app_name = "signalements-api"

router = SimpleRouter()
router.register("", views.SignalementViewSet, basename="signalement")

urlpatterns = [
    path("categories/", views.CategoriesAtPointView.as_view(), name="categories"),
    path("proches/", views.ProchesView.as_view(), name="proches"),
    path("clusters.geojson", views.ClustersView.as_view(), name="clusters"),
    path("suivi/<str:token>/avis/", AvisAPIView.as_view(), name="avis"),
    *router.urls,
]
