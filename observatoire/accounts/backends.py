"""Who may authenticate: everyone the stock backends accept, except the demo accounts outside
development. Their password is printed in the README, so when DEBUG is off they are refused on
every way in: the login form and the admin's (``authenticate``), an existing session
(``get_user``) and an API token."""

from django.contrib.auth.backends import ModelBackend
from rest_framework import authentication, exceptions

from .demo import demo_accounts_refused


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not demo_accounts_refused(user)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if demo_accounts_refused(user):
            raise exceptions.AuthenticationFailed("Les comptes de démonstration sont refusés sur ce portail.")
        return user, token
