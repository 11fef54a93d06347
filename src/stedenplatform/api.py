"""The JSON API: one django-ninja instance, each module adds its router.

The OpenAPI 3 schema is served at `/api/openapi.json`, the interactive
documentation at `/api/docs`.
"""

from ninja import NinjaAPI

from stedenplatform.core.api import router as core_router
from stedenplatform.knowledge.api import router as knowledge_router
from stedenplatform.plans.api import router as plans_router
from stedenplatform.rights.api import router as rights_router
from stedenplatform.social.api import router as social_router
from stedenplatform.stats.api import router as stats_router

api = NinjaAPI(
    title="Stedenplatform API",
    version="1",
    description=(
        "Open API van het Stedenplatform: plannen en hun opvolging, "
        "indicatoren en observaties, rechten en leefloonadvies, kennisbank. "
        "Lezen kan anoniem voor wat gepubliceerd is; schrijven vraagt een "
        "API-sleutel (Authorization: Bearer <sleutel>) van een gebruiker met "
        "de juiste rol."
    ),
    urls_namespace="api",
)
api.add_router("/", core_router, tags=["platform"])
api.add_router("/plans", plans_router, tags=["plannen"])
api.add_router("/stats", stats_router, tags=["cijfers"])
api.add_router("/social", social_router, tags=["demad"])
api.add_router("/rights", rights_router, tags=["rechten"])
api.add_router("/knowledge", knowledge_router, tags=["kennisbank"])
