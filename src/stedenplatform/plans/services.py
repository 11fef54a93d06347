"""Every change to a plan: one function per use case.

Each function checks the actor's role, changes the data in one transaction,
writes the audit trail and recomputes the roll-ups of the plan it touched.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from stedenplatform.core import audit
from stedenplatform.core.errors import InputRefusedError, PlatformError, Problem
from stedenplatform.core.models import AuditEntry, Organisation

from . import document as doc_format
from .models import (
    Group,
    Indicator,
    IndicatorTarget,
    Item,
    Kwestie,
    Level,
    Measurement,
    Plan,
    ProgressUpdate,
    ReportingRound,
    SnapshotRow,
    Status,
)
from .permissions import (
    can_report_on,
    require_contribute,
    require_manage,
    require_report_on,
)
from .rollup import Node, compute

logger = logging.getLogger(__name__)

TRACKED_ITEM_FIELDS = [
    "title",
    "description",
    "parent_id",
    "level_id",
    "owner_organisation_id",
    "owner_service",
    "owner_person",
    "partners",
    "priority",
    "start",
    "end",
    "weight",
    "status",
    "progress",
    *doc_format.MONEY_FIELDS,
]


def recompute_rollups(plan: Plan) -> int:
    """Store rolled-up progress, effective priority and sort keys; return changes."""
    rows = list(
        Item.objects.filter(plan=plan).values_list(
            "id",
            "parent_id",
            "weight",
            "status",
            "progress",
            "priority",
            "code",
            "position",
            "rollup_progress",
            "effective_priority",
            "sort_key",
        )
    )
    nodes = [Node(*row[:8]) for row in rows]
    result = compute(nodes)
    changed = []
    for row in rows:
        progress, priority, key = result[row[0]]
        if (row[8], row[9], row[10]) != (progress, priority, key):
            changed.append(
                Item(
                    id=row[0],
                    rollup_progress=progress,
                    effective_priority=priority,
                    sort_key=key,
                )
            )
    Item.objects.bulk_update(
        changed, ["rollup_progress", "effective_priority", "sort_key"], batch_size=1000
    )
    return len(changed)


# ---- Import and export --------------------------------------------------------


def _organisations() -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.all()}


def _expand_members(codes: list[str], organisations: dict[str, Organisation]):
    members = []
    for code in codes:
        if code == "centrumsteden":
            members.extend(o for o in organisations.values() if o.kind == "centrumstad")
        else:
            members.append(organisations[code])
    return members


def validate_document(
    doc: doc_format.PlanDocument, plan: Plan | None, problems: list[Problem]
) -> None:
    """Check references between the parts of a document and against the database."""
    organisations = _organisations()
    origin = doc.origins

    def where(code):
        return origin.get(code)

    if doc.has_plan:
        org = doc.plan.get("organisation")
        if org and org not in organisations:
            problems.append(
                Problem(
                    "onbekende organisatie",
                    column="organisatie",
                    value=org,
                    allowed=", ".join(sorted(organisations)),
                )
            )
        keys = [lv["key"] for lv in doc.levels]
        if not keys:
            problems.append(
                Problem(
                    "het plan heeft geen niveaus",
                    column="niveaus",
                    allowed="minstens één niveau, bv. doelstelling → actie",
                )
            )
        if len(set(keys)) != len(keys):
            problems.append(
                Problem(
                    "twee niveaus hebben dezelfde sleutel",
                    column="sleutel",
                    value=", ".join(keys),
                    allowed="unieke sleutels",
                )
            )
        if plan is not None and plan.items.exists():
            current = list(plan.levels.values_list("key", flat=True))
            if current != keys:
                problems.append(
                    Problem(
                        "de niveaus verschillen van die van het bestaande plan",
                        column="niveaus",
                        value=" → ".join(keys),
                        allowed=" → ".join(current),
                    )
                )
        level_keys = keys
    else:
        level_keys = list(plan.levels.values_list("key", flat=True)) if plan else []

    group_codes = {g["code"] for g in doc.groups} | set(
        Group.objects.values_list("code", flat=True)
    )
    seen_groups = set()
    for group in doc.groups:
        if group["code"] in seen_groups:
            problems.append(
                Problem(
                    "groepscode komt twee keer voor",
                    column="code",
                    value=group["code"],
                    allowed="unieke codes",
                )
            )
        seen_groups.add(group["code"])
        for member in group["members"]:
            if member != "centrumsteden" and member not in organisations:
                problems.append(
                    Problem(
                        f"groep {group['code']}: onbekend lid",
                        column="leden",
                        value=member,
                        allowed="centrumsteden, " + ", ".join(sorted(organisations)),
                    )
                )
        if group["organisation"] not in organisations:
            problems.append(
                Problem(
                    f"groep {group['code']}: onbekende organisatie",
                    column="organisatie",
                    value=group["organisation"],
                    allowed=", ".join(sorted(organisations)),
                )
            )

    depth_of = {key: depth for depth, key in enumerate(level_keys)}
    existing_items = {}
    if plan is not None:
        existing_items = {
            code: depth
            for code, depth in plan.items.values_list("code", "level__depth")
        }
    document_depth: dict[str, int] = {}
    for item in doc.items:
        row = where(item["code"])
        if item["code"] in document_depth:
            problems.append(
                Problem(
                    "itemcode komt twee keer voor",
                    row=row,
                    column="code",
                    value=item["code"],
                    allowed="unieke codes binnen het plan",
                )
            )
            continue
        depth = depth_of.get(item["level"])
        if depth is None:
            if not item["level"] and item["code"] in existing_items:
                depth = existing_items[item["code"]]
                item["level"] = level_keys[depth]
            else:
                problems.append(
                    Problem(
                        f"item {item['code']}: onbekend niveau",
                        row=row,
                        column="niveau",
                        value=item["level"],
                        allowed=", ".join(level_keys),
                    )
                )
                continue
        document_depth[item["code"]] = depth
        parent = item["parent"]
        if depth == 0 and parent:
            problems.append(
                Problem(
                    f"item {item['code']}: een item op het hoogste niveau heeft geen ouder",
                    row=row,
                    column="ouder",
                    value=parent,
                    allowed="leeg",
                )
            )
        elif depth > 0:
            parent_depth = document_depth.get(
                parent, existing_items.get(parent) if parent else None
            )
            if parent_depth is None:
                problems.append(
                    Problem(
                        f"item {item['code']}: de ouder bestaat niet (of staat lager in het bestand)",
                        row=row,
                        column="ouder",
                        value=parent,
                        allowed="de code van een item op het niveau erboven",
                    )
                )
            elif parent_depth != depth - 1:
                problems.append(
                    Problem(
                        f"item {item['code']}: de ouder zit niet op het niveau erboven",
                        row=row,
                        column="ouder",
                        value=parent,
                        allowed=f"een item op het niveau '{level_keys[depth - 1]}'",
                    )
                )
        for code in item["groups"]:
            if code not in group_codes:
                problems.append(
                    Problem(
                        f"item {item['code']}: onbekende groep",
                        row=row,
                        column="groepen",
                        value=code,
                        allowed="een code van het blad 'Groepen' of een bestaande groep",
                    )
                )
        owner = item["owner_organisation"]
        if owner and owner not in organisations:
            problems.append(
                Problem(
                    f"item {item['code']}: onbekende organisatie",
                    row=row,
                    column="eigenaar_organisatie",
                    value=owner,
                    allowed=", ".join(sorted(organisations)),
                )
            )
    if doc.has_plan and plan is not None:
        missing = sorted(set(existing_items) - set(document_depth))
        if missing:
            problems.append(
                Problem(
                    "het plan bevat items die niet in het bestand staan; een import verwijdert geen items met hun geschiedenis",
                    column="code",
                    value=", ".join(missing[:10]),
                    allowed="een bestand met alle items van het plan",
                )
            )
    item_codes = set(document_depth) | set(existing_items)
    seen_indicators = set()
    for indicator in doc.indicators:
        key = (indicator["item"], indicator["code"])
        if indicator["item"] not in item_codes:
            problems.append(
                Problem(
                    "indicator bij een onbekend item",
                    column="item",
                    value=indicator["item"],
                    allowed="een itemcode van het plan",
                )
            )
        if key in seen_indicators:
            problems.append(
                Problem(
                    "indicator komt twee keer voor",
                    column="code",
                    value=indicator["code"],
                    allowed="unieke codes per item",
                )
            )
        seen_indicators.add(key)


def import_plan(
    actor,
    data: bytes,
    filename: str,
    *,
    plan: Plan | None = None,
    check_permission: bool = True,
) -> Plan:
    """Create or update a plan from a YAML, xlsx or csv file; all or nothing.

    A file with the whole plan (YAML, or a workbook with a 'Plan' sheet)
    creates the plan or brings it in line with the file. A CSV file, or a
    workbook with only an 'Items' sheet, updates the items of `plan`.
    """
    problems: list[Problem] = []
    doc = doc_format.read_document(data, filename, problems)
    if problems:
        raise InputRefusedError(filename, problems)
    if not doc.has_plan and plan is None:
        raise InputRefusedError(
            filename,
            [
                Problem(
                    "dit bestand bevat alleen items; kies het plan waarin ze horen",
                    allowed="een bestaand plan (--plan CODE), of een werkboek met een blad 'Plan'",
                )
            ],
        )
    if doc.has_plan:
        existing = Plan.objects.filter(code=doc.plan["code"]).first()
        if plan is not None and existing != plan:
            raise InputRefusedError(
                filename,
                [
                    Problem(
                        "het bestand hoort bij een ander plan",
                        column="code",
                        value=doc.plan["code"],
                        allowed=plan.code,
                    )
                ],
            )
        plan = existing
    validate_document(doc, plan, problems)
    if problems:
        raise InputRefusedError(filename, problems)

    organisations = _organisations()
    owner = (
        organisations[doc.plan["organisation"]] if doc.has_plan else plan.organisation
    )
    if check_permission:
        if plan is not None:
            require_manage(actor, plan)
        else:
            require_manage(actor, Plan(organisation=owner))
    with transaction.atomic():
        plan = _apply_document(actor, doc, plan, organisations, filename)
        recompute_rollups(plan)
    logger.info("plan %s imported: %s items", plan.pk, len(doc.items))
    return plan


def _apply_document(actor, doc, plan, organisations, filename) -> Plan:
    entries: list[AuditEntry] = []
    now = timezone.now()
    if doc.has_plan:
        values = dict(doc.plan)
        values["organisation"] = organisations[values["organisation"]]
        code = values.pop("code")
        if plan is None:
            plan = Plan.objects.create(code=code, **values)
            entries.append(
                _audit_row(actor, "plan.create", plan, None, audit.snapshot(plan))
            )
        else:
            fields = [f.attname for f in Plan._meta.concrete_fields]
            raw_before = _raw(plan, fields)
            before = audit.snapshot(plan)
            for key, value in values.items():
                setattr(plan, key, value)
            if _raw(plan, fields) != raw_before:
                plan.save()
                entries.append(
                    _audit_row(actor, "plan.update", plan, before, audit.snapshot(plan))
                )
        existing_levels = {lv.depth: lv for lv in plan.levels.all()}
        for depth, level in enumerate(doc.levels):
            current = existing_levels.get(depth)
            if current is None:
                Level.objects.create(plan=plan, depth=depth, **level)
            elif (current.key, current.label) != (level["key"], level["label"]):
                current.key, current.label = level["key"], level["label"]
                current.save()
        for depth, level in existing_levels.items():
            if depth >= len(doc.levels):
                level.delete()
        for group in doc.groups:
            values = {k: v for k, v in group.items() if k not in ("code", "members")}
            values["organisation"] = organisations[values["organisation"]]
            obj, created = Group.objects.update_or_create(
                code=group["code"], defaults=values
            )
            obj.members.set(_expand_members(group["members"], organisations))

    levels = {lv.key: lv for lv in plan.levels.all()}
    groups = {g.code: g for g in Group.objects.all()}
    items = {i.code: i for i in plan.items.all()}
    siblings: dict[str | None, int] = {}
    for record in doc.items:
        parent = items.get(record["parent"]) if record["parent"] else None
        position = siblings.get(record["parent"], 0)
        siblings[record["parent"]] = position + 1
        values = {
            "level": levels[record["level"]],
            "parent": parent,
            "title": record["title"],
            "description": record["description"],
            "position": position,
            "owner_organisation": organisations.get(record["owner_organisation"] or ""),
            "owner_service": record["owner_service"],
            "owner_person": record["owner_person"],
            "partners": record["partners"],
            "priority": record["priority"],
            "start": record["start"],
            "end": record["end"],
            "weight": record["weight"]
            if record["weight"] is not None
            else Decimal("1"),
        }
        for name in doc_format.MONEY_FIELDS:
            values[name] = record[name]
        item = items.get(record["code"])
        if item is None:
            item = Item.objects.create(plan=plan, code=record["code"], **values)
            items[item.code] = item
            entries.append(
                _audit_row(
                    actor,
                    "item.create",
                    item,
                    None,
                    audit.snapshot(item, TRACKED_ITEM_FIELDS),
                )
            )
        else:
            raw_before = _raw(item, TRACKED_ITEM_FIELDS)
            before = audit.snapshot(item, TRACKED_ITEM_FIELDS)
            for key, value in values.items():
                setattr(item, key, value)
            if _raw(item, TRACKED_ITEM_FIELDS) != raw_before:
                item.save()
                entries.append(
                    _audit_row(
                        actor,
                        "item.update",
                        item,
                        before,
                        audit.snapshot(item, TRACKED_ITEM_FIELDS),
                    )
                )
        wanted_groups = {groups[c].pk for c in record["groups"]}
        if set(item.groups.values_list("pk", flat=True)) != wanted_groups:
            item.groups.set(wanted_groups)
        status = record["status"] or item.status
        progress = (
            record["progress"] if record["progress"] is not None else item.progress
        )
        if (status, progress) != (item.status, item.progress):
            _write_update(
                actor,
                item,
                status=status,
                progress=progress,
                text=f"Stand overgenomen uit {filename}.",
                date=now.date(),
                now=now,
                entries=entries,
            )

    for record in doc.indicators:
        item = items[record["item"]]
        values = {
            k: record[k]
            for k in (
                "name",
                "unit",
                "direction",
                "baseline",
                "baseline_year",
                "stats_indicator_code",
                "description",
            )
        }
        indicator, _ = Indicator.objects.update_or_create(
            item=item, code=record["code"], defaults=values
        )
        indicator.targets.exclude(year__in=list(record["targets"])).delete()
        for year, value in record["targets"].items():
            IndicatorTarget.objects.update_or_create(
                indicator=indicator, year=year, defaults={"value": value}
            )
        for measurement in record["measurements"]:
            Measurement.objects.update_or_create(
                indicator=indicator,
                date=measurement["date"],
                defaults={
                    "value": measurement["value"],
                    "source": measurement["source"],
                },
            )
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return plan


def _raw(obj, fields) -> list:
    """Field values compared by value (Decimal('1.0') equals Decimal('1.00'))."""
    return [getattr(obj, name) for name in fields]


def _audit_row(actor, action, obj, before, after) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def export_document(plan: Plan) -> doc_format.PlanDocument:
    """Return the whole plan as a document, ready to write to any format."""
    doc = doc_format.PlanDocument()
    doc.plan = {
        "code": plan.code,
        "title": plan.title,
        "organisation": plan.organisation.code,
        "kind": plan.kind,
        "start": plan.start,
        "end": plan.end,
        "published": plan.published,
        "fictief": plan.fictief,
        "source": plan.source,
        "stale_after_days": plan.stale_after_days,
        "description": plan.description,
    }
    doc.levels = [{"key": lv.key, "label": lv.label} for lv in plan.levels.all()]
    items = list(
        plan.items.select_related("level", "parent", "owner_organisation")
        .prefetch_related("groups")
        .order_by("sort_key")
    )
    group_ids = {g.pk for item in items for g in item.groups.all()}
    for group in (
        Group.objects.filter(pk__in=group_ids)
        .prefetch_related("members")
        .order_by("code")
    ):
        doc.groups.append(
            {
                "code": group.code,
                "name": group.name,
                "kind": group.kind,
                "organisation": group.organisation.code,
                "every_weeks": group.every_weeks,
                "per_year": group.per_year,
                "cadence_text": group.cadence_text,
                "members": sorted(m.code for m in group.members.all()),
                "members_text": group.members_text,
                "description": group.description,
            }
        )
    for item in items:
        record = {
            "code": item.code,
            "level": item.level.key,
            "parent": item.parent.code if item.parent else None,
            "title": item.title,
            "description": item.description,
            "owner_organisation": item.owner_organisation.code
            if item.owner_organisation
            else None,
            "owner_service": item.owner_service,
            "owner_person": item.owner_person,
            "groups": sorted(g.code for g in item.groups.all()),
            "partners": list(item.partners),
            "priority": item.priority,
            "start": item.start,
            "end": item.end,
            "weight": item.weight,
            "status": item.status,
            "progress": item.progress,
        }
        for name in doc_format.MONEY_FIELDS:
            record[name] = getattr(item, name)
        doc.items.append(record)
    indicators = (
        Indicator.objects.filter(item__plan=plan)
        .select_related("item")
        .prefetch_related("targets", "measurements")
        .order_by("item__sort_key", "code")
    )
    for indicator in indicators:
        doc.indicators.append(
            {
                "item": indicator.item.code,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "baseline": indicator.baseline,
                "baseline_year": indicator.baseline_year,
                "stats_indicator_code": indicator.stats_indicator_code,
                "description": indicator.description,
                "targets": {t.year: t.value for t in indicator.targets.all()},
                "measurements": [
                    {"date": m.date, "value": m.value, "source": m.source}
                    for m in indicator.measurements.all()
                ],
            }
        )
    return doc


EXPORTERS = {
    "xlsx": (
        doc_format.write_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": (doc_format.write_csv, "text/csv; charset=utf-8"),
    "yaml": (doc_format.write_yaml, "application/yaml; charset=utf-8"),
}


def export_plan(plan: Plan, file_format: str) -> tuple[bytes, str]:
    """Return the file's bytes and its media type."""
    if file_format not in EXPORTERS:
        raise PlatformError(
            f"Onbekend exportformaat {file_format!r}; kies xlsx, csv of yaml.",
            "onbekend_formaat",
        )
    writer, media_type = EXPORTERS[file_format]
    return writer(export_document(plan)), media_type


