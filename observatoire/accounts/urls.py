from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("inscription/", views.SignupView.as_view(), name="signup"),
    path("inscription/envoyee/", views.SignupDoneView.as_view(), name="signup-done"),
    path("activation/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("", include("django.contrib.auth.urls")),
]
