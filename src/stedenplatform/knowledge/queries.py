"""Reads for the Kennisbank pages and API: search with facets, libraries,
meetings and the newsletter's statistics."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, QuerySet

from stedenplatform.core.models import Organisation
from stedenplatform.plans.models import Item

from . import search
from .models import (
    CampaignStatistics,
    Collection,
    Document,
    DocumentKind,
    Meeting,
    Newsletter,
    SectionKind,
)
from .permissions import visible_documents_q

PAGE_SIZE = 20
FACETS = {
    "soort": ("kind", "Soort"),
    "thema": ("theme", "Thema"),
    "jaar": ("year", "Jaar"),
    "programma": ("programme", "Programma"),
    "organisatie": ("organisation", "Organisatie"),
}


def visible_documents(user) -> QuerySet:
    condition = visible_documents_q(user)
    documents = Document.objects.all()
    return documents if condition is None else documents.filter(condition)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    pages: int
    documents: list
    facets: list[Facet] = field(default_factory=list)
    filters: dict = field(default_factory=dict)


def parse_filters(params) -> dict:
    """Facet selections from query parameters; unknown values are ignored."""
    filters = {}
    for key, (column, _label) in FACETS.items():
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if column in {"year", "programme", "organisation"}:
            if not value.isdigit():
                continue
            filters[key] = int(value)
        else:
            filters[key] = value
    collection = (params.get("collectie") or "").strip()
    if collection:
        filters["collectie"] = collection
    return filters


def _apply(queryset: QuerySet, filters: dict, skip: str | None = None) -> QuerySet:
    for key, value in filters.items():
        if key == skip:
            continue
        if key == "collectie":
            continue
        column = FACETS[key][0]
        lookup = f"{column}_id" if column in {"programme", "organisation"} else column
        queryset = queryset.filter(**{lookup: value})
    return queryset


def _facet_values(queryset: QuerySet, key: str, selected) -> list[FacetValue]:
    column = FACETS[key][0]
    if column == "programme":
        rows = (
            queryset.exclude(programme=None)
            .values_list("programme_id", "programme__code", "programme__title")
            .annotate(n=Count("pk"))
            .order_by("programme__code")
        )
        return [
            FacetValue(str(pk), f"{code} {title}", n, pk == selected)
            for pk, code, title, n in rows
        ]
    if column == "organisation":
        rows = (
            queryset.exclude(organisation=None)
            .values_list("organisation_id", "organisation__name")
            .annotate(n=Count("pk"))
            .order_by("organisation__name")
        )
        return [FacetValue(str(pk), name, n, pk == selected) for pk, name, n in rows]
    rows = (
        queryset.exclude(**{column: ""} if column != "year" else {})
        .values_list(column)
        .annotate(n=Count("pk"))
        .order_by(column)
    )
    labels = dict(DocumentKind.choices) if column == "kind" else {}
    values = [
        FacetValue(str(v), labels.get(v, str(v)), n, v == selected) for v, n in rows
    ]
    if column == "year":
        values.reverse()
    return values


# Position of each facet's column in a row of `search.match_groups`.
ROW_INDEX = {"soort": 0, "thema": 1, "jaar": 2, "programma": 3, "organisatie": 4}


def _labelled(key: str, counts: Counter, selected) -> list[FacetValue]:
    if key == "programma":
        items = {i.pk: i for i in Item.objects.filter(pk__in=[k for k in counts if k])}
        values = [
            FacetValue(
                str(pk), f"{items[pk].code} {items[pk].title}", n, pk == selected
            )
            for pk, n in counts.items()
            if pk in items
        ]
        return sorted(values, key=lambda v: v.label)
    if key == "organisatie":
        names = dict(
            Organisation.objects.filter(pk__in=[k for k in counts if k]).values_list(
                "pk", "name"
            )
        )
        values = [
            FacetValue(str(pk), names[pk], n, pk == selected)
            for pk, n in counts.items()
            if pk in names
        ]
        return sorted(values, key=lambda v: v.label)
    labels = dict(DocumentKind.choices) if key == "soort" else {}
    values = [
        FacetValue(str(v), labels.get(v, str(v)), n, v == selected)
        for v, n in counts.items()
        if v not in ("", None)
    ]
    values.sort(key=lambda v: v.value, reverse=key == "jaar")
    return values


# Results stay cached this long; any change to the index makes new keys.
CACHE_SECONDS = 120


def _search_summary(base: QuerySet, text: str, filters: dict) -> tuple[int, list]:
    """The exact number of matches and the facets, from one grouped query
    over the matches; cached, so paging through a result counts nothing."""
    key = search.cache_key(base, text, sorted(filters.items()))
    cached = cache.get(key) if key else None
    if cached is not None:
        return cached
    wanted = [(ROW_INDEX[k], v) for k, v in filters.items() if k in ROW_INDEX]
    indexes = [ROW_INDEX[k] for k in FACETS]
    counts = {index: Counter() for index in indexes}
    total = 0
    # A group that passes every selection counts in every facet; one that
    # fails a single selection counts only in that selection's own facet,
    # since each facet counts with the other selections applied.
    for row in search.match_groups(base, text):
        failed = [i for i, v in wanted if row[i] != v]
        n = row[-1]
        if not failed:
            total += n
            for index in indexes:
                counts[index][row[index]] += n
        elif len(failed) == 1:
            counts[failed[0]][row[failed[0]]] += n
    facets = []
    for key_name, (_column, label) in FACETS.items():
        index = ROW_INDEX[key_name]
        facets.append(
            Facet(
                key_name,
                label,
                _labelled(key_name, counts[index], filters.get(key_name)),
            )
        )
    result = (total, facets)
    if key:
        cache.set(key, result, CACHE_SECONDS)
    return result


def _search_page(
    base: QuerySet, text: str, filters: dict, offset: int, limit: int
) -> list[tuple[int, float]]:
    """The ranked (pk, score) rows of one page; cached per page."""
    selected = _apply(base, filters)
    key = search.cache_key(selected, text, "pagina", offset, limit)
    cached = cache.get(key) if key else None
    if cached is not None:
        return cached
    rows = [
        (pk, float(score))
        for pk, score in search.ranked_page(selected, text, offset, limit)
    ]
    if key:
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def search_documents(
    user,
    text: str = "",
    filters: dict | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """Search the documents the user may see; facets count within the query.

    Each facet counts with the other selections applied, so a visitor can
    widen a choice as well as narrow it.
    """
    filters = filters or {}
    text = (text or "").strip()[:200]
    base = visible_documents(user)
    if "collectie" in filters:
        base = base.filter(collection__code=filters["collectie"])
    page = max(1, page)
    related = ("organisation", "programme", "work_track", "group", "collection")

    if text:
        total, facets = _search_summary(base, text, filters)
        pages = max(1, -(-total // page_size))
        page = min(page, pages)
        rows = _search_page(
            base, text, filters, (page - 1) * page_size, page_size if total else 0
        )
        page_ids = [pk for pk, _score in rows]
        scores = dict(rows)
        by_id = (
            Document.objects.select_related(*related)
            .defer("body_text", "search_vector")
            .in_bulk(page_ids)
        )
        marked = search.snippets(page_ids, text)
        documents = []
        for pk in page_ids:
            document = by_id.get(pk)
            if document is None:
                continue
            document.snippet = marked.get(pk)
            document.score = scores[pk]
            documents.append(document)
        return SearchResult(text, total, page, pages, documents, facets, filters)

    selected = _apply(base, filters)
    total = selected.count()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    offset = (page - 1) * page_size
    documents = list(
        selected.select_related(*related).defer("body_text", "search_vector")[
            offset : offset + page_size
        ]
    )
    for document in documents:
        document.snippet = None
        document.score = None
    facets = [
        Facet(
            key,
            label,
            _facet_values(_apply(base, filters, skip=key), key, filters.get(key)),
        )
        for key, (_column, label) in FACETS.items()
    ]
    return SearchResult(text, total, page, pages, documents, facets, filters)


def library(user, collection: Collection) -> list[tuple[str, list[Document]]]:
    """The collection's visible documents grouped by theme."""
    documents = (
        visible_documents(user)
        .filter(collection=collection)
        .select_related("organisation", "group")
        .order_by("theme", "title")
    )
    grouped: dict[str, list[Document]] = {}
    for document in documents:
        grouped.setdefault(document.theme or "Zonder thema", []).append(document)
    return sorted(grouped.items())