# ---- Progress updates ------------------------------------------------------------


def _write_update(
    actor,
    item,
    *,
    status,
    progress,
    text,
    date,
    now,
    entries,
    realised_exploitatie=None,
    realised_investeringen=None,
    reporting_round=None,
):
    if reporting_round is None:
        reporting_round = (
            ReportingRound.objects.filter(plan_id=item.plan_id, closed_at__isnull=True)
            .order_by("deadline")
            .first()
        )
    before = {
        "status": item.status,
        "progress": item.progress,
        "budget_realised_exploitatie": audit.to_json(item.budget_realised_exploitatie),
        "budget_realised_investeringen": audit.to_json(
            item.budget_realised_investeringen
        ),
    }
    update = ProgressUpdate.objects.create(
        item=item,
        round=reporting_round,
        author=actor if actor and actor.is_authenticated else None,
        created_at=now,
        date=date,
        status=status,
        progress=progress,
        text=text,
        budget_realised_exploitatie=realised_exploitatie,
        budget_realised_investeringen=realised_investeringen,
    )
    item.status, item.progress, item.last_update_at = status, progress, now
    fields = ["status", "progress", "last_update_at"]
    if realised_exploitatie is not None:
        item.budget_realised_exploitatie = realised_exploitatie
        fields.append("budget_realised_exploitatie")
    if realised_investeringen is not None:
        item.budget_realised_investeringen = realised_investeringen
        fields.append("budget_realised_investeringen")
    item.save(update_fields=fields)
    after = {
        "status": status,
        "progress": progress,
        "text": text,
        "budget_realised_exploitatie": audit.to_json(item.budget_realised_exploitatie),
        "budget_realised_investeringen": audit.to_json(
            item.budget_realised_investeringen
        ),
    }
    entries.append(_audit_row(actor, "item.progress", item, before, after))
    return update


