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
        document = Document(
            title=title,
            kind="rapport",
            year=2026,
            licence="CC-BY-4.0",
            visibility=visibility,
            group=group,
            link_url="https://example.org/d",
        )
        document.body_text = "Over sociale woningen in de stad."
        return services.create_document(actor, document)

    return {
        "publiek": make("Publieke nota"),
        "leden": make("Ledennota", "leden"),
        "gdpr": make("GDPR-nota", "werkgroep", plan["gdpr"]),
    }


def test_kennisbank_page_searches_with_facets_and_snippets(client, docs):
    page = client.get("/kennisbank/?q=woning").content.decode()
    assert "1 resultaten voor ‘woning’" in page
    assert "<mark>woningen</mark>" in page
    assert "Publieke nota" in page and "Ledennota" not in page
    assert "Verfijnen" in page


@pytest.mark.parametrize(
    "role,status",
    [
        (None, 403),
        ("zonder_rol", 403),
        ("kvs_lezer", 403),
        ("gent_bijdrager", 403),
        ("kvs_bijdrager", 200),
        ("kvs_beheerder", 200),
    ],
)
def test_document_form_is_for_kenniscentrum_bijdragers(client, users, role, status):
    if role:
        client.force_login(users[role])
    assert client.get("/kennisbank/documenten/nieuw/").status_code == status


def test_upload_through_the_form_and_refusal_message(client, users, plan, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["kvs_bijdrager"])
    fields = {
        "title": "Woonnota",
        "kind": "rapport",
        "year": 2026,
        "licence": "CC-BY-4.0",
        "visibility": "publiek",
    }
    bad = client.post(
        "/kennisbank/documenten/nieuw/",
        dict(fields, upload=SimpleUploadedFile("kapot.pdf", b"%PDF-1.4 kapot")),
    )
    assert bad.status_code == 400
    assert "kon niet gelezen worden als PDF" in bad.content.decode()
    assert not Document.objects.exists()
    good = client.post(
        "/kennisbank/documenten/nieuw/",
        dict(
            fields, upload=SimpleUploadedFile("woon.pdf", make_pdf("Nieuwe woningen."))
        ),
    )
    assert good.status_code == 302
    assert Document.objects.get().file_type == "pdf"


