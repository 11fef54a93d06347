"""Kennisbank documents, group meetings and the monthly newsletter.

A document carries its metadata, the uploaded file and the text extracted
from it; the full-text index lives beside it (a tsvector column on
PostgreSQL, an FTS5 table on SQLite, see `search`). Meetings belong to a
group of the plans module and link decisions and action points to plan
items. The newsletter is composed from what the platform holds, sent as a
Brevo campaign, and the campaign statistics are imported per issue.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from stedenplatform.core.models import Organisation


class DutchSearchVectorField(SearchVectorField):
    """A tsvector on PostgreSQL; an unused text column on SQLite (FTS5 there)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class DocumentKind(models.TextChoices):
    RAPPORT = "rapport", "rapport"
    GIDS = "gids", "handleiding of gids"
    STANDAARD = "standaarddocument", "standaarddocument"
    SJABLOON = "sjabloon", "sjabloon"
    PRESENTATIE = "presentatie", "presentatie"
    OPNAME = "opname", "opname (link)"


class Visibility(models.TextChoices):
    PUBLIEK = "publiek", "publiek"
    LEDEN = "leden", "leden van het Kenniscentrum"
    WERKGROEP = "werkgroep", "één werkgroep"


class LibraryStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    GEEVALUEERD = "geevalueerd", "geëvalueerd"
    DEFINITIEF = "definitief", "definitief"


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    MODELLICENTIE = "modellicentie-gratis-hergebruik", "Modellicentie Gratis Hergebruik"
    VOORBEHOUDEN = "alle-rechten-voorbehouden", "alle rechten voorbehouden"


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    PPTX = "pptx", "PowerPoint (PPTX)"