def latest_public_documents(limit: int = 5) -> list[Document]:
    return list(
        Document.objects.filter(visibility="publiek")
        .select_related("organisation")
        .order_by("-published_at")[:limit]
    )


def meetings_of_year(group, year: int) -> QuerySet:
    return Meeting.objects.filter(group=group, starts_at__year=year).order_by(
        "starts_at"
    )


def newsletter_trend() -> list[dict]:
    """Per sent issue: the latest imported figures with rates in percent."""
    rows = []
    newsletters = Newsletter.objects.filter(status="verzonden").order_by("issue")
    latest = {}
    for stats in CampaignStatistics.objects.filter(newsletter__in=newsletters).order_by(
        "newsletter_id", "imported_at"
    ):
        latest[stats.newsletter_id] = stats
    for newsletter in newsletters:
        stats = latest.get(newsletter.pk)
        if stats is None:
            continue
        delivered = stats.delivered or 0
        rows.append(
            {
                "newsletter": newsletter,
                "issue": f"{newsletter.issue:%Y-%m}",
                "delivered": delivered,
                "unique_views": stats.unique_views,
                "unique_clicks": stats.unique_clicks,
                "open_rate": round(100 * stats.unique_views / delivered, 1)
                if delivered
                else 0.0,
                "click_rate": round(100 * stats.unique_clicks / delivered, 1)
                if delivered
                else 0.0,
                "fictief": stats.fictief,
                "stats": stats,
            }
        )
    return rows


