import datetime
import json
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.knowledge import newsletter as bulletin
from stedenplatform.knowledge import services
from stedenplatform.knowledge.brevo import BrevoClient, BrevoError
from stedenplatform.knowledge.models import (
    Document,
    Meeting,
    NewsItem,
    Newsletter,
    Subscriber,
)

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def confirmation_link(message) -> str:
    return re.search(
        r"http://testserver(/kennisbank/nieuwsbrief/bevestigen/[^\s]+/)", message.body
    ).group(1)


def test_subscribing_needs_consent_and_confirmation(client):
    refused = client.post(
        "/kennisbank/nieuwsbrief/inschrijven/", {"email": "an@example.org"}
    )
    assert refused.status_code == 400
    assert "Vink de toestemming aan" in refused.content.decode()
    assert not Subscriber.objects.exists()

    response = client.post(
        "/kennisbank/nieuwsbrief/inschrijven/",
        {"email": "An@Example.org", "name": "An", "consent": "on"},
    )
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "an@example.org"
    assert subscriber.status == "wachtend" and subscriber.source == "formulier"
    assert subscriber.consent_at is not None
    [message] = mail.outbox
    assert message.to == ["an@example.org"]
    assert message.alternatives[0][1] == "text/html"

    confirmed = client.get(confirmation_link(message))
    assert confirmed.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "actief" and subscriber.confirmed_at is not None


def test_a_tampered_confirmation_link_is_refused(client):
    bulletin.subscribe("b@example.org", consent=True, base_url=BASE)
    link = confirmation_link(mail.outbox[0])
    response = client.get(link.replace("/bevestigen/", "/bevestigen/x"))
    assert response.status_code == 400
    assert "ongeldig" in response.content.decode()
    assert Subscriber.objects.get().status == "wachtend"


def test_an_expired_confirmation_link_is_refused(settings):
    bulletin.subscribe("c@example.org", consent=True, base_url=BASE)
    token = confirmation_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    from unittest import mock

    later = datetime.datetime.now().timestamp() + 8 * 24 * 3600
    with mock.patch("time.time", return_value=later):
        with pytest.raises(bulletin.NewsletterError) as refused:
            bulletin.confirm(token)
    assert refused.value.code == "link_verlopen"


def test_unsubscribe_link_works_without_logging_in(client):
    subscriber = Subscriber.objects.create(
        email="d@example.org",
        status="actief",
        source="import",
        consent_at=timezone.now(),
    )
    url = bulletin.unsubscribe_path(bulletin.unsubscribe_token(subscriber))
    page = client.get(url)
    assert page.status_code == 200 and "d@example.org" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "actief"  # a GET (link preview) changes nothing
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "uitgeschreven" and subscriber.unsubscribed_at
    assert client.get(url[:-3] + "xx/").status_code == 400


CSV_OK = (
    "email;naam;toestemming_op;bron\n"
    "e@example.org;Eva;2025-03-01;evenement\n"
    "F@example.org;;2024-11-20;formulier\n"
)


def test_csv_import_is_all_or_nothing_with_row_and_column(users):
    bad = CSV_OK + "geen-adres;X;2025-01-01;import\ng@example.org;G;morgen;telefoon\n"
    with pytest.raises(InputRefusedError) as refused:
        bulletin.import_subscribers(
            users["kvs_bijdrager"], "abonnees.csv", bad.encode()
        )
    message = refused.value.message
    assert (
        "rij 4, kolom 'email': ongeldig e-mailadres (waarde: 'geen-adres')" in message
    )
    assert "rij 5, kolom 'toestemming_op'" in message
    assert (
        "rij 5, kolom 'bron': onbekende bron (waarde: 'telefoon'); toegelaten:"
        in message
    )
    assert "er is niets opgeslagen" in message
    assert not Subscriber.objects.exists()


def test_csv_import_twice_gives_the_same_state_and_keeps_withdrawals(users):
    actor = users["kvs_bijdrager"]
    first = bulletin.import_subscribers(actor, "a.csv", CSV_OK.encode())
    assert first == {"created": 2, "updated": 0, "rows": 2}
    Subscriber.objects.filter(email="e@example.org").update(status="uitgeschreven")
    again = bulletin.import_subscribers(actor, "a.csv", CSV_OK.encode())
    assert again == {"created": 0, "updated": 0, "rows": 2}
    assert Subscriber.objects.get(email="e@example.org").status == "uitgeschreven"
    assert Subscriber.objects.get(email="f@example.org").source == "formulier"


def test_csv_import_refuses_a_missing_column(users):
    with pytest.raises(InputRefusedError) as refused:
        bulletin.import_subscribers(users["kvs_bijdrager"], "a.csv", b"email\nx@y.be\n")
    assert "kolom ontbreekt: toestemming_op" in refused.value.message


