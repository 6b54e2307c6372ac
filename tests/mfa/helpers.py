from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_of(device, offset=0):
    """The code an authenticator app shows now (``offset`` steps later)."""
    return f"{totp(bytes.fromhex(device.key), t0=device.t0 - offset * device.step):06d}"


def enrolled(user, **fields):
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True, **fields)


def password_login(client, email, password, url="login"):
    return client.post(reverse(url), {"username": email, "password": password})
