"""Pages of the plan module; every view checks the role first."""

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.pdf import render_pdf

from . import queries, services
from .charts import indicator_chart, programme_chart, status_chart
from .forms import (
    KwestieForm,
    MeasurementForm,
    ProgressUpdateForm,
    RoundForm,
    UploadForm,
)
from .models import Group, Indicator, Item, Kwestie, Plan, ReportingRound, Status
from .permissions import (
    can_contribute,
    can_manage,
    can_report_on,
    require_contribute,
    require_manage,
    require_view_plan,
)


def _plan(request, code) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("organisation"), code=code)
    require_view_plan(request.user, plan)
    return plan


def _item(plan, item_code) -> Item:
    return get_object_or_404(
        Item.objects.select_related(
            "plan__organisation", "level", "parent", "owner_organisation"
        ),
        plan=plan,
        code=item_code,
    )


def _refused(request, template, context, error):
    context["refusal"] = error
    return render(request, template, context, status=400)


def index(request):
    plans = queries.visible_plans(request.user)
    return render(request, "plans/index.html", {"plans": plans})


def dashboard(request, code):
    plan = _plan(request, code)
    stale_days = _positive_int(request.GET.get("dagen"))
    data = queries.get_dashboard(plan, stale_days=stale_days)
    top_label = plan.levels.get(depth=0).label
    context = {
        "plan": plan,
        "data": data,
        "top_label": top_label,
        "status_chart": status_chart(data["status_counts"], data["leaf_label"]),
        "programme_chart": programme_chart(data["programmes"], top_label)
        if data["programmes"]
        else "",
        "can_manage": can_manage(request.user, plan),
        "can_contribute": can_contribute(request.user, plan),
    }
    return render(request, "plans/dashboard.html", context)


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


LARGE_TREE = 1500


def _depth(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def tree(request, code):
    plan = _plan(request, code)
    filters = queries.TreeFilters(
        status=request.GET.get("status", "")
        if request.GET.get("status") in Status.values
        else "",
        owner=request.GET.get("eigenaar", "").strip(),
        group=request.GET.get("groep", "").strip(),
        priority=request.GET.get("prioritair") == "1",
        stale=request.GET.get("niet_bijgewerkt") == "1",
        query=request.GET.get("zoek", "").strip(),
        max_depth=_depth(request.GET.get("diepte")),
    )
    levels = list(plan.levels.all())
    folded = False
    if "diepte" not in request.GET and not filters.active and len(levels) > 1:
        # A tree of thousands of rows is unreadable and heavy; large plans
        # open folded one level above the leaves, with a link to unfold.
        if plan.items.count() > LARGE_TREE:
            filters.max_depth = len(levels) - 2
            folded = True
    stale_days = _positive_int(request.GET.get("dagen"))
    rows = queries.get_tree(plan, filters, stale_days=stale_days)
    groups = Group.objects.filter(items__plan=plan).distinct().order_by("name")
    context = {
        "plan": plan,
        "rows_html": render_tree_rows(plan, rows),
        "row_count": len(rows),
        "filters": filters,
        "statuses": Status.choices,
        "groups": groups,
        "levels": levels,
        "folded": folded,
        "stale_days": stale_days or plan.stale_after_days,
    }
    return render(request, "plans/tree.html", context)


def render_tree_rows(plan: Plan, rows) -> str:
    """The tree's table rows, built directly: thousands of rows render fast."""
    base = reverse("plans:item", args=[plan.code, "__code__"])
    labels = dict(Status.choices)
    parts = []
    for row in rows:
        url = base.replace("__code__", escape(row.code))
        badges = []
        if row.priority:
            badges.append('<span class="badge priority">prioritair</span>')
        if row.stale:
            badges.append('<span class="badge stale">niet bijgewerkt</span>')
        if row.late:
            badges.append(
                '<span class="badge status-vertraagd">over de einddatum</span>'
            )
        progress = float(row.rollup_progress)
        title = escape(row.title if len(row.title) <= 160 else row.title[:157] + "…")
        parts.append(
            f'<tr class="depth-{row.depth}{"" if row.matches else " context"}">'
            f'<td class="code">{escape(row.code)}</td>'
            f'<td style="padding-left:{0.5 + row.depth * 1.4:.1f}rem">'
            f'<span class="level-label">{escape(row.level)}</span> '
            f'<a href="{url}">{title}</a> {"".join(badges)}</td>'
            f'<td><span class="badge status-{row.status}">{labels[row.status]}</span></td>'
            f'<td class="num"><span class="progress" role="img" aria-label="{progress:.0f}% gerealiseerd">'
            f'<span style="width:{progress:.0f}%"></span></span> {progress:.0f}%</td>'
            f"<td>{escape(row.owner)}</td>"
            f'<td class="num">{row.open_kwesties or ""}</td></tr>'
        )
    return mark_safe("".join(parts))


def item_detail(request, code, item_code):
    plan = _plan(request, code)
    item = _item(plan, item_code)
    indicators = list(item.indicators.prefetch_related("targets", "measurements"))
    may_report = can_report_on(request.user, item)
    context = {
        "plan": plan,
        "item": item,
        "ancestors": _ancestors(item),
        "children": item.children.select_related("level").order_by("sort_key"),
        "history": queries.get_item_history(item),
        "kwesties": item.kwesties.all(),
        "indicators": [
            (i, indicator_chart(i) if i.measurements.all() or i.targets.all() else "")
            for i in indicators
        ],
        "groups": item.groups.all(),
        "changes": queries.get_item_changes(item),
        "may_report": may_report,
        "update_form": ProgressUpdateForm(
            initial={"status": item.status, "progress": item.progress}
        ),
        "kwestie_form": KwestieForm(),
        "measurement_form": MeasurementForm(),
    }
    return render(request, "plans/item.html", context)


def _ancestors(item):
    chain = []
    parent = item.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return list(reversed(chain))


@require_POST
@login_required
def item_update(request, code, item_code):
    plan = _plan(request, code)
    item = _item(plan, item_code)
    form = ProgressUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "De update is niet opgeslagen: " + _form_errors(form))
        return redirect("plans:item", plan.code, item.code)
    data = form.cleaned_data
    try:
        services.add_progress_update(
            request.user,
            item,
            status=data["status"],
            progress=data["progress"],
            text=data["text"],
            date=data["date"],
            realised_exploitatie=data["realised_exploitatie"],
            realised_investeringen=data["realised_investeringen"],
        )
    except InputRefusedError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "De update is opgeslagen.")
    return redirect("plans:item", plan.code, item.code)


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


