"""People read the label of a choice, never its stored code (issue 10, item 12)."""

import re

from django.urls import reverse

from observatoire.accounts.enums import Role
from tests.factories import UserFactory


def test_the_requests_to_decide_name_their_status_in_words(client):
    client.force_login(UserFactory(role=Role.AGD))
    page = client.get(reverse("acces:demandes")).content.decode()
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", page, re.S).group(1)
    assert caption == "Demandes « en attente de décision »"
    refused = client.get(reverse("acces:demandes"), {"statut": "refusee"}).content.decode()
    assert "Demandes « refusée" in refused and "« refusee »" not in refused
