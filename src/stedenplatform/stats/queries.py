"""Reads for pages, downloads and the API. Everything that leaves the
platform goes through `present`, which shows a suppressed cell as 'x' and
never its value, numerator or denominator."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Exists, Max, OuterRef, Q

from stedenplatform.core.geography import CENTRUMSTEDEN, FLEMISH_REGION
from stedenplatform.core.models import Area, AreaLevel, Organisation, Role
from stedenplatform.core.permissions import organisations_with_role

from .models import Indicator, Missing, Observation, Period, Status, Theme

SUPPRESSED_MARK = "x"
MISSING_MARK = {
    Missing.UNKNOWN: "?",
    Missing.CENSORED: "-",
    Missing.NOT_APPLICABLE: "n.v.t.",
}
NOTES = {
    SUPPRESSED_MARK: "x = niet getoond om de privacy te beschermen (onder de drempel "
    "of afleidbaar uit andere cijfers)",
    "?": "? = onbekend",
    "-": "- = geheim, door de bron onderdrukt",
    "n.v.t.": "n.v.t. = niet van toepassing",
}


def visible_indicators(user):
    """Published indicators, plus internal ones for members of their owner
    organisation or of the Kenniscentrum."""
    qs = Indicator.objects.select_related("theme", "source")
    public = Q(status__in=[Status.EXTERN, Status.UITDOVEND])
    org_ids = organisations_with_role(user, Role.LEZER)
    if not org_ids:
        return qs.filter(public)
    kvs = Organisation.objects.filter(code="KVS", pk__in=org_ids).exists()
    if kvs:
        return qs
    return qs.filter(public | Q(owner_id__in=org_ids))


@dataclass
class Shown:
    """One cell as it may be shown."""

    text: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    respondents: int | None = None
    mark: str = ""

    @property
    def published(self) -> bool:
        return self.value is not None


def round_value(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int) -> str:
    """Dutch number format.

    >>> format_number(Decimal("12345.678"), 1)
    '12.345,7'
    """
    text = f"{round_value(value, decimals):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def present(observation: Observation | None, indicator: Indicator) -> Shown:
    if observation is None:
        return Shown(text="", mark="")
    if observation.suppression:
        return Shown(text=SUPPRESSED_MARK, mark=SUPPRESSED_MARK)
    if observation.missing or observation.value is None:
        mark = MISSING_MARK.get(observation.missing, "?")
        return Shown(text=mark, mark=mark)
    d = indicator.decimals
    return Shown(
        text=format_number(observation.value, d),
        value=round_value(observation.value, d),
        numerator=observation.numerator,
        denominator=observation.denominator,
        ci_low=round_value(observation.ci_low, d)
        if observation.ci_low is not None
        else None,
        ci_high=round_value(observation.ci_high, d)
        if observation.ci_high is not None
        else None,
        respondents=observation.respondents,
    )


def theme_tree(indicators) -> list[dict]:
    """Themes as nested dicts with their visible indicators."""
    by_theme: dict[int, list] = {}
    for indicator in indicators:
        by_theme.setdefault(indicator.theme_id, []).append(indicator)
    themes = list(Theme.objects.all())
    nodes = {
        t.pk: {"theme": t, "children": [], "indicators": by_theme.get(t.pk, [])}
        for t in themes
    }
    roots = []
    for t in themes:
        (nodes[t.parent_id]["children"] if t.parent_id else roots).append(nodes[t.pk])

    def prune(node):
        node["children"] = [c for c in node["children"] if prune(c)]
        node["count"] = len(node["indicators"]) + sum(
            c["count"] for c in node["children"]
        )
        return node["count"] > 0

    return [r for r in roots if prune(r)]


def has_data():
    """A filter on indicators that have at least one observation."""
    return Exists(Observation.objects.filter(indicator=OuterRef("pk")))


def indicators_with_data() -> set[int]:
    return set(Indicator.objects.filter(has_data()).values_list("pk", flat=True))


def centrumsteden() -> list[Area]:
    return list(
        Area.current()
        .filter(level=AreaLevel.GEMEENTE, code__in=CENTRUMSTEDEN)
        .order_by("name")
    )


def flemish_region() -> Area:
    return Area.current().get(level=AreaLevel.GEWEST, code=FLEMISH_REGION)


def periods_of(indicator: Indicator) -> list[Period]:
    ids = (
        Observation.objects.filter(indicator=indicator)
        .values_list("period_id", flat=True)
        .distinct()
    )
    return list(Period.objects.filter(pk__in=ids).order_by("start"))


def series(
    indicator: Indicator, areas: list[Area]
) -> dict[int, dict[int, Observation]]:
    """Observations by area id, then period id."""
    result: dict[int, dict[int, Observation]] = {a.pk: {} for a in areas}
    for o in Observation.objects.filter(indicator=indicator, area__in=areas):
        result[o.area_id][o.period_id] = o
    return result


def cells_for(indicator: Indicator, period: Period, areas) -> dict[int, Observation]:
    return {
        o.area_id: o
        for o in Observation.objects.filter(
            indicator=indicator, period=period, area__in=areas
        )
    }


def ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """Rank 1 for the highest value; equal values share a rank.

    >>> ranks({1: Decimal(5), 2: Decimal(7), 3: Decimal(5)})
    {2: 1, 1: 2, 3: 2}
    """
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    result, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        result[key] = rank
    return result


class CellRow(NamedTuple):
    """The fields of an observation that `present` reads."""

    indicator_id: int
    area_id: int
    period_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    respondents: int | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    missing: str
    suppression: str


@dataclass
class BenchmarkRow:
    indicator: Indicator
    period: Period | None
    cells: list[Shown] = field(default_factory=list)
    ranks: list[int | None] = field(default_factory=list)
    flemish: Shown | None = None


def benchmark(
    indicators: list[Indicator], cities: list[Area], region: Area, period_start=None
) -> list[BenchmarkRow]:
    """The latest (or the given year's) figure of each indicator for the
    cities, their rank, and the Flemish value, in three queries."""
    ids = [i.pk for i in indicators]
    city_ids = [c.pk for c in cities]
    base = Observation.objects.filter(indicator_id__in=ids, area_id__in=city_ids)
    if period_start is not None:
        base = base.filter(period__start__year=period_start)
    latest = dict(
        base.values("indicator_id")
        .annotate(last=Max("period__start"))
        .values_list("indicator_id", "last")
    )
    if not latest:
        return [BenchmarkRow(i, None) for i in indicators]
    # Plain tuples instead of model instances: a 400-indicator table reads
    # some 5,600 cells, and building models for them costs more than the query.
    observations = Observation.objects.filter(
        indicator_id__in=list(latest),
        area_id__in=[*city_ids, region.pk],
        period__start__in=set(latest.values()),
    ).values_list("period__start", *CellRow._fields)
    table: dict[int, dict[int, CellRow]] = {}
    period_of: dict[int, int] = {}
    for start, *fields in observations:
        o = CellRow(*fields)
        if start != latest[o.indicator_id]:
            continue
        if o.area_id != region.pk:
            period_of.setdefault(o.indicator_id, o.period_id)
        table.setdefault(o.indicator_id, {})[o.area_id] = o
    period_objects = Period.objects.in_bulk(set(period_of.values()))
    periods = {ind: period_objects[pk] for ind, pk in period_of.items()}
    rows = []
    for indicator in indicators:
        cells = table.get(indicator.pk, {})
        period = periods.get(indicator.pk)
        row = BenchmarkRow(indicator, period)
        shown = [present(cells.get(c), indicator) for c in city_ids]
        order = ranks({i: s.value for i, s in enumerate(shown) if s.published})
        row.cells = shown
        row.ranks = [order.get(i) for i in range(len(shown))]
        flemish = cells.get(region.pk)
        if (
            flemish is not None
            and period is not None
            and flemish.period_id == period.pk
        ):
            row.flemish = present(flemish, indicator)
        rows.append(row)
    return rows


def area_profile(area: Area, indicators) -> list[dict]:
    """The latest figure of every indicator that has one for the area,
    grouped by top-level theme."""
    ids = {i.pk: i for i in indicators}
    latest = dict(
        Observation.objects.filter(area=area, indicator_id__in=list(ids))
        .values("indicator_id")
        .annotate(last=Max("period__start"))
        .values_list("indicator_id", "last")
    )
    observations = Observation.objects.filter(
        area=area, indicator_id__in=list(latest), period__start__in=set(latest.values())
    ).select_related("period")
    groups: dict[str, list] = {}
    for o in sorted(
        observations,
        key=lambda o: (ids[o.indicator_id].theme.path, ids[o.indicator_id].name),
    ):
        if o.period.start != latest[o.indicator_id]:
            continue
        indicator = ids[o.indicator_id]
        top = indicator.theme.path.split("/")[0]
        groups.setdefault(top, []).append(
            {"indicator": indicator, "period": o.period, "shown": present(o, indicator)}
        )
    return [{"theme": k, "items": v} for k, v in groups.items()]
