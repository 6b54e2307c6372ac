from django.urls import path
from rest_framework.routers import SimpleRouter

from ..actifs.api import ActifsBboxView, ActifsProchesView
from ..satisfaction.api import AvisAPIView
from . import views

app_name = "signalements-api"

router = SimpleRouter()
router.register("", views.SignalementViewSet, basename="signalement")

urlpatterns = [
    path("categories/", views.CategoriesAtPointView.as_view(), name="categories"),
    path("proches/", views.ProchesView.as_view(), name="proches"),
    path("clusters.geojson", views.ClustersView.as_view(), name="clusters"),
    path("actifs.geojson", ActifsBboxView.as_view(), name="actifs"),
    path("actifs/proches/", ActifsProchesView.as_view(), name="actifs-proches"),
    path("suivi/<str:token>/avis/", AvisAPIView.as_view(), name="avis"),
    *router.urls,
]
