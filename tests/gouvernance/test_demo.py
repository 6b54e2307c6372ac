from gouvernance.demo import load_demo_gouvernance
from gouvernance.models import (
    Algorithme,
    Designation,
    DocumentGouvernance,
    HistoriqueDocument,
    Reunion,
    Traitement,
    VersionDocument,
)
from observatoire.accounts.demo import load_demo_accounts


def test_demo_is_complete_and_idempotent(client, territoire):
    load_demo_accounts()
    assert load_demo_gouvernance() == 6
    counts = [
        m.objects.count()
        for m in (
            DocumentGouvernance,
            VersionDocument,
            HistoriqueDocument,
            Reunion,
            Designation,
            Traitement,
            Algorithme,
        )
    ]
    assert load_demo_gouvernance() == 0
    assert counts == [
        m.objects.count()
        for m in (
            DocumentGouvernance,
            VersionDocument,
            HistoriqueDocument,
            Reunion,
            Designation,
            Traitement,
            Algorithme,
        )
    ]
    charte = DocumentGouvernance.objects.get(slug="charte-de-la-donnee")
    assert charte.status == "en_vigueur"
    assert charte.principes.count() == 8
    assert DocumentGouvernance.objects.get(slug="reglement-general-de-la-donnee").status == "en_conception"
    assert set(Traitement.objects.values_list("code", flat=True)) >= {
        "signalements",
        "comptes-utilisateurs",
        "journal-telechargements",
    }
    content = client.get("/gouvernance/").content.decode()
    assert "Isabelle Fabre" in content
    assert "@demo.observatoire.local" in content  # functional mailboxes
    assert "agd@demo.observatoire.local" not in content
    assert "convention-cerema" not in content  # internal
    response = client.get("/gouvernance/documents/charte-de-la-donnee/document.pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
