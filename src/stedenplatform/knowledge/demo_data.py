"""Demo data of the Kennisbank, the meetings and the newsletter.

Real where a source exists: the Jaarplan 2026 as a PDF document, Statbel's
population of the centrumsteden as an XLSX document, the groups and their
cadences from the plan. Everything else is invented and marked fictief:
the other documents, the GDPR library, meeting dates and minutes, news,
subscribers and the statistics of earlier issues. Loading twice changes
nothing: every object is looked up by a natural key first.
"""

import csv
import datetime
import io
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stedenplatform.core.models import Organisation

from . import newsletter as bulletin
from . import services
from .models import (
    AgendaPoint,
    CampaignStatistics,
    Collection,
    Document,
    LinkClicks,
    Meeting,
    MeetingStatus,
    NewsItem,
    Newsletter,
    NewsletterEntry,
    SectionKind,
    Subscriber,
)

DEMO_DIR = Path(__file__).parent / "demo"
POPULATION_CSV = DEMO_DIR / "population_centrumsteden_brussel_2017_2026.csv"
DEMO_BASE_URL = "http://127.0.0.1:8000"
PLAN_CODE = "jaarplan-2026"
FICTIEF_SUBSCRIBERS = 240
TZ = ZoneInfo("Europe/Brussels")

# (title, kind, theme, year, format, visibility, group code, work track,
#  organisation code, summary, body)
FICTIEF_DOCUMENTS = [
    (
        "Betaalbaar wonen in de centrumsteden",
        "rapport",
        "wonen",
        2025,
        "pdf",
        "publiek",
        None,
        "STADSGEN.1",
        "KVS",
        "Overzicht van het woonbeleid van de centrumsteden: sociale huur, leegstand en "
        "renovatie.",
        "De centrumsteden zoeken samen naar betaalbare woningen. Het aantal sociale "
        "woningen groeit te traag voor de wachtlijsten. Leegstaande woningen worden "
        "opgespoord met verbruiksgegevens. Renovatie van oudere woningen vraagt "
        "begeleiding van eigenaars.",
    ),
    (
        "Handleiding opvolging meerjarenplan",
        "gids",
        "beleidsopvolging",
        2024,
        "docx",
        "leden",
        None,
        "OBMI.3",
        "KVS",
        "Hoe steden hun meerjarenplan 2026-2031 opvolgen met indicatoren, acties en "
        "rapporteringsrondes.",
        "Deze handleiding beschrijft de opvolgingsrapportering van het meerjarenplan. "
        "Per beleidsdoelstelling en actieplan kiest de stad indicatoren. De "
        "rapporteringsronde sluit met een momentopname voor de gemeenteraad.",
    ),
    (
        "Stadsmonitor: planning van de survey",
        "presentatie",
        "stadsmonitor",
        2025,
        "pptx",
        "publiek",
        None,
        "OBMI.2",
        "KVS",
        "Presentatie voor de werkgroep OBMI over de planning van de survey van de "
        "Gemeente- en Stadsmonitor.",
        "De survey van de Gemeente- en Stadsmonitor loopt om de drie jaar. De "
        "surveygegevens worden centraal verwerkt en via de Connector naar elke stad "
        "gestuurd.",
    ),
    (
        "Sjabloon projectfiche klimaatactie",
        "sjabloon",
        "klimaat",
        2025,
        "docx",
        "publiek",
        None,
        "KLIMAAT.2",
        "44021",
        "Sjabloon om een klimaatproject van een stad te beschrijven: doel, budget, "
        "indicatoren en planning.",
        "Beschrijf het klimaatproject: welke wijk, welke doelgroep, welke "
        "energiebesparing in kWh en welke investering. Vermeld de link met de "
        "rechtvaardige klimaattransitie.",
    ),
    (
        "Handleiding ORBA-releases",
        "gids",
        "beleidsopvolging",
        2023,
        "pdf",
        "werkgroep",
        "werkgroep-orba",
        "OBMI.3",
        "KVS",
        "Hoe de ORBA-gebruikers een release voorbereiden en afsluiten.",
        "Een release bundelt de updates van acties en indicatoren op een "
        "deadline. Na het afsluiten blijft een bevroren momentopname bewaard.",
    ),
    (
        "Opname webinar artificiële intelligentie in lokale besturen",
        "opname",
        "AI",
        2025,
        None,
        "publiek",
        None,
        "DIGI.7",
        "KVS",
        "Opname van het webinar over het gebruik van AI-toepassingen in de "
        "dienstverlening van steden.",
        "",
    ),
]

