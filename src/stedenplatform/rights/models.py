"""The rights catalogue (Rechtenverkenner) and the client profiles of the
leefloon advice.

A right has a fiche (description, conditions in free text, procedure,
documents, contact, related rights, legal source), a level (federaal,
Vlaams, provinciaal, lokaal), and an executable condition in the condition
language of `conditions.py`, kept beside the free text it models. A
provincial right is attached to its province, a local right to its
municipality (Area, by NIS code). Invented examples carry `is_fictief`.
"""

from django.db import models

from stedenplatform.core.models import Area, Organisation


class Level(models.TextChoices):
    FEDERAAL = "federaal", "federaal"
    VLAAMS = "vlaams", "Vlaams"
    PROVINCIAAL = "provinciaal", "provinciaal"
    LOKAAL = "lokaal", "lokaal"


class Scope(models.TextChoices):
    ALGEMEEN = "algemeen", "algemeen recht"
    INDIVIDUEEL = "individueel", "individueel recht"


THEMES = {
    "inkomen": "Inkomen en financiële steun",
    "wonen": "Wonen en energie",
    "gezondheid": "Gezondheid en zorg",
    "onderwijs": "Onderwijs en kinderen",
    "werk": "Werk",
    "vrije-tijd": "Vrije tijd en cultuur",
    "mobiliteit": "Mobiliteit",
}
TARGET_GROUPS = {
    "gezinnen": "Gezinnen met kinderen",
    "jongeren": "Jongeren",
    "senioren": "Senioren",
    "personen-met-handicap": "Personen met een handicap",
    "laag-inkomen": "Mensen met een laag inkomen",
    "werkzoekenden": "Werkzoekenden",
    "studenten": "Studenten",
}


class Right(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField("titel", max_length=200)
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    scope = models.CharField(
        "soort", max_length=20, choices=Scope.choices, default=Scope.INDIVIDUEEL
    )
    description = models.TextField("omschrijving")
    conditions_text = models.TextField("voorwaarden (tekst)", blank=True)
    condition = models.TextField(
        "voorwaarde (uitvoerbaar)",
        blank=True,
        help_text="In de voorwaardetaal, bv. leeftijd >= 65 en leefloon = waar",
    )
    procedure = models.TextField("procedure", blank=True)
    documents = models.TextField("mee te brengen documenten", blank=True)
    contact = models.TextField("contact", blank=True)
    amount_text = models.TextField("financieel voordeel of kosten", blank=True)
    legal_source = models.CharField("regelgevende bron", max_length=300, blank=True)
    source_name = models.CharField("bron van de fiche", max_length=200, blank=True)
    source_url = models.URLField("adres van de bron", blank=True)
    is_fictief = models.BooleanField("fictief voorbeeld", default=False)
    themes = models.JSONField("thema's", default=list, blank=True)
    target_groups = models.JSONField("doelgroepen", default=list, blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights",
        help_text="provincie of gemeente waar het recht geldt",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights",
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    lpdc_id = models.CharField(max_length=300, blank=True, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ClientProfile(models.Model):
    """A named, reusable pattern that prefills a leefloon case."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("naam", max_length=120)
    description = models.TextField("omschrijving", blank=True)
    data = models.JSONField(
        "gegevens",
        help_text="gedeeltelijk huishouden, zelfde vorm als de invoer van het advies",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
