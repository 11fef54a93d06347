"""Organisations, memberships with a role, API keys, areas and the audit log.

Areas form one table for every level (gewest, provincie, arrondissement,
gemeente, wijk, statistische sector) with a parent for the aggregation
hierarchy and validity dates, so that the 2019-2024 municipalities and those
of 2025 live side by side and older data can be mapped onto today's.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    LEZER = "lezer", "lezer"
    BIJDRAGER = "bijdrager", "bijdrager"
    BEHEERDER = "beheerder", "beheerder"


ROLE_RANK = {Role.LEZER: 1, Role.BIJDRAGER: 2, Role.BEHEERDER: 3}


class AreaLevel(models.TextChoices):
    LAND = "land", "land"
    GEWEST = "gewest", "gewest"
    PROVINCIE = "provincie", "provincie"
    ARRONDISSEMENT = "arrondissement", "arrondissement"
    GEMEENTE = "gemeente", "gemeente"
    WIJK = "wijk", "wijk"
    SECTOR = "sector", "statistische sector"


class Area(models.Model):
    level = models.CharField(max_length=20, choices=AreaLevel.choices)
    code = models.CharField(max_length=20, help_text="NIS-code of eigen code")
    name = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(
        null=True, blank=True, help_text="laatste dag waarop de eenheid bestond"
    )
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON-geometrie")

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="area_unique_version"
            )
        ]
        indexes = [
            models.Index(fields=["code"]),
            models.Index(fields=["level", "valid_to"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @classmethod
    def current(cls):
        return cls.objects.filter(valid_to__isnull=True)


class AreaSuccession(models.Model):
    """An area that became (part of) another one, e.g. a 2025 merger."""

    old = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successors")
    new = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="predecessors")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="succession_unique")
        ]


class AreaGroup(models.Model):
    """A named set of areas to compare against, e.g. '13 centrumsteden'."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(Area, related_name="groups", blank=True)

    def __str__(self) -> str:
        return self.name


class PostalCode(models.Model):
    """One postcode of one municipality; a postcode can span several."""

    code = models.CharField(max_length=4, db_index=True)
    municipality = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="postal_codes"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "municipality"], name="postcode_unique"
            )
        ]

    def __str__(self) -> str:
        return self.code


class OrganisationKind(models.TextChoices):
    KENNISCENTRUM = "kenniscentrum", "kenniscentrum"
    CENTRUMSTAD = "centrumstad", "centrumstad"
    VGC = "vgc", "Vlaamse Gemeenschapscommissie"
    OCMW = "ocmw", "OCMW"
    PARTNER = "partner", "partner"


class Organisation(models.Model):
    code = models.CharField(
        max_length=20, unique=True, help_text="KVS, VGC of NIS-code"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    is_member = models.BooleanField(default=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A personal API key; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the clear key, shown only once."""
        key = "sp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=cls.hash_key(key), prefix=key[:8]
        )
        return token, key


class AuditEntry(models.Model):
    """Who changed what, when, with the value before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def current_areas_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_to__isnull": True})
