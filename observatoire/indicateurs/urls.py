from django.urls import path

from . import embeds, views

app_name = "territoires"

urlpatterns = [
    path("comparer/", views.ComparaisonView.as_view(), name="comparer"),
    path("comparer/comparaison.csv", views.comparaison_export, {"fmt": "csv"}, name="comparer-csv"),
    path("comparer/comparaison.xlsx", views.comparaison_export, {"fmt": "xlsx"}, name="comparer-xlsx"),
    path("<str:insee>/", views.PortraitView.as_view(), name="portrait"),
    path("<str:insee>/portrait.csv", views.portrait_export, {"fmt": "csv"}, name="portrait-csv"),
    path("<str:insee>/integrer/", embeds.portrait_embed, name="portrait-integrer"),
    path("<str:insee>/portrait.pdf", views.portrait_pdf_download, name="portrait-pdf"),
    path("<str:insee>/portrait.xlsx", views.portrait_export, {"fmt": "xlsx"}, name="portrait-xlsx"),
]
