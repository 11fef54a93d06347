"""Who may do what: a user's role in the organisation that owns the data.

Roles rank lezer < bijdrager < beheerder. A superuser counts as beheerder
everywhere. Anonymous visitors have no role and see only what is published.
"""

from django.core.exceptions import PermissionDenied

from .models import ROLE_RANK, Membership, Organisation, Role


def get_role(user, organisation: Organisation | None) -> str | None:
    """Return the user's role in the organisation, or None."""
    if user is None or not user.is_authenticated or organisation is None:
        return None
    if user.is_superuser:
        return Role.BEHEERDER
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = dict(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user._role_cache = cache
    return cache.get(organisation.pk)


def has_role(user, organisation: Organisation | None, minimum: str) -> bool:
    role = get_role(user, organisation)
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def require_role(user, organisation: Organisation | None, minimum: str) -> None:
    """Raise PermissionDenied with a Dutch message unless the user has the role."""
    if has_role(user, organisation, minimum):
        return
    name = organisation.name if organisation else "deze organisatie"
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Meld je aan om dit te doen.")
    raise PermissionDenied(
        f"Hiervoor heb je minstens de rol '{minimum}' nodig bij {name}."
    )


def organisations_with_role(user, minimum: str = Role.LEZER) -> list[int]:
    """Ids of the organisations in which the user has at least the role."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Organisation.objects.values_list("pk", flat=True))
    rank = ROLE_RANK[Role(minimum)]
    return [
        org_id
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        )
        if ROLE_RANK[Role(role)] >= rank
    ]