def test_home_page_shows_news_publications_programmes_and_subscription(
    client, docs, plan
):
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

    library = Collection.objects.create(
        code="bibliotheek-gdpr", name="Bibliotheek GDPR", group=plan["gdpr"]
    )
    for title, theme, visibility in [
        ("Register", "Verwerkingsregister", "leden"),
        ("Checklist", "Datalekken", "werkgroep"),
    ]:
        services.create_document(
            users["kvs_beheerder"],
            Document(
                title=title,
                theme=theme,
                kind="standaarddocument",
                year=2026,
                licence="CC-BY-4.0",
                visibility=visibility,
                group=plan["gdpr"],
                collection=library,
                link_url="https://example.org/x",
            ),
        )
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
    member = client.get(
        "/api/knowledge/documents",
        {"q": "woningen"},
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    assert {r["title"] for r in member["results"]} == {
        "Publieke nota",
        "Ledennota",
        "GDPR-nota",
    }
    assert (
        client.get(
            "/api/knowledge/documents", headers={"Authorization": "Bearer fout"}
        ).status_code
        == 401
    )
    assert client.get(f"/api/knowledge/documents/{docs['gdpr'].pk}").status_code == 403


def test_api_agenda_point_needs_a_key_and_a_member_role(client, users, plan):
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        group=plan["gdpr"],
        title="GDPR",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        agenda_deadline=start - datetime.timedelta(days=2),
    )
    url = f"/api/knowledge/meetings/{meeting.pk}/agenda-points"
    assert (
        client.post(url, {"title": "X"}, content_type="application/json").status_code
        == 401
    )
    _t, outsider = ApiToken.issue(users["leuven_bijdrager"], "t")
    assert (
        client.post(
            url,
            {"title": "X"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {outsider}"},
        ).status_code
        == 403
    )
    _t, member = ApiToken.issue(users["gent_bijdrager"], "t")
    created = client.post(
        url,
        {"title": "Cookies"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {member}"},
    )
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


def test_meeting_edit_minutes_and_agenda_decisions_through_pages(client, users, plan):
    client.force_login(users["kvs_bijdrager"])
    created = client.post(
        "/kennisbank/groepen/werkgroep-gdpr/nieuwe-vergadering/",
        {
            "title": "GDPR: datalekken",
            "theme": "Datalekken",
            "starts_at": "2027-01-21T14:00",
            "ends_at": "2027-01-21T16:00",
            "location": "Brussel",
            "online_url": "",
            "agenda_deadline": "2027-01-14T12:00",
            "status": "gepland",
        },
    )
    assert created.status_code == 302
    meeting = Meeting.objects.get(title="GDPR: datalekken")
    bad = client.post(
        f"/kennisbank/vergaderingen/{meeting.pk}/wijzigen/",
        {
            "title": "GDPR",
            "starts_at": "2027-01-21T14:00",
            "ends_at": "2027-01-21T13:00",
            "agenda_deadline": "2027-01-14T12:00",
            "status": "gepland",
        },
    )
    assert bad.status_code == 400
    assert (
        "Het einde van de vergadering moet na het begin liggen." in bad.content.decode()
    )

    point = services.submit_agenda_point(
        users["gent_bijdrager"], meeting, title="Meldplicht"
    )
    client.post(
        f"/kennisbank/agendapunten/{point.pk}/beslissen", {"status": "aanvaard"}
    )
    point.refresh_from_db()
    assert point.status == "aanvaard"
    client.post(
        f"/kennisbank/vergaderingen/{meeting.pk}/verslag",
        {
            "minutes": "Besproken.",
            "decision": "Procedure goedgekeurd",
            "decision_item": plan["cyber"].pk,
            "action": "",
            "action_item": "",
            "action_due": "",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == "gehouden"
    assert meeting.decisions.get().item == plan["cyber"]

    client.force_login(users["gent_bijdrager"])
    assert (
        client.post(
            f"/kennisbank/agendapunten/{point.pk}/beslissen", {"status": "geweigerd"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/kennisbank/vergaderingen/{meeting.pk}/verslag", {"minutes": "x"}
        ).status_code
        == 403
    )


def test_compose_edit_and_preview_pages(client, users, docs):
    client.force_login(users["kvs_bijdrager"])
    month = timezone.localdate().strftime("%Y-%m")
    assert (
        "Ongeldige maand"
        in client.post(
            "/kennisbank/nieuwsbrief/samenstellen", {"month": "2026-13"}, follow=True
        ).content.decode()
    )
    response = client.post("/kennisbank/nieuwsbrief/samenstellen", {"month": month})
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "Publieke nota" in page and "Ledennota" not in page
    from stedenplatform.knowledge.models import Newsletter

    issue = Newsletter.objects.get()
    entry = issue.entries.get(title="Publieke nota")
    client.post(
        url,
        {"subject": "Bulletin van de maand", "intro": "Hallo", "verwijder": [entry.pk]},
    )
    issue.refresh_from_db()
    assert issue.subject == "Bulletin van de maand" and not issue.entries.exists()
    text = client.get(f"/kennisbank/nieuwsbrief/{issue.pk}/voorbeeld?formaat=tekst")
    assert text["Content-Type"].startswith("text/plain")
    assert "Bulletin" not in text.content.decode() or "Hallo" in text.content.decode()
    html = client.get(f"/kennisbank/nieuwsbrief/{issue.pk}/voorbeeld").content.decode()
    assert '<html lang="nl">' in html and "Hallo" in html


def test_newsletter_index_shows_trend_and_sections_with_tables(client, users):
    import datetime as dt

    from stedenplatform.knowledge.models import (
        CampaignStatistics,
        LinkClicks,
        Newsletter,
    )

    for month, views in [(10, 400), (11, 450)]:
        issue = Newsletter.objects.create(
            issue=dt.date(2026, month, 1), subject="B", status="verzonden"
        )
        stats = CampaignStatistics.objects.create(
            newsletter=issue,
            imported_at=timezone.now(),
            delivered=1000,
            unique_views=views,
            unique_clicks=100,
        )
        LinkClicks.objects.create(
            statistics=stats,
            url="https://example.org/a",
            section="kennisbank",
            clicks=60 + month,
        )
        LinkClicks.objects.create(
            statistics=stats, url="https://example.org/b", section="links", clicks=5
        )
    client.force_login(users["kvs_beheerder"])
    page = client.get("/kennisbank/nieuwsbrief/").content.decode()
    assert (
        '<th scope="row">2026-11</th><td class="num">1000</td><td class="num">450</td>'
        '<td class="num">45.0</td>' in page.replace("45,0", "45.0")
    )
    assert "Nieuw in de Kennisbank</th>" in page
    assert (
        '<th scope="row">2026-10</th><td class="num">70</td><td class="num">5</td>'
        in page
    )
    assert page.count('role="img"') == 2


def test_an_oversized_upload_is_refused_before_it_is_read(
    client, users, media, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stedenplatform.knowledge import views

    monkeypatch.setattr(views, "MAX_FILE_BYTES", 1024 * 1024)
    client.force_login(users["kvs_bijdrager"])
    response = client.post(
        "/kennisbank/documenten/nieuw/",
        {
            "title": "Groot",
            "kind": "rapport",
            "year": 2026,
            "licence": "CC-BY-4.0",
            "visibility": "publiek",
            "upload": SimpleUploadedFile(
                "groot.pdf", b"%PDF-1.4 " + b"0" * 2 * 1024 * 1024
            ),
        },
    )
    assert response.status_code == 400
    assert "toegelaten: ten hoogste 1 MB" in response.content.decode()
    assert not Document.objects.exists()
