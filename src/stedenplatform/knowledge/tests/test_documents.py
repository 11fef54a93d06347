import pytest
from django.core.exceptions import PermissionDenied

from stedenplatform.core.models import AuditEntry
from stedenplatform.knowledge import queries, services
from stedenplatform.knowledge.extraction import UnreadableFileError, extract_text
from stedenplatform.knowledge.models import Document

from .conftest import make_docx, make_pdf, make_pptx, make_xlsx

pytestmark = pytest.mark.django_db


def new_document(**fields) -> Document:
    values = {
        "title": "Rapport",
        "kind": "rapport",
        "year": 2025,
        "licence": "CC-BY-4.0",
        "visibility": "publiek",
    }
    values.update(fields)
    return Document(**values)


def test_text_is_extracted_from_every_supported_format():
    assert (
        "woningen"
        in extract_text("a.pdf", make_pdf("Er zijn te weinig woningen.")).text
    )
    assert (
        "huurprijzen" in extract_text("a.docx", make_docx("Stijgende huurprijzen")).text
    )
    xlsx = extract_text("a.xlsx", make_xlsx([["stad", "leegstand"], ["Gent", 412]]))
    assert "leegstand" in xlsx.text and "412" in xlsx.text
    pptx = extract_text("a.pptx", make_pptx("Klimaatdata", "Verbruik per bouwblok"))
    assert "bouwblok" in pptx.text and pptx.pages == 1


@pytest.mark.parametrize(
    "name,content,code,fragment",
    [
        (
            "kapot.pdf",
            b"%PDF-1.7 dit is geen echte pdf",
            "bestand_onleesbaar",
            "kon niet gelezen worden als PDF",
        ),
        ("nep.pdf", b"gewone tekst", "bestand_vals_type", "is geen PDF-bestand"),
        ("oud.docx", b"\xd0\xcf\x11\xe0 oud word", "bestand_vals_type", "ouder .doc"),
        ("leeg.xlsx", b"", "bestand_leeg", "is leeg"),
        (
            "foto.jpg",
            b"\xff\xd8\xff",
            "bestandstype_niet_toegelaten",
            "toegelaten: PDF",
        ),
    ],
)
def test_unreadable_file_is_refused_with_a_dutch_message(name, content, code, fragment):
    with pytest.raises(UnreadableFileError) as refused:
        extract_text(name, content)
    assert refused.value.code == code
    assert fragment in refused.value.message


def test_pdf_without_text_layer_is_refused():
    from weasyprint import HTML

    blank = HTML(string="<html><body></body></html>").write_pdf()
    with pytest.raises(UnreadableFileError) as refused:
        extract_text("scan.pdf", blank)
    assert refused.value.code == "bestand_zonder_tekst"
    assert "OCR" in refused.value.message


def test_unreadable_upload_stores_nothing(users, media):
    with pytest.raises(UnreadableFileError):
        services.create_document(
            users["kvs_bijdrager"],
            new_document(),
            services.Upload("kapot.pdf", b"%PDF-1.4 stuk"),
        )
    assert Document.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="knowledge.").exists()
    assert not list(media.rglob("*.pdf")) if media.exists() else True


def test_created_document_is_stored_indexed_and_audited(users, media):
    document = services.create_document(
        users["kvs_bijdrager"],
        new_document(title="Wonen in de centrumsteden"),
        services.Upload(
            "wonen.pdf", make_pdf("De vraag naar betaalbare woningen stijgt.")
        ),
    )
    assert document.file_type == "pdf" and document.file_size > 0
    assert len(document.file_sha256) == 64
    assert AuditEntry.objects.get(action="knowledge.document.create").object_id == str(
        document.pk
    )
    result = queries.search_documents(None, "woning")
    assert [d.pk for d in result.documents] == [document.pk]


@pytest.mark.parametrize("role", ["kvs_lezer", "gent_bijdrager", "zonder_rol"])
def test_only_kenniscentrum_bijdragers_manage_documents(users, role):
    with pytest.raises(PermissionDenied) as refused:
        services.create_document(
            users[role], new_document(link_url="https://example.org")
        )
    assert "bijdrager" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.create_document(None, new_document(link_url="https://example.org"))


def test_group_visibility_requires_a_group(users):
    with pytest.raises(services.DocumentRefusedError) as refused:
        services.create_document(
            users["kvs_beheerder"],
            new_document(visibility="werkgroep", link_url="https://example.org"),
        )
    assert refused.value.code == "werkgroep_ontbreekt"


