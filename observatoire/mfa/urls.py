from django.urls import path

from . import views

app_name = "mfa"

urlpatterns = [
    path("verification/", views.ChallengeView.as_view(), name="verification"),
    path("activation/", views.EnrolmentView.as_view(), name="enrolement"),
    path("codes-de-secours/", views.RecoveryCodesView.as_view(), name="codes"),
    path("codes-de-secours.txt", views.recovery_codes_text, name="codes-texte"),
    path("codes-de-secours/regenerer/", views.RegenerateView.as_view(), name="regenerer"),
    path("desactivation/", views.DisableView.as_view(), name="desactiver"),
]
