"""The Kennisbank in a real browser: upload, Dutch search, subscription,
composing and sending the newsletter through a fake Brevo, statistics, and
who sees a working group's documents."""

import re

import pytest
from django.utils import timezone

from stedenplatform.knowledge.tests.conftest import make_pdf
from stedenplatform.knowledge.tests.fake_brevo import FakeBrevoServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def brevo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with FakeBrevoServer() as server:
        settings.BREVO_API_URL = server.url
        settings.BREVO_API_KEY = server.state.api_key
        yield server


@pytest.fixture
def gdpr_group(organisations):
    from stedenplatform.plans.models import Group

    group = Group.objects.create(
        organisation=organisations["KVS"],
        code="werkgroep-gdpr",
        name="Werkgroep GDPR",
        kind="werkgroep",
    )
    group.members.set([organisations["44021"]])
    return group


def test_upload_search_subscribe_compose_send_and_read_statistics(
    page, login, make_user, organisations, brevo, axe_violations, tmp_path
):
    make_user("KVS", "bijdrager", username="redactie")
    pdf = tmp_path / "woonbeleid.pdf"
    pdf.write_bytes(
        make_pdf(
            "De centrumsteden bouwen samen nieuwe woningen.\n"
            "Betaalbaar wonen blijft een opgave."
        )
    )

    login("redactie")
    page.goto("/kennisbank/documenten/nieuw/")
    page.get_by_label("Titel").fill("Woonbeleid in de centrumsteden")
    page.get_by_label("Soort").select_option("rapport")
    page.get_by_label("Jaar").fill("2026")
    page.get_by_label("Licentie").select_option("CC-BY-4.0")
    page.get_by_label("Zichtbaarheid").select_option("publiek")
    page.get_by_label("Bestand").set_input_files(str(pdf))
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role(
        "heading", name="Woonbeleid in de centrumsteden"
    ).is_visible()
    assert "woonbeleid.pdf downloaden" in page.content()

    page.goto("/kennisbank/")
    page.get_by_label("Zoeken", exact=True).fill("woning")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator("section[aria-labelledby=resultaten-titel]")
    assert "Woonbeleid in de centrumsteden" in results.inner_text()
    assert results.locator("mark", has_text="woningen").count() == 1
    assert axe_violations(page) == []

    page.get_by_role("button", name="Afmelden").click()
    page.goto("/")
    page.get_by_label("E-mailadres").fill("lezer@example.org")
    page.get_by_label(re.compile("Ik wil het maandelijkse nieuwsbulletin")).check()
    page.get_by_role("button", name="Inschrijven").click()
    assert page.get_by_role("heading", name="Bevestig je inschrijving").is_visible()
    [confirmation] = brevo.state.transactional
    link = re.search(r"http://[^\s]+/bevestigen/[^\s]+/", confirmation["textContent"])
    page.goto(link.group(0))
    assert page.get_by_role("heading", name="Inschrijving bevestigd").is_visible()
    assert axe_violations(page) == []

    login("redactie")
    page.goto("/kennisbank/nieuwsbrief/")
    page.get_by_label("Maand van het bulletin").fill(
        timezone.localdate().strftime("%Y-%m")
    )
    page.get_by_role("button", name="Samenstellen").click()
    assert "Woonbeleid in de centrumsteden" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Voorbeeld als e-mail (HTML)").click()
    assert "Nieuw in de Kennisbank" in page.content()
    assert axe_violations(page) == []
    page.go_back()
    page.get_by_role("button", name="Nu versturen via Brevo").click()
    assert "verstuurd naar 1 abonnees" in page.content()

    [campaign] = brevo.state.campaigns.values()
    assert campaign["status"] == "sent"
    assert "Woonbeleid in de centrumsteden" in campaign["htmlContent"]
    [brevo_list] = brevo.state.lists.values()
    assert brevo_list["contacts"] == {"lezer@example.org"}

    page.get_by_role("button", name="Statistieken inlezen uit Brevo").click()
    kpis = page.locator("ul.kpis").inner_text()
    assert "1\nafgeleverd" in kpis.replace(" afgeleverd", "\nafgeleverd")
    assert page.get_by_role("table", name="Kliks per link").is_visible()
    assert axe_violations(page) == []
    page.goto("/kennisbank/nieuwsbrief/")
    assert page.get_by_role("table", name="Per bulletin").is_visible()
    assert page.locator("figure.chart svg[role=img]").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "username,org,role,sees",
    [
        ("gent-lezer", "44021", "lezer", True),
        ("leuven-bijdrager", "24062", "bijdrager", False),
        ("kvs-lezer", "KVS", "lezer", False),
        ("kvs-bijdrager", "KVS", "bijdrager", True),
        (None, None, None, False),
    ],
)
def test_working_group_documents_show_only_to_its_members(
    page, login, make_user, gdpr_group, username, org, role, sees
):
    from stedenplatform.knowledge.models import Document

    Document.objects.create(
        title="Checklist datalekken",
        kind="standaarddocument",
        year=2026,
        licence="CC-BY-4.0",
        visibility="werkgroep",
        group=gdpr_group,
        link_url="https://example.org/c",
        published_at=timezone.now(),
    )
    Document.objects.create(
        title="Publieke brochure",
        kind="gids",
        year=2026,
        licence="CC-BY-4.0",
        link_url="https://example.org/p",
        published_at=timezone.now(),
    )
    if username:
        make_user(org, role, username=username)
        login(username)
    page.goto("/kennisbank/")
    listing = page.locator("section[aria-labelledby=resultaten-titel]").inner_text()
    assert "Publieke brochure" in listing
    assert ("Checklist datalekken" in listing) is sees