@require_POST
@login_required
def kwestie_create(request, code, item_code):
    plan = _plan(request, code)
    item = _item(plan, item_code)
    form = KwestieForm(request.POST)
    if not form.is_valid():
        messages.error(request, "De kwestie is niet opgeslagen: " + _form_errors(form))
    else:
        try:
            services.open_kwestie(request.user, item, **form.cleaned_data)
        except InputRefusedError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "De kwestie is toegevoegd.")
    return redirect("plans:item", plan.code, item.code)


@require_POST
@login_required
def kwestie_action(request, code, pk, action):
    plan = _plan(request, code)
    kwestie = get_object_or_404(
        Kwestie.objects.select_related("item__plan__organisation"),
        pk=pk,
        item__plan=plan,
    )
    try:
        if action == "sluiten":
            services.close_kwestie(
                request.user, kwestie, resolution=request.POST.get("resolution", "")
            )
            messages.success(request, "De kwestie is gesloten.")
        elif action == "escaleren":
            services.escalate_kwestie(
                request.user, kwestie, to=request.POST.get("to", "")
            )
            messages.success(request, "De kwestie is geëscaleerd.")
        else:
            raise Http404
    except (InputRefusedError, PlatformError) as error:
        messages.error(request, str(error))
    return redirect("plans:item", plan.code, kwestie.item.code)


@require_POST
@login_required
def measurement_add(request, code, pk):
    plan = _plan(request, code)
    indicator = get_object_or_404(
        Indicator.objects.select_related("item__plan__organisation"),
        pk=pk,
        item__plan=plan,
    )
    form = MeasurementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "De meting is niet opgeslagen: " + _form_errors(form))
    else:
        try:
            services.add_measurement(request.user, indicator, **form.cleaned_data)
        except InputRefusedError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "De meting is opgeslagen.")
    return redirect("plans:item", plan.code, indicator.item.code)


def rounds(request, code):
    plan = _plan(request, code)
    if request.method == "POST":
        require_contribute(request.user, plan)
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                reporting_round = services.open_round(
                    request.user, plan, **form.cleaned_data
                )
            except InputRefusedError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, f"De ronde '{reporting_round.name}' is geopend."
                )
                return redirect("plans:round", plan.code, reporting_round.pk)
        else:
            messages.error(request, "De ronde is niet geopend: " + _form_errors(form))
    all_rounds = list(plan.rounds.all())
    closed = [r for r in all_rounds if not r.is_open]
    return render(
        request,
        "plans/rounds.html",
        {
            "plan": plan,
            "rounds": all_rounds,
            "closed": closed,
            "form": RoundForm(),
            "can_manage": can_contribute(request.user, plan),
        },
    )


def round_detail(request, code, pk):
    plan = _plan(request, code)
    reporting_round = get_object_or_404(ReportingRound, pk=pk, plan=plan)
    updates = reporting_round.updates.select_related("item", "author").order_by(
        "-created_at"
    )[:500]
    leaf_depth = plan.levels.count() - 1
    expected = (
        plan.items.filter(level__depth=leaf_depth)
        .exclude(status__in=queries.DONE)
        .count()
    )
    reported = (
        reporting_round.updates.filter(item__level__depth=leaf_depth)
        .values("item")
        .distinct()
        .count()
    )
    others = plan.rounds.exclude(pk=reporting_round.pk).filter(closed_at__isnull=False)
    return render(
        request,
        "plans/round.html",
        {
            "plan": plan,
            "round": reporting_round,
            "updates": updates,
            "expected": expected,
            "reported": reported,
            "others": others,
            "can_manage": can_contribute(request.user, plan),
        },
    )


