"""Who may do what in DEMaD.

An OCMW's bijdrager uploads and inspects its own microdata, its lezer sees
its own dashboard, and every lezer of a centrumstad or of the Kenniscentrum
reads the benchmark, which holds only aggregates after disclosure control.
The Kenniscentrum's beheerder runs and publishes the benchmark. Microdata
rights come from an explicit membership of the OCMW itself: not even a
superuser of the platform reads a city's microdata.
"""

from django.core.exceptions import PermissionDenied

from stedenplatform.core.models import (
    ROLE_RANK,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from stedenplatform.core.permissions import has_role

KENNISCENTRUM = "KVS"


def is_ocmw(organisation: Organisation | None) -> bool:
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.CENTRUMSTAD
        and organisation.area_id is not None
    )


def membership_role(user, organisation: Organisation) -> str | None:
    """The user's own membership role, without the superuser shortcut."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def can_handle_microdata(user, organisation: Organisation) -> bool:
    role = membership_role(user, organisation)
    return (
        is_ocmw(organisation)
        and role is not None
        and (ROLE_RANK[Role(role)] >= ROLE_RANK[Role.BIJDRAGER])
    )


def require_microdata(user, organisation: Organisation) -> None:
    if can_handle_microdata(user, organisation):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Meld je aan om dit te doen.")
    raise PermissionDenied(
        f"Alleen een bijdrager of beheerder van {organisation.name} heeft toegang tot "
        "de microdata van dit OCMW."
    )


def ocmws_for(user, minimum: str = Role.LEZER) -> list[Organisation]:
    """The OCMWs in which the user has an explicit membership with the role."""
    if user is None or not user.is_authenticated:
        return []
    rank = ROLE_RANK[Role(minimum)]
    result = []
    for membership in Membership.objects.filter(user=user).select_related(
        "organisation"
    ):
        if (
            is_ocmw(membership.organisation)
            and ROLE_RANK[Role(membership.role)] >= rank
        ):
            result.append(membership.organisation)
    return sorted(result, key=lambda o: o.name)


def kenniscentrum() -> Organisation | None:
    return Organisation.objects.filter(code=KENNISCENTRUM).first()


def can_run_benchmark(user) -> bool:
    return has_role(user, kenniscentrum(), Role.BEHEERDER)


def require_run_benchmark(user) -> None:
    if not can_run_benchmark(user):
        if user is None or not user.is_authenticated:
            raise PermissionDenied("Meld je aan om dit te doen.")
        raise PermissionDenied(
            "Alleen een beheerder van het Kenniscentrum Vlaamse Steden berekent en "
            "publiceert de benchmark."
        )


def can_read_benchmark(user) -> bool:
    if has_role(user, kenniscentrum(), Role.LEZER):
        return True
    return bool(ocmws_for(user, Role.LEZER))


def require_read_benchmark(user) -> None:
    if not can_read_benchmark(user):
        if user is None or not user.is_authenticated:
            raise PermissionDenied("Meld je aan om de benchmark te lezen.")
        raise PermissionDenied(
            "De benchmark is er voor de centrumsteden en het Kenniscentrum; je hebt er "
            "geen rol."
        )


def can_read_dashboard(user, organisation: Organisation) -> bool:
    if not is_ocmw(organisation):
        return False
    if can_run_benchmark(user):
        return True
    return membership_role(user, organisation) is not None


def require_dashboard(user, organisation: Organisation) -> None:
    if not can_read_dashboard(user, organisation):
        if user is None or not user.is_authenticated:
            raise PermissionDenied("Meld je aan om het dashboard te zien.")
        raise PermissionDenied(
            f"Het dashboard van {organisation.name} is er voor wie een rol heeft bij "
            "die stad."
        )