def test_meeting_and_library_pages_are_accessible_and_work_without_javascript(
    page,
    login,
    make_user,
    organisations,
    gdpr_group,
    axe_violations,
    settings,
    tmp_path,
):
    import datetime

    from stedenplatform.knowledge.models import Collection, Document, Meeting
    from stedenplatform.plans.models import Group

    settings.MEDIA_ROOT = tmp_path / "media"
    orba = Group.objects.create(
        organisation=organisations["KVS"],
        code="werkgroep-orba",
        name="Werkgroep ORBA",
        kind="werkgroep",
        every_weeks=6,
    )
    orba.members.set([organisations["44021"]])
    library = Collection.objects.create(
        code="bibliotheek-gdpr", name="Bibliotheek GDPR", group=gdpr_group
    )
    document = Document.objects.create(
        title="Model verwerkingsregister",
        kind="standaarddocument",
        year=2026,
        licence="CC-BY-4.0",
        visibility="leden",
        collection=library,
        theme="Verwerkingsregister",
        library_status="definitief",
        link_url="https://example.org/r",
        published_at=timezone.now(),
    )
    start = timezone.now() + datetime.timedelta(days=20)
    meeting = Meeting.objects.create(
        group=gdpr_group,
        title="Werkgroep GDPR: datalekken",
        theme="Datalekken",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        agenda_deadline=start - datetime.timedelta(days=7),
        location="Brussel",
    )
    make_user("KVS", "bijdrager", username="redactie")
    make_user("44021", "bijdrager", username="gent")

    login("redactie")
    page.goto("/kennisbank/groepen/werkgroep-orba/")
    page.get_by_role("button", name=re.compile("Jaarplanning")).click()
    assert "vergaderingen ingepland" in page.content()
    assert page.locator("table tbody tr").count() >= 8
    assert axe_violations(page) == []
    page.get_by_role("button", name="Afmelden").click()

    login("gent")
    for url in [
        "/",
        "/kennisbank/vergaderingen/",
        f"/kennisbank/documenten/{document.pk}/",
        "/kennisbank/bibliotheek/bibliotheek-gdpr/",
    ]:
        page.goto(url)
        assert axe_violations(page) == [], url
    page.goto(f"/kennisbank/vergaderingen/{meeting.pk}/")
    page.get_by_label("Titel van het agendapunt").fill("Meldplicht bij datalekken")
    page.get_by_role("button", name="Agendapunt indienen").click()
    assert "Je agendapunt is ingediend." in page.content()
    assert "Meldplicht bij datalekken" in page.content()
    assert axe_violations(page) == []
