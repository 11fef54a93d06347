"""The monthly newsletter: subscribers, composing, sending, statistics.

Subscribers give consent on the site and confirm it through a signed link
(double opt-in); the unsubscribe link carries another signed token, so it
works without an account. An issue is composed from what the platform holds
for its month, rendered as accessible HTML with a plain-text part, and sent
as a Brevo campaign to a list that mirrors the active subscribers. Brevo's
statistics are imported per issue and per link; each link belongs to one
section, so the editors see which sections are read.
"""

import csv
import datetime
import io
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import EmailValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from stedenplatform.core.audit import record
from stedenplatform.core.errors import InputRefusedError, PlatformError, Problem

from . import brevo
from .models import (
    BrevoList,
    CampaignStatistics,
    Document,
    LinkClicks,
    Meeting,
    MeetingStatus,
    NewsItem,
    NewsKind,
    Newsletter,
    NewsletterEntry,
    NewsletterStatus,
    SectionKind,
    Subscriber,
    SubscriberSource,
    SubscriberStatus,
    Visibility,
)
from .permissions import require_manage

logger = logging.getLogger(__name__)

CONFIRM_SALT = "knowledge.newsletter.confirm"
UNSUBSCRIBE_SALT = "knowledge.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONSENT_TEXT = (
    "Ik wil het maandelijkse nieuwsbulletin van het Kenniscentrum Vlaamse Steden "
    "ontvangen."
)
BREVO_LIST_NAME = "Nieuwsbulletin Kenniscentrum Vlaamse Steden"
# Brevo fills this contact attribute into each recipient's unsubscribe link.
UNSUBSCRIBE_ATTRIBUTE = "AFMELDCODE"
BREVO_UNSUBSCRIBE_PLACEHOLDER = "{{ contact." + UNSUBSCRIBE_ATTRIBUTE + " }}"
CSV_COLUMNS = ["email", "naam", "toestemming_op", "bron"]
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


class NewsletterError(PlatformError):
    code = "nieuwsbrief_fout"


def sender() -> dict:
    return {
        "name": "Kenniscentrum Vlaamse Steden",
        "email": getattr(
            settings,
            "NEWSLETTER_SENDER_EMAIL",
            "nieuwsbrief@kenniscentrumvlaamsesteden.be",
        ),
    }


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def confirm_token(email: str) -> str:
    return signing.dumps({"e": email}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def unsubscribe_path(token: str) -> str:
    return reverse("knowledge:unsubscribe", args=[token])


def subscribe(
    email: str,
    *,
    name: str = "",
    consent: bool,
    base_url: str,
    source: str = SubscriberSource.FORMULIER,
) -> Subscriber:
    """Record a pending subscription and send the confirmation mail.

    An address that is already active stays as it is; the answer is the
    same, so the form does not reveal who subscribes.
    """
    email = normalise_email(email)
    EmailValidator(message=f"'{email}' is geen geldig e-mailadres.")(email)
    if not consent:
        raise NewsletterError(
            "Zonder toestemming schrijven we niemand in.", code="toestemming_ontbreekt"
        )
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name.strip()[:200],
                "source": source,
                "consent_at": now,
                "consent_text": CONSENT_TEXT,
            },
        )
        if subscriber.status == SubscriberStatus.ACTIEF:
            return subscriber
        if not created:
            subscriber.status = SubscriberStatus.WACHTEND
            subscriber.consent_at = now
            subscriber.consent_text = CONSENT_TEXT
            subscriber.source = source
            subscriber.unsubscribed_at = None
            if name.strip():
                subscriber.name = name.strip()[:200]
            subscriber.save()
        record(
            None,
            "knowledge.subscriber.subscribe",
            subscriber,
            after={"status": subscriber.status, "source": source},
        )
    _send_confirmation(subscriber, base_url)
    return subscriber


