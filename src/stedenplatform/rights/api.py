"""API of the rights module under /api/rights/: the leefloon advice and its
schema, client profiles, the Rechtenverkenner search, fiches, the check of a
condition and the management of rights (API key with the right role)."""

import json

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from stedenplatform.core.api import token_auth
from stedenplatform.core.errors import InputRefusedError, PlatformError

from .advice import advice_schema, advise
from .conditions import PROFILE_FACTS, ConditionError, parse_condition
from .models import ClientProfile, Right
from .queries import (
    UnknownPostcodeError,
    assess_rights,
    clean_profile,
    find_place,
    rights_for_place,
)
from .services import find_area, save_profile, save_right

router = Router()


def _refused(error: InputRefusedError):
    return Status(
        400,
        {
            "code": error.code,
            "melding": error.message,
            "problemen": [p.as_dict() for p in error.problems],
        },
    )


@router.post(
    "/leefloon/advies",
    summary="Leefloonadvies voor een huishouden",
    response={200: dict, 400: dict},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": advice_schema()}},
        }
    },
)
def leefloon_advice(request):
    """Advice (toekennen, weigeren, onvoldoende gegevens) with its explanation.

    The body is the household as described by `/api/rights/leefloon/schema`.
    Nothing of the household is stored or logged."""
    try:
        household = json.loads(request.body or b"null")
    except ValueError:
        return Status(
            400,
            {
                "code": "geen_json",
                "melding": "De invoer is geen geldige JSON.",
                "problemen": [],
            },
        )
    try:
        return Status(200, advise(household))
    except InputRefusedError as error:
        return _refused(error)
    except PlatformError as error:
        return Status(
            400, {"code": error.code, "melding": error.message, "problemen": []}
        )


@router.get(
    "/leefloon/schema",
    summary="JSON-schema van de invoer van het advies",
    response=dict,
)
def leefloon_schema(request):
    return advice_schema()


class ProfileOut(Schema):
    slug: str
    naam: str
    omschrijving: str
    gegevens: dict


@router.get("/profielen", response=list[ProfileOut], summary="Cliëntprofielen")
def list_profiles(request):
    return [
        ProfileOut(
            slug=p.slug, naam=p.name, omschrijving=p.description, gegevens=p.data
        )
        for p in ClientProfile.objects.all()
    ]


class ProfileIn(Schema):
    slug: str
    naam: str
    omschrijving: str = ""
    gegevens: dict


