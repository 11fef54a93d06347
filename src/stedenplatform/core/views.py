"""Pages of the platform shell: home, health check, account pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .models import Membership, Organisation, OrganisationKind


def home(request):
    from stedenplatform.knowledge.forms import SubscribeForm
    from stedenplatform.knowledge.queries import home_page

    members = Organisation.objects.filter(is_member=True).exclude(
        kind=OrganisationKind.PARTNER
    )
    context = {"organisations": members, "subscribe_form": SubscribeForm()}
    context.update(home_page())
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "fout", "database": "onbereikbaar"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def account(request):
    memberships = Membership.objects.filter(user=request.user).select_related(
        "organisation"
    )
    return render(request, "core/account.html", {"memberships": memberships})


def permission_denied(request, exception=None):
    message = str(exception) if exception else "Je hebt geen toegang tot deze pagina."
    return render(request, "core/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)