# The GDPR working group's library: (theme, title, status, visibility, format).
GDPR_LIBRARY = [
    (
        "Verwerkingsregister",
        "Model van verwerkingsregister voor steden",
        "definitief",
        "leden",
        "xlsx",
    ),
    (
        "Verwerkingsregister",
        "Toelichting bij het verwerkingsregister",
        "geevalueerd",
        "leden",
        "docx",
    ),
    (
        "Verwerkersovereenkomsten",
        "Modelverwerkersovereenkomst met leveranciers",
        "definitief",
        "leden",
        "docx",
    ),
    (
        "Verwerkersovereenkomsten",
        "Checklist verwerkersovereenkomst",
        "concept",
        "werkgroep",
        "docx",
    ),
    (
        "Gegevensbeschermingseffectbeoordeling (GEB)",
        "Sjabloon GEB voor camerabewaking",
        "geevalueerd",
        "leden",
        "docx",
    ),
    (
        "Gegevensbeschermingseffectbeoordeling (GEB)",
        "Goede praktijken bij het opstellen van een GEB",
        "concept",
        "werkgroep",
        "pptx",
    ),
    ("Datalekken", "Procedure melden van datalekken", "definitief", "leden", "pdf"),
    (
        "Uitwisseling surveygegevens",
        "Protocol voor de uitwisseling van de surveygegevens van de Stadsmonitor",
        "concept",
        "werkgroep",
        "docx",
    ),
]
GDPR_THEMES = [
    "Verwerkingsregister",
    "Verwerkersovereenkomsten",
    "Gegevensbeschermingseffectbeoordeling (GEB)",
    "Datalekken",
    "Uitwisseling surveygegevens",
    "NIS2 en cybersecurity",
]