@router.post(
    "/profielen",
    auth=token_auth,
    summary="Cliëntprofiel bewaren",
    response={200: ProfileOut, 400: dict},
)
def store_profile(request, payload: ProfileIn):
    """Create or change a profile (beheerder of the Kenniscentrum)."""
    try:
        profile = save_profile(
            request.auth,
            slug=payload.slug,
            name=payload.naam,
            description=payload.omschrijving,
            data=payload.gegevens,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except InputRefusedError as error:
        return _refused(error)
    return Status(
        200,
        ProfileOut(
            slug=profile.slug,
            naam=profile.name,
            omschrijving=profile.description,
            gegevens=profile.data,
        ),
    )


def _fiche(right: Right) -> dict:
    return {
        "slug": right.slug,
        "titel": right.title,
        "niveau": right.level,
        "soort": right.scope,
        "omschrijving": right.description,
        "voorwaarden_tekst": right.conditions_text,
        "voorwaarde": right.condition,
        "procedure": right.procedure,
        "documenten": right.documents,
        "contact": right.contact,
        "voordeel": right.amount_text,
        "regelgeving": right.legal_source,
        "bron": right.source_name,
        "bron_url": right.source_url,
        "fictief": right.is_fictief,
        "themas": right.themes,
        "doelgroepen": right.target_groups,
        "gebied": right.area.code if right.area else None,
        "verwant": [r.slug for r in right.related.all()],
    }


@router.get(
    "/rechten",
    summary="Rechtenverkenner: rechten voor een postcode en profiel",
    response={200: dict, 400: dict},
)
def search_rights(
    request,
    postcode: str,
    thema: str = "",
    doelgroep: str = "",
    letter: str = "",
    gemeente: str = "",
):
    """Profile facts are query parameters too (e.g. `leeftijd=70&leefloon=ja`)."""
    profile, errors = clean_profile(
        {
            k: request.GET.get(k)
            for k in PROFILE_FACTS
            if k not in {"gemeente", "provincie"}
        }
    )
    if errors:
        return Status(400, {"code": "profiel_ongeldig", "melding": " ".join(errors)})
    try:
        municipality, province, _ = find_place(postcode, gemeente or None)
    except UnknownPostcodeError as error:
        return Status(400, {"code": error.code, "melding": error.message})
    profile["gemeente"] = municipality.code
    if province is not None:
        profile["provincie"] = province.code
    results = assess_rights(
        rights_for_place(municipality, province),
        profile,
        theme=thema,
        target_group=doelgroep,
        letter=letter,
    )
    return Status(
        200,
        {
            "gemeente": {"nis": municipality.code, "naam": municipality.name},
            "provincie": {"nis": province.code, "naam": province.name}
            if province
            else None,
            "rechten": [
                {
                    "slug": a.right.slug,
                    "titel": a.right.title,
                    "niveau": a.right.level,
                    "fictief": a.right.is_fictief,
                    "oordeel": a.verdict,
                    "redenen": a.reasons,
                    "vragen": a.questions,
                }
                for a in results
            ],
        },
    )


@router.get("/catalogus", summary="Alle rechten van de catalogus", response=list[dict])
def list_catalogue(request, niveau: str = "", gemeente: str = ""):
    """Every right, optionally of one level or one municipality (NIS code)."""
    rights = Right.objects.select_related("area").prefetch_related("related")
    if niveau:
        rights = rights.filter(level=niveau)
    if gemeente:
        rights = rights.filter(area__code=gemeente)
    return [_fiche(right) for right in rights]


@router.get("/rechten/{slug}", summary="Fiche van een recht", response=dict)
def get_right(request, slug: str):
    return _fiche(get_object_or_404(Right, slug=slug))


class ConditionIn(Schema):
    voorwaarde: str


@router.post(
    "/voorwaarde/controle",
    summary="Controleer een voorwaarde",
    response={200: dict, 400: dict},
)
def check_condition(request, payload: ConditionIn):
    try:
        parse_condition(payload.voorwaarde)
    except ConditionError as error:
        return Status(
            400,
            {
                "code": error.code,
                "melding": error.message,
                "positie": error.position + 1,
            },
        )
    return Status(200, {"geldig": True})


class RightIn(Schema):
    titel: str
    niveau: str
    omschrijving: str
    soort: str = "individueel"
    voorwaarden_tekst: str = ""
    voorwaarde: str = ""
    procedure: str = ""
    documenten: str = ""
    contact: str = ""
    voordeel: str = ""
    regelgeving: str = ""
    bron: str = ""
    bron_url: str = ""
    fictief: bool = False
    themas: list[str] = []
    doelgroepen: list[str] = []
    gebied: str | None = None


def _data(payload: RightIn) -> dict:
    return {
        "title": payload.titel,
        "level": payload.niveau,
        "scope": payload.soort,
        "description": payload.omschrijving,
        "conditions_text": payload.voorwaarden_tekst,
        "condition": payload.voorwaarde,
        "procedure": payload.procedure,
        "documents": payload.documenten,
        "contact": payload.contact,
        "amount_text": payload.voordeel,
        "legal_source": payload.regelgeving,
        "source_name": payload.bron,
        "source_url": payload.bron_url,
        "is_fictief": payload.fictief,
        "themes": payload.themas,
        "target_groups": payload.doelgroepen,
        "area": find_area(payload.niveau, payload.gebied),
    }


def _save(request, payload: RightIn, right: Right | None):
    try:
        saved = save_right(request.auth, _data(payload), right)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except InputRefusedError as error:
        return _refused(error)
    return Status(200, _fiche(saved))


@router.post(
    "/rechten",
    auth=token_auth,
    summary="Recht toevoegen",
    response={200: dict, 400: dict},
)
def create_right(request, payload: RightIn):
    return _save(request, payload, None)


@router.put(
    "/rechten/{slug}",
    auth=token_auth,
    summary="Recht wijzigen",
    response={200: dict, 400: dict},
)
def update_right(request, slug: str, payload: RightIn):
    return _save(request, payload, get_object_or_404(Right, slug=slug))
