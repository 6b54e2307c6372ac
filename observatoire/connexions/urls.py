from django.urls import path

from . import views

app_name = "connexions"

urlpatterns = [
    path("journal/", views.JournalView.as_view(), name="journal"),
    path("mes-sessions/", views.MesSessionsView.as_view(), name="mes-sessions"),
    path("mes-sessions/fermer-les-autres/", views.TerminerSessionView.as_view(), name="fermer-autres"),
    path("mes-sessions/<str:public>/fermer/", views.TerminerSessionView.as_view(), name="fermer"),
]