def _pdf(title: str, text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(
        f"<p>{line}</p>"
        for line in text.replace("&", "&amp;").replace("<", "&lt;").split("\n")
        if line.strip()
    )
    html = (
        f"<html lang='nl'><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"{paragraphs}</body></html>"
    )
    return HTML(string=html).write_pdf()


def _docx(title: str, text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.add_paragraph("Fictief voorbeeld voor de demo van het Stedenplatform.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pptx(title: str, text: str) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = text + "\n(fictief voorbeeld)"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _xlsx(title: str, rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _file(fmt: str, title: str, text: str) -> services.Upload:
    name = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    if fmt == "pdf":
        return services.Upload(f"{name}.pdf", _pdf(title, text))
    if fmt == "docx":
        return services.Upload(f"{name}.docx", _docx(title, text))
    if fmt == "pptx":
        return services.Upload(f"{name}.pptx", _pptx(title, text))
    rows = [["onderdeel", "toelichting"]] + [[title, line] for line in text.split(". ")]
    return services.Upload(f"{name}.xlsx", _xlsx(title, rows))


def _items():
    from stedenplatform.plans.models import Item

    return {
        i.code: i
        for i in Item.objects.filter(plan__code=PLAN_CODE, level__depth__lte=1)
    }


def _groups():
    from stedenplatform.plans.models import Group

    return {g.code: g for g in Group.objects.all()}


def load_documents(actor) -> int:
    items = _items()
    groups = _groups()
    organisations = {o.code: o for o in Organisation.objects.all()}
    created = 0

    def add(document: Document, upload: services.Upload | None) -> None:
        nonlocal created
        if Document.objects.filter(title=document.title).exists():
            return
        services.create_document(actor, document, upload)
        created += 1

    jaarplan = (
        Path(__file__).resolve().parent.parent / "plans" / "demo" / "jaarplan-2026.txt"
    )
    if (
        jaarplan.exists()
        and not Document.objects.filter(title="Jaarplan 2026").exists()
    ):
        text = jaarplan.read_text(encoding="utf-8")
        add(
            Document(
                title="Jaarplan 2026",
                kind="rapport",
                theme="jaarplan",
                year=2026,
                authors="Kenniscentrum Vlaamse Steden",
                organisation=organisations.get("KVS"),
                licence="alle-rechten-voorbehouden",
                visibility="publiek",
                programme=None,
                summary="Het jaarplan 2026 van het Kenniscentrum Vlaamse Steden: de "
                "programma's, werksporen, doelstellingen en acties.",
                published_at=datetime.datetime(2026, 1, 15, 10, tzinfo=TZ),
            ),
            services.Upload("jaarplan-2026.pdf", _pdf("Jaarplan 2026", text)),
        )

    if not Document.objects.filter(
        title__startswith="Bevolking van de centrumsteden"
    ).exists():
        with POPULATION_CSV.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = [
                ["NIS-code", "gemeente", "indicator", "jaar (1 januari)", "inwoners"]
            ]
            rows += [
                [
                    r["nis_2025"],
                    r["gemeente"],
                    r["indicator"],
                    int(r["jaar_1_januari"]),
                    int(r["waarde"]),
                ]
                for r in reader
            ]
        add(
            Document(
                title="Bevolking van de centrumsteden en Brussel 2017-2026",
                kind="rapport",
                theme="bevolking",
                year=2026,
                authors="Statbel",
                organisation=organisations.get("KVS"),
                licence="CC-BY-4.0",
                visibility="publiek",
                programme=items.get("OBMI"),
                work_track=items.get("OBMI.2"),
                summary="Inwoners op 1 januari per leeftijdsgroep (0-14, 15-64, 65+), "
                "omgerekend naar de gemeenten van 2025. Bron: Statbel "
                "(TF_SOC_POP_STRUCT), CC BY 4.0.",
                published_at=datetime.datetime(2026, 11, 12, 10, tzinfo=TZ),
            ),
            services.Upload(
                "bevolking-centrumsteden-2017-2026.xlsx", _xlsx("Bevolking", rows)
            ),
        )

    for index, (
        title,
        kind,
        theme,
        year,
        fmt,
        visibility,
        group,
        track,
        org,
        summary,
        body,
    ) in enumerate(FICTIEF_DOCUMENTS):
        track_item = items.get(track)
        published = datetime.datetime(2026, 6 + index % 6, 5 + index, 10, tzinfo=TZ)
        document = Document(
            title=title,
            kind=kind,
            theme=theme,
            year=year,
            authors="Kenniscentrum Vlaamse Steden (fictief)",
            organisation=organisations.get(org),
            licence="CC-BY-4.0",
            visibility=visibility if group is None or group in groups else "leden",
            group=groups.get(group),
            work_track=track_item,
            programme=track_item.parent if track_item else None,
            summary=summary,
            fictief=True,
            published_at=published,
            link_url="https://www.kenniscentrumvlaamsesteden.be" if fmt is None else "",
        )
        add(document, _file(fmt, title, body) if fmt else None)

    library = _gdpr_library(groups)
    for index, (theme, title, status, visibility, fmt) in enumerate(GDPR_LIBRARY):
        group = groups.get("werkgroep-gdpr")
        body = (
            f"{title}. Standaarddocument van de werkgroep GDPR over het thema "
            f"{theme.lower()}. Gegevensbescherming in de stedelijke organisatie "
            "volgens de AVG (GDPR), met aandacht voor verwerkers, betrokkenen en "
            "bewaartermijnen."
        )
        add(
            Document(
                title=title,
                kind="standaarddocument" if fmt != "pptx" else "presentatie",
                theme=theme,
                year=2026,
                authors="Werkgroep GDPR (fictief)",
                organisation=organisations.get("KVS"),
                licence="CC-BY-4.0",
                visibility=visibility if group is not None else "leden",
                group=group,
                collection=library,
                library_status=status,
                work_track=items.get("DIGI.4"),
                programme=items.get("DIGI"),
                fictief=True,
                summary=f"Standaarddocument uit de bibliotheek van de werkgroep GDPR "
                f"(thema: {theme}).",
                published_at=datetime.datetime(2026, 2 + index, 10, 10, tzinfo=TZ),
            ),
            _file(fmt, title, body),
        )
    return created


def _gdpr_library(groups) -> Collection:
    library, _ = Collection.objects.get_or_create(
        code="bibliotheek-gdpr",
        defaults={
            "name": "Bibliotheek GDPR",
            "description": "De bibliotheek met standaarddocumenten van de werkgroep "
            "GDPR, per thema. Elke vergadering kiest de werkgroep een "
            "thema; op de volgende vergadering worden de documenten "
            "geëvalueerd.",
            "group": groups.get("werkgroep-gdpr"),
        },
    )
    return library


def load_meetings(actor) -> int:
    groups = _groups()
    created = 0
    now = timezone.now()
    for index, group in enumerate(sorted(groups.values(), key=lambda g: g.code)):
        if group.every_weeks or group.per_year:
            # Spread the groups over Monday to Thursday, as a real calendar would.
            new = services.schedule_year(actor, group, 2026, weekday=index % 4)
            Meeting.objects.filter(pk__in=[m.pk for m in new]).update(fictief=True)
            created += len(new)
    Meeting.objects.filter(
        fictief=True, starts_at__lt=now, status=MeetingStatus.GEPLAND
    ).update(
        status=MeetingStatus.GEHOUDEN,
        minutes="Verslag: de agenda werd overlopen en de actiepunten verdeeld "
        "(fictief).",
    )
    gdpr = groups.get("werkgroep-gdpr")
    if gdpr is None:
        return created
    # The source gives the GDPR group no cadence, only "op regelmatige basis"
    # and one theme per meeting; these dates and themes are invented.
    days = [
        datetime.date(2026, 2, 12),
        datetime.date(2026, 4, 16),
        datetime.date(2026, 6, 11),
        datetime.date(2026, 9, 17),
        datetime.date(2026, 11, 19),
        datetime.date(2027, 1, 21),
    ]
    for slot, (day, theme) in enumerate(zip(days, GDPR_THEMES, strict=True), start=1):
        starts = datetime.datetime.combine(day, datetime.time(14), tzinfo=TZ)
        meeting, was_created = Meeting.objects.get_or_create(
            group=gdpr,
            schedule_year=day.year,
            schedule_slot=slot,
            defaults={
                "title": f"Werkgroep GDPR: {theme}",
                "theme": theme,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "agenda_deadline": starts - datetime.timedelta(days=7),
                "location": "online",
                "online_url": "https://vergadering.example.org/gdpr",
                "fictief": True,
            },
        )
        if not was_created:
            continue
        created += 1
        if starts < now:
            services.record_minutes(
                actor,
                meeting,
                minutes=f"Thema {theme}: de standaarddocumenten werden verzameld en "
                "de documenten van de vorige vergadering geëvalueerd (fictief).",
                decisions=[
                    (
                        f"Documenten over {theme.lower()} gaan naar de status "
                        "geëvalueerd (fictief).",
                        None,
                    )
                ],
                actions=[
                    (
                        "Volgend thema voorbereiden (fictief).",
                        None,
                        day + datetime.timedelta(days=30),
                        None,
                    )
                ],
            )
            Meeting.objects.filter(pk=meeting.pk).update(fictief=True)
        else:
            gent = Organisation.objects.filter(code="44021").first()
            if gent is not None:
                AgendaPoint.objects.create(
                    meeting=meeting,
                    title="Ervaringen met de NIS2-zelfevaluatie (fictief)",
                    organisation=gent,
                    submitted_at=now,
                )
    return created


def load_news() -> int:
    organisations = {o.code: o for o in Organisation.objects.all()}
    items = [
        (
            "nieuws",
            "De Kennisbank staat online",
            "Het materiaal van vorige "
            "programmaperiodes is nu op één plek doorzoekbaar (fictief).",
            "",
            None,
            None,
            datetime.datetime(2026, 11, 25, 9, tzinfo=TZ),
            True,
        ),
        (
            "evenement",
            "Gebruikersdag Gemeente- en Stadsmonitor",
            "Dagprogramma met de steden, provincies en ABF Research (datum fictief).",
            "",
            None,
            datetime.date(2026, 12, 18),
            datetime.datetime(2026, 11, 20, 9, tzinfo=TZ),
            True,
        ),
        (
            "project",
            "Deelfietsen in de binnenstad",
            "Een proef met deelfietsen aan de stations (fictief).",
            "",
            "44021",
            None,
            datetime.datetime(2026, 11, 18, 9, tzinfo=TZ),
            True,
        ),
        (
            "project",
            "Renovatiebegeleiding voor eigenaars",
            "Een loket voor renovatie van oudere woningen (fictief).",
            "",
            "24062",
            None,
            datetime.datetime(2026, 12, 1, 9, tzinfo=TZ),
            True,
        ),
        (
            "link",
            "Rechtenverkenner",
            "De Vlaamse website over sociale rechten.",
            "https://www.rechtenverkenner.be",
            None,
            None,
            datetime.datetime(2026, 11, 10, 9, tzinfo=TZ),
            False,
        ),
        (
            "link",
            "Gemeente- en Stadsmonitor",
            "Meer dan 400 indicatoren per gemeente.",
            "https://gemeente-en-stadsmonitor.vlaanderen.be",
            None,
            None,
            datetime.datetime(2026, 11, 12, 9, tzinfo=TZ),
            False,
        ),
    ]
    created = 0
    for kind, title, text, url, org, event_date, published, fictief in items:
        _, was_created = NewsItem.objects.get_or_create(
            kind=kind,
            title=title,
            defaults={
                "text": text,
                "url": url,
                "organisation": organisations.get(org),
                "event_date": event_date,
                "published_at": published,
                "fictief": fictief,
            },
        )
        created += was_created
    return created


def load_subscribers() -> int:
    existing = set(
        Subscriber.objects.filter(fictief=True).values_list("email", flat=True)
    )
    rng = random.Random(2026)
    new = []
    for number in range(1, FICTIEF_SUBSCRIBERS + 1):
        email = f"abonnee-{number:04d}@voorbeeld.invalid"
        if email in existing:
            continue
        consent = datetime.datetime(
            2019 + number % 7, 1 + number % 12, 1 + number % 27, 12, tzinfo=TZ
        )
        status = "uitgeschreven" if number % 41 == 0 else "actief"
        new.append(
            Subscriber(
                email=email,
                name=f"Abonnee {number} (fictief)",
                status=status,
                source=rng.choice(["formulier", "evenement", "import"]),
                consent_at=consent,
                consent_text="toestemming (fictief)",
                confirmed_at=consent,
                unsubscribed_at=consent + datetime.timedelta(days=400)
                if status == "uitgeschreven"
                else None,
                fictief=True,
            )
        )
    Subscriber.objects.bulk_create(new)
    return len(new)


def load_past_issues() -> int:
    """Sent issues June-November 2026 with Brevo-like statistics (fictief)."""
    rng = random.Random(4845)
    created = 0
    section_weights = {
        SectionKind.NIEUWS: 1.0,
        SectionKind.KENNISBANK: 1.6,
        SectionKind.AGENDA: 0.8,
        SectionKind.PROJECTEN: 1.2,
        SectionKind.LINKS: 0.5,
    }
    for month in range(6, 12):
        issue = datetime.date(2026, month, 1)
        if Newsletter.objects.filter(issue=issue).exists():
            continue
        sent_at = datetime.datetime(2026, month, 3, 10, tzinfo=TZ)
        recipients = 4845 + 12 * (month - 6)
        newsletter = Newsletter.objects.create(
            issue=issue,
            subject=f"Nieuwsbulletin {bulletin.month_label(issue)} (fictief)",
            intro="Voorbeeld van een verzonden bulletin (fictief).",
            status="verzonden",
            sent_at=sent_at,
            recipients=recipients,
            fictief=True,
        )
        entries = []
        for section in section_weights:
            for position in range(1, 3):
                entries.append(
                    NewsletterEntry(
                        newsletter=newsletter,
                        section=section,
                        position=position,
                        title=f"{section.label} {position} (fictief)",
                        url=f"{DEMO_BASE_URL}/kennisbank/?bulletin={issue:%Y-%m}"
                        f"&rubriek={section.value}&nr={position}",
                    )
                )
        NewsletterEntry.objects.bulk_create(entries)
        delivered = recipients - rng.randint(20, 60)
        views = int(delivered * rng.uniform(0.36, 0.46))
        stats = CampaignStatistics.objects.create(
            newsletter=newsletter,
            imported_at=sent_at + datetime.timedelta(days=14),
            sent=recipients,
            delivered=delivered,
            unique_views=views,
            viewed=int(views * 1.6),
            unique_clicks=int(views * rng.uniform(0.18, 0.3)),
            clickers=int(views * 0.3),
            unsubscriptions=rng.randint(2, 9),
            hard_bounces=rng.randint(5, 15),
            soft_bounces=rng.randint(10, 30),
            fictief=True,
        )
        LinkClicks.objects.bulk_create(
            [
                LinkClicks(
                    statistics=stats,
                    url=entry.url,
                    section=entry.section,
                    clicks=int(rng.randint(20, 90) * section_weights[entry.section]),
                )
                for entry in entries
            ]
        )
        created += 1
    return created


def load(console) -> None:
    """Load this module's demo data."""
    actor = get_user_model().objects.filter(username="kvs-beheerder").first()
    if actor is None:
        console.print("Kennisbank: geen account kvs-beheerder; laad eerst de kern.")
        return
    with transaction.atomic():
        documents = load_documents(actor)
        meetings = load_meetings(actor)
        news = load_news()
        subscribers = load_subscribers()
        issues = load_past_issues()
    if not Newsletter.objects.filter(issue=datetime.date(2026, 12, 1)).exists():
        bulletin.compose_newsletter(actor, datetime.date(2026, 12, 1), DEMO_BASE_URL)
    console.print(
        f"Kennisbank: {documents} documenten, {meetings} vergaderingen, {news} "
        f"nieuwsitems, {subscribers} fictieve abonnees, {issues} verzonden bulletins "
        "(fictief)"
    )
