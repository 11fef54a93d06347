"""A plan is a tree of items on configurable levels, owned by an organisation.

Each item's current status and progress come from its latest progress
update; updates are only ever added, so the history is complete. Roll-ups
(weighted progress, priority that flows upward) are stored on the item and
recomputed in one pass over the plan after every change, so that reading the
tree or the dashboard costs the same few queries whatever the plan's size.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stedenplatform.core.models import Organisation


class Status(models.TextChoices):
    NIET_GESTART = "niet_gestart", "niet gestart"
    LOPEND = "lopend", "lopend"
    OP_SCHEMA = "op_schema", "op schema"
    VERTRAAGD = "vertraagd", "vertraagd"
    GEREALISEERD = "gerealiseerd", "gerealiseerd"
    STOPGEZET = "stopgezet", "stopgezet"


class PlanKind(models.TextChoices):
    JAARPLAN = "jaarplan", "jaarplan"
    MEERJARENPLAN = "meerjarenplan", "meerjarenplan (BBC)"
    ANDER = "ander", "ander plan"


class Plan(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans"
    )
    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=20, choices=PlanKind.choices, default=PlanKind.ANDER
    )
    start = models.DateField()
    end = models.DateField()
    published = models.BooleanField(
        default=False, help_text="gepubliceerde plannen zijn voor iedereen zichtbaar"
    )
    fictief = models.BooleanField(default=False, help_text="verzonnen voorbeeld")
    source = models.CharField(max_length=300, blank=True)
    stale_after_days = models.PositiveIntegerField(
        default=90,
        help_text="na zoveel dagen zonder update is een item 'niet bijgewerkt'",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="plan_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="levels")
    depth = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=60)

    class Meta:
        ordering = ["plan", "depth"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "depth"], name="level_unique_depth"
            ),
            models.UniqueConstraint(fields=["plan", "key"], name="level_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label


class GroupKind(models.TextChoices):
    STUURGROEP = "stuurgroep", "stuurgroep"
    WERKGROEP = "werkgroep", "werkgroep"
    LEREND_NETWERK = "lerend_netwerk", "lerend netwerk"
    TASKFORCE = "taskforce", "taskforce"
    OVERLEG = "overleg", "overleg"


class Group(models.Model):
    """A steering group, working group or learning network with a cadence."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="facilitated_groups",
        help_text="organisatie die de groep faciliteert",
    )
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    description = models.TextField(blank=True)
    every_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="vergadert om de zoveel weken"
    )
    per_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="vergadert zoveel keer per jaar"
    )
    cadence_text = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        Organisation, related_name="group_memberships", blank=True
    )
    members_text = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cadence_label(self) -> str:
        if self.every_weeks:
            return (
                "zeswekelijks"
                if self.every_weeks == 6
                else f"om de {self.every_weeks} weken"
            )
        if self.per_year:
            return f"{self.per_year} keer per jaar"
        return self.cadence_text or "geen vaste frequentie"

    def meetings_per_year(self) -> int | None:
        if self.every_weeks:
            return 52 // self.every_weeks
        return self.per_year


MONEY = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}


class Item(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=60)
    title = models.TextField()
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    sort_key = models.CharField(
        max_length=255,
        db_index=True,
        default="",
        help_text="volgorde in de boom, afgeleid",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_items",
    )
    owner_service = models.CharField(max_length=200, blank=True)
    owner_person = models.CharField(max_length=200, blank=True)
    groups = models.ManyToManyField(Group, related_name="items", blank=True)
    partners = models.JSONField(default=list, blank=True)
    priority = models.BooleanField(default=False, help_text="zelf prioritair")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NIET_GESTART
    )
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    budget_expected_exploitatie = models.DecimalField(**MONEY)
    budget_realised_exploitatie = models.DecimalField(**MONEY)
    budget_expected_investeringen = models.DecimalField(**MONEY)
    budget_realised_investeringen = models.DecimalField(**MONEY)
    last_update_at = models.DateTimeField(null=True, blank=True)
    rollup_progress = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("0")
    )
    effective_priority = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="item_unique_code"),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["plan", "last_update_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"

    @property
    def depth(self) -> int:
        return self.level.depth


class ProgressUpdate(models.Model):
    """One report on an item: never changed after it is written."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="updates")
    round = models.ForeignKey(
        "ReportingRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    date = models.DateField(help_text="datum waarop de stand geldt")
    status = models.CharField(max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    text = models.TextField(blank=True)
    budget_realised_exploitatie = models.DecimalField(**MONEY)
    budget_realised_investeringen = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "-created_at"])]


class Severity(models.TextChoices):
    LAAG = "laag", "laag"
    MIDDEL = "middel", "middel"
    HOOG = "hoog", "hoog"
    KRITIEK = "kritiek", "kritiek"


class Kwestie(models.Model):
    """A bottleneck on an item, open until someone closes it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="kwesties")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    severity = models.CharField(
        max_length=10, choices=Severity.choices, default=Severity.MIDDEL
    )
    owner = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
    escalated = models.BooleanField(default=False)
    escalated_to = models.CharField(max_length=200, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_open", "-created_at"]


class Direction(models.TextChoices):
    HOGER = "hoger", "hoger is beter"
    LAGER = "lager", "lager is beter"


class Indicator(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.HOGER
    )
    baseline = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    stats_indicator_code = models.CharField(
        max_length=60, blank=True, help_text="code van een indicator in Stad in Cijfers"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "code"], name="indicator_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="target_unique_year"
            )
        ]


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements"
    )
    date = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="measurement_unique_date"
            )
        ]


class ReportingRound(models.Model):
    """A release: a deadline, the updates it collects, a frozen snapshot."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=200)
    deadline = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "deadline", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SnapshotRow(models.Model):
    """An item as it stood when its round closed."""

    round = models.ForeignKey(
        ReportingRound, on_delete=models.CASCADE, related_name="snapshot"
    )
    item = models.ForeignKey(
        Item, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(max_length=60)
    title = models.TextField()
    level = models.CharField(max_length=60)
    status = models.CharField(max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField()
    rollup_progress = models.DecimalField(max_digits=5, decimal_places=1)
    effective_priority = models.BooleanField()
    text = models.TextField(blank=True)
    open_kwesties = models.PositiveIntegerField(default=0)
    budget_expected_exploitatie = models.DecimalField(**MONEY)
    budget_realised_exploitatie = models.DecimalField(**MONEY)
    budget_expected_investeringen = models.DecimalField(**MONEY)
    budget_realised_investeringen = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"], name="snapshot_unique_code"
            )
        ]
