"""Write the audit trail: who changed what, when, before and after."""

import datetime
import decimal
import uuid

from django.db import models

from .models import AuditEntry


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """Return the instance's concrete field values as JSON-safe data."""
    data = {}
    for field in instance._meta.concrete_fields:
        if (
            fields is not None
            and field.name not in fields
            and field.attname not in fields
        ):
            continue
        value = getattr(instance, field.attname)
        data[field.name] = to_json(value)
    return data


def to_json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    organisation=None,
) -> AuditEntry:
    """Add one audit row; call it inside the transaction of the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        before=before,
        after=after,
    )
