"""Reads for the pages, the API and the report.

Every read here costs a fixed number of queries, whatever the plan's size:
the tree is read in one query and nested in memory, the dashboard's figures
are aggregates.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .models import Item, Kwestie, Plan, ProgressUpdate, SnapshotRow, Status
from .permissions import can_view_plan

DONE = (Status.GEREALISEERD, Status.STOPGEZET)
SEVERITY_ORDER = {"kritiek": 0, "hoog": 1, "middel": 2, "laag": 3}


def visible_plans(user):
    from stedenplatform.core.permissions import organisations_with_role

    orgs = organisations_with_role(user)
    return Plan.objects.filter(
        Q(published=True) | Q(organisation_id__in=orgs)
    ).select_related("organisation")


@dataclass
class TreeFilters:
    status: str = ""
    owner: str = ""
    group: str = ""
    priority: bool = False
    stale: bool = False
    query: str = ""
    max_depth: int | None = None

    @property
    def active(self) -> bool:
        return bool(
            self.status
            or self.owner
            or self.group
            or self.priority
            or self.stale
            or self.query
        )


@dataclass
class TreeRow:
    id: int
    code: str
    title: str
    depth: int
    level: str
    status: str
    progress: int
    rollup_progress: Decimal
    priority: bool
    owner: str
    end: datetime.date | None
    last_update_at: datetime.datetime | None
    open_kwesties: int = 0
    stale: bool = False
    late: bool = False
    matches: bool = True
    has_children: bool = False
    parent_id: int | None = None
    parent_code: str | None = None
    groups: list[str] = field(default_factory=list)


def stale_cutoff(plan: Plan, days: int | None = None) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days or plan.stale_after_days)


def get_tree(
    plan: Plan, filters: TreeFilters | None = None, *, stale_days: int | None = None
) -> list[TreeRow]:
    """The plan's items in tree order; with filters, matches and their ancestors."""
    filters = filters or TreeFilters()
    cutoff = stale_cutoff(plan, stale_days)
    today = timezone.localdate()
    items = Item.objects.filter(plan=plan)
    if filters.max_depth is not None:
        # Ancestors sit higher than their descendants, so cutting by depth
        # first keeps every row a filter match needs for its path.
        items = items.filter(level__depth__lte=filters.max_depth)
    rows = list(
        items.order_by("sort_key").values_list(
            "id",
            "code",
            "title",
            "level__depth",
            "level__label",
            "status",
            "progress",
            "rollup_progress",
            "effective_priority",
            "owner_organisation__name",
            "owner_service",
            "owner_person",
            "end",
            "last_update_at",
            "parent_id",
            "parent__code",
        )
    )
    kwesties = dict(
        Kwestie.objects.filter(item__plan=plan, is_open=True)
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    memberships: dict[int, list[str]] = {}
    for item_id, code in Item.groups.through.objects.filter(
        item__plan=plan
    ).values_list("item_id", "group__code"):
        memberships.setdefault(item_id, []).append(code)

    tree = []
    by_id = {}
    for (
        pk,
        code,
        title,
        depth,
        level,
        status,
        progress,
        rollup,
        priority,
        org,
        service,
        person,
        end,
        last_update,
        parent_id,
        parent_code,
    ) in rows:
        owner = " · ".join(p for p in (org, service, person) if p)
        row = TreeRow(
            id=pk,
            code=code,
            title=title,
            depth=depth,
            level=level,
            status=status,
            progress=progress,
            rollup_progress=rollup,
            priority=priority,
            owner=owner,
            end=end,
            last_update_at=last_update,
            open_kwesties=kwesties.get(pk, 0),
            stale=(
                status not in DONE and (last_update is None or last_update < cutoff)
            ),
            late=(end is not None and end < today and status not in DONE),
            parent_id=parent_id,
            parent_code=parent_code,
            groups=memberships.get(pk, []),
        )
        tree.append(row)
        by_id[pk] = row
    for row in tree:
        if row.parent_id in by_id:
            by_id[row.parent_id].has_children = True
    if filters.max_depth is not None:
        # The rows at the cut still have children below it.
        below = set(
            Item.objects.filter(plan=plan, level__depth=filters.max_depth + 1)
            .values_list("parent_id", flat=True)
            .distinct()
        )
        for row in tree:
            if row.id in below:
                row.has_children = True
    for row in tree:
        # Parents are not reported on: their progress comes from below.
        if row.has_children:
            row.stale = False

    if filters.active:
        needle = filters.query.lower()
        for row in tree:
            row.matches = (
                (not filters.status or row.status == filters.status)
                and (not filters.owner or filters.owner.lower() in row.owner.lower())
                and (not filters.group or filters.group in row.groups)
                and (not filters.priority or row.priority)
                and (not filters.stale or row.stale)
                and (
                    not needle
                    or needle in row.title.lower()
                    or needle in row.code.lower()
                )
            )
        keep = set()
        for row in tree:
            if row.matches:
                pk = row.id
                while pk is not None and pk not in keep:
                    keep.add(pk)
                    pk = by_id[pk].parent_id
        tree = [row for row in tree if row.id in keep]
    return tree


def get_dashboard(plan: Plan, *, stale_days: int | None = None) -> dict:
    """Figures for management's helicopter view of one plan."""
    items = Item.objects.filter(plan=plan)
    today = timezone.localdate()
    cutoff = stale_cutoff(plan, stale_days)
    leaf_depth = plan.levels.count() - 1
    per_status = dict(
        items.filter(level__depth=leaf_depth)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    status_counts = [(s.value, s.label, per_status.get(s.value, 0)) for s in Status]
    open_statuses = ~Q(status__in=DONE)
    late = (
        items.filter(open_statuses, end__lt=today)
        .select_related("level")
        .order_by("end")
    )
    stale = (
        items.filter(open_statuses)
        .filter(Q(last_update_at__isnull=True) | Q(last_update_at__lt=cutoff))
        .filter(level__depth=leaf_depth)
    )
    kwesties = Kwestie.objects.filter(item__plan=plan, is_open=True).select_related(
        "item"
    )
    open_kwesties = sorted(
        kwesties[:200],
        key=lambda k: (SEVERITY_ORDER[k.severity], -k.created_at.timestamp()),
    )
    top_level = (
        items.filter(level__depth=0)
        .order_by("sort_key")
        .values_list("code", "title", "rollup_progress", "effective_priority")
    )
    totals = items.filter(level__depth=leaf_depth).aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(status=Status.GEREALISEERD)),
        priority=Count("id", filter=Q(effective_priority=True)),
    )
    return {
        "status_counts": status_counts,
        "leaf_label": plan.levels.get(depth=leaf_depth).label
        if leaf_depth >= 0
        else "",
        "leaf_total": totals["n"],
        "leaf_done": totals["done"],
        "priority_count": totals["priority"],
        "late_count": late.count(),
        "late_items": list(late[:15]),
        "stale_count": stale.count(),
        "stale_items": list(
            stale.select_related("level").order_by("last_update_at", "sort_key")[:15]
        ),
        "stale_days": stale_days or plan.stale_after_days,
        "open_kwesties_count": kwesties.count(),
        "open_kwesties": open_kwesties[:10],
        "programmes": [
            {"code": c, "title": t, "progress": float(p), "priority": pr}
            for c, t, p, pr in top_level
        ],
        "overall_progress": _overall(plan),
        "rounds": list(plan.rounds.order_by("-deadline")[:5]),
    }


