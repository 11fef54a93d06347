"""The DCAT-AP catalogue of the published datasets, as JSON-LD: one dataset
per top-level theme that has public figures, with csv and JSON
distributions."""

from django.db.models import Max, Min

from .models import Indicator, Observation, Status, Theme

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def catalogue(request) -> dict:
    base = request.build_absolute_uri("/")[:-1]
    public = Indicator.objects.filter(
        status__in=[Status.EXTERN, Status.UITDOVEND], observations__isnull=False
    ).distinct()
    datasets = []
    for theme in Theme.objects.filter(parent__isnull=True).order_by("path"):
        indicators = public.filter(theme__path__startswith=theme.path)
        if not indicators.exists():
            continue
        span = Observation.objects.filter(indicator__in=indicators).aggregate(
            start=Min("period__start"), end=Max("period__end")
        )
        sources = sorted(
            {i.source.name for i in indicators.select_related("source") if i.source}
        )
        licences = sorted(
            {
                i.source.terms_of_use
                for i in indicators.select_related("source")
                if i.source and i.source.terms_of_use
            }
        )
        theme_param = theme.path.replace(" ", "+")
        datasets.append(
            {
                "@id": f"{base}/cijfers/#dataset-{theme.pk}",
                "@type": "dcat:Dataset",
                "dct:title": {
                    "@language": "nl",
                    "@value": f"Stad in Cijfers: {theme.name}",
                },
                "dct:description": {
                    "@language": "nl",
                    "@value": (
                        f"{indicators.count()} indicatoren over {theme.name} per "
                        "gemeente, wijk "
                        f"en sector. Bronnen: {', '.join(sources)}."
                    ),
                },
                "dcat:keyword": [theme.name, "centrumsteden", "statistiek"],
                "dct:publisher": {
                    "@type": "foaf:Organization",
                    "foaf:name": "Kenniscentrum Vlaamse Steden",
                },
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {
                        "@type": "xsd:date",
                        "@value": str(span["start"]),
                    },
                    "dcat:endDate": {"@type": "xsd:date", "@value": str(span["end"])},
                },
                "dct:spatial": "http://publications.europa.eu/resource/authority/country/BEL",
                "dcat:landingPage": f"{base}/cijfers/benchmark/?thema={theme_param}",
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:format": "CSV",
                        "dcat:mediaType": "text/csv",
                        "dcat:accessURL": f"{base}/cijfers/benchmark/"
                        f"?thema={theme_param}"
                        "&formaat=csv",
                        "dct:license": "; ".join(licences),
                    },
                    {
                        "@type": "dcat:Distribution",
                        "dct:format": "JSON",
                        "dcat:mediaType": "application/json",
                        "dcat:accessURL": f"{base}/api/stats/observations",
                        "dct:license": "; ".join(licences),
                    },
                ],
            }
        )
    return {
        "@context": CONTEXT,
        "@id": f"{base}/api/stats/dcat",
        "@type": "dcat:Catalog",
        "dct:title": {"@language": "nl", "@value": "Stedenplatform – Stad in Cijfers"},
        "dct:description": {
            "@language": "nl",
            "@value": (
                "Open cijfers van de 13 centrumsteden en het Vlaams Gewest, na "
                "privacycontrole."
            ),
        },
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": "Kenniscentrum Vlaamse Steden",
        },
        "dct:language": "http://publications.europa.eu/resource/authority/language/NLD",
        "dcat:dataset": datasets,
    }
