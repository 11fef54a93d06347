"""API of the platform: organisations, areas and the token authentication
that write endpoints of every module use."""

from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from .models import ApiToken, Area, Organisation

router = Router()


class TokenAuth(HttpBearer):
    """Bearer API key; the request's user becomes the key's owner."""

    def authenticate(self, request, token):
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash_key(token), revoked=False
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


token_auth = TokenAuth()


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    nis_code: str | None


class AreaOut(Schema):
    level: str
    code: str
    name: str
    parent: str | None
    valid_from: str | None
    valid_to: str | None


@router.get("/organisations", response=list[OrganisationOut], summary="Organisaties")
def list_organisations(request):
    return [
        OrganisationOut(
            code=o.code,
            name=o.name,
            kind=o.kind,
            nis_code=o.area.code if o.area else None,
        )
        for o in Organisation.objects.select_related("area")
    ]


@router.get("/areas", response=list[AreaOut], summary="Gebieden")
def list_areas(
    request, level: str | None = None, parent: str | None = None, current: bool = True
):
    qs = Area.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if current:
        qs = qs.filter(valid_to__isnull=True)
    return [
        AreaOut(
            level=a.level,
            code=a.code,
            name=a.name,
            parent=a.parent.code if a.parent else None,
            valid_from=a.valid_from.isoformat() if a.valid_from else None,
            valid_to=a.valid_to.isoformat() if a.valid_to else None,
        )
        for a in qs[:5000]
    ]