def _overall(plan: Plan) -> float:
    values = list(
        Item.objects.filter(plan=plan, level__depth=0)
        .exclude(status=Status.STOPGEZET)
        .values_list("rollup_progress", "weight")
    )
    total = sum(w for _, w in values)
    if not total:
        return 0.0
    return float(sum(p * w for p, w in values) / total)


def get_item_history(item: Item):
    return ProgressUpdate.objects.filter(item=item).select_related("author", "round")


@dataclass
class Change:
    code: str
    title: str
    level: str
    kind: str  # 'gewijzigd', 'nieuw', 'verdwenen'
    fields: list[tuple[str, str, str]]


COMPARED = [
    ("status", "status"),
    ("progress", "voortgang"),
    ("rollup_progress", "voortgang (samengeteld)"),
    ("text", "tekst"),
    ("open_kwesties", "open kwesties"),
    ("budget_expected_exploitatie", "budget verwacht exploitatie"),
    ("budget_realised_exploitatie", "budget gerealiseerd exploitatie"),
    ("budget_expected_investeringen", "budget verwacht investeringen"),
    ("budget_realised_investeringen", "budget gerealiseerd investeringen"),
]


def _show(name, value):
    if value is None or value == "":
        return "—"
    if name == "status":
        return Status(value).label
    if name in ("progress", "rollup_progress"):
        return f"{value}%"
    if name.startswith("budget_"):
        return f"€ {value:,.2f}".replace(",", " ").replace(".", ",")
    return str(value)


