"""Pages of the Kennisbank, the meetings and the newsletter.

Views only translate between HTTP and the services and queries: every page
checks the role through `permissions`, every change goes through a service.
All pages work as plain forms and links without JavaScript.
"""

import datetime
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from stedenplatform.core import charts
from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.models import Organisation
from stedenplatform.plans.models import Group

from . import ical, queries, services
from . import newsletter as bulletin
from .brevo import BrevoError
from .extraction import MAX_FILE_BYTES, UnreadableFileError
from .forms import (
    AgendaPointForm,
    ComposeForm,
    CsvImportForm,
    DocumentForm,
    MeetingForm,
    MinutesForm,
    NewsletterForm,
    SubscribeForm,
)
from .models import (
    AgendaPoint,
    Collection,
    Document,
    LibraryStatus,
    Meeting,
    NewsItem,
    Newsletter,
    Subscriber,
    SubscriberStatus,
)
from .permissions import (
    agenda_organisations,
    can_manage,
    can_see_meeting_details,
    require_manage,
    require_view_document,
)

logger = logging.getLogger(__name__)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _page_number(request) -> int:
    value = request.GET.get("pagina", "1")
    return int(value) if value.isdigit() else 1


def index(request):
    """The Kennisbank: search with facets and highlighted snippets."""
    filters = queries.parse_filters(request.GET)
    result = queries.search_documents(
        request.user, request.GET.get("q", ""), filters, _page_number(request)
    )
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "knowledge/index.html",
        {
            "result": result,
            "collections": Collection.objects.all(),
            "can_manage": can_manage(request.user),
            "query_string": params.urlencode(),
            "subscribe_form": SubscribeForm(),
        },
    )


def document_detail(request, pk: int):
    document = get_object_or_404(
        Document.objects.select_related(
            "organisation", "group", "programme", "work_track", "collection"
        ),
        pk=pk,
    )
    require_view_document(request.user, document)
    return render(
        request,
        "knowledge/document.html",
        {
            "document": document,
            "can_manage": can_manage(request.user),
            "statuses": LibraryStatus.choices,
        },
    )


def document_download(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    require_view_document(request.user, document)
    if not document.file:
        raise Http404("Dit document heeft geen bestand.")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name or None,
    )
    if document.visibility != "publiek":
        response["Cache-Control"] = "private, no-store"
    return response


def _upload(request):
    uploaded = request.FILES.get("upload")
    if not uploaded:
        return None
    if uploaded.size > MAX_FILE_BYTES:
        # Refuse before reading, so a huge upload is never held in memory.
        raise UnreadableFileError(
            f"Het bestand '{uploaded.name}' is {uploaded.size / 1024 / 1024:.1f} MB "
            f"groot; toegelaten: ten hoogste {MAX_FILE_BYTES // 1024 // 1024} MB.",
            code="bestand_te_groot",
        )
    return services.Upload(uploaded.name, uploaded.read())