def section_clicks(trend: list[dict]) -> list[dict]:
    """Clicks per section per issue, from the latest import of each issue."""
    labels = dict(SectionKind.choices)
    rows = []
    for row in trend:
        totals: dict[str, int] = {}
        for link in row["stats"].links.all():
            key = link.section or "overige"
            totals[key] = totals.get(key, 0) + link.clicks
        for section, clicks in sorted(totals.items()):
            rows.append(
                {
                    "issue": row["issue"],
                    "section": labels.get(section, "Overige links"),
                    "clicks": clicks,
                }
            )
    return rows


def home_page() -> dict:
    """What the public home page shows: news, publications, the programmes."""
    from stedenplatform.plans.models import Item, Plan

    from .models import NewsItem, NewsKind

    plan = Plan.objects.filter(code="jaarplan-2026", published=True).first()
    programmes = []
    if plan is not None:
        items = list(
            Item.objects.filter(plan=plan, level__depth__lte=1)
            .only("id", "code", "title", "parent_id", "level__depth")
            .select_related("level")
            .order_by("sort_key")
        )
        tracks: dict[int, list] = {}
        for item in items:
            if item.level.depth == 1:
                tracks.setdefault(item.parent_id, []).append(item)
        programmes = [
            (item, tracks.get(item.pk, [])) for item in items if item.level.depth == 0
        ]
    return {
        "news": list(
            NewsItem.objects.filter(kind=NewsKind.NIEUWS).order_by("-published_at")[:3]
        ),
        "publications": latest_public_documents(5),
        "plan": plan,
        "programmes": programmes,
    }


def section_table(rows: list[dict]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Clicks per section as a table: one row per issue, one column per section."""
    sections = [
        label
        for _key, label in SectionKind.choices
        if any(r["section"] == label for r in rows)
    ]
    if any(r["section"] == "Overige links" for r in rows):
        sections.append("Overige links")
    issues: dict[str, dict[str, int]] = {}
    for row in rows:
        issues.setdefault(row["issue"], {})[row["section"]] = row["clicks"]
    return sections, [
        (issue, [values.get(s, 0) for s in sections])
        for issue, values in issues.items()
    ]