def test_export_holds_consent_source_and_status(users, client):
    bulletin.import_subscribers(users["kvs_bijdrager"], "a.csv", CSV_OK.encode())
    client.force_login(users["kvs_bijdrager"])
    response = client.get("/kennisbank/nieuwsbrief/abonnees.csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "email,naam,toestemming_op,bron,status,bevestigd_op,afgemeld_op,fictief"
    )
    assert lines[1].startswith("e@example.org,Eva,2025-03-01,evenement,actief,")
    client.force_login(users["gent_bijdrager"])
    assert client.get("/kennisbank/nieuwsbrief/abonnees.csv").status_code == 403


@pytest.mark.parametrize("role", ["kvs_lezer", "gent_bijdrager", "zonder_rol"])
def test_newsletter_pages_are_for_kenniscentrum_bijdragers(client, users, role):
    client.force_login(users[role])
    assert client.get("/kennisbank/nieuwsbrief/").status_code == 403
    assert (
        client.post(
            "/kennisbank/nieuwsbrief/samenstellen", {"month": "2026-12"}
        ).status_code
        == 403
    )


def test_anonymous_is_sent_to_log_in_for_newsletter_pages(client):
    assert client.get("/kennisbank/nieuwsbrief/").status_code == 403


@pytest.fixture
def content(users, plan, organisations):
    tz = timezone.get_current_timezone()
    at = datetime.datetime(2026, 11, 20, 9, tzinfo=tz)
    NewsItem.objects.create(
        kind="nieuws", title="Nieuwe partner", text="Welkom.", published_at=at
    )
    NewsItem.objects.create(
        kind="project",
        title="Deelfietsen",
        text="Proef.",
        organisation=organisations["44021"],
        published_at=at,
        url="https://stad.gent/deelfietsen",
    )
    NewsItem.objects.create(
        kind="link",
        title="Urban Agenda",
        published_at=at,
        url="https://example.eu/urban-agenda",
    )
    NewsItem.objects.create(
        kind="evenement",
        title="Gebruikersdag",
        published_at=at,
        event_date=datetime.date(2026, 12, 10),
    )
    NewsItem.objects.create(
        kind="nieuws",
        title="Oud nieuws",
        published_at=at - datetime.timedelta(days=120),
    )
    document = Document(
        title="Rapport woningen",
        kind="rapport",
        year=2026,
        licence="CC-BY-4.0",
        link_url="https://example.org/r",
        published_at=at,
        summary="Over woningen.",
    )
    services.create_document(users["kvs_beheerder"], document)
    secret = Document(
        title="Geheime nota",
        kind="rapport",
        year=2026,
        licence="CC-BY-4.0",
        link_url="https://example.org/g",
        published_at=at,
        visibility="leden",
    )
    services.create_document(users["kvs_beheerder"], secret)
    start = datetime.datetime(2026, 12, 15, 10, tzinfo=tz)
    Meeting.objects.create(
        group=plan["orba"],
        title="ORBA",
        theme="Releases",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        agenda_deadline=start - datetime.timedelta(days=7),
    )
    for i in range(3):
        Subscriber.objects.create(
            email=f"abonnee{i}@example.org",
            status="actief",
            source="import",
            consent_at=at,
        )
    Subscriber.objects.create(
        email="weg@example.org", status="uitgeschreven", source="import", consent_at=at
    )


def test_compose_takes_what_the_platform_holds_for_the_month(users, content):
    issue = bulletin.compose_newsletter(
        users["kvs_bijdrager"], datetime.date(2026, 12, 1), BASE
    )
    sections = {
        key: [e.title for e in entries]
        for key, _label, entries in bulletin.sections_of(issue)
    }
    assert sections["nieuws"] == ["Nieuwe partner"]
    assert sections["kennisbank"] == ["Rapport woningen"]
    assert sections["agenda"] == [
        "Werkgroep ORBA, 15-12-2026",
        "Gebruikersdag, 10-12-2026",
    ]
    assert sections["projecten"] == ["Deelfietsen"]
    assert sections["links"] == ["Urban Agenda"]
    assert issue.subject == "Nieuwsbulletin december 2026"
    with pytest.raises(bulletin.NewsletterError) as again:
        bulletin.compose_newsletter(
            users["kvs_bijdrager"], datetime.date(2026, 12, 1), BASE
        )
    assert again.value.code == "bulletin_bestaat"


def test_rendered_email_is_accessible_html_with_a_plain_text_part(users, content):
    issue = bulletin.compose_newsletter(
        users["kvs_bijdrager"], datetime.date(2026, 12, 1), BASE
    )
    html, text = bulletin.render_newsletter(issue, BASE + "/afmelden/x/")
    assert '<html lang="nl">' in html
    assert 'role="presentation"' in html
    assert "<h1" in html and "<h2" in html
    assert "Afmelden voor het nieuwsbulletin" in html and BASE + "/afmelden/x/" in html
    assert "== Nieuw in de Kennisbank ==" in text
    assert "https://stad.gent/deelfietsen" in text and "<" not in text


