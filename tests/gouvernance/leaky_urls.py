"""The portal's URLs plus two views that serve gisements without the row gate: what the gate's
tests must catch (one through the model, one through raw SQL on its table)."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from foncier.models import Gisement
from observatoire.urls import urlpatterns as portal


@login_not_required
def gisement_names(request):
    return JsonResponse({"noms": list(Gisement.objects.values_list("nom", flat=True))})


@login_not_required
def gisement_names_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nom FROM foncier_gisement")
        return JsonResponse({"noms": [row[0] for row in cursor.fetchall()]})


urlpatterns = [
    *portal,
    path("fuite/gisements/", gisement_names),
    path("fuite/gisements-sql/", gisement_names_sql),
]