def validate_update_values(status, progress, *, row=None) -> list[Problem]:
    problems = []
    if status not in Status.values:
        problems.append(
            Problem(
                "onbekende status",
                row=row,
                column="status",
                value=status,
                allowed=", ".join(s.label for s in Status),
            )
        )
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        problems.append(
            Problem(
                "de voortgang is geen geheel percentage",
                row=row,
                column="voortgang",
                value=progress,
                allowed="een geheel getal van 0 tot 100",
            )
        )
    if status == Status.GEREALISEERD and progress != 100:
        problems.append(
            Problem(
                "een gerealiseerd item staat op 100%",
                row=row,
                column="voortgang",
                value=progress,
                allowed="100",
            )
        )
    return problems


def add_progress_update(
    actor,
    item: Item,
    *,
    status: str,
    progress: int,
    text: str,
    date: datetime.date | None = None,
    realised_exploitatie: Decimal | None = None,
    realised_investeringen: Decimal | None = None,
) -> ProgressUpdate:
    """Report the state of an item; the earlier reports stay as history."""
    require_report_on(actor, item)
    problems = validate_update_values(status, progress)
    for column, value in (
        ("budget_gerealiseerd_exploitatie", realised_exploitatie),
        ("budget_gerealiseerd_investeringen", realised_investeringen),
    ):
        if value is not None and value < 0:
            problems.append(
                Problem(
                    "een gerealiseerd bedrag is niet negatief",
                    column=column,
                    value=value,
                    allowed="0 of meer",
                )
            )
    if problems:
        raise InputRefusedError("De update", problems)

    now = timezone.now()
    entries: list[AuditEntry] = []
    with transaction.atomic():
        update = _write_update(
            actor,
            item,
            status=status,
            progress=progress,
            text=text.strip(),
            date=date or timezone.localdate(),
            now=now,
            entries=entries,
            realised_exploitatie=realised_exploitatie,
            realised_investeringen=realised_investeringen,
        )
        AuditEntry.objects.bulk_create(entries)
        recompute_rollups(item.plan)
    logger.info("progress update %s on item %s", update.pk, item.pk)
    return update


