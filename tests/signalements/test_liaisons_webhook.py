"""Signed JSON webhooks: what we send to a service's system, and the status updates it posts back."""

import hashlib
import hmac
import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from signalements import workflow
from signalements.enums import Status
from signalements.liaisons import outbox
from signalements.liaisons.models import Envoi, EtatEnvoi, EvenementEntrant, Liaison, Mode
from signalements.models import Notification


class Receiver(BaseHTTPRequestHandler):
    """The service's system: keeps what it receives, answers with its own reference."""

    calls = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.calls.append((dict(self.headers), body))
        answer = json.dumps({"reference": f"TICKET-{len(Receiver.calls)}"}).encode()
        self.send_response(Receiver.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def their_system():
    Receiver.calls, Receiver.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/signalements"
    server.shutdown()
    server.server_close()


@pytest.fixture
def liaison(service_marseille, their_system):
    return Liaison.objects.create(service=service_marseille, mode=Mode.WEBHOOK, webhook_url=their_system)


@pytest.fixture
def sent(liaison, report, gestionnaire):
    """The report forwarded, and its webhook call made."""
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    envoi = Envoi.objects.get(signalement=report)
    assert outbox.send(envoi.pk) is True
    envoi.refresh_from_db()
    return envoi


def expected_signature(secret, timestamp, body):
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_forwarding_posts_a_signed_document_without_personal_data(sent, liaison, report):
    assert (sent.etat, sent.reference_externe) == (EtatEnvoi.ENVOYE, "TICKET-1")
    [(headers, body)] = Receiver.calls
    assert headers["Content-Type"] == "application/json"
    assert headers["Idempotency-Key"] == str(sent.cle)
    assert abs(int(headers["X-Signature-Timestamp"]) - time.time()) < 60
    assert headers["X-Signature"] == expected_signature(
        liaison.secret, headers["X-Signature-Timestamp"], body
    )
    document = json.loads(body)
    assert document["event"] == "signalement.transmis"
    assert document["event_id"] == str(sent.cle)
    assert document["signalement"]["id"] == report.pk
    assert document["signalement"]["reference"] == report.reference
    assert document["signalement"]["categorie"]["code"] == "proprete"
    assert document["signalement"]["commune"] == {"insee": "13055", "nom": "Marseille"}
    assert document["retour"].endswith(reverse("signalements:liaison-evenements", kwargs={"pk": liaison.pk}))
    assert "habitant@exemple.fr" not in body.decode()
    # Their system got it: no e-mail to the service's mailbox as well.
    assert not Notification.objects.filter(recipient="proprete@exemple.fr").exists()


def test_a_service_without_a_link_still_gets_its_email(report, gestionnaire):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    assert not Envoi.objects.exists()
    assert Notification.objects.filter(recipient="proprete@exemple.fr").exists()


def test_their_server_error_is_retried_later(liaison, report, gestionnaire):
    Receiver.status = 503
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    envoi = Envoi.objects.get(signalement=report)
    assert outbox.send(envoi.pk) is False
    envoi.refresh_from_db()
    assert envoi.etat == EtatEnvoi.ECHEC and "503" in envoi.last_error
    assert outbox.backoff(1) < outbox.backoff(2) < outbox.backoff(3) <= outbox.MAX_DELAY


# --- Inbound -------------------------------------------------------------------------------------


def post_event(client, liaison, document, secret=None, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(document).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        reverse("signalements:liaison-evenements", kwargs={"pk": liaison.pk}),
        data=body,
        content_type="application/json",
        headers={
            "X-Signature-Timestamp": timestamp,
            "X-Signature": expected_signature(secret or liaison.secret, timestamp, body),
        },
    )


def event(report, statut, event_id="evt-1", note=""):
    return {"event_id": event_id, "signalement": report.pk, "statut": statut, "note": note}


def test_their_status_update_moves_the_report_once(client, sent, liaison, report):
    planned = {**event(report, "planifie", note="Passage jeudi."), "date_intervention_prevue": "2026-12-03"}
    response = post_event(client, liaison, planned)
    assert response.status_code == 200
    assert response.json() == {
        "event_id": "evt-1",
        "statut": "planifie",
        "etapes": ["pris_en_charge", "planifie"],
    }
    report.refresh_from_db()
    assert report.status == Status.PLANIFIE
    assert report.date_intervention_prevue == date(2026, 12, 3)
    notes = list(report.historique.order_by("at", "pk").values_list("note", flat=True))[-2:]
    assert notes == [
        "Mis à jour par Propreté Marseille",
        "Mis à jour par Propreté Marseille : Passage jeudi.",
    ]
    assert EvenementEntrant.objects.get(event_id="evt-1").applied

    replay = post_event(client, liaison, event(report, "planifie", note="Passage jeudi."))
    assert replay.status_code == 409
    assert "déjà reçu" in replay.json()["erreur"]
    # The same state under another event id changes nothing either.
    again = post_event(client, liaison, event(report, "planifie", "evt-2", note="Passage jeudi."))
    assert again.status_code == 200 and again.json()["etapes"] == []

    done = post_event(client, liaison, event(report, "resolu", "evt-3"))
    assert done.status_code == 200 and done.json()["statut"] == "resolu"


def test_not_theirs_sends_it_back_to_triage(client, sent, liaison, report):
    response = post_event(client, liaison, event(report, "renvoye", note="Voirie, pas propreté."))
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == Status.EN_ANALYSE


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"secret": "un-autre-secret"}, 401, "Signature invalide"),
        ({"timestamp": int(time.time()) - 3600}, 401, "Horodatage"),
        ({"raw": b"{pas du json"}, 400, "JSON"),
        ({"document": {"event_id": "x", "signalement": 999999999, "statut": "resolu"}}, 400, "inconnu"),
        ({"document": {"event_id": "x", "statut": "resolu"}}, 400, "signalement"),
        ({"document": {"event_id": "", "signalement": 1, "statut": "resolu"}}, 400, "event_id"),
        ({"document": {"event_id": "x", "signalement": 1, "statut": "clos"}}, 400, "statut"),
        (
            {
                "document": {
                    "event_id": "x",
                    "signalement": 1,
                    "statut": "planifie",
                    "date_intervention_prevue": "jeudi",
                }
            },
            400,
            "AAAA-MM-JJ",
        ),
    ],
)
def test_bad_calls_get_a_json_error_and_change_nothing(
    client, sent, liaison, report, change, status, message
):
    document = change.pop("document", event(report, "resolu"))
    response = post_event(client, liaison, document, **change)
    assert response.status_code == status
    assert message in response.json()["erreur"]
    report.refresh_from_db()
    assert report.status == Status.TRANSMIS
    assert not EvenementEntrant.objects.exists()


