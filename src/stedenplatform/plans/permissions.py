"""Who may see and change a plan.

A published plan is visible to everyone; an unpublished one to members of
its organisation. Bijdragers of the plan's organisation, or of the
organisation that owns an item, report on items; bijdragers of the plan's
organisation open and close reporting rounds (the coordinators who collect
the reports); beheerders change its structure by import.
"""

from django.core.exceptions import PermissionDenied

from stedenplatform.core.models import Role
from stedenplatform.core.permissions import has_role, require_role

from .models import Item, Plan


def can_view_plan(user, plan: Plan) -> bool:
    return plan.published or has_role(user, plan.organisation, Role.LEZER)


def require_view_plan(user, plan: Plan) -> None:
    if not can_view_plan(user, plan):
        if user is None or not user.is_authenticated:
            raise PermissionDenied(
                "Dit plan is niet gepubliceerd. Meld je aan om het te bekijken."
            )
        raise PermissionDenied(
            f"Dit plan is niet gepubliceerd; je moet lid zijn van {plan.organisation.name}."
        )


def can_report_on(user, item: Item) -> bool:
    return has_role(user, item.plan.organisation, Role.BIJDRAGER) or has_role(
        user, item.owner_organisation, Role.BIJDRAGER
    )


def require_report_on(user, item: Item) -> None:
    if not can_report_on(user, item):
        require_role(user, item.plan.organisation, Role.BIJDRAGER)


def can_contribute(user, plan: Plan) -> bool:
    return has_role(user, plan.organisation, Role.BIJDRAGER)


def can_manage(user, plan: Plan) -> bool:
    return has_role(user, plan.organisation, Role.BEHEERDER)


def require_manage(user, plan: Plan) -> None:
    require_role(user, plan.organisation, Role.BEHEERDER)


def require_contribute(user, plan: Plan) -> None:
    require_role(user, plan.organisation, Role.BIJDRAGER)