BULK_COLUMNS = {
    "code": "code",
    "status": "status",
    "voortgang": "progress",
    "tekst": "text",
    "datum": "date",
    "budget_gerealiseerd_exploitatie": "realised_exploitatie",
    "budget_gerealiseerd_investeringen": "realised_investeringen",
}
IGNORED_BULK_COLUMNS = {name for _, name in doc_format.ITEM_COLUMNS} - set(BULK_COLUMNS)


def bulk_update_from_file(actor, plan: Plan, data: bytes, filename: str) -> int:
    """Apply status, progress and text for many items from a sheet; all or nothing.

    The sheet has a `code` column and any of status, voortgang, tekst, datum
    and the realised budget columns; other columns of the plan export are
    ignored, so an exported Items sheet can be edited and sent back.
    Returns the number of items that changed.
    """
    problems: list[Problem] = []
    name = filename.lower()
    if name.endswith(".xlsx"):
        tables = doc_format.read_xlsx(data, problems)
        rows = (
            tables.get("Bijwerken")
            or tables.get("Items")
            or (next(iter(tables.values())) if tables else [])
        )
    elif name.endswith(".csv"):
        rows = doc_format.read_csv_rows(data, problems)
    else:
        problems.append(
            Problem("onbekend bestandstype", value=filename, allowed=".xlsx of .csv")
        )
        rows = []
    if problems:
        raise InputRefusedError(filename, problems)
    if not rows:
        raise InputRefusedError(
            filename,
            [
                Problem(
                    "het bestand is leeg",
                    allowed="een kopregel met 'code' en 'status' of 'voortgang'",
                )
            ],
        )
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    for column in header:
        if column and column not in BULK_COLUMNS and column not in IGNORED_BULK_COLUMNS:
            problems.append(
                Problem(
                    "onbekende kolom",
                    row=1,
                    column=column,
                    allowed=", ".join(BULK_COLUMNS),
                )
            )
    if "code" not in header or not ({"status", "voortgang", "tekst"} & set(header)):
        problems.append(
            Problem(
                "de kolommen 'code' en minstens één van 'status', 'voortgang' of 'tekst' zijn nodig",
                row=1,
                column=", ".join(h for h in header if h),
                allowed=", ".join(BULK_COLUMNS),
            )
        )
    if problems:
        raise InputRefusedError(filename, problems)

    items = {i.code: i for i in plan.items.select_related("plan", "owner_organisation")}
    planned = []
    seen = set()
    for number, row in enumerate(rows[1:], start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        record = {
            BULK_COLUMNS[h]: row[i]
            for i, h in enumerate(header)
            if h in BULK_COLUMNS and i < len(row)
        }
        cell = doc_format.Cell(problems, f"rij {number}", number)
        code = cell.text("code", record.get("code"), required=True)
        item = items.get(code)
        if item is None:
            if code:
                problems.append(
                    Problem(
                        "onbekende itemcode in dit plan",
                        row=number,
                        column="code",
                        value=code,
                        allowed=f"een code van een item van '{plan.title}'",
                    )
                )
            continue
        if code in seen:
            problems.append(
                Problem(
                    "deze code staat twee keer in het bestand",
                    row=number,
                    column="code",
                    value=code,
                    allowed="elke code één keer",
                )
            )
            continue
        seen.add(code)
        status = (
            cell.choice("status", record.get("status"), doc_format.STATUS_WORDS)
            or item.status
        )
        progress = record.get("progress")
        progress = (
            cell.integer("voortgang", progress, minimum=0, maximum=100)
            if progress not in (None, "")
            else item.progress
        )
        text = cell.text("tekst", record.get("text"))
        date = cell.date("datum", record.get("date"))
        exploitatie = cell.decimal(
            "budget_gerealiseerd_exploitatie",
            record.get("realised_exploitatie"),
            minimum=Decimal(0),
        )
        investeringen = cell.decimal(
            "budget_gerealiseerd_investeringen",
            record.get("realised_investeringen"),
            minimum=Decimal(0),
        )
        if progress is None:
            continue
        problems.extend(validate_update_values(status, progress, row=number))

        if not can_report_on(actor, item):
            problems.append(
                Problem(
                    "je mag over dit item niet rapporteren",
                    row=number,
                    column="code",
                    value=code,
                    allowed="items van je eigen organisatie (rol bijdrager)",
                )
            )
        changed = (
            status != item.status
            or progress != item.progress
            or bool(text)
            or (
                exploitatie is not None
                and exploitatie != item.budget_realised_exploitatie
            )
            or (
                investeringen is not None
                and investeringen != item.budget_realised_investeringen
            )
        )
        if changed:
            planned.append(
                (item, status, progress, text, date, exploitatie, investeringen)
            )
    if problems:
        raise InputRefusedError(filename, problems)
    if not planned:
        return 0

    now = timezone.now()
    entries: list[AuditEntry] = []
    with transaction.atomic():
        reporting_round = (
            ReportingRound.objects.filter(plan=plan, closed_at__isnull=True)
            .order_by("deadline")
            .first()
        )
        for item, status, progress, text, date, exploitatie, investeringen in planned:
            _write_update(
                actor,
                item,
                status=status,
                progress=progress,
                text=text or f"Bijgewerkt met {filename}.",
                date=date or timezone.localdate(),
                now=now,
                entries=entries,
                realised_exploitatie=exploitatie,
                realised_investeringen=investeringen,
                reporting_round=reporting_round,
            )
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        recompute_rollups(plan)
    logger.info("bulk update of plan %s: %s items", plan.pk, len(planned))
    return len(planned)


# ---- Kwesties ------------------------------------------------------------------


def open_kwestie(
    actor,
    item: Item,
    *,
    title: str,
    description: str = "",
    severity: str = "middel",
    owner: str = "",
) -> Kwestie:
    require_report_on(actor, item)
    problems = []
    if not title.strip():
        problems.append(
            Problem(
                "een kwestie heeft een titel",
                column="titel",
                allowed="een korte omschrijving van het knelpunt",
            )
        )
    if severity not in {"laag", "middel", "hoog", "kritiek"}:
        problems.append(
            Problem(
                "onbekende ernst",
                column="ernst",
                value=severity,
                allowed="laag, middel, hoog, kritiek",
            )
        )
    if problems:
        raise InputRefusedError("De kwestie", problems)
    with transaction.atomic():
        kwestie = Kwestie.objects.create(
            item=item,
            title=title.strip(),
            description=description,
            severity=severity,
            owner=owner,
            created_by=actor if actor.is_authenticated else None,
        )
        audit.record(
            actor,
            "kwestie.open",
            kwestie,
            after=audit.snapshot(kwestie),
            organisation=item.plan.organisation,
        )
    return kwestie


def close_kwestie(actor, kwestie: Kwestie, *, resolution: str = "") -> Kwestie:
    require_report_on(actor, kwestie.item)
    if not kwestie.is_open:
        raise PlatformError("Deze kwestie is al gesloten.", "kwestie_gesloten")
    with transaction.atomic():
        before = audit.snapshot(kwestie)
        kwestie.is_open = False
        kwestie.closed_at = timezone.now()
        kwestie.resolution = resolution
        kwestie.save()
        audit.record(
            actor,
            "kwestie.close",
            kwestie,
            before=before,
            after=audit.snapshot(kwestie),
            organisation=kwestie.item.plan.organisation,
        )
    return kwestie


def escalate_kwestie(actor, kwestie: Kwestie, *, to: str) -> Kwestie:
    require_report_on(actor, kwestie.item)
    if not to.strip():
        raise InputRefusedError(
            "De escalatie",
            [
                Problem(
                    "zeg naar wie de kwestie geëscaleerd wordt",
                    column="naar",
                    allowed="bv. 'managementteam', 'college', 'stuurgroep'",
                )
            ],
        )
    with transaction.atomic():
        before = audit.snapshot(kwestie)
        kwestie.escalated = True
        kwestie.escalated_to = to.strip()
        kwestie.escalated_at = timezone.now()
        kwestie.save()
        audit.record(
            actor,
            "kwestie.escalate",
            kwestie,
            before=before,
            after=audit.snapshot(kwestie),
            organisation=kwestie.item.plan.organisation,
        )
    return kwestie


# ---- Indicators -------------------------------------------------------------------


def add_measurement(
    actor, indicator: Indicator, *, date: datetime.date, value: Decimal, source: str
) -> Measurement:
    require_report_on(actor, indicator.item)
    if not source.strip():
        raise InputRefusedError(
            "De meting",
            [
                Problem(
                    "de bron van de meting ontbreekt",
                    column="bron",
                    allowed="bv. 'Stadsmonitor 2023'",
                )
            ],
        )
    with transaction.atomic():
        existing = Measurement.objects.filter(indicator=indicator, date=date).first()
        before = audit.snapshot(existing) if existing else None
        measurement, _ = Measurement.objects.update_or_create(
            indicator=indicator,
            date=date,
            defaults={
                "value": value,
                "source": source.strip(),
                "created_by": actor if actor.is_authenticated else None,
            },
        )
        audit.record(
            actor,
            "indicator.measurement",
            measurement,
            before=before,
            after=audit.snapshot(measurement),
            organisation=indicator.item.plan.organisation,
        )
    return measurement


# ---- Reporting rounds --------------------------------------------------------------


def open_round(
    actor, plan: Plan, *, name: str, deadline: datetime.date
) -> ReportingRound:
    require_contribute(actor, plan)
    if not name.strip():
        raise InputRefusedError(
            "De rapporteringsronde",
            [
                Problem(
                    "de ronde heeft een naam",
                    column="naam",
                    allowed="bv. 'Opvolging eerste semester 2026'",
                )
            ],
        )
    with transaction.atomic():
        reporting_round = ReportingRound.objects.create(
            plan=plan, name=name.strip(), deadline=deadline
        )
        audit.record(
            actor,
            "round.open",
            reporting_round,
            after=audit.snapshot(reporting_round),
            organisation=plan.organisation,
        )
    return reporting_round


def close_round(actor, reporting_round: ReportingRound) -> int:
    """Freeze the plan as it stands into the round's snapshot; return its rows."""
    plan = reporting_round.plan
    require_contribute(actor, plan)
    if not reporting_round.is_open:
        raise PlatformError(
            f"De ronde '{reporting_round.name}' is al afgesloten.", "ronde_gesloten"
        )

    with transaction.atomic():
        recompute_rollups(plan)
        latest_text = {}
        for item_id, text in (
            ProgressUpdate.objects.filter(item__plan=plan)
            .order_by("item_id", "-created_at", "-id")
            .values_list("item_id", "text")
        ):
            latest_text.setdefault(item_id, text)
        open_counts = {}
        for item_id in Kwestie.objects.filter(
            item__plan=plan, is_open=True
        ).values_list("item_id", flat=True):
            open_counts[item_id] = open_counts.get(item_id, 0) + 1
        rows = [
            SnapshotRow(
                round=reporting_round,
                item=item,
                code=item.code,
                title=item.title,
                level=item.level.label,
                status=item.status,
                progress=item.progress,
                rollup_progress=item.rollup_progress,
                effective_priority=item.effective_priority,
                text=latest_text.get(item.pk, ""),
                open_kwesties=open_counts.get(item.pk, 0),
                **{name: getattr(item, name) for name in doc_format.MONEY_FIELDS},
            )
            for item in plan.items.select_related("level").order_by("sort_key")
        ]
        SnapshotRow.objects.bulk_create(rows, batch_size=1000)
        reporting_round.closed_at = timezone.now()
        reporting_round.closed_by = actor if actor.is_authenticated else None
        reporting_round.save()
        audit.record(
            actor,
            "round.close",
            reporting_round,
            after={
                "closed_at": reporting_round.closed_at.isoformat(),
                "items": len(rows),
            },
            organisation=plan.organisation,
        )
    logger.info("round %s closed with %s items", reporting_round.pk, len(rows))
    return len(rows)
