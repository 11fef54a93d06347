import datetime

import pytest
from django.utils import timezone

from stedenplatform.core.models import ApiToken
from stedenplatform.knowledge import services
from stedenplatform.knowledge.models import Document, Meeting

from .conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(users, plan):
    actor = users["kvs_beheerder"]

    def make(title, visibility="publiek", group=None):
        document = Document(title=title, kind="rapport", year=2026, licence="CC-BY-4.0",
                            visibility=visibility, group=group,
                            link_url="https://example.org/d")
        document.body_text = "Over sociale woningen in de stad."
        return services.create_document(actor, document)

    return {"publiek": make("Publieke nota"), "leden": make("Ledennota", "leden"),
            "gdpr": make("GDPR-nota", "werkgroep", plan["gdpr"])}


def test_kennisbank_page_searches_with_facets_and_snippets(client, docs):
    page = client.get("/kennisbank/?q=woning").content.decode()
    assert "1 resultaten voor ‘woning’" in page
    assert "<mark>woningen</mark>" in page
    assert "Publieke nota" in page and "Ledennota" not in page
    assert "Verfijnen" in page


@pytest.mark.parametrize("role,status", [
    (None, 403), ("zonder_rol", 403), ("kvs_lezer", 403), ("gent_bijdrager", 403),
    ("kvs_bijdrager", 200), ("kvs_beheerder", 200),
])
def test_document_form_is_for_kenniscentrum_bijdragers(client, users, role, status):
    if role:
        client.force_login(users[role])
    assert client.get("/kennisbank/documenten/nieuw/").status_code == status


def test_upload_through_the_form_and_refusal_message(client, users, plan, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["kvs_bijdrager"])
    fields = {"title": "Woonnota", "kind": "rapport", "year": 2026,
              "licence": "CC-BY-4.0", "visibility": "publiek"}
    bad = client.post("/kennisbank/documenten/nieuw/", dict(
        fields, upload=SimpleUploadedFile("kapot.pdf", b"%PDF-1.4 kapot")))
    assert bad.status_code == 400
    assert "kon niet gelezen worden als PDF" in bad.content.decode()
    assert not Document.objects.exists()
    good = client.post("/kennisbank/documenten/nieuw/", dict(
        fields, upload=SimpleUploadedFile("woon.pdf", make_pdf("Nieuwe woningen."))))
    assert good.status_code == 302
    assert Document.objects.get().file_type == "pdf"


def test_home_page_shows_news_publications_programmes_and_subscription(client, docs, plan):
    response = client.get("/")
    page = response.content.decode()
    assert "Publieke nota" in page and "Ledennota" not in page
    assert "Digitale Transitie" in page
    assert "Van technologische naar culturele cybersecurity" in page
    assert 'action="/kennisbank/nieuwsbrief/inschrijven/"' in page
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_library_page_groups_by_theme_and_hides_restricted_entries(client, users, plan):
    from stedenplatform.knowledge.models import Collection

    library = Collection.objects.create(code="bibliotheek-gdpr", name="Bibliotheek GDPR",
                                        group=plan["gdpr"])
    for title, theme, visibility in [("Register", "Verwerkingsregister", "leden"),
                                     ("Checklist", "Datalekken", "werkgroep")]:
        services.create_document(users["kvs_beheerder"], Document(
            title=title, theme=theme, kind="standaarddocument", year=2026,
            licence="CC-BY-4.0", visibility=visibility, group=plan["gdpr"],
            collection=library, link_url="https://example.org/x"))
    client.force_login(users["leuven_bijdrager"])
    page = client.get("/kennisbank/bibliotheek/bibliotheek-gdpr/").content.decode()
    assert "Verwerkingsregister" in page and "Checklist" not in page
    client.force_login(users["gent_lezer"])
    page = client.get("/kennisbank/bibliotheek/bibliotheek-gdpr/").content.decode()
    assert "Datalekken" in page and "concept" in page


def test_api_search_respects_the_api_key_user(client, users, docs):
    anonymous = client.get("/api/knowledge/documents", {"q": "woningen"}).json()
    assert [r["title"] for r in anonymous["results"]] == ["Publieke nota"]
    assert "<mark>" in anonymous["results"][0]["snippet"]
    _token, key = ApiToken.issue(users["gent_lezer"], "test")
    member = client.get("/api/knowledge/documents", {"q": "woningen"},
                        headers={"Authorization": f"Bearer {key}"}).json()
    assert {r["title"] for r in member["results"]} == {"Publieke nota", "Ledennota",
                                                      "GDPR-nota"}
    assert client.get("/api/knowledge/documents",
                      headers={"Authorization": "Bearer fout"}).status_code == 401
    assert client.get(f"/api/knowledge/documents/{docs['gdpr'].pk}").status_code == 403


def test_api_agenda_point_needs_a_key_and_a_member_role(client, users, plan):
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        group=plan["gdpr"], title="GDPR", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        agenda_deadline=start - datetime.timedelta(days=2))
    url = f"/api/knowledge/meetings/{meeting.pk}/agenda-points"
    assert client.post(url, {"title": "X"}, content_type="application/json"
                       ).status_code == 401
    _t, outsider = ApiToken.issue(users["leuven_bijdrager"], "t")
    assert client.post(url, {"title": "X"}, content_type="application/json",
                       headers={"Authorization": f"Bearer {outsider}"}).status_code == 403
    _t, member = ApiToken.issue(users["gent_bijdrager"], "t")
    created = client.post(url, {"title": "Cookies"}, content_type="application/json",
                          headers={"Authorization": f"Bearer {member}"})
    assert created.status_code == 201
    assert created.json()["organisation"] == "44021"
    meetings = client.get("/api/knowledge/meetings", {"group": "werkgroep-gdpr"}).json()
    assert meetings[0]["online_url"] is None


def test_group_page_schedules_the_year_for_managers(client, users, plan):
    url = "/kennisbank/groepen/werkgroep-orba/"
    client.force_login(users["gent_bijdrager"])
    assert client.post(url, {"jaar": "2026"}).status_code == 403
    client.force_login(users["kvs_bijdrager"])
    assert client.post(url, {"jaar": "2026"}).status_code == 302
    page = client.get(url + "?jaar=2026").content.decode()
    assert page.count("Werkgroep ORBA: vergadering") == 9
    overview = client.get("/kennisbank/vergaderingen/?jaar=2026").content.decode()
    assert "zeswekelijks" in overview
