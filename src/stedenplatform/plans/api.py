"""Plan API: published plans and their items for anyone; writes with a key.

Writes need `Authorization: Bearer <sleutel>` of a user with the role
bijdrager for the item, or of the plan's organisation for rounds.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from stedenplatform.core.api import token_auth
from stedenplatform.core.errors import InputRefusedError, PlatformError

from . import queries, services
from .models import Item, Plan
from .permissions import require_view_plan

router = Router()


class PlanOut(Schema):
    id: int
    code: str
    title: str
    organisation: str
    kind: str
    start: datetime.date
    end: datetime.date
    published: bool
    fictief: bool
    levels: list[str]


class ItemOut(Schema):
    id: int
    code: str
    level: str
    title: str
    parent: str | None
    status: str
    progress: int
    rollup_progress: float
    priority: bool
    owner: str
    open_kwesties: int
    stale: bool


class UpdateIn(Schema):
    status: str
    progress: int
    text: str = ""
    date: datetime.date | None = None
    realised_exploitatie: Decimal | None = None
    realised_investeringen: Decimal | None = None


class UpdateOut(Schema):
    id: int
    item: str
    status: str
    progress: int
    rollup_progress: float
    created_at: datetime.datetime


class ErrorOut(Schema):
    code: str
    message: str
    problems: list[dict] = []


def _plan_for(request, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("organisation"), pk=plan_id)
    try:
        require_view_plan(request.user, plan)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    return plan


@router.get("", response=list[PlanOut], summary="Plannen die je mag zien")
def list_plans(request):
    plans = queries.visible_plans(request.user).prefetch_related("levels")
    return [
        PlanOut(
            id=p.pk,
            code=p.code,
            title=p.title,
            organisation=p.organisation.code,
            kind=p.kind,
            start=p.start,
            end=p.end,
            published=p.published,
            fictief=p.fictief,
            levels=[lv.key for lv in p.levels.all()],
        )
        for p in plans
    ]


@router.get(
    "/{plan_id}/items",
    response=list[ItemOut],
    summary="Items van een plan in boomvolgorde",
)
def list_items(
    request,
    plan_id: int,
    status: str | None = None,
    priority: bool = False,
    stale: bool = False,
    level: str | None = None,
):
    plan = _plan_for(request, plan_id)
    rows = queries.get_tree(
        plan, queries.TreeFilters(status=status or "", priority=priority, stale=stale)
    )
    keys = dict(plan.levels.values_list("label", "key"))
    # Built as plain dicts: validating thousands of rows through the response
    # schema costs ten times the query; the schema still documents the shape.
    result = [
        {
            "id": row.id,
            "code": row.code,
            "level": keys.get(row.level, row.level),
            "title": row.title,
            "parent": row.parent_code,
            "status": row.status,
            "progress": row.progress,
            "rollup_progress": float(row.rollup_progress),
            "priority": row.priority,
            "owner": row.owner,
            "open_kwesties": row.open_kwesties,
            "stale": row.stale,
        }
        for row in rows
        if row.matches and (not level or keys.get(row.level) == level)
    ]
    return JsonResponse(result, safe=False)


@router.post(
    "/{plan_id}/items/{code}/updates",
    auth=token_auth,
    response={201: UpdateOut, 400: ErrorOut, 403: ErrorOut},
    summary="Een update voor een item (rol bijdrager)",
)
def post_update(request, plan_id: int, code: str, payload: UpdateIn):
    plan = _plan_for(request, plan_id)
    item = get_object_or_404(
        Item.objects.select_related("plan__organisation", "owner_organisation"),
        plan=plan,
        code=code,
    )
    try:
        update = services.add_progress_update(
            request.user,
            item,
            status=payload.status,
            progress=payload.progress,
            text=payload.text,
            date=payload.date,
            realised_exploitatie=payload.realised_exploitatie,
            realised_investeringen=payload.realised_investeringen,
        )
    except PermissionDenied as error:
        return Status(403, ErrorOut(code="geen_toegang", message=str(error)))
    except InputRefusedError as error:
        return Status(
            400,
            ErrorOut(
                code=error.code,
                message=str(error),
                problems=[p.as_dict() for p in error.problems],
            ),
        )
    item.refresh_from_db()
    return Status(
        201,
        UpdateOut(
            id=update.pk,
            item=item.code,
            status=update.status,
            progress=update.progress,
            rollup_progress=float(item.rollup_progress),
            created_at=update.created_at,
        ),
    )


class RoundIn(Schema):
    name: str
    deadline: datetime.date


class RoundOut(Schema):
    id: int
    name: str
    deadline: datetime.date
    closed: bool


@router.post(
    "/{plan_id}/rounds",
    auth=token_auth,
    response={201: RoundOut, 400: ErrorOut, 403: ErrorOut},
    summary="Een rapporteringsronde openen (rol bijdrager)",
)
def post_round(request, plan_id: int, payload: RoundIn):
    plan = _plan_for(request, plan_id)
    try:
        reporting_round = services.open_round(
            request.user, plan, name=payload.name, deadline=payload.deadline
        )
    except PermissionDenied as error:
        return Status(403, ErrorOut(code="geen_toegang", message=str(error)))
    except PlatformError as error:
        return Status(400, ErrorOut(code=error.code, message=str(error)))
    return Status(
        201,
        RoundOut(
            id=reporting_round.pk,
            name=reporting_round.name,
            deadline=reporting_round.deadline,
            closed=False,
        ),
    )
