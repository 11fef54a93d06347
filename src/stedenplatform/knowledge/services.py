"""Changes to Kennisbank documents and to meetings.

Every function checks the actor's permission, writes in one transaction,
keeps the full-text index in step and records an audit row. A file is read
completely before anything is written, so an unreadable file leaves no
document, no stored file and no index entry behind.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.errors import PlatformError

from . import search
from .extraction import extract_text
from .models import (
    ActionPoint,
    AgendaPoint,
    AgendaPointStatus,
    Decision,
    Document,
    DocumentKind,
    LibraryStatus,
    Meeting,
    MeetingStatus,
    Visibility,
)
from .permissions import agenda_organisations, require_manage

logger = logging.getLogger(__name__)

AUDITED_FIELDS = [
    "title",
    "summary",
    "kind",
    "theme",
    "year",
    "authors",
    "organisation",
    "licence",
    "visibility",
    "group",
    "programme",
    "work_track",
    "collection",
    "library_status",
    "link_url",
    "file_name",
    "file_sha256",
]


class DocumentRefusedError(PlatformError):
    code = "document_geweigerd"


@dataclass
class Upload:
    name: str
    content: bytes


def _check_document(document: Document, has_file: bool) -> None:
    if document.visibility == Visibility.WERKGROEP and document.group_id is None:
        raise DocumentRefusedError(
            "Kies de werkgroep die dit document mag zien, of kies een andere "
            "zichtbaarheid (publiek of leden).",
            code="werkgroep_ontbreekt",
        )
    if document.visibility != Visibility.WERKGROEP:
        document.group = None
    if document.kind == DocumentKind.OPNAME and not document.link_url:
        raise DocumentRefusedError(
            "Een opname wordt als link bewaard: vul de link naar de opname in.",
            code="link_ontbreekt",
        )
    if not has_file and not document.link_url:
        raise DocumentRefusedError(
            "Laad een bestand op (PDF, DOCX, XLSX of PPTX) of geef een link.",
            code="bestand_of_link_ontbreekt",
        )
    if document.library_status and document.collection_id is None:
        raise DocumentRefusedError(
            f"De status '{document.library_status}' geldt alleen voor documenten in "
            "een bibliotheek; kies eerst de collectie.",
            code="status_zonder_collectie",
        )
    if document.collection_id and not document.library_status:
        document.library_status = LibraryStatus.CONCEPT


def _attach_file(document: Document, upload: Upload) -> None:
    extracted = extract_text(upload.name, upload.content)
    document.body_text = extracted.text
    document.file_type = extracted.file_type
    document.file_name = upload.name[-255:]
    document.file_size = len(upload.content)
    document.file_sha256 = hashlib.sha256(upload.content).hexdigest()


def create_document(
    actor, document: Document, upload: Upload | None = None
) -> Document:
    """Store a new document with its file and index it for search."""
    require_manage(actor)
    if upload is not None:
        _attach_file(document, upload)
    _check_document(document, upload is not None)

    with transaction.atomic():
        document.created_by = actor
        if not document.published_at:
            document.published_at = timezone.now()
        if upload is not None:
            document.file.save(upload.name, ContentFile(upload.content), save=False)
        try:
            document.save()
            search.index_documents([document.pk])
            record(
                actor,
                "knowledge.document.create",
                document,
                after=snapshot(document, AUDITED_FIELDS),
            )
        except Exception:
            if upload is not None:
                document.file.delete(save=False)
            raise

    logger.info("Document %s created (%s)", document.pk, document.file_type or "link")
    return document


def update_document(
    actor, document: Document, upload: Upload | None = None
) -> Document:
    """Save changed metadata, and a replaced file if one is given."""
    require_manage(actor)
    before_row = Document.objects.get(pk=document.pk)
    before = snapshot(before_row, AUDITED_FIELDS)
    if upload is not None:
        _attach_file(document, upload)
    _check_document(document, upload is not None or bool(document.file))

    old_file = before_row.file.name if upload is not None else None
    with transaction.atomic():
        if upload is not None:
            document.file.save(upload.name, ContentFile(upload.content), save=False)
        document.save()
        search.index_documents([document.pk])
        record(
            actor,
            "knowledge.document.update",
            document,
            before=before,
            after=snapshot(document, AUDITED_FIELDS),
        )
    if old_file and old_file != document.file.name:
        before_row.file.storage.delete(old_file)
    return document


def delete_document(actor, document: Document) -> None:
    require_manage(actor)
    before = snapshot(document, AUDITED_FIELDS)
    file_name = document.file.name
    storage = document.file.storage
    pk = document.pk
    with transaction.atomic():
        search.remove_documents([pk])
        document.delete()
        record(
            actor,
            "knowledge.document.delete",
            object_type="knowledge.document",
            object_id=pk,
            before=before,
        )
    if file_name:
        storage.delete(file_name)


def set_library_status(actor, document: Document, status: str) -> Document:
    """Move a library document to concept, evaluated or final."""
    require_manage(actor)
    if status not in LibraryStatus.values:
        raise DocumentRefusedError(
            f"Onbekende status {status!r}; toegelaten: "
            + ", ".join(LibraryStatus.values)
            + ".",
            code="status_onbekend",
        )
    if document.collection_id is None:
        raise DocumentRefusedError(
            "Dit document hoort bij geen bibliotheek en heeft dus geen status.",
            code="status_zonder_collectie",
        )
    with transaction.atomic():
        before = {"library_status": document.library_status}
        document.library_status = status
        document.save(update_fields=["library_status", "updated_at"])
        record(
            actor,
            "knowledge.document.status",
            document,
            before=before,
            after={"library_status": status},
        )
    return document


class AgendaPointRefusedError(PlatformError):
    code = "agendapunt_geweigerd"


def require_agenda_permission(actor, meeting: Meeting) -> list:
    """Return the organisations the actor may submit for, or refuse."""
    allowed = agenda_organisations(actor, meeting)
    if allowed:
        return allowed
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Meld je aan om een agendapunt in te dienen.")
    raise PermissionDenied(
        f"Alleen bijdragers van de leden van {meeting.group.name} dienen "
        "agendapunten in."
    )


def submit_agenda_point(
    actor,
    meeting: Meeting,
    *,
    title: str,
    description: str = "",
    organisation_id: int | None = None,
) -> AgendaPoint:
    """Add an agenda point for an organisation of the group, before the deadline."""
    allowed = require_agenda_permission(actor, meeting)
    organisation = next((o for o in allowed if o.pk == organisation_id), None)
    if organisation is None:
        if organisation_id is not None or len(allowed) > 1:
            raise AgendaPointRefusedError(
                "Kies de organisatie waarvoor je het agendapunt indient; toegelaten: "
                + ", ".join(o.name for o in allowed)
                + ".",
                code="organisatie_ongeldig",
            )
        organisation = allowed[0]
    title = " ".join((title or "").split())
    if not title:
        raise AgendaPointRefusedError(
            "Geef het agendapunt een titel.", code="titel_ontbreekt"
        )
    now = timezone.now()
    if meeting.status != MeetingStatus.GEPLAND:
        raise AgendaPointRefusedError(
            f"Deze vergadering is {meeting.get_status_display()}; er kunnen geen "
            "agendapunten meer bij.",
            code="vergadering_niet_gepland",
        )
    if now > meeting.agenda_deadline:
        deadline = timezone.localtime(meeting.agenda_deadline)
        raise AgendaPointRefusedError(
            f"De termijn voor agendapunten liep af op {deadline:%d-%m-%Y om %H:%M}.",
            code="termijn_verstreken",
        )

    with transaction.atomic():
        point = AgendaPoint.objects.create(
            meeting=meeting,
            title=title[:300],
            description=description.strip(),
            organisation=organisation,
            submitted_by=actor,
            submitted_at=now,
            position=meeting.agenda_points.count() + 1,
        )
        record(
            actor,
            "knowledge.agenda_point.submit",
            point,
            organisation=organisation,
            after=snapshot(point, ["meeting", "title", "organisation"]),
        )
    return point


def decide_agenda_point(actor, point: AgendaPoint, status: str) -> AgendaPoint:
    require_manage(actor)
    if status not in AgendaPointStatus.values:
        raise AgendaPointRefusedError(
            f"Onbekende status {status!r}; toegelaten: "
            + ", ".join(AgendaPointStatus.values)
            + ".",
            code="status_onbekend",
        )
    with transaction.atomic():
        before = {"status": point.status}
        point.status = status
        point.save(update_fields=["status"])
        record(
            actor,
            "knowledge.agenda_point.decide",
            point,
            before=before,
            after={"status": status},
        )
    return point


def save_meeting(actor, meeting: Meeting) -> Meeting:
    """Create or change a meeting; a change raises its iCalendar SEQUENCE."""
    require_manage(actor)
    if meeting.ends_at <= meeting.starts_at:
        raise PlatformError(
            "Het einde van de vergadering moet na het begin liggen.",
            code="einde_voor_begin",
        )
    if meeting.agenda_deadline > meeting.starts_at:
        raise PlatformError(
            "De termijn voor agendapunten moet vóór het begin van de vergadering "
            "liggen.",
            code="termijn_na_begin",
        )
    with transaction.atomic():
        before = None
        if meeting.pk:
            before = snapshot(Meeting.objects.get(pk=meeting.pk))
            meeting.sequence += 1
        meeting.save()
        record(
            actor,
            "knowledge.meeting.save",
            meeting,
            before=before,
            after=snapshot(meeting),
        )
    return meeting


def record_minutes(
    actor,
    meeting: Meeting,
    *,
    minutes: str,
    decisions: list[tuple],
    actions: list[tuple],
) -> Meeting:
    """Store the minutes with decisions and action points; marks it held.

    `decisions` holds (text, plan item or None); `actions` holds (text,
    organisation or None, due date or None, plan item or None).
    """
    require_manage(actor)
    with transaction.atomic():
        before = snapshot(meeting)
        meeting.minutes = minutes.strip()
        if meeting.status == MeetingStatus.GEPLAND:
            meeting.status = MeetingStatus.GEHOUDEN
        meeting.sequence += 1
        meeting.save()
        for text, item in decisions:
            Decision.objects.create(meeting=meeting, text=text, item=item)
        for text, organisation, due, item in actions:
            ActionPoint.objects.create(
                meeting=meeting,
                text=text,
                owner_organisation=organisation,
                due_date=due,
                item=item,
            )
        record(
            actor,
            "knowledge.meeting.minutes",
            meeting,
            before=before,
            after=snapshot(meeting)
            | {"decisions": len(decisions), "actions": len(actions)},
        )
    return meeting


def schedule_year(
    actor, group, year: int, *, weekday: int = 1, hour: int = 10
) -> list[Meeting]:
    """Plan the group's meetings of the year at its cadence; idempotent."""
    from .schedule import meeting_dates

    require_manage(actor)
    dates = meeting_dates(group, year, weekday=weekday)
    if not dates:
        raise PlatformError(
            f"{group.name} heeft geen vaste frequentie ('{group.cadence_label}'); "
            "plan de vergaderingen één voor één.",
            code="geen_frequentie",
        )
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        for slot, day in enumerate(dates, start=1):
            starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
            meeting, was_created = Meeting.objects.get_or_create(
                group=group,
                schedule_year=year,
                schedule_slot=slot,
                defaults={
                    "title": f"{group.name}: vergadering {slot}",
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=2),
                    "agenda_deadline": starts - datetime.timedelta(days=7),
                    "location": "Kenniscentrum Vlaamse Steden, Brussel",
                },
            )
            if was_created:
                created.append(meeting)
        if created:
            record(
                actor,
                "knowledge.meeting.schedule",
                object_type="plans.group",
                object_id=group.pk,
                after={"year": year, "created": len(created)},
            )
    return created