def test_send_goes_through_brevo_and_statistics_come_back(users, content, fake_brevo):
    actor = users["kvs_bijdrager"]
    issue = bulletin.compose_newsletter(actor, datetime.date(2026, 12, 1), BASE)
    bulletin.send_newsletter(actor, issue, BASE)
    issue.refresh_from_db()
    assert issue.status == "verzonden" and issue.recipients == 3

    state = fake_brevo.state
    [campaign] = state.campaigns.values()
    assert campaign["status"] == "sent"
    assert campaign["subject"] == "Nieuwsbulletin december 2026"
    assert "{{ contact.AFMELDCODE }}" in campaign["htmlContent"]
    [brevo_list] = state.lists.values()
    assert brevo_list["contacts"] == {f"abonnee{i}@example.org" for i in range(3)}
    attributes = state.contacts["abonnee0@example.org"]["attributes"]
    subscriber = Subscriber.objects.get(email="abonnee0@example.org")
    assert attributes["AFMELDCODE"] == bulletin.unsubscribe_token(subscriber)
    paths = [(m, p) for m, p, _ in state.requests]
    assert paths == [
        ("POST", "/contacts/lists"),
        ("POST", "/contacts/import"),
        ("POST", "/emailCampaigns"),
        ("POST", f"/emailCampaigns/{issue.brevo_campaign_id}/sendNow"),
    ]
    body = json.loads(state.requests[2][2])
    assert body["recipients"] == {"listIds": [1]}
    assert body["sender"]["name"] == "Kenniscentrum Vlaamse Steden"

    stats = bulletin.import_statistics(actor, issue)
    assert (stats.sent, stats.delivered, stats.unique_views) == (3, 3, 2)
    sections = {link.url: link.section for link in stats.links.all()}
    assert sections["https://stad.gent/deelfietsen"] == "projecten"
    assert sections["https://example.eu/urban-agenda"] == "links"
    assert sum(link.clicks for link in stats.links.all()) > 0

    with pytest.raises(bulletin.NewsletterError) as twice:
        bulletin.send_newsletter(actor, issue, BASE)
    assert twice.value.code == "al_verzonden"


def test_a_wrong_api_key_gives_a_clear_error(fake_brevo):
    client = BrevoClient(fake_brevo.url, "verkeerde-sleutel")
    with pytest.raises(BrevoError) as refused:
        client.create_list("x")
    assert (
        "HTTP 401" in refused.value.message and "Key not found" in refused.value.message
    )


def test_unreachable_brevo_changes_nothing(users, content, settings):
    settings.BREVO_API_URL = "http://127.0.0.1:9/v3"
    settings.BREVO_API_KEY = "x"
    actor = users["kvs_bijdrager"]
    issue = bulletin.compose_newsletter(actor, datetime.date(2026, 12, 1), BASE)
    with pytest.raises(BrevoError) as refused:
        bulletin.send_newsletter(actor, issue, BASE)
    assert refused.value.code == "brevo_onbereikbaar"
    issue.refresh_from_db()
    assert issue.status == "concept" and issue.brevo_campaign_id is None


def test_confirmation_goes_through_brevo_when_configured(fake_brevo):
    bulletin.subscribe("h@example.org", consent=True, base_url=BASE)
    [sent] = fake_brevo.state.transactional
    assert sent["to"] == [{"email": "h@example.org"}]
    assert "/kennisbank/nieuwsbrief/bevestigen/" in sent["textContent"]
    assert not mail.outbox


def test_unsubscribe_blacklists_the_contact_at_brevo(users, content, fake_brevo):
    actor = users["kvs_bijdrager"]
    issue = bulletin.compose_newsletter(actor, datetime.date(2026, 12, 1), BASE)
    bulletin.send_newsletter(actor, issue, BASE)
    subscriber = Subscriber.objects.get(email="abonnee1@example.org")
    bulletin.unsubscribe(bulletin.unsubscribe_token(subscriber))
    assert fake_brevo.state.contacts["abonnee1@example.org"]["emailBlacklisted"] is True


def test_only_managers_send(users, content):
    issue = bulletin.compose_newsletter(
        users["kvs_bijdrager"], datetime.date(2026, 12, 1), BASE
    )
    with pytest.raises(PermissionDenied):
        bulletin.send_newsletter(users["gent_bijdrager"], issue, BASE)
    assert Newsletter.objects.get().status == "concept"


def test_test_mail_has_a_plain_text_and_an_html_part(client, users, content):
    issue = bulletin.compose_newsletter(
        users["kvs_bijdrager"], datetime.date(2026, 12, 1), BASE
    )
    client.force_login(users["kvs_bijdrager"])
    client.post(
        f"/kennisbank/nieuwsbrief/{issue.pk}/test", {"email": "redactie@example.org"}
    )
    [message] = mail.outbox
    assert message.subject == "[test] Nieuwsbulletin december 2026"
    assert "== Nieuws ==" in message.body and "<" not in message.body
    assert message.alternatives[0][1] == "text/html"
    assert '<html lang="nl">' in message.alternatives[0][0]
    client.force_login(users["gent_bijdrager"])
    assert (
        client.post(
            f"/kennisbank/nieuwsbrief/{issue.pk}/test", {"email": "x@example.org"}
        ).status_code
        == 403
    )
    assert len(mail.outbox) == 1
