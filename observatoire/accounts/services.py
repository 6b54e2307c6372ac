from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .enums import Role
from .tokens import activation_token


def citizen_signup(form, request):
    """Create an inactive citizen account and send the confirmation link after commit.

    When the address already has an account, nothing is created: its owner is told by e-mail
    that someone tried, and the visitor sees the same page as for a new account.
    """
    existing = form.existing_account()
    if existing is not None:
        make_password(form.cleaned_data["password1"])  # the same hashing time as a new account
        _notify_existing_account(existing, request)
        return None
    with transaction.atomic():
        user = form.save(commit=False)
        user.is_active = False
        user.save()
        user.groups.add(Group.objects.get(name=Role.CITOYEN))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(
        reverse("activate", kwargs={"uidb64": uid, "token": activation_token.make_token(user)})
    )
    body = render_to_string("accounts/email/activation.txt", {"user": user, "link": link})
    transaction.on_commit(lambda: send_mail("Confirmez votre adresse électronique", body, None, [user.email]))
    return user


def activate(user, token):
    if user.is_active or not activation_token.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


def _notify_existing_account(user, request):
    context = {
        "user": user,
        "login": request.build_absolute_uri(reverse("login")),
        "reset": request.build_absolute_uri(reverse("password_reset")),
    }
    body = render_to_string("accounts/email/signup_existing.txt", context)
    subject = "Demande de création de compte avec votre adresse"
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
