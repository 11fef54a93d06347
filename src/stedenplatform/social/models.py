"""What the platform keeps about DEMaD in its database.

The microdata itself lives in Parquet files under the private data directory
(one current file per OCMW and data set); the database keeps one row per
upload (who, when, how many rows, checksum), the benchmark runs with the
parameters they used, and the figures of each run after disclosure control.
A figure row never holds a value that disclosure control withheld.
"""

from django.conf import settings
from django.db import models

from stedenplatform.core.models import Organisation

from .schemas import Dataset


class Upload(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="demad_uploads"
    )
    dataset = models.CharField(max_length=20, choices=Dataset.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField()
    persons = models.PositiveIntegerField(default=0)
    checksum = models.CharField(
        max_length=64, help_text="SHA-256 van het opgeladen bestand"
    )
    storage_name = models.CharField(
        max_length=255, help_text="Parquet-bestand in de datamap"
    )
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    is_synthetic = models.BooleanField(default=False, help_text="fictieve gegevens")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dataset"],
                condition=models.Q(is_current=True),
                name="demad_one_current_upload",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.dataset} ({self.rows} rijen)"


class BenchmarkRun(models.Model):
    """One computation of all indicators for the cities with data."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parameters = models.JSONField()
    cities = models.JSONField(help_text="NIS-codes van de steden met gegevens")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    data_windows = models.JSONField(
        default=dict, help_text="per stad de eerste en laatste maand van de gegevens"
    )
    figure_count = models.PositiveIntegerField(default=0)
    suppressed_count = models.PositiveIntegerField(default=0)
    is_synthetic = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Benchmark {self.pk} ({self.first_year}-{self.last_year})"


class Suppression(models.TextChoices):
    NONE = "", "getoond"
    PRIMARY = "primair", "primair geheim"
    SECONDARY = "secundair", "secundair geheim"
    EMPTY = "leeg", "geen gegevens"


class Figure(models.Model):
    """One aggregate of one run, after disclosure control."""

    run = models.ForeignKey(
        BenchmarkRun, on_delete=models.CASCADE, related_name="figures"
    )
    indicator = models.CharField(max_length=50)
    ocmw = models.CharField(max_length=20, help_text="NIS-code, of 'centrumsteden'")
    year = models.PositiveSmallIntegerField()
    breakdown = models.CharField(max_length=20)
    group = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    censored = models.PositiveIntegerField(null=True, blank=True)
    suppression = models.CharField(
        max_length=10, choices=Suppression.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["indicator", "ocmw", "year", "breakdown", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "indicator", "ocmw", "year", "breakdown", "group"],
                name="demad_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["run", "indicator", "breakdown"])]