def test_recording_needs_a_link(users):
    with pytest.raises(services.DocumentRefusedError) as refused:
        services.create_document(users["kvs_beheerder"], new_document(kind="opname"))
    assert "link" in refused.value.message


@pytest.fixture
def documents(users, plan, media):
    actor = users["kvs_beheerder"]
    make = lambda **f: services.create_document(  # noqa: E731
        actor, new_document(link_url="https://example.org/doc", **f)
    )
    return {
        "publiek": make(title="Publiek rapport over woningen"),
        "leden": make(title="Ledennota over woningen", visibility="leden"),
        "gdpr": make(
            title="Verwerkersovereenkomst woningen",
            visibility="werkgroep",
            group=plan["gdpr"],
        ),
        "orba": make(
            title="ORBA-handleiding woningen",
            visibility="werkgroep",
            group=plan["orba"],
        ),
    }


@pytest.mark.parametrize(
    "role,expected",
    [
        (None, {"publiek"}),
        ("zonder_rol", {"publiek"}),
        ("leuven_bijdrager", {"publiek", "leden", "orba"}),
        ("gent_lezer", {"publiek", "leden", "gdpr", "orba"}),
        ("gent_bijdrager", {"publiek", "leden", "gdpr", "orba"}),
        ("kvs_lezer", {"publiek", "leden"}),
        ("kvs_bijdrager", {"publiek", "leden", "gdpr", "orba"}),
        ("kvs_beheerder", {"publiek", "leden", "gdpr", "orba"}),
    ],
)
def test_each_role_sees_only_the_documents_meant_for_it(
    users, documents, role, expected
):
    user = users[role] if role else None
    names = {v.pk: k for k, v in documents.items()}
    for text in ("", "woningen"):
        found = {names[d.pk] for d in queries.search_documents(user, text).documents}
        assert found == expected


def test_group_document_page_is_refused_to_outsiders(client, users, documents):
    url = f"/kennisbank/documenten/{documents['gdpr'].pk}/"
    assert client.get(url).status_code == 403
    client.force_login(users["leuven_bijdrager"])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Werkgroep GDPR" in refused.content.decode()
    client.force_login(users["gent_lezer"])
    assert client.get(url).status_code == 200


def test_download_checks_visibility(client, users, plan, media):
    document = services.create_document(
        users["kvs_beheerder"],
        new_document(visibility="werkgroep", group=plan["gdpr"]),
        services.Upload(
            "geheim.docx", make_docx("Vertrouwelijke verwerkersovereenkomst")
        ),
    )
    url = f"/kennisbank/documenten/{document.pk}/bestand"
    assert client.get(url).status_code == 403
    client.force_login(users["gent_lezer"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_replacing_the_file_reindexes_the_document(users, media):
    actor = users["kvs_beheerder"]
    document = services.create_document(
        actor, new_document(), services.Upload("a.docx", make_docx("over parkeren"))
    )
    services.update_document(
        actor, document, services.Upload("b.docx", make_docx("over fietsen"))
    )
    assert not queries.search_documents(actor, "parkeren").documents
    assert queries.search_documents(actor, "fietsen").total == 1


def test_deleted_document_leaves_the_index(users, media):
    actor = users["kvs_beheerder"]
    document = services.create_document(
        actor, new_document(), services.Upload("a.docx", make_docx("over parkeren"))
    )
    services.delete_document(actor, document)
    assert queries.search_documents(actor, "parkeren").total == 0
    assert AuditEntry.objects.filter(action="knowledge.document.delete").count() == 1


def test_library_status_changes_are_audited_and_checked(users, plan):
    from stedenplatform.knowledge.models import Collection

    library = Collection.objects.create(
        code="gdpr", name="Bibliotheek GDPR", group=plan["gdpr"]
    )
    actor = users["kvs_bijdrager"]
    document = services.create_document(
        actor,
        new_document(
            collection=library,
            theme="Verwerkersovereenkomsten",
            kind="standaarddocument",
            link_url="https://example.org/vo",
        ),
    )
    assert document.library_status == "concept"
    services.set_library_status(actor, document, "geevalueerd")
    with pytest.raises(services.DocumentRefusedError) as refused:
        services.set_library_status(actor, document, "klaar")
    assert "toegelaten: concept, geevalueerd, definitief" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.set_library_status(users["gent_bijdrager"], document, "definitief")
    themes = queries.library(users["gent_lezer"], library)
    assert themes[0][0] == "Verwerkersovereenkomsten"
    assert themes[0][1][0].library_status == "geevalueerd"