class Collection(models.Model):
    """A library inside the Kennisbank, e.g. the GDPR working group's."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.ForeignKey(
        "plans.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collections",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    theme = models.CharField(max_length=120, blank=True)
    year = models.PositiveSmallIntegerField()
    authors = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_documents",
    )
    licence = models.CharField(max_length=40, choices=Licence.choices)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLIEK
    )
    group = models.ForeignKey(
        "plans.Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restricted_documents",
        help_text="de werkgroep die het document ziet bij zichtbaarheid 'werkgroep'",
    )
    programme = models.ForeignKey(
        "plans.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_documents",
    )
    work_track = models.ForeignKey(
        "plans.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_track_documents",
    )
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    library_status = models.CharField(
        max_length=12, choices=LibraryStatus.choices, blank=True
    )
    link_url = models.URLField(blank=True, help_text="voor opnames en externe bronnen")
    file = models.FileField(upload_to="kennisbank/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=4, choices=FileType.choices, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    body_text = models.TextField(blank=True, help_text="tekst uit het bestand")
    search_vector = DutchSearchVectorField(null=True, editable=False)
    fictief = models.BooleanField(default=False, help_text="verzonnen voorbeeld")
    published_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["visibility", "group"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["year"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="werkgroep")
                | models.Q(group__isnull=False),
                name="document_group_visibility_has_group",
                violation_error_message="Kies de werkgroep die dit document mag zien, "
                "of kies een andere zichtbaarheid (publiek of leden).",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingStatus(models.TextChoices):
    GEPLAND = "gepland", "gepland"
    GEHOUDEN = "gehouden", "gehouden"
    GEANNULEERD = "geannuleerd", "geannuleerd"


class Meeting(models.Model):
    group = models.ForeignKey(
        "plans.Group", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    theme = models.CharField(
        max_length=200, blank=True, help_text="thema van de vergadering"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    agenda_deadline = models.DateTimeField(help_text="uiterste datum voor agendapunten")
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.GEPLAND
    )
    minutes = models.TextField(blank=True, help_text="verslag")
    schedule_year = models.PositiveSmallIntegerField(null=True, blank=True)
    schedule_slot = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="volgnummer in de jaarplanning"
    )
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    fictief = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "schedule_year", "schedule_slot"],
                name="meeting_unique_schedule_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="Het einde van de vergadering moet na het "
                "begin liggen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"


class AgendaPointStatus(models.TextChoices):
    INGEDIEND = "ingediend", "ingediend"
    AANVAARD = "aanvaard", "aanvaard"
    GEWEIGERD = "geweigerd", "niet weerhouden"


class AgendaPoint(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_points"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agenda_points"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    status = models.CharField(
        max_length=12,
        choices=AgendaPointStatus.choices,
        default=AgendaPointStatus.INGEDIEND,
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "submitted_at"]

    def __str__(self) -> str:
        return self.title[:80]


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField()
    item = models.ForeignKey(
        "plans.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
    )

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionPoint(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_points"
    )
    text = models.TextField()
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    item = models.ForeignKey(
        "plans.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_actions",
    )

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class NewsKind(models.TextChoices):
    NIEUWS = "nieuws", "nieuws"
    EVENEMENT = "evenement", "activiteit of evenement"
    PROJECT = "project", "project van een stad"
    LINK = "link", "interessante link"


class NewsItem(models.Model):
    """A news item, event, city project or link for the site and newsletter."""

    kind = models.CharField(max_length=12, choices=NewsKind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.URLField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_date = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(db_index=True)
    fictief = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SubscriberStatus(models.TextChoices):
    WACHTEND = "wachtend", "wacht op bevestiging"
    ACTIEF = "actief", "actief"
    UITGESCHREVEN = "uitgeschreven", "uitgeschreven"


class SubscriberSource(models.TextChoices):
    FORMULIER = "formulier", "inschrijvingsformulier"
    IMPORT = "import", "import"
    EVENEMENT = "evenement", "evenement"
    BEHEER = "beheer", "toegevoegd door de redactie"


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=14,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.WACHTEND,
    )
    source = models.CharField(max_length=12, choices=SubscriberSource.choices)
    consent_at = models.DateTimeField(help_text="moment van de toestemming")
    consent_text = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    brevo_synced_at = models.DateTimeField(null=True, blank=True)
    fictief = models.BooleanField(default=False)

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.email


class NewsletterStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    VERZONDEN = "verzonden", "verzonden"


class Newsletter(models.Model):
    """One monthly issue of the bulletin."""

    issue = models.DateField(unique=True, help_text="eerste dag van de maand")
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    status = models.CharField(
        max_length=10,
        choices=NewsletterStatus.choices,
        default=NewsletterStatus.CONCEPT,
    )
    brevo_campaign_id = models.PositiveBigIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    fictief = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue"]

    def __str__(self) -> str:
        return self.subject


class SectionKind(models.TextChoices):
    NIEUWS = "nieuws", "Nieuws"
    KENNISBANK = "kennisbank", "Nieuw in de Kennisbank"
    AGENDA = "agenda", "Vergaderingen en activiteiten"
    PROJECTEN = "projecten", "Projecten van de steden"
    LINKS = "links", "Interessante links"


class NewsletterEntry(models.Model):
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="entries"
    )
    section = models.CharField(max_length=12, choices=SectionKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["newsletter", "section", "position", "id"]

    def __str__(self) -> str:
        return self.title[:80]


class CampaignStatistics(models.Model):
    """The campaign's global figures as Brevo reported them at one import."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="statistics"
    )
    imported_at = models.DateTimeField()
    sent = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    unique_views = models.PositiveIntegerField(default=0)
    viewed = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)
    clickers = models.PositiveIntegerField(default=0)
    unsubscriptions = models.PositiveIntegerField(default=0)
    hard_bounces = models.PositiveIntegerField(default=0)
    soft_bounces = models.PositiveIntegerField(default=0)
    fictief = models.BooleanField(default=False)

    class Meta:
        ordering = ["newsletter", "-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"{self.newsletter} ({self.imported_at:%Y-%m-%d %H:%M})"


class LinkClicks(models.Model):
    statistics = models.ForeignKey(
        CampaignStatistics, on_delete=models.CASCADE, related_name="links"
    )
    url = models.URLField(max_length=500)
    section = models.CharField(max_length=12, choices=SectionKind.choices, blank=True)
    clicks = models.PositiveIntegerField()

    class Meta:
        ordering = ["-clicks", "url"]

    def __str__(self) -> str:
        return self.url[:80]


class BrevoList(models.Model):
    """The Brevo contact list that mirrors the active subscribers."""

    list_id = models.PositiveBigIntegerField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name[:80]


def _new_epoch() -> str:
    return secrets.token_hex(8)


class SearchIndexState(models.Model):
    """One row whose version rises with every change to the search index;
    cached search results are keyed on it. The epoch is new whenever the
    row is (a fresh or restored database), so old cache entries never match."""

    version = models.PositiveBigIntegerField(default=0)
    epoch = models.CharField(max_length=16, default=_new_epoch)

    def __str__(self) -> str:
        return f"zoekindex versie {self.version}"
