"""Indicators, their observations per area and period, and the Connector.

An indicator is a definition (code, name, unit, kind, numerator and
denominator, disclosure threshold, source); an observation is one value of
one indicator for one area and one explicit period, with the numerator and
denominator it was computed from so that it can be aggregated upward and
checked against the threshold. Whether a cell may be published is decided
once, after every import, and stored with the cell (`suppression`), so that
pages, downloads and the API all show the same thing.
"""

import datetime
import re

from django.conf import settings
from django.db import models

from stedenplatform.core.models import Area, Organisation

CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,50}$")
CODE_ALLOWED = "1 tot 50 tekens a-z, 0-9 en _"
NAMESPACE_SEPARATOR = "__"


class Kind(models.TextChoices):
    COUNT = "count", "aantal"
    PERCENTAGE = "percentage", "percentage"
    RATIO = "ratio", "verhouding"
    MEAN = "mean", "gemiddelde"


class Status(models.TextChoices):
    INTERN = "intern", "intern"
    EXTERN = "extern", "extern"
    UITDOVEND = "uitdovend", "uitdovend"


class Missing(models.TextChoices):
    UNKNOWN = "onbekend", "onbekend"
    CENSORED = "geheim", "geheim (door de bron onderdrukt)"
    NOT_APPLICABLE = "niet_van_toepassing", "niet van toepassing"


class Suppression(models.TextChoices):
    NONE = "", "gepubliceerd"
    PRIMARY = "primair", "onder de drempel"
    RESPONDENTS = "respondenten", "te weinig respondenten"
    SECONDARY = "secundair", "secundair onderdrukt"


class Origin(models.TextChoices):
    LOADED = "geladen", "geladen"
    AGGREGATED = "geaggregeerd", "geaggregeerd"
    FORMULA = "formule", "berekend met formule"


class Theme(models.Model):
    """A node of the theme tree; `path` is the full name, e.g. 'Wonen/Energie'."""

    path = models.CharField(max_length=300, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path

    @property
    def depth(self) -> int:
        return self.path.count("/")


class Source(models.Model):
    """Where figures come from and under which terms they may be reused."""

    name = models.CharField(max_length=300, unique=True)
    terms_of_use = models.CharField(max_length=300, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    code = models.CharField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COUNT)
    factor = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=1,
        help_text="waarde = teller / noemer x factor (100 voor een percentage)",
    )
    numerator_label = models.CharField(max_length=500, blank=True)
    denominator_label = models.CharField(max_length=500, blank=True)
    decimals = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    reference_date = models.CharField(max_length=60, blank=True)
    frequency = models.CharField(max_length=40, blank=True)
    threshold = models.PositiveIntegerField(default=5)
    is_survey = models.BooleanField(default=False)
    min_respondents = models.PositiveIntegerField(default=135)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.EXTERN
    )
    formula = models.CharField(max_length=500, blank=True)
    namespace = models.CharField(max_length=40, blank=True)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme__path", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_additive(self) -> bool:
        return self.kind == Kind.COUNT


class PeriodKind(models.TextChoices):
    YEAR = "year", "jaar"
    QUARTER = "quarter", "kwartaal"
    MONTH = "month", "maand"
    DATE = "date", "datum"
    RANGE = "range", "periode"


class Period(models.Model):
    """An explicit period: its kind and first and last day."""

    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "end"], name="period_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start, self.end)


def period_label(kind: str, start: datetime.date, end: datetime.date) -> str:
    """The canonical text of a period: '2024', '2024-Q1', '2024-03', ...

    >>> period_label("quarter", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    '2024-Q2'
    """
    if kind == PeriodKind.YEAR:
        return f"{start.year}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == PeriodKind.MONTH:
        return f"{start.year}-{start.month:02d}"
    if kind == PeriodKind.DATE:
        return start.isoformat()
    return f"{start.isoformat()}/{end.isoformat()}"


class ImportBatch(models.Model):
    """One imported file (or published series), identified by its content."""

    source_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=20)
    layout = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True
    )
    denominator = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True
    )
    respondents = models.PositiveIntegerField(
        null=True, blank=True, help_text="ongewogen aantal respondenten (n)"
    )
    ci_low = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    ci_high = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True
    )
    missing = models.CharField(max_length=20, choices=Missing.choices, blank=True)
    origin = models.CharField(
        max_length=12, choices=Origin.choices, default=Origin.LOADED
    )
    suppression = models.CharField(
        max_length=12, choices=Suppression.choices, blank=True, default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="observation_unique"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period"]),
            models.Index(fields=["area", "indicator"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.period_id}"

    @property
    def published(self) -> bool:
        return not self.suppression


class ConnectorPackage(models.Model):
    """A signed, versioned package this instance publishes for subscribers."""

    dataset = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    body = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=200)

    class Meta:
        ordering = ["dataset", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "version"], name="package_unique"
            )
        ]


class Subscription(models.Model):
    """A dataset this instance pulls from another one, under a namespace."""

    url = models.URLField(help_text="adres van de pakketlijst van de uitgever")
    dataset = models.SlugField(max_length=60)
    namespace = models.CharField(max_length=40, unique=True)
    public_key = models.TextField(help_text="Ed25519-sleutel van de uitgever (PEM)")
    last_version = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.namespace} <- {self.url}"


class ReceivedPackage(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="received"
    )
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    observations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "version"], name="received_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} v{self.version}"
