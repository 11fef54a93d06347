"""Pages of the rights module: the Rechtenverkenner, the fiche of a right,
the leefloon advice for case workers, and the management of the catalogue.

The advice page stores nothing: the household is posted, advised and shown
again, never saved or logged. HTMX, when present, replaces only the advice
panel; without JavaScript the whole page is posted.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from stedenplatform.core.charts import bar_chart
from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.models import Role
from stedenplatform.core.permissions import organisations_with_role

from .advice import (
    APPLICANT_FACTS,
    EXEMPT_INCOME,
    HOUSEHOLD_FACTS,
    INCOME_FACTS,
    RESIDENCE_LABELS,
    ROLE_LABELS,
    advise,
    describe_field,
)
from .conditions import PROFILE_FACTS, ConditionError, parse_condition
from .forms import APPLICANT_INCOME, MAX_COHABITANTS, form_values, household_from_form
from .lpdc import import_lpdc
from .models import TARGET_GROUPS, THEMES, ClientProfile, Level, Right, Scope
from .permissions import can_manage, can_manage_catalogue, may_manage_any
from .queries import (
    UnknownPostcodeError,
    assess_rights,
    clean_profile,
    find_place,
    letters,
    open_questions,
    rights_for_place,
)
from .screening import run_screening, screening_context
from .services import EDITABLE_FIELDS, delete_right, find_area, save_right

logger = logging.getLogger(__name__)


def index(request):
    counts = {level.label: Right.objects.filter(level=level).count() for level in Level}
    rows = [{"niveau": label, "rechten": count} for label, count in counts.items()]
    chart = bar_chart(
        rows,
        category="niveau",
        value="rechten",
        sort=None,
        title="Aantal rechten in de catalogus per niveau",
        value_title="aantal rechten",
        width=420,
    )
    return render(
        request,
        "rights/index.html",
        {"counts": counts, "chart": chart, "may_manage": may_manage_any(request.user)},
    )


def explorer(request):
    """Rechtenverkenner: postcode first, then theme, target group, profile, A-Z."""
    params = request.GET
    raw_profile = {
        name: params.get(name, "")
        for name in PROFILE_FACTS
        if name not in {"gemeente", "provincie"}
    }
    profile, profile_errors = clean_profile(raw_profile)
    context = {
        "postcode": params.get("postcode", ""),
        "themes": THEMES,
        "target_groups": TARGET_GROUPS,
        "theme": params.get("thema", ""),
        "target_group": params.get("doelgroep", ""),
        "letter": params.get("letter", ""),
        "fields": _profile_fields(raw_profile),
        "errors": profile_errors,
    }
    if context["theme"] and context["theme"] not in THEMES:
        context["errors"].append(f"Thema '{context['theme']}' bestaat niet.")
    if context["target_group"] and context["target_group"] not in TARGET_GROUPS:
        context["errors"].append(f"Doelgroep '{context['target_group']}' bestaat niet.")
    if "postcode" in params and not context["errors"]:
        try:
            municipality, province, options = find_place(
                params["postcode"], params.get("gemeente")
            )
        except UnknownPostcodeError as error:
            context["errors"].append(error.message)
        else:
            profile["gemeente"] = municipality.code
            if province is not None:
                profile["provincie"] = province.code
            rights = list(rights_for_place(municipality, province))
            results = assess_rights(
                rights,
                profile,
                theme=context["theme"],
                target_group=context["target_group"],
                letter=context["letter"],
            )
            groups = {}
            for result in results:
                groups.setdefault(result.verdict, []).append(result)
            context.update(
                {
                    "municipality": municipality,
                    "province": province,
                    "options": options if len(options) > 1 else [],
                    "groups": groups,
                    "questions": open_questions(results),
                    "letters": letters(rights),
                    "searched": True,
                    "query": params.urlencode(),
                    "count": len(results),
                }
            )
    status = 400 if context["errors"] else 200
    return render(request, "rights/explorer.html", context, status=status)


def _profile_fields(raw: dict) -> list[dict]:
    fields = []
    for name, (kind, question, label) in PROFILE_FACTS.items():
        if name in {"gemeente", "provincie"}:
            continue
        fields.append(
            {
                "name": name,
                "kind": kind,
                "question": question,
                "label": label,
                "value": raw.get(name, ""),
            }
        )
    return fields


def right_detail(request, slug: str):
    right = get_object_or_404(Right.objects.select_related("area"), slug=slug)
    return render(
        request,
        "rights/right_detail.html",
        {
            "right": right,
            "related": right.related.all(),
            "may_edit": can_manage(request.user, right.level, right.area),
        },
    )


def _advice_fields(values: dict) -> dict:
    def flag_field(prefix, name, label, why):
        key = f"{prefix}{name}"
        return {"name": key, "label": label, "help": why, "value": values.get(key, "")}

    applicant_flags = [
        flag_field("aanvrager-", n, label, why) for n, label, why in APPLICANT_FACTS
    ]
    household_flags = [
        flag_field("", n, label, why) for n, label, why in HOUSEHOLD_FACTS
    ]
    applicant_income = [
        {
            "name": f"aanvrager-{n}",
            "label": label,
            "value": values.get(f"aanvrager-{n}", ""),
        }
        for n, label in APPLICANT_INCOME + EXEMPT_INCOME
    ]
    cohabitants = []
    for i in range(MAX_COHABITANTS):
        cohabitants.append(
            {
                "index": i,
                "number": i + 1,
                "role": values.get(f"huisgenoot{i}-rol", ""),
                "age": values.get(f"huisgenoot{i}-leeftijd", ""),
                "leefloon": values.get(f"huisgenoot{i}-ontvangt_leefloon", ""),
                "incomes": [
                    {
                        "name": f"huisgenoot{i}-{n}",
                        "label": label,
                        "value": values.get(f"huisgenoot{i}-{n}", ""),
                    }
                    for n, label in INCOME_FACTS
                ],
            }
        )
    return {
        "applicant_age": values.get("aanvrager-leeftijd", ""),
        "applicant_birth": values.get("aanvrager-geboortedatum", ""),
        "applicant_residence": values.get("aanvrager-verblijfsstatus", ""),
        "applicant_flags": applicant_flags,
        "household_flags": household_flags,
        "applicant_income": applicant_income,
        "cohabitants": cohabitants,
    }


@require_http_methods(["GET", "POST"])
def advice_page(request):
    """Leefloon advice: fill in or correct the household, see the advice."""
    profiles = list(ClientProfile.objects.all())
    advice, errors, values = None, [], {}
    if request.method == "POST":
        values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            advice = advise(household_from_form(request.POST))
        except InputRefusedError as error:
            errors = [describe_field(p) for p in error.problems]
        except PlatformError as error:
            errors = [error.message]
    else:
        slug = request.GET.get("profiel")
        profile = next((p for p in profiles if p.slug == slug), None)
        if slug and profile is None:
            errors = [f"Cliëntprofiel '{slug}' bestaat niet."]
        if profile is not None:
            values = form_values(profile.data)
        values.setdefault("datum", "")
        if not values["datum"]:
            values["datum"] = datetime.date.today().isoformat()
    context = {
        "advice": advice,
        "errors": errors,
        "values": values,
        "profiles": profiles,
        "roles": ROLE_LABELS,
        "residences": RESIDENCE_LABELS,
        **_advice_fields(values),
    }
    status = 400 if errors else 200
    if request.htmx and request.method == "POST":
        # HTMX swaps only 2xx answers; the refusal is shown in the panel.
        return render(request, "rights/_advice.html", context)
    return render(request, "rights/advice.html", context, status=status)


def profiles_page(request):
    return render(
        request, "rights/profiles.html", {"profiles": ClientProfile.objects.all()}
    )


# management


def _manageable(user):
    rights = Right.objects.select_related("area").order_by("level", "title")
    return [r for r in rights if can_manage(user, r.level, r.area)]


@login_required
def manage(request):
    if not may_manage_any(request.user):
        raise PermissionDenied("Je hebt geen rechten om de catalogus te beheren.")
    return render(
        request,
        "rights/manage.html",
        {
            "rights": _manageable(request.user),
            "catalogue": can_manage_catalogue(request.user),
        },
    )


def _right_form_data(post) -> dict:
    level = post.get("level", "")
    return {
        "title": post.get("title", "").strip(),
        "level": level,
        "scope": post.get("scope", Scope.INDIVIDUEEL),
        "description": post.get("description", "").strip(),
        "conditions_text": post.get("conditions_text", "").strip(),
        "condition": post.get("condition", "").strip(),
        "procedure": post.get("procedure", "").strip(),
        "documents": post.get("documents", "").strip(),
        "contact": post.get("contact", "").strip(),
        "amount_text": post.get("amount_text", "").strip(),
        "legal_source": post.get("legal_source", "").strip(),
        "source_name": post.get("source_name", "").strip(),
        "source_url": post.get("source_url", "").strip(),
        "is_fictief": post.get("is_fictief") == "on",
        "themes": post.getlist("themes"),
        "target_groups": post.getlist("target_groups"),
        "area": find_area(level, post.get("area_code", "").strip()),
        "area_code": post.get("area_code", "").strip(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit_right(request, slug: str | None = None):
    right = get_object_or_404(Right, slug=slug) if slug else None
    if right is not None and not can_manage(request.user, right.level, right.area):
        raise PermissionDenied("Je mag dit recht niet wijzigen.")
    if right is None and not may_manage_any(request.user):
        raise PermissionDenied("Je hebt geen rechten om de catalogus te beheren.")
    errors, status = [], 200
    if request.method == "POST":
        data = _right_form_data(request.POST)
        code = data.pop("area_code")
        if code and data["area"] is None:
            errors.append(f"Gebied met NIS-code '{code}' bestaat niet voor dit niveau.")
        else:
            try:
                saved = save_right(request.user, data, right)
            except InputRefusedError as error:
                errors = [p.describe() for p in error.problems]
            else:
                return redirect("rights:detail", slug=saved.slug)
        form = {**data, "area_code": code}
        status = 400
    elif right is not None:
        form = {f: getattr(right, f) for f in EDITABLE_FIELDS}
        form["area_code"] = right.area.code if right.area else ""
    else:
        form = {
            "level": Level.LOKAAL,
            "scope": Scope.INDIVIDUEEL,
            "themes": [],
            "target_groups": [],
            "area_code": "",
        }
    return render(
        request,
        "rights/edit.html",
        {
            "right": right,
            "form": form,
            "errors": errors,
            "levels": Level.choices,
            "scopes": Scope.choices,
            "themes": THEMES,
            "target_groups": TARGET_GROUPS,
            "facts": PROFILE_FACTS,
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def remove_right(request, slug: str):
    right = get_object_or_404(Right, slug=slug)
    title = right.title
    delete_right(request.user, right)
    messages.success(request, f"'{title}' is verwijderd.")
    return redirect("rights:manage")


@login_required
def check_condition(request):
    """HTMX helper on the edit page: check a condition while it is typed."""
    if not may_manage_any(request.user):
        raise PermissionDenied("Je hebt geen rechten om de catalogus te beheren.")
    text = request.GET.get("condition", request.POST.get("condition", ""))
    try:
        if text.strip():
            parse_condition(text)
        message, ok = "De voorwaarde is geldig.", True
    except ConditionError as error:
        message, ok = error.short, False
    return render(
        request, "rights/_condition_check.html", {"message": message, "ok": ok}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not may_manage_any(request.user):
        raise PermissionDenied("Je hebt geen rechten om lokale rechten te importeren.")
    errors, counts, status = [], None, 200
    if request.method == "POST":
        upload = request.FILES.get("bestand")
        if upload is None:
            errors, status = ["Kies een LPDC-bestand (JSON-LD)."], 400
        else:
            try:
                counts = import_lpdc(request.user, upload.read(), upload.name)
            except InputRefusedError as error:
                errors, status = [p.describe() for p in error.problems], 400
            except PermissionDenied as error:
                errors, status = [str(error)], 403
    return render(
        request,
        "rights/import.html",
        {"errors": errors, "counts": counts},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_page(request):
    """Proactive screening of an uploaded population file; nothing is stored."""
    if not organisations_with_role(request.user, Role.BIJDRAGER):
        raise PermissionDenied(
            "Screenen vraagt minstens de rol 'bijdrager' bij een organisatie."
        )
    context: dict = {"errors": [], "date": request.POST.get("datum", "")}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("bestand")
        try:
            date = datetime.date.fromisoformat(request.POST.get("datum", ""))
        except ValueError:
            context["errors"].append("Geef een geldige datum (JJJJ-MM-DD).")
            date = None
        if upload is None:
            context["errors"].append("Kies een bevolkingsbestand (csv of Parquet).")
        reading = request.POST.get("lezing", "facultatief")
        if reading not in ("facultatief", "verplicht"):
            context["errors"].append(
                f"Lezing '{reading}' bestaat niet; kies facultatief of verplicht."
            )
        choices = {"leefloon.samenwonenden.meetellen": reading}
        context["reading"] = reading
        if not context["errors"]:
            try:
                missed, counts = run_screening(upload, date, choices)
            except PlatformError as error:
                context["errors"] = [
                    p.describe() for p in getattr(error, "problems", [])
                ] or [error.message]
            else:
                if request.POST.get("uitvoer") == "csv":
                    response = HttpResponse(missed.write_csv(), content_type="text/csv")
                    response["Content-Disposition"] = (
                        'attachment; filename="leefloon-screening.csv"'
                    )
                    return response
                context.update(screening_context(missed, counts, date))
        status = 400 if context["errors"] else 200
    return render(request, "rights/screening.html", context, status=status)


def schema_page(request):
    from .advice import advice_schema

    return render(
        request,
        "rights/schema.html",
        {"schema": json.dumps(advice_schema(), indent=2, ensure_ascii=False)},
    )