def test_an_impossible_move_is_refused_and_recorded(client, sent, liaison, report, gestionnaire):
    post_event(client, liaison, event(report, "resolu", "evt-a"))
    workflow.transition(report, Status.CLOS, user=gestionnaire)
    response = post_event(client, liaison, event(report, "planifie", "evt-b"))
    assert response.status_code == 409
    assert "Clos" in response.json()["erreur"]
    assert EvenementEntrant.objects.get(event_id="evt-b").error


def test_unsigned_or_unknown_or_other_methods(client, sent, liaison, report):
    url = reverse("signalements:liaison-evenements", kwargs={"pk": liaison.pk})
    unsigned = client.post(url, data=json.dumps(event(report, "resolu")), content_type="application/json")
    assert unsigned.status_code == 401 and "X-Signature" in unsigned.json()["erreur"]
    assert client.get(url).status_code == 405
    unknown = client.post(reverse("signalements:liaison-evenements", kwargs={"pk": liaison.pk + 1000}))
    assert unknown.status_code == 404 and unknown.json()["erreur"]


def test_round_trip_over_http_as_documented(live_server, sent, liaison, report):
    """Their system reads our document, then posts its news to the address it names, over HTTP."""
    [(_, body)] = Receiver.calls
    document = json.loads(body)
    path = urlsplit(document["retour"]).path
    news = json.dumps(
        {"event_id": "ticket-1-resolu", "signalement": document["signalement"]["id"], "statut": "resolu"}
    ).encode()
    timestamp = str(int(time.time()))
    response = requests.post(
        live_server.url + path,
        data=news,
        headers={
            "Content-Type": "application/json",
            "X-Signature-Timestamp": timestamp,
            "X-Signature": expected_signature(liaison.secret, timestamp, news),
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["etapes"] == ["pris_en_charge", "resolu"]
    report.refresh_from_db()
    assert report.status == Status.RESOLU
