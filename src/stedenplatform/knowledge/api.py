"""API of the Kennisbank under /api/knowledge/: search, documents, meetings,
agenda points and the newsletter's statistics.

Reads answer anonymously with what is public; with an API key (Authorization:
Bearer) or a session they answer with what that user may see. Writes need an
API key of a user with the right role.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from stedenplatform.core.api import token_auth
from stedenplatform.core.errors import PlatformError

from . import queries, services
from .models import Document, Meeting
from .permissions import can_see_meeting_details, can_view_document, require_manage

router = Router()


def _reader(request):
    """The user behind a Bearer key if one is sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_auth.authenticate(request, header.split(" ", 1)[1].strip())
        if user is None:
            raise HttpError(401, "Ongeldige of ingetrokken API-sleutel.")
        return user
    return request.user


class SearchFilters(Schema):
    q: str = ""
    soort: str | None = None
    thema: str | None = None
    jaar: int | None = None
    programma: int | None = None
    organisatie: int | None = None
    collectie: str | None = None
    pagina: int = 1


class DocumentOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    theme: str
    year: int
    authors: str
    organisation: str | None
    licence: str
    visibility: str
    group: str | None
    programme: str | None
    work_track: str | None
    collection: str | None
    library_status: str
    file_type: str
    link_url: str
    published_at: datetime.datetime
    fictief: bool
    url: str
    snippet: str | None = None
    score: float | None = None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetOut(Schema):
    key: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    results: list[DocumentOut]
    facets: list[FacetOut]


def _document(d: Document) -> DocumentOut:
    return DocumentOut(
        id=d.pk,
        title=d.title,
        summary=d.summary,
        kind=d.kind,
        theme=d.theme,
        year=d.year,
        authors=d.authors,
        organisation=d.organisation.code if d.organisation else None,
        licence=d.licence,
        visibility=d.visibility,
        group=d.group.code if d.group else None,
        programme=d.programme.code if d.programme else None,
        work_track=d.work_track.code if d.work_track else None,
        collection=d.collection.code if d.collection else None,
        library_status=d.library_status,
        file_type=d.file_type,
        link_url=d.link_url,
        published_at=d.published_at,
        fictief=d.fictief,
        url=f"/kennisbank/documenten/{d.pk}/",
        snippet=str(d.snippet) if getattr(d, "snippet", None) else None,
        score=getattr(d, "score", None),
    )


@router.get("/documents", response=SearchOut, summary="Zoeken in de Kennisbank")
def search_documents(request, filters: Query[SearchFilters]):
    """Full-text search in Dutch with facets; snippets mark the matches."""
    params = {k: str(v) for k, v in filters.dict().items() if v not in (None, "")}
    result = queries.search_documents(
        _reader(request), filters.q, queries.parse_filters(params), filters.pagina
    )
    return SearchOut(
        query=result.query,
        total=result.total,
        page=result.page,
        pages=result.pages,
        results=[_document(d) for d in result.documents],
        facets=[
            FacetOut(
                key=f.key,
                label=f.label,
                values=[
                    FacetValueOut(value=v.value, label=v.label, count=v.count)
                    for v in f.values
                ],
            )
            for f in result.facets
        ],
    )


@router.get("/documents/{document_id}", response=DocumentOut, summary="Eén document")
def get_document(request, document_id: int):
    document = get_object_or_404(
        Document.objects.select_related(
            "organisation", "group", "programme", "work_track", "collection"
        ),
        pk=document_id,
    )
    if not can_view_document(_reader(request), document):
        raise HttpError(403, "Dit document is niet zichtbaar voor jou.")
    return _document(document)


class MeetingOut(Schema):
    id: int
    group: str
    title: str
    theme: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    online_url: str | None
    agenda_deadline: datetime.datetime
    status: str
    fictief: bool


@router.get("/meetings", response=list[MeetingOut], summary="Vergaderingen")
def list_meetings(request, group: str | None = None, year: int | None = None):
    user = _reader(request)
    meetings = Meeting.objects.select_related("group").prefetch_related(
        "group__members"
    )
    if group:
        meetings = meetings.filter(group__code=group)
    if year:
        meetings = meetings.filter(starts_at__year=year)
    return [
        MeetingOut(
            id=m.pk,
            group=m.group.code,
            title=m.title,
            theme=m.theme,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            location=m.location,
            online_url=m.online_url if can_see_meeting_details(user, m) else None,
            agenda_deadline=m.agenda_deadline,
            status=m.status,
            fictief=m.fictief,
        )
        for m in meetings[:2000]
    ]


class AgendaPointIn(Schema):
    title: str
    description: str = ""
    organisation: str | None = None


class AgendaPointOut(Schema):
    id: int
    meeting: int
    title: str
    organisation: str
    status: str


@router.post(
    "/meetings/{meeting_id}/agenda-points",
    response={201: AgendaPointOut},
    auth=token_auth,
    summary="Agendapunt indienen",
)
def submit_agenda_point(request, meeting_id: int, payload: AgendaPointIn):
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    organisation_id = None
    if payload.organisation:
        from stedenplatform.core.models import Organisation

        organisation_id = (
            Organisation.objects.filter(code=payload.organisation)
            .values_list("pk", flat=True)
            .first()
        )
        if organisation_id is None:
            raise HttpError(400, f"Onbekende organisatie {payload.organisation!r}.")
    try:
        point = services.submit_agenda_point(
            request.user,
            meeting,
            title=payload.title,
            description=payload.description,
            organisation_id=organisation_id,
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except PlatformError as exc:
        raise HttpError(400, f"{exc.code}: {exc.message}") from exc
    return Status(
        201,
        AgendaPointOut(
            id=point.pk,
            meeting=meeting.pk,
            title=point.title,
            organisation=point.organisation.code,
            status=point.status,
        ),
    )


class IssueStatisticsOut(Schema):
    issue: str
    delivered: int
    unique_views: int
    unique_clicks: int
    open_rate: float
    click_rate: float
    fictief: bool


@router.get(
    "/newsletters/statistics",
    response=list[IssueStatisticsOut],
    auth=token_auth,
    summary="Leesstatistieken van het nieuwsbulletin",
)
def newsletter_statistics(request):
    try:
        require_manage(request.user)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return [
        IssueStatisticsOut(
            issue=row["issue"],
            delivered=row["delivered"],
            unique_views=row["unique_views"],
            unique_clicks=row["unique_clicks"],
            open_rate=row["open_rate"],
            click_rate=row["click_rate"],
            fictief=row["fictief"],
        )
        for row in queries.newsletter_trend()
    ]
