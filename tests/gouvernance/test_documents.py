from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from gouvernance.models import DocumentGouvernance, HistoriqueDocument, VersionDocument
from gouvernance.models.documents import MAX_PDF_BYTES, StatutDocument, TypeDocument, validate_pdf
from tests.factories import OrganisationFactory

S = StatutDocument


def deliberate(doc, user):
    return doc.transition(
        S.DELIBERE, by=user, date_deliberation=date(2022, 6, 30), reference="NUM 005/22/CM", motif="Vote"
    )


def test_full_lifecycle_appends_one_history_row_per_change(make_document, agd):
    doc = make_document("charte")
    deliberate(doc, agd)
    doc.transition(S.EN_VIGUEUR, by=agd, date=date(2022, 7, 15))
    doc.transition(S.ABROGE, by=agd, motif="Remplacée par la charte 2026", date=date(2026, 1, 10))

    doc.refresh_from_db()
    assert doc.status == S.ABROGE
    assert (doc.date_effet, doc.date_abrogation) == (date(2022, 7, 15), date(2026, 1, 10))
    rows = list(HistoriqueDocument.objects.filter(document=doc).values_list("from_status", "to_status", "by"))
    assert rows == [
        (S.EN_CONCEPTION, S.DELIBERE, agd.pk),
        (S.DELIBERE, S.EN_VIGUEUR, agd.pk),
        (S.EN_VIGUEUR, S.ABROGE, agd.pk),
    ]
    assert doc.historique.last().motif == "Remplacée par la charte 2026"


@pytest.mark.parametrize(
    ("steps", "forbidden"),
    [
        ([], S.EN_VIGUEUR),  # not deliberated yet
        ([], S.ABROGE),
        ([S.DELIBERE], S.EN_CONCEPTION),
        ([S.DELIBERE, S.EN_VIGUEUR], S.DELIBERE),
        ([S.DELIBERE, S.ABROGE], S.EN_VIGUEUR),  # abrogé is final
    ],
)
def test_forbidden_transitions_change_nothing(make_document, agd, steps, forbidden):
    doc = make_document("clause")
    for step in steps:
        if step == S.DELIBERE:
            deliberate(doc, agd)
        else:
            doc.transition(step, by=agd)
    before = HistoriqueDocument.objects.count()
    with pytest.raises(ValidationError, match="Impossible de passer"):
        doc.transition(forbidden, by=agd)
    assert HistoriqueDocument.objects.count() == before
    assert DocumentGouvernance.objects.get(pk=doc.pk).status == doc.status


@pytest.mark.parametrize(("day", "reference"), [(None, "NUM 1"), (date(2022, 6, 30), ""), (None, "")])
def test_deliberated_needs_date_and_reference(make_document, agd, day, reference):
    doc = make_document("rgd")
    with pytest.raises(ValidationError, match="date et la référence de la délibération"):
        doc.transition(S.DELIBERE, by=agd, date_deliberation=day, reference=reference)
    assert DocumentGouvernance.objects.get(pk=doc.pk).status == S.EN_CONCEPTION
    assert not HistoriqueDocument.objects.exists()


def test_database_refuses_a_deliberated_document_without_reference(make_document):
    doc = make_document("acte")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentGouvernance.objects.filter(pk=doc.pk).update(status=S.DELIBERE)


def test_history_is_append_only(make_document, agd):
    entry = deliberate(make_document("charte"), agd)
    entry.motif = "réécrit"
    with pytest.raises(ValidationError):
        entry.save()


def test_convention_needs_a_partner(make_document):
    doc = DocumentGouvernance(
        slug="conv", titre="Convention", type=TypeDocument.CONVENTION, visibilite="public"
    )
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert "organisation" in error.value.message_dict
    doc.organisation = OrganisationFactory(nom="AGAM")
    doc.full_clean()


def test_versions_are_numbered_per_document(make_document, pdf_bytes):
    doc = make_document("charte")
    other = make_document("clause")
    second = VersionDocument.objects.create(
        document=doc, fichier=SimpleUploadedFile("v2.pdf", pdf_bytes), note="Révision"
    )
    assert second.numero == 2
    assert other.versions.get().numero == 1
    assert doc.latest == second
    assert second.taille == len(pdf_bytes)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("charte.docx", b"%PDF-1.7 ...", "extension .pdf"),
        ("charte.pdf", b"<html>not a pdf</html>", "signature %PDF"),
        ("charte.pdf", b"%PDF-" + b"0" * MAX_PDF_BYTES, "dépasse 20 Mo"),
    ],
)
def test_uploaded_pdf_is_checked(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_pdf(SimpleUploadedFile(name, content))


def test_valid_pdf_passes_and_is_rewound_for_storage(pdf_bytes):
    upload = SimpleUploadedFile("Charte.PDF", pdf_bytes)
    upload.seek(3)
    assert validate_pdf(upload) is None
    assert upload.read() == pdf_bytes  # the storage gets the whole file, not what follows the signature


def test_a_pdf_of_exactly_the_maximum_size_passes():
    upload = SimpleUploadedFile("charte.pdf", b"%PDF-" + b"0" * (MAX_PDF_BYTES - 5))
    assert upload.size == MAX_PDF_BYTES
    assert validate_pdf(upload) is None