@require_POST
@login_required
def round_close(request, code, pk):
    plan = _plan(request, code)
    reporting_round = get_object_or_404(ReportingRound, pk=pk, plan=plan)
    try:
        count = services.close_round(request.user, reporting_round)
    except PlatformError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"De ronde is afgesloten; de stand van {count} items is bevroren."
        )
    return redirect("plans:round", plan.code, reporting_round.pk)


def round_compare(request, code):
    plan = _plan(request, code)
    closed = list(plan.rounds.filter(closed_at__isnull=False).order_by("closed_at"))
    older = newer = None
    try:
        older = next(r for r in closed if str(r.pk) == request.GET.get("van"))
        newer = next(r for r in closed if str(r.pk) == request.GET.get("naar"))
    except StopIteration:
        if len(closed) >= 2 and not request.GET:
            older, newer = closed[-2], closed[-1]
    changes = queries.compare_rounds(older, newer) if older and newer else None
    return render(
        request,
        "plans/compare.html",
        {
            "plan": plan,
            "closed": closed,
            "older": older,
            "newer": newer,
            "changes": changes,
        },
    )


def _report_context(request, plan):
    round_id = request.GET.get("ronde")
    reporting_round = None
    if round_id:
        reporting_round = get_object_or_404(ReportingRound, pk=round_id, plan=plan)
    context = queries.get_report(plan, reporting_round)
    for section in context["sections"]:
        section["charts"] = [
            (i, indicator_chart(i))
            for i in section["indicators"]
            if i.measurements.all() or i.targets.all()
        ]
    context["rounds"] = plan.rounds.all()
    return context


def report(request, code):
    plan = _plan(request, code)
    return render(request, "plans/report.html", _report_context(request, plan))


def report_pdf(request, code):
    plan = _plan(request, code)
    context = _report_context(request, plan)
    context["for_pdf"] = True
    pdf = render_pdf(
        "plans/report_print.html", context, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-ronde-{context['round'].pk}" if context["round"] else ""
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-{plan.code}{suffix}.pdf"'
    )
    return response


def export(request, code, file_format):
    plan = _plan(request, code)
    try:
        data, media_type = services.export_plan(plan, file_format)
    except PlatformError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{plan.code}.{file_format}"'
    )
    return response


@login_required
def bulk_update(request, code):
    plan = _plan(request, code)
    require_contribute(request.user, plan)
    context = {"plan": plan, "form": UploadForm()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = services.bulk_update_from_file(
                    request.user, plan, upload.read(), upload.name
                )
            except InputRefusedError as error:
                return _refused(request, "plans/bulk_update.html", context, error)
            messages.success(request, f"{count} items bijgewerkt uit {upload.name}.")
            return redirect("plans:tree", plan.code)
    return render(request, "plans/bulk_update.html", context)


@login_required
def import_plan(request, code=None):
    plan = _plan(request, code) if code else None
    if plan is not None:
        require_manage(request.user, plan)
    elif (
        not request.user.memberships.filter(role="beheerder").exists()
        and not request.user.is_superuser
    ):
        raise PermissionDenied(
            "Alleen beheerders van een organisatie kunnen een plan importeren."
        )
    context = {"plan": plan, "form": UploadForm()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = services.import_plan(
                    request.user, upload.read(), upload.name, plan=plan
                )
            except InputRefusedError as error:
                return _refused(request, "plans/import.html", context, error)
            messages.success(request, f"'{imported.title}' is geïmporteerd.")
            return redirect("plans:dashboard", imported.code)
    return render(request, "plans/import.html", context)


def groups(request):
    visible = queries.visible_plans(request.user)
    all_groups = (
        Group.objects.filter(items__plan__in=visible)
        .distinct()
        .select_related("organisation")
        .prefetch_related("members")
        .order_by("kind", "name")
    )
    return render(request, "plans/groups.html", {"groups": all_groups})


def group_detail(request, group_code):
    group = get_object_or_404(
        Group.objects.select_related("organisation"), code=group_code
    )
    visible = queries.visible_plans(request.user)
    items = (
        group.items.filter(plan__in=visible)
        .select_related("plan", "level")
        .order_by("plan", "sort_key")
    )
    if not items and not request.user.is_authenticated:
        raise Http404("Deze groep draagt geen gepubliceerde items.")
    return render(
        request,
        "plans/group.html",
        {"group": group, "items": items, "members": group.members.all()},
    )


def status_label(value):
    return format_html(
        '<span class="badge status-{}">{}</span>', value, Status(value).label
    )