def compare_rounds(older, newer) -> list[Change]:
    """What changed between two closed rounds, item by item."""

    def rows(r):
        return {s.code: s for s in SnapshotRow.objects.filter(round=r)}

    old, new = rows(older), rows(newer)
    changes = []
    for code, row in new.items():
        before = old.get(code)
        if before is None:
            changes.append(Change(code, row.title, row.level, "nieuw", []))
            continue
        fields = []
        for name, label in COMPARED:
            a, b = getattr(before, name), getattr(row, name)
            if a != b:
                fields.append((label, _show(name, a), _show(name, b)))
        if fields:
            changes.append(Change(code, row.title, row.level, "gewijzigd", fields))
    for code, row in old.items():
        if code not in new:
            changes.append(Change(code, row.title, row.level, "verdwenen", []))
    return changes


def get_report(plan: Plan, reporting_round=None) -> dict:
    """The progress report: the tree with texts, open kwesties and indicators."""
    from .models import Indicator

    if reporting_round is not None and not reporting_round.is_open:
        snapshot = {
            s.code: s for s in SnapshotRow.objects.filter(round=reporting_round)
        }
    else:
        snapshot = None
    items = list(
        plan.items.select_related("level", "owner_organisation").order_by("sort_key")
    )
    latest_text = {}
    for item_id, text, date in (
        ProgressUpdate.objects.filter(item__plan=plan)
        .order_by("item_id", "-created_at", "-id")
        .values_list("item_id", "text", "date")
    ):
        latest_text.setdefault(item_id, (text, date))
    kwesties: dict[int, list] = {}
    for kwestie in Kwestie.objects.filter(item__plan=plan, is_open=True):
        kwesties.setdefault(kwestie.item_id, []).append(kwestie)
    indicators: dict[int, list] = {}
    for indicator in Indicator.objects.filter(item__plan=plan).prefetch_related(
        "targets", "measurements"
    ):
        indicators.setdefault(indicator.item_id, []).append(indicator)
    sections = []
    for item in items:
        row = snapshot.get(item.code) if snapshot is not None else None
        text, date = latest_text.get(item.pk, ("", None))
        sections.append(
            {
                "item": item,
                "depth": item.level.depth,
                "status": row.status if row else item.status,
                "progress": row.progress if row else item.progress,
                "rollup_progress": row.rollup_progress if row else item.rollup_progress,
                "text": row.text if row else text,
                "text_date": None if row else date,
                "kwesties": kwesties.get(item.pk, []),
                "indicators": indicators.get(item.pk, []),
            }
        )
    return {"plan": plan, "round": reporting_round, "sections": sections}


def user_can_view(user, plan: Plan) -> bool:
    return can_view_plan(user, plan)


AUDIT_LABELS = {
    "item.create": "aangemaakt",
    "item.update": "gewijzigd",
    "item.progress": "update",
}


def get_item_changes(item: Item, limit: int = 50) -> list[dict]:
    """The audit trail of an item: who changed which fields, from what to what."""
    from stedenplatform.core.models import AuditEntry

    entries = AuditEntry.objects.filter(
        object_type="plans.item", object_id=str(item.pk)
    ).select_related("actor")[:limit]
    changes = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        fields = [
            (name, before.get(name), after.get(name))
            for name in after
            if before.get(name) != after.get(name) and name != "text"
        ]
        changes.append(
            {
                "at": entry.at,
                "actor": entry.actor,
                "action": AUDIT_LABELS.get(entry.action, entry.action),
                "fields": fields,
            }
        )
    return changes
