"""Who may manage which rights.

The Kenniscentrum's beheerders manage the whole catalogue. A municipality's
organisation (bijdrager or beheerder) manages the local rights of its own
municipality; the VGC those of the Brussels municipalities. Everyone, anonymous visitors included, may read the catalogue
and use the leefloon advice.
"""

from django.core.exceptions import PermissionDenied

from stedenplatform.core.models import Organisation, Role
from stedenplatform.core.permissions import has_role, organisations_with_role

from .models import Level

KENNISCENTRUM = "KVS"


def kenniscentrum() -> Organisation | None:
    return Organisation.objects.filter(code=KENNISCENTRUM).first()


def can_manage_catalogue(user) -> bool:
    return has_role(user, kenniscentrum(), Role.BEHEERDER)


def organisation_for_area(area) -> Organisation | None:
    """The organisation of the area, or of the nearest area above it.

    A centrumstad owns its municipality; the VGC, whose area is the Brussels
    region, owns the local rights of the Brussels municipalities.
    """
    while area is not None:
        organisation = Organisation.objects.filter(area=area).first()
        if organisation is not None:
            return organisation
        if area.level not in ("gemeente", "arrondissement"):
            return None
        area = area.parent
    return None


def can_manage(user, level: str, area) -> bool:
    """May the user create or change a right of this level and area?"""
    if can_manage_catalogue(user):
        return True
    if level != Level.LOKAAL:
        return False
    return has_role(user, organisation_for_area(area), Role.BIJDRAGER)


def require_manage(user, level: str, area) -> None:
    if can_manage(user, level, area):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Meld je aan om rechten te beheren.")
    where = f" van {area.name}" if area is not None else ""
    raise PermissionDenied(
        "Rechten beheren mag alleen een beheerder van het Kenniscentrum, of voor "
        f"lokale rechten{where} een bijdrager of beheerder van die gemeente."
    )


def may_manage_any(user) -> bool:
    """Whether the user may manage at least some rights."""
    if can_manage_catalogue(user):
        return True
    return Organisation.objects.filter(
        pk__in=organisations_with_role(user, Role.BIJDRAGER),
        area__level__in=["gemeente", "gewest"],
    ).exists()
