"""Who may see and change what in the Kennisbank, meetings and newsletter.

Bijdragers and beheerders of the Kenniscentrum (KVS) manage documents,
meetings and newsletters and see every document. A public document is open
to everyone; a members' document to anyone with a role in a member
organisation; a working-group document to people with a role in one of that
group's member organisations. Bijdragers of a group's member organisations
submit agenda points to its meetings.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from stedenplatform.core.models import Membership, Organisation, Role
from stedenplatform.core.permissions import has_role, organisations_with_role

from .models import Document, Meeting, Visibility

KENNISCENTRUM = "KVS"


def kenniscentrum() -> Organisation | None:
    return Organisation.objects.filter(code=KENNISCENTRUM).first()


def can_manage(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_knowledge_manager", None)
    if cached is None:
        cached = has_role(user, kenniscentrum(), Role.BIJDRAGER)
        user._knowledge_manager = cached
    return cached


def require_manage(user) -> None:
    if can_manage(user):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Meld je aan om dit te doen.")
    raise PermissionDenied(
        "Hiervoor heb je minstens de rol 'bijdrager' nodig bij het Kenniscentrum "
        "Vlaamse Steden."
    )


def member_organisation_ids(user) -> list[int]:
    """Member organisations in which the user has any role."""
    if user is None or not user.is_authenticated:
        return []
    ids = organisations_with_role(user, Role.LEZER)
    return list(
        Organisation.objects.filter(pk__in=ids, is_member=True).values_list(
            "pk", flat=True
        )
    )


def visible_documents_q(user) -> Q | None:
    """The condition for documents the user may see; None means all."""
    if can_manage(user):
        return None
    condition = Q(visibility=Visibility.PUBLIEK)
    org_ids = member_organisation_ids(user)
    if org_ids:
        from stedenplatform.plans.models import Group

        # A list, not a subquery: the condition then names the groups, so a
        # change of membership changes it (and any search cached under it).
        group_ids = sorted(
            set(Group.objects.filter(members__in=org_ids).values_list("pk", flat=True))
        )
        condition |= Q(visibility=Visibility.LEDEN)
        condition |= Q(visibility=Visibility.WERKGROEP, group_id__in=group_ids)
    return condition


def can_view_document(user, document: Document) -> bool:
    if document.visibility == Visibility.PUBLIEK or can_manage(user):
        return True
    org_ids = member_organisation_ids(user)
    if not org_ids:
        return False
    if document.visibility == Visibility.LEDEN:
        return True
    return (
        document.group is not None
        and document.group.members.filter(pk__in=org_ids).exists()
    )


def require_view_document(user, document: Document) -> None:
    if can_view_document(user, document):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied(
            "Dit document is niet publiek. Meld je aan om het te bekijken."
        )
    if document.visibility == Visibility.WERKGROEP:
        raise PermissionDenied(
            f"Dit document is alleen zichtbaar voor de leden van {document.group.name}."
        )
    raise PermissionDenied("Dit document is alleen zichtbaar voor de leden.")


def agenda_organisations(user, meeting: Meeting) -> list[Organisation]:
    """Member organisations of the meeting's group for which the user may
    submit agenda points (role bijdrager or higher)."""
    if user is None or not user.is_authenticated:
        return []
    ids = organisations_with_role(user, Role.BIJDRAGER)
    allowed = list(meeting.group.members.filter(pk__in=ids))
    if not allowed and can_manage(user):
        allowed = [kenniscentrum()]
    return allowed


def can_see_meeting_details(user, meeting: Meeting) -> bool:
    """Online links, agenda points and minutes: for the group and the
    Kenniscentrum."""
    if can_manage(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation__in=meeting.group.members.all()
    ).exists()