@require_http_methods(["GET", "POST"])
def document_create(request):
    require_manage(request.user)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": timezone.localdate().year},
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            document = services.create_document(
                request.user, form.save(commit=False), _upload(request)
            )
        except PlatformError as exc:
            error = exc.message
        else:
            messages.success(request, f"Het document '{document.title}' is opgeslagen.")
            return redirect("knowledge:document", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/document_form.html",
        {"form": form, "error": error, "document": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    require_manage(request.user)
    document = get_object_or_404(Document, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(
                request.user, form.save(commit=False), _upload(request)
            )
        except PlatformError as exc:
            error = exc.message
        else:
            messages.success(request, "De wijzigingen zijn opgeslagen.")
            return redirect("knowledge:document", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/document_form.html",
        {"form": form, "error": error, "document": document},
        status=status,
    )


@require_POST
def document_delete(request, pk: int):
    require_manage(request.user)
    document = get_object_or_404(Document, pk=pk)
    services.delete_document(request.user, document)
    messages.success(request, "Het document is verwijderd.")
    return redirect("knowledge:index")


@require_POST
def document_status(request, pk: int):
    require_manage(request.user)
    document = get_object_or_404(Document, pk=pk)
    try:
        services.set_library_status(
            request.user, document, request.POST.get("status", "")
        )
    except PlatformError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Status: {document.get_library_status_display()}.")
    if document.collection_id:
        return redirect("knowledge:collection", code=document.collection.code)
    return redirect("knowledge:document", pk=document.pk)


def collection_detail(request, code: str):
    collection = get_object_or_404(
        Collection.objects.select_related("group"), code=code
    )
    return render(
        request,
        "knowledge/collection.html",
        {
            "collection": collection,
            "themes": queries.library(request.user, collection),
            "can_manage": can_manage(request.user),
            "statuses": LibraryStatus.choices,
        },
    )


def news_detail(request, pk: int):
    item = get_object_or_404(NewsItem, pk=pk)
    return render(request, "knowledge/news.html", {"item": item})


# Meetings


def _year(request) -> int:
    value = request.GET.get("jaar", "")
    return (
        int(value)
        if value.isdigit() and 2000 <= int(value) <= 2100
        else (timezone.localdate().year)
    )


def meetings_index(request):
    """Every group with its cadence and the number of meetings this year."""
    year = _year(request)
    groups = Group.objects.order_by("name").prefetch_related("members")
    counts = {}
    for meeting in Meeting.objects.filter(starts_at__year=year).values_list(
        "group_id", flat=True
    ):
        counts[meeting] = counts.get(meeting, 0) + 1
    rows = [
        {"group": g, "planned": counts.get(g.pk, 0), "expected": g.meetings_per_year()}
        for g in groups
    ]
    organisations = Organisation.objects.filter(is_member=True).exclude(kind="partner")
    return render(
        request,
        "knowledge/meetings.html",
        {
            "rows": rows,
            "year": year,
            "organisations": organisations,
            "can_manage": can_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def group_meetings(request, code: str):
    group = get_object_or_404(Group, code=code)
    year = _year(request)
    if request.method == "POST":
        year_value = request.POST.get("jaar", "")
        year = int(year_value) if year_value.isdigit() else year
        try:
            created = services.schedule_year(request.user, group, year)
        except PlatformError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"{len(created)} vergaderingen ingepland voor {year}."
            )
        return redirect(reverse("knowledge:group", args=[code]) + f"?jaar={year}")
    return render(
        request,
        "knowledge/group.html",
        {
            "group": group,
            "year": year,
            "meetings": queries.meetings_of_year(group, year),
            "can_manage": can_manage(request.user),
            "feed_url": request.build_absolute_uri(
                reverse("knowledge:group_ical", args=[code])
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    allowed = agenda_organisations(request.user, meeting)
    form = AgendaPointForm(request.POST or None, organisations=allowed)
    error = None
    if request.method == "POST":
        if not allowed:
            services.require_agenda_permission(request.user, meeting)
        if form.is_valid():
            try:
                services.submit_agenda_point(
                    request.user,
                    meeting,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    organisation_id=form.cleaned_data["organisation"],
                )
            except PlatformError as exc:
                error = exc.message
            else:
                messages.success(request, "Je agendapunt is ingediend.")
                return redirect("knowledge:meeting", pk=pk)
    details = can_see_meeting_details(request.user, meeting)
    return render(
        request,
        "knowledge/meeting.html",
        {
            "meeting": meeting,
            "details": details,
            "agenda_points": meeting.agenda_points.select_related("organisation")
            if details
            else [],
            "decisions": meeting.decisions.select_related("item") if details else [],
            "actions": meeting.action_points.select_related(
                "item", "owner_organisation"
            )
            if details
            else [],
            "form": form if allowed else None,
            "deadline_passed": timezone.now() > meeting.agenda_deadline,
            "error": error,
            "can_manage": can_manage(request.user),
            "minutes_form": MinutesForm(group=meeting.group)
            if can_manage(request.user)
            else None,
        },
        status=400
        if error or (request.method == "POST" and not form.is_valid())
        else 200,
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int | None = None, code: str | None = None):
    require_manage(request.user)
    if pk is not None:
        meeting = get_object_or_404(Meeting, pk=pk)
    else:
        meeting = Meeting(group=get_object_or_404(Group, code=code))
    form = MeetingForm(request.POST or None, instance=meeting)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_meeting(request.user, form.save(commit=False))
        except PlatformError as exc:
            error = exc.message
        else:
            messages.success(request, "De vergadering is opgeslagen.")
            return redirect("knowledge:meeting", pk=meeting.pk)
    return render(
        request,
        "knowledge/meeting_form.html",
        {"form": form, "meeting": meeting, "error": error},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def meeting_minutes(request, pk: int):
    require_manage(request.user)
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    form = MinutesForm(request.POST, group=meeting.group)
    if not form.is_valid():
        messages.error(request, "Het verslag is niet opgeslagen: vul het verslag in.")
        return redirect("knowledge:meeting", pk=pk)
    data = form.cleaned_data
    decisions = [(data["decision"], data["decision_item"])] if data["decision"] else []
    actions = (
        [(data["action"], None, data["action_due"], data["action_item"])]
        if data["action"]
        else []
    )
    services.record_minutes(
        request.user,
        meeting,
        minutes=data["minutes"],
        decisions=decisions,
        actions=actions,
    )
    messages.success(request, "Het verslag is opgeslagen.")
    return redirect("knowledge:meeting", pk=pk)


@require_POST
def agenda_point_decide(request, pk: int):
    require_manage(request.user)
    point = get_object_or_404(AgendaPoint, pk=pk)
    try:
        services.decide_agenda_point(
            request.user, point, request.POST.get("status", "")
        )
    except PlatformError as exc:
        messages.error(request, exc.message)
    return redirect("knowledge:meeting", pk=point.meeting_id)


def _calendar_response(name: str, meetings, request, filename: str) -> HttpResponse:
    body = ical.meetings_calendar(name, meetings, _base_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def group_ical(request, code: str):
    group = get_object_or_404(Group, code=code)
    meetings = Meeting.objects.filter(group=group).select_related("group")
    return _calendar_response(
        f"{group.name} (vergaderingen)", meetings, request, f"{code}.ics"
    )


def organisation_ical(request, code: str):
    organisation = get_object_or_404(Organisation, code=code, is_member=True)
    meetings = (
        Meeting.objects.filter(group__members=organisation)
        .select_related("group")
        .distinct()
    )
    return _calendar_response(
        f"Vergaderingen voor {organisation.name}",
        meetings,
        request,
        f"organisatie-{code}.ics",
    )


# Newsletter: public pages


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin.subscribe(
                form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                consent=form.cleaned_data["consent"],
                base_url=_base_url(request),
            )
        except (PlatformError, ValidationError) as exc:
            form.add_error("email", getattr(exc, "message", str(exc)))
        except Exception as exc:
            logger.warning("Confirmation mail failed: %s", type(exc).__name__)
            messages.error(
                request,
                "De bevestigingsmail kon niet verstuurd worden. "
                "Probeer het later opnieuw.",
            )
        else:
            return render(
                request,
                "knowledge/subscribe_done.html",
                {"email": form.cleaned_data["email"]},
            )
    return render(
        request,
        "knowledge/subscribe.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def confirm_subscription(request, token: str):
    try:
        subscriber = bulletin.confirm(token)
    except PlatformError as exc:
        return render(
            request,
            "knowledge/token_problem.html",
            {"message": exc.message},
            status=400,
        )
    return render(request, "knowledge/confirmed.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Unsubscribe without an account; GET asks, POST does it (one click)."""
    try:
        subscriber = bulletin.subscriber_for_unsubscribe(token)
        if request.method == "POST":
            subscriber = bulletin.unsubscribe(token)
            return render(
                request, "knowledge/unsubscribed.html", {"subscriber": subscriber}
            )
    except PlatformError as exc:
        return render(
            request,
            "knowledge/token_problem.html",
            {"message": exc.message},
            status=400,
        )
    return render(request, "knowledge/unsubscribe.html", {"subscriber": subscriber})


# Newsletter: editors


def _trend_charts(trend: list[dict], sections: list[dict]) -> dict:
    if not trend:
        return {}
    rates = []
    for row in trend:
        rates.append(
            {
                "nummer": row["issue"],
                "maat": "geopend (uniek, %)",
                "waarde": row["open_rate"],
            }
        )
        rates.append(
            {
                "nummer": row["issue"],
                "maat": "geklikt (uniek, %)",
                "waarde": row["click_rate"],
            }
        )
    spec_sections = {
        "width": 520,
        "height": 240,
        "data": {"values": sections},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "issue",
                "type": "ordinal",
                "title": "bulletin",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "clicks",
                "type": "quantitative",
                "title": "kliks",
                "stack": "zero",
            },
            "color": {"field": "section", "type": "nominal", "title": "rubriek"},
        },
    }
    return {
        "rates": charts.line_chart(
            rates,
            x="nummer",
            y="waarde",
            color="maat",
            x_type="ordinal",
            title="Geopend en geklikt per bulletin, in procent van de afgeleverde "
            "mails",
            x_title="bulletin",
            y_title="%",
        ),
        "sections": charts.render_svg(
            spec_sections, title="Kliks per rubriek per bulletin"
        )
        if sections
        else None,
    }


def newsletter_index(request):
    require_manage(request.user)
    trend = queries.newsletter_trend()
    sections = queries.section_clicks(trend)
    counts = {s: Subscriber.objects.filter(status=s).count() for s in SubscriberStatus}
    return render(
        request,
        "knowledge/newsletter_index.html",
        {
            "newsletters": Newsletter.objects.all(),
            "trend": trend,
            "section_table": queries.section_table(sections),
            "all_fictief": bool(trend) and all(row["fictief"] for row in trend),
            "charts": _trend_charts(trend, sections),
            "compose_form": ComposeForm(
                initial={"month": timezone.localdate().strftime("%Y-%m")}
            ),
            "import_form": CsvImportForm(),
            "counts": {
                "actief": counts[SubscriberStatus.ACTIEF],
                "wachtend": counts[SubscriberStatus.WACHTEND],
                "uitgeschreven": counts[SubscriberStatus.UITGESCHREVEN],
                "fictief": Subscriber.objects.filter(fictief=True).count(),
            },
        },
    )


@require_POST
def newsletter_compose(request):
    require_manage(request.user)
    form = ComposeForm(request.POST)
    month = None
    if form.is_valid():
        try:
            month = datetime.date.fromisoformat(form.cleaned_data["month"] + "-01")
        except ValueError:
            month = None
    if month is None:
        messages.error(
            request,
            f"Ongeldige maand {request.POST.get('month', '')!r}; "
            "toegelaten: JJJJ-MM, bv. 2026-12.",
        )
        return redirect("knowledge:newsletters")
    try:
        issue = bulletin.compose_newsletter(request.user, month, _base_url(request))
    except PlatformError as exc:
        messages.error(request, exc.message)
        return redirect("knowledge:newsletters")
    messages.success(
        request,
        f"Het bulletin van {bulletin.month_label(month)} is "
        "samengesteld. Kijk het na en verstuur het.",
    )
    return redirect("knowledge:newsletter", pk=issue.pk)


@require_http_methods(["GET", "POST"])
def newsletter_detail(request, pk: int):
    require_manage(request.user)
    issue = get_object_or_404(Newsletter, pk=pk)
    form = NewsletterForm(
        request.POST or None, initial={"subject": issue.subject, "intro": issue.intro}
    )
    if request.method == "POST" and form.is_valid():
        try:
            bulletin.update_newsletter(
                request.user,
                issue,
                subject=form.cleaned_data["subject"],
                intro=form.cleaned_data["intro"],
                remove_entry_ids=[
                    int(v) for v in request.POST.getlist("verwijder") if v.isdigit()
                ],
            )
        except PlatformError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Het bulletin is bijgewerkt.")
        return redirect("knowledge:newsletter", pk=pk)
    latest = issue.statistics.order_by("-imported_at").first()
    return render(
        request,
        "knowledge/newsletter.html",
        {
            "issue": issue,
            "form": form,
            "sections": bulletin.sections_of(issue),
            "month": bulletin.month_label(issue.issue),
            "latest": latest,
            "links": latest.links.all() if latest else [],
            "active": Subscriber.objects.filter(status=SubscriberStatus.ACTIEF).count(),
        },
    )


def newsletter_preview(request, pk: int):
    """The issue exactly as the email shows it (HTML or plain text)."""
    require_manage(request.user)
    issue = get_object_or_404(Newsletter, pk=pk)
    html, text = bulletin.render_newsletter(
        issue, _base_url(request) + bulletin.unsubscribe_path("voorbeeld")
    )
    if request.GET.get("formaat") == "tekst":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@require_POST
def newsletter_send(request, pk: int):
    require_manage(request.user)
    issue = get_object_or_404(Newsletter, pk=pk)
    try:
        bulletin.send_newsletter(request.user, issue, _base_url(request))
    except (PlatformError, BrevoError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Het bulletin is via Brevo verstuurd naar {issue.recipients} abonnees.",
        )
    return redirect("knowledge:newsletter", pk=pk)


@require_POST
def newsletter_test(request, pk: int):
    require_manage(request.user)
    issue = get_object_or_404(Newsletter, pk=pk)
    try:
        bulletin.send_test(
            request.user, issue, request.POST.get("email", ""), _base_url(request)
        )
    except (PlatformError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, "De testmail is verstuurd.")
    return redirect("knowledge:newsletter", pk=pk)


@require_POST
def newsletter_statistics(request, pk: int):
    require_manage(request.user)
    issue = get_object_or_404(Newsletter, pk=pk)
    try:
        stats = bulletin.import_statistics(request.user, issue)
    except PlatformError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Statistieken ingelezen: {stats.delivered} afgeleverd, "
            f"{stats.unique_views} uniek geopend, "
            f"{stats.unique_clicks} unieke kliks.",
        )
    return redirect("knowledge:newsletter", pk=pk)


@require_POST
def subscribers_import(request):
    require_manage(request.user)
    form = CsvImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Kies een CSV-bestand om in te lezen.")
        return redirect("knowledge:newsletters")
    uploaded = form.cleaned_data["file"]
    try:
        result = bulletin.import_subscribers(
            request.user, uploaded.name, uploaded.read()
        )
    except InputRefusedError as exc:
        return render(
            request, "knowledge/import_refused.html", {"error": exc}, status=400
        )
    messages.success(
        request,
        f"{result['rows']} rijen ingelezen: {result['created']} "
        f"nieuw, {result['updated']} bijgewerkt.",
    )
    return redirect("knowledge:newsletters")


def subscribers_export(request):
    require_manage(request.user)
    body = bulletin.export_subscribers(request.user)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="abonnees.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