def _send_confirmation(subscriber: Subscriber, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse(
        "knowledge:confirm", args=[confirm_token(subscriber.email)]
    )
    context = {"link": link, "subscriber": subscriber}
    subject = "Bevestig je inschrijving op het nieuwsbulletin"
    html = render_to_string("knowledge/email/confirm.html", context)
    text = render_to_string("knowledge/email/confirm.txt", context)
    if brevo.is_configured():
        brevo.BrevoClient().send_transactional(
            sender=sender(), to=subscriber.email, subject=subject, html=html, text=text
        )
    else:
        message = EmailMultiAlternatives(
            subject, text, sender()["email"], [subscriber.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
    logger.info("Confirmation sent to subscriber %s", subscriber.pk)


def confirm(token: str) -> Subscriber:
    """Activate the subscription named in a confirmation token."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise NewsletterError(
            "Deze bevestigingslink is verlopen (ze is 7 dagen geldig). Schrijf je "
            "opnieuw in om een nieuwe link te krijgen.",
            code="link_verlopen",
        ) from exc
    except signing.BadSignature as exc:
        raise NewsletterError(
            "Deze bevestigingslink is ongeldig.", code="link_ongeldig"
        ) from exc
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(email=data["e"]).first()
        )
        if subscriber is None:
            raise NewsletterError(
                "Deze bevestigingslink is ongeldig.", code="link_ongeldig"
            )
        if subscriber.status != SubscriberStatus.ACTIEF:
            subscriber.status = SubscriberStatus.ACTIEF
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save()
            record(
                None,
                "knowledge.subscriber.confirm",
                subscriber,
                after={"status": subscriber.status},
            )
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise NewsletterError(
            "Deze afmeldlink is ongeldig.", code="link_ongeldig"
        ) from exc
    subscriber = Subscriber.objects.filter(pk=data["s"], email=data["e"]).first()
    if subscriber is None:
        raise NewsletterError(
            "Dit adres staat niet (meer) op onze lijst.", code="abonnee_onbekend"
        )
    return subscriber


def unsubscribe(token: str) -> Subscriber:
    """Unsubscribe the address of the token, here and at Brevo."""
    subscriber = subscriber_for_unsubscribe(token)
    if subscriber.status == SubscriberStatus.UITGESCHREVEN:
        return subscriber
    with transaction.atomic():
        subscriber.status = SubscriberStatus.UITGESCHREVEN
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save()
        record(
            None,
            "knowledge.subscriber.unsubscribe",
            subscriber,
            after={"status": subscriber.status},
        )
    if brevo.is_configured() and subscriber.brevo_synced_at:
        try:
            brevo.BrevoClient().blacklist_contact(subscriber.email)
        except brevo.BrevoError:
            # The next send re-syncs the list without this address, so a
            # failure here only delays Brevo's copy, never the unsubscription.
            logger.warning("Brevo blacklist failed for subscriber %s", subscriber.pk)
    return subscriber


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def import_subscribers(
    actor, name: str, content: bytes, *, fictief: bool = False
) -> dict:
    """Import subscribers with their recorded consent; all rows or none."""
    require_manage(actor)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRefusedError(
            name,
            [
                Problem(
                    "het bestand is geen UTF-8-tekst",
                    allowed="CSV in UTF-8",
                    code="codering_ongeldig",
                )
            ],
        ) from exc
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("email", "toestemming_op", "bron") if c not in header]
    if missing:
        raise InputRefusedError(
            name,
            [
                Problem(
                    f"kolom ontbreekt: {c}",
                    column=c,
                    allowed=", ".join(CSV_COLUMNS),
                    code="kolom_ontbreekt",
                )
                for c in missing
            ],
        )
    reader.fieldnames = header
    problems: list[Problem] = []
    rows: dict[str, dict] = {}
    validator = EmailValidator()
    today = timezone.localdate()
    for number, row in enumerate(reader, start=2):
        email = normalise_email(row.get("email") or "")
        valid_email = True
        try:
            validator(email)
        except ValidationError:
            valid_email = False
            problems.append(
                Problem(
                    "ongeldig e-mailadres",
                    row=number,
                    column="email",
                    value=row.get("email"),
                    allowed="naam@domein.be",
                )
            )
        if valid_email and email in rows:
            problems.append(
                Problem(
                    f"dubbel adres, al in rij {rows[email]['row']}",
                    row=number,
                    column="email",
                    value=email,
                    code="dubbel",
                )
            )
            continue
        consent = _parse_date((row.get("toestemming_op") or "").strip())
        if consent is None or consent > today:
            problems.append(
                Problem(
                    "datum van de toestemming ontbreekt, is ongeldig of ligt in de "
                    "toekomst",
                    row=number,
                    column="toestemming_op",
                    value=row.get("toestemming_op"),
                    allowed="een datum JJJJ-MM-DD, vandaag of vroeger",
                )
            )
        source = (row.get("bron") or "").strip().lower()
        if source not in SubscriberSource.values:
            problems.append(
                Problem(
                    "onbekende bron",
                    row=number,
                    column="bron",
                    value=row.get("bron"),
                    allowed=", ".join(SubscriberSource.values),
                )
            )
        if not valid_email:
            continue
        rows[email] = {
            "row": number,
            "name": (row.get("naam") or "").strip()[:200],
            "consent": consent,
            "source": source,
        }
    if problems:
        raise InputRefusedError(name, problems)

    tz = timezone.get_current_timezone()
    created = updated = 0
    with transaction.atomic():
        existing = {s.email: s for s in Subscriber.objects.filter(email__in=list(rows))}
        new = []
        for email, data in rows.items():
            consent_at = datetime.datetime.combine(
                data["consent"], datetime.time(12), tzinfo=tz
            )
            subscriber = existing.get(email)
            if subscriber is None:
                new.append(
                    Subscriber(
                        email=email,
                        name=data["name"],
                        source=data["source"],
                        consent_at=consent_at,
                        consent_text="toestemming uit import",
                        status=SubscriberStatus.ACTIEF,
                        confirmed_at=consent_at,
                        fictief=fictief,
                    )
                )
                continue
            # An address that unsubscribed stays unsubscribed: an old list
            # never overrides a withdrawal of consent.
            if (subscriber.name, subscriber.source, subscriber.consent_at) != (
                data["name"] or subscriber.name,
                data["source"],
                consent_at,
            ):
                subscriber.name = data["name"] or subscriber.name
                subscriber.source = data["source"]
                subscriber.consent_at = consent_at
                subscriber.save()
                updated += 1
        Subscriber.objects.bulk_create(new, batch_size=1000)
        created = len(new)
        record(
            actor,
            "knowledge.subscriber.import",
            object_type="knowledge.subscriber",
            object_id="",
            after={"file": name, "created": created, "updated": updated},
        )
    logger.info("Subscriber import: %s created, %s updated", created, updated)
    return {"created": created, "updated": updated, "rows": len(rows)}


def export_subscribers(actor) -> str:
    """All subscribers as CSV (UTF-8), with consent, source and status."""
    require_manage(actor)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + ["status", "bevestigd_op", "afgemeld_op", "fictief"])
    for s in Subscriber.objects.order_by("email").iterator():
        writer.writerow(
            [
                s.email,
                s.name,
                timezone.localtime(s.consent_at).date().isoformat(),
                s.source,
                s.status,
                timezone.localtime(s.confirmed_at).isoformat()
                if s.confirmed_at
                else "",
                timezone.localtime(s.unsubscribed_at).isoformat()
                if s.unsubscribed_at
                else "",
                "ja" if s.fictief else "nee",
            ]
        )
    record(
        actor,
        "knowledge.subscriber.export",
        object_type="knowledge.subscriber",
        object_id="",
    )
    return out.getvalue()


def month_label(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def compose_newsletter(actor, month: datetime.date, base_url: str) -> Newsletter:
    """Draft the issue of a month from the platform's news, documents,
    meetings, events, city projects and links."""
    require_manage(actor)
    issue = month.replace(day=1)
    if Newsletter.objects.filter(issue=issue).exists():
        raise NewsletterError(
            f"Het bulletin van {month_label(issue)} bestaat al; open het om het aan "
            "te passen.",
            code="bulletin_bestaat",
        )
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(
        _shift_month(issue, -1), datetime.time(), tzinfo=tz
    )
    until = datetime.datetime.combine(
        _shift_month(issue, 1), datetime.time(), tzinfo=tz
    )
    agenda_until = datetime.datetime.combine(
        _shift_month(issue, 2), datetime.time(), tzinfo=tz
    )
    base = base_url.rstrip("/")
    entries: list[NewsletterEntry] = []

    def add(section, title, text, url, source_type, source_id):
        entries.append(
            NewsletterEntry(
                section=section,
                title=title[:300],
                text=text,
                url=url[:500],
                source_type=source_type,
                source_id=source_id,
            )
        )

    news = NewsItem.objects.filter(published_at__gte=since, published_at__lt=until)
    for item in news.filter(kind=NewsKind.NIEUWS).order_by("-published_at"):
        add(
            SectionKind.NIEUWS,
            item.title,
            item.text,
            item.url or f"{base}{reverse('knowledge:news', args=[item.pk])}",
            "knowledge.newsitem",
            item.pk,
        )
    documents = Document.objects.filter(
        visibility=Visibility.PUBLIEK, published_at__gte=since, published_at__lt=until
    ).order_by("-published_at")
    for document in documents:
        add(
            SectionKind.KENNISBANK,
            document.title,
            document.summary,
            f"{base}{reverse('knowledge:document', args=[document.pk])}",
            "knowledge.document",
            document.pk,
        )
    meetings = Meeting.objects.filter(
        starts_at__gte=datetime.datetime.combine(issue, datetime.time(), tzinfo=tz),
        starts_at__lt=agenda_until,
        status=MeetingStatus.GEPLAND,
    ).select_related("group")
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at)
        add(
            SectionKind.AGENDA,
            f"{meeting.group.name}, {when:%d-%m-%Y}",
            meeting.theme or meeting.title,
            f"{base}{reverse('knowledge:meeting', args=[meeting.pk])}",
            "knowledge.meeting",
            meeting.pk,
        )
    events = NewsItem.objects.filter(
        kind=NewsKind.EVENEMENT,
        event_date__gte=issue,
        event_date__lt=_shift_month(issue, 2),
    ).order_by("event_date")
    for item in events:
        add(
            SectionKind.AGENDA,
            f"{item.title}, {item.event_date:%d-%m-%Y}",
            item.text,
            item.url or f"{base}{reverse('knowledge:news', args=[item.pk])}",
            "knowledge.newsitem",
            item.pk,
        )
    for kind, section in (
        (NewsKind.PROJECT, SectionKind.PROJECTEN),
        (NewsKind.LINK, SectionKind.LINKS),
    ):
        for item in news.filter(kind=kind).select_related("organisation"):
            text = item.text
            if item.organisation:
                text = f"{item.organisation.name}: {text}"
            add(
                section,
                item.title,
                text,
                item.url or f"{base}{reverse('knowledge:news', args=[item.pk])}",
                "knowledge.newsitem",
                item.pk,
            )

    # Brevo counts clicks per URL: one URL in one section keeps the
    # attribution of every click to a section unambiguous.
    seen = set()
    unique = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            unique.append(entry)

    with transaction.atomic():
        newsletter = Newsletter.objects.create(
            issue=issue,
            subject=f"Nieuwsbulletin {month_label(issue)}",
            intro=f"Het nieuws van het Kenniscentrum Vlaamse Steden voor "
            f"{month_label(issue)}.",
            created_by=actor,
        )
        positions: dict[str, int] = {}
        for entry in unique:
            entry.newsletter = newsletter
            positions[entry.section] = positions.get(entry.section, 0) + 1
            entry.position = positions[entry.section]
        NewsletterEntry.objects.bulk_create(unique)
        record(
            actor,
            "knowledge.newsletter.compose",
            newsletter,
            after={"issue": issue.isoformat(), "entries": len(unique)},
        )
    return newsletter


def update_newsletter(
    actor,
    newsletter: Newsletter,
    *,
    subject: str,
    intro: str,
    remove_entry_ids: list[int] = (),
) -> Newsletter:
    require_manage(actor)
    _require_concept(newsletter)
    with transaction.atomic():
        before = {"subject": newsletter.subject, "intro": newsletter.intro}
        newsletter.subject = subject.strip()[:200] or newsletter.subject
        newsletter.intro = intro.strip()
        newsletter.save()
        removed, _ = newsletter.entries.filter(pk__in=list(remove_entry_ids)).delete()
        record(
            actor,
            "knowledge.newsletter.update",
            newsletter,
            before=before,
            after={
                "subject": newsletter.subject,
                "intro": newsletter.intro,
                "removed_entries": removed,
            },
        )
    return newsletter


def _require_concept(newsletter: Newsletter) -> None:
    if newsletter.status != NewsletterStatus.CONCEPT:
        raise NewsletterError(
            "Dit bulletin is al verzonden en kan niet meer wijzigen.",
            code="al_verzonden",
        )


def sections_of(newsletter: Newsletter) -> list[tuple[str, str, list[NewsletterEntry]]]:
    grouped: dict[str, list[NewsletterEntry]] = {}
    for entry in newsletter.entries.all():
        grouped.setdefault(entry.section, []).append(entry)
    return [
        (key, label, grouped[key])
        for key, label in SectionKind.choices
        if key in grouped
    ]


def render_newsletter(newsletter: Newsletter, unsubscribe_url: str) -> tuple[str, str]:
    """Return the issue as (HTML, plain text) with the given unsubscribe link."""
    context = {
        "newsletter": newsletter,
        "month": month_label(newsletter.issue),
        "sections": sections_of(newsletter),
        "unsubscribe_url": unsubscribe_url,
    }
    html = render_to_string("knowledge/email/newsletter.html", context)
    text = render_to_string("knowledge/email/newsletter.txt", context)
    return html, text


def send_test(actor, newsletter: Newsletter, to: str, base_url: str) -> None:
    """Send the issue to one address as a multipart mail: plain text and HTML."""
    require_manage(actor)
    to = normalise_email(to)
    EmailValidator(message=f"'{to}' is geen geldig e-mailadres.")(to)
    unsubscribe_url = base_url.rstrip("/") + unsubscribe_path("voorbeeld")
    html, text = render_newsletter(newsletter, unsubscribe_url)
    subject = f"[test] {newsletter.subject}"
    if brevo.is_configured():
        brevo.BrevoClient().send_transactional(
            sender=sender(), to=to, subject=subject, html=html, text=text
        )
    else:
        message = EmailMultiAlternatives(subject, text, sender()["email"], [to])
        message.attach_alternative(html, "text/html")
        message.send()
    record(
        actor,
        "knowledge.newsletter.test",
        newsletter,
        after={"to_domain": to.split("@")[-1]},
    )


def _brevo_list(client: brevo.BrevoClient) -> int:
    existing = BrevoList.objects.first()
    if existing:
        return existing.list_id
    list_id = client.create_list(BREVO_LIST_NAME)
    BrevoList.objects.create(list_id=list_id, name=BREVO_LIST_NAME)
    return list_id


def send_newsletter(actor, newsletter: Newsletter, base_url: str) -> Newsletter:
    """Sync the active subscribers to Brevo, create the campaign, send it."""
    require_manage(actor)
    _require_concept(newsletter)
    if not newsletter.entries.exists():
        raise NewsletterError(
            "Dit bulletin heeft nog geen inhoud.", code="bulletin_leeg"
        )
    active = list(Subscriber.objects.filter(status=SubscriberStatus.ACTIEF))
    if not active:
        raise NewsletterError("Er zijn geen actieve abonnees.", code="geen_abonnees")
    client = brevo.BrevoClient()

    list_id = _brevo_list(client)
    contacts = [
        {
            "email": s.email,
            "attributes": {"NAAM": s.name, UNSUBSCRIBE_ATTRIBUTE: unsubscribe_token(s)},
        }
        for s in active
    ]
    for start in range(0, len(contacts), 5000):
        client.import_contacts(contacts[start : start + 5000], [list_id])
    Subscriber.objects.filter(pk__in=[s.pk for s in active]).update(
        brevo_synced_at=timezone.now()
    )
    unsubscribe_url = base_url.rstrip("/") + unsubscribe_path("TOKEN").replace(
        "TOKEN", BREVO_UNSUBSCRIBE_PLACEHOLDER
    )
    html, _text = render_newsletter(newsletter, unsubscribe_url)
    if newsletter.brevo_campaign_id is None:
        campaign_id = client.create_campaign(
            name=f"Nieuwsbulletin {newsletter.issue:%Y-%m}",
            subject=newsletter.subject,
            sender=sender(),
            html=html,
            list_ids=[list_id],
            preview_text=newsletter.intro[:150],
        )
        with transaction.atomic():
            newsletter.brevo_campaign_id = campaign_id
            newsletter.save(update_fields=["brevo_campaign_id"])
            record(
                actor,
                "knowledge.newsletter.campaign",
                newsletter,
                after={"brevo_campaign_id": campaign_id},
            )
    client.send_campaign_now(newsletter.brevo_campaign_id)

    with transaction.atomic():
        newsletter.status = NewsletterStatus.VERZONDEN
        newsletter.sent_at = timezone.now()
        newsletter.recipients = len(active)
        newsletter.save()
        record(
            actor,
            "knowledge.newsletter.send",
            newsletter,
            after={
                "recipients": len(active),
                "brevo_campaign_id": newsletter.brevo_campaign_id,
            },
        )
    logger.info("Newsletter %s sent to %s subscribers", newsletter.pk, len(active))
    return newsletter


STAT_FIELDS = {
    "sent": "sent",
    "delivered": "delivered",
    "uniqueViews": "unique_views",
    "viewed": "viewed",
    "uniqueClicks": "unique_clicks",
    "clickers": "clickers",
    "unsubscriptions": "unsubscriptions",
    "hardBounces": "hard_bounces",
    "softBounces": "soft_bounces",
}


def import_statistics(actor, newsletter: Newsletter) -> CampaignStatistics:
    """Read the campaign's global and per-link figures from Brevo."""
    require_manage(actor)
    if newsletter.brevo_campaign_id is None:
        raise NewsletterError(
            "Dit bulletin is nog niet via Brevo verzonden.", code="geen_campagne"
        )
    client = brevo.BrevoClient()
    global_answer = client.campaign(newsletter.brevo_campaign_id, "globalStats")
    links_answer = client.campaign(newsletter.brevo_campaign_id, "linksStats")
    statistics = global_answer.get("statistics") or {}
    figures = statistics.get("globalStats") or {}
    if not figures:
        figures = {}
        for per_list in statistics.get("campaignStats") or []:
            for key in STAT_FIELDS:
                figures[key] = figures.get(key, 0) + int(per_list.get(key) or 0)
    links = (links_answer.get("statistics") or {}).get("linksStats") or {}
    sections = dict(newsletter.entries.values_list("url", "section"))

    with transaction.atomic():
        stats = CampaignStatistics.objects.create(
            newsletter=newsletter,
            imported_at=timezone.now(),
            **{field: int(figures.get(key) or 0) for key, field in STAT_FIELDS.items()},
        )
        LinkClicks.objects.bulk_create(
            [
                LinkClicks(
                    statistics=stats,
                    url=url[:500],
                    section=sections.get(url, ""),
                    clicks=int(clicks or 0),
                )
                for url, clicks in links.items()
            ]
        )
        record(
            actor,
            "knowledge.newsletter.statistics",
            newsletter,
            after={
                "delivered": stats.delivered,
                "unique_views": stats.unique_views,
                "unique_clicks": stats.unique_clicks,
                "links": len(links),
            },
        )
    return stats
