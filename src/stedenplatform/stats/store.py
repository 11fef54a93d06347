"""The observation store: merge new observations with what is stored,
aggregate them upward, compute formula indicators, decide disclosure, and
write only what changed.

Every write path (file import, publication by another module, the Connector)
ends here, inside the caller's transaction. The work is done set-wise in
memory for the (indicator, period) pairs that the input touches, then written
with plain batched statements, so that importing a file costs little more
than inserting its rows.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from stedenplatform.core.models import Area, AreaLevel

from . import disclosure, formulas
from .models import Indicator, Kind, Observation, Origin

logger = logging.getLogger(__name__)

QUANTUM = Decimal("0.000001")
LEVEL_ORDER = [
    AreaLevel.SECTOR,
    AreaLevel.WIJK,
    AreaLevel.GEMEENTE,
    AreaLevel.PROVINCIE,
    AreaLevel.GEWEST,
    AreaLevel.LAND,
]
FIELDS = [
    "value",
    "numerator",
    "denominator",
    "respondents",
    "ci_low",
    "ci_high",
    "missing",
    "origin",
    "suppression",
]
# Positions in a state entry: the FIELDS, then the row id (None when new).
VALUE, NUM, DEN, RESP, CI_LOW, CI_HIGH, MISSING, ORIGIN, SUPPRESSION, ROW_ID = range(10)
BATCH = 2000
INSERT_ROWS = 500


def q(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(QUANTUM)


@dataclass
class Hierarchy:
    """Today's areas: level and parent of each, children of each parent."""

    level: dict[int, str]
    parent: dict[int, int | None]
    children: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Hierarchy":
        level, parent = {}, {}
        children: dict[int, list[int]] = defaultdict(list)
        # Arrondissementen are loaded for reference but the municipalities
        # point to their province, so they stay out of the aggregation tree.
        areas = Area.objects.filter(valid_to__isnull=True).exclude(
            level=AreaLevel.ARRONDISSEMENT
        )
        for pk, parent_id, lvl in areas.values_list("pk", "parent_id", "level"):
            level[pk] = lvl
            parent[pk] = parent_id
        for pk, parent_id in parent.items():
            if parent_id is not None and parent_id in level:
                children[parent_id].append(pk)
        return cls(level=level, parent=parent, children=dict(children))


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aggregated: int = 0
    computed: int = 0
    suppressed: int = 0
    deleted: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def write_observations(
    rows: list[tuple], hierarchy: Hierarchy | None = None
) -> WriteResult:
    """Store loaded observations and everything that follows from them.

    Each row is (indicator_id, area_id, period_id, value, numerator,
    denominator, respondents, ci_low, ci_high, missing), already validated.
    """
    hierarchy = hierarchy or Hierarchy.load()
    result = WriteResult()
    touched = {r[0] for r in rows}
    periods = {r[2] for r in rows}
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=touched)}
    dependents = _formula_dependents({i.code for i in indicators.values()})
    ref_codes = set()
    for _, node in dependents:
        ref_codes |= formulas.references(node)
    for extra in Indicator.objects.filter(code__in=ref_codes).exclude(pk__in=touched):
        indicators[extra.pk] = extra
    for indicator, _ in dependents:
        indicators[indicator.pk] = indicator

    surveys = {
        pk for pk, i in indicators.items() if i.is_survey and i.kind == Kind.PERCENTAGE
    }
    state = _load_state(set(indicators), periods)
    before = {k: tuple(v) for k, v in state.items()}
    for r in rows:
        key = (r[0], r[1], r[2])
        entry = state.get(key)
        ci_low, ci_high = r[7], r[8]
        if ci_low is None and ci_high is None and r[0] in surveys:
            ci_low, ci_high = survey_interval(r[3], r[6], r[5])
        new = [
            q(r[3]),
            q(r[4]),
            q(r[5]),
            r[6],
            q(ci_low),
            q(ci_high),
            r[9] or "",
            Origin.LOADED,
            "",
        ]
        if entry is None:
            state[key] = new + [None]
            result.created += 1
        else:
            if entry[: ORIGIN + 1] == new[: ORIGIN + 1]:
                result.unchanged += 1
            else:
                result.updated += 1
            entry[:SUPPRESSION] = new[:SUPPRESSION]

    by_pair: dict[tuple[int, int], dict[int, list]] = defaultdict(dict)
    for (ind, area, period), entry in state.items():
        by_pair[(ind, period)][area] = entry
    for ind in touched:
        indicator = indicators[ind]
        if indicator.formula or indicator.is_survey:
            continue
        for period in periods:
            cells = by_pair.get((ind, period))
            if cells:
                result.aggregated += _aggregate(indicator, cells, hierarchy)
    for indicator, node in dependents:
        for period in periods:
            cells = by_pair[(indicator.pk, period)]
            result.computed += _compute_formula(
                indicator, node, cells, by_pair, indicators, period
            )

    for (ind, _period), cells in by_pair.items():
        if ind not in touched and ind not in {d.pk for d, _ in dependents}:
            continue
        result.suppressed += _apply_disclosure(indicators[ind], cells, hierarchy)

    final = {}
    for (ind, period), cells in by_pair.items():
        for area, entry in cells.items():
            final[(ind, area, period)] = entry
    result.deleted = _write(before, final)
    logger.info(
        "observations written: created=%s updated=%s unchanged=%s aggregated=%s "
        "computed=%s suppressed=%s deleted=%s",
        result.created,
        result.updated,
        result.unchanged,
        result.aggregated,
        result.computed,
        result.suppressed,
        result.deleted,
    )
    return result


def survey_interval(percentage, respondents, weighted=None):
    """The 95% confidence interval of a survey percentage p (0-100) from the
    unweighted number of respondents n and, when known, the weighted
    denominator N (finite population correction), as the
    Gemeente-Stadsmonitor computes it: 1.96 * sqrt(p(100-p)/n) * sqrt(1-n/N).

    >>> [round(x, 2) for x in survey_interval(Decimal(40), 400)]
    [Decimal('35.20'), Decimal('44.80')]
    """
    if percentage is None or not respondents:
        return None, None
    p, n = Decimal(percentage), Decimal(respondents)
    correction = Decimal(1)
    if weighted and Decimal(weighted) > n:
        correction = (1 - n / Decimal(weighted)).sqrt()
    margin = Decimal("1.96") * (p * (100 - p) / n).sqrt() * correction
    return max(p - margin, Decimal(0)), min(p + margin, Decimal(100))


def recompute(
    indicator_ids: set[int], hierarchy: Hierarchy | None = None
) -> WriteResult:
    """Redo aggregation, formulas and disclosure of stored indicators, e.g.
    after a threshold or a formula changed."""
    rows = [
        (o[0], o[1], o[2], *o[3:10])
        for o in Observation.objects.filter(
            indicator_id__in=indicator_ids, origin=Origin.LOADED
        ).values_list(
            "indicator_id",
            "area_id",
            "period_id",
            "value",
            "numerator",
            "denominator",
            "respondents",
            "ci_low",
            "ci_high",
            "missing",
        )
    ]
    if not rows:
        return WriteResult()
    return write_observations(rows, hierarchy)


def _formula_dependents(codes: set[str]) -> list[tuple[Indicator, object]]:
    """Formula indicators that use the codes, directly or through another
    formula, in an order where each comes after those it uses."""
    found: dict[str, tuple[Indicator, object]] = {}
    all_formulas = {
        i.code: (i, formulas.parse(i.formula))
        for i in Indicator.objects.exclude(formula="")
    }
    frontier = set(codes)
    while frontier:
        next_frontier = set()
        for code, (indicator, node) in all_formulas.items():
            if code not in found and formulas.references(node) & frontier:
                found[code] = (indicator, node)
                next_frontier.add(code)
        frontier = next_frontier
    ordered, done = [], set(codes) - set(found)
    remaining = dict(found)
    while remaining:
        ready = [
            c
            for c, (_, node) in remaining.items()
            if not (formulas.references(node) & set(remaining))
        ]
        if not ready:
            break
        for code in sorted(ready):
            ordered.append(remaining.pop(code))
            done.add(code)
    return ordered


def _load_state(indicator_ids: set[int], period_ids: set[int]) -> dict:
    state: dict[tuple[int, int, int], list] = {}
    if not indicator_ids or not period_ids:
        return state
    qs = Observation.objects.filter(
        indicator_id__in=indicator_ids, period_id__in=period_ids
    ).values_list("indicator_id", "area_id", "period_id", *FIELDS, "id")
    for row in qs.iterator(chunk_size=20000):
        state[(row[0], row[1], row[2])] = list(row[3:])
    return state


def _aggregate(
    indicator: Indicator, cells: dict[int, list], hierarchy: Hierarchy
) -> int:
    """Fill in parents from complete sets of children, level by level."""
    made = 0
    additive = indicator.kind == Kind.COUNT
    for level in LEVEL_ORDER[:-1]:
        parents = {
            hierarchy.parent.get(a) for a in cells if hierarchy.level.get(a) == level
        }
        for parent in parents:
            if parent is None:
                continue
            existing = cells.get(parent)
            if existing is not None and existing[ORIGIN] == Origin.LOADED:
                continue
            children = hierarchy.children.get(parent, [])
            values = _sum_children(children, cells, additive)
            if values is None:
                if existing is not None and existing[ORIGIN] == Origin.AGGREGATED:
                    del cells[parent]
                continue
            value, numerator, denominator = values
            if not additive:
                value = (
                    q(numerator / denominator * indicator.factor)
                    if denominator
                    else None
                )
            entry = [
                value,
                numerator,
                denominator,
                None,
                None,
                None,
                "" if value is not None else "niet_van_toepassing",
                Origin.AGGREGATED,
                "",
            ]
            if existing is None:
                cells[parent] = entry + [None]
                made += 1
            else:
                existing[:SUPPRESSION] = entry[:SUPPRESSION]
    return made


def _sum_children(children, cells, additive):
    if not children:
        return None
    value = numerator = denominator = Decimal(0)
    for child in children:
        entry = cells.get(child)
        if entry is None or entry[MISSING]:
            return None
        if additive:
            if entry[VALUE] is None:
                return None
            value += entry[VALUE]
        else:
            if entry[NUM] is None or entry[DEN] is None:
                return None
            numerator += entry[NUM]
            denominator += entry[DEN]
    if additive:
        return q(value), None, None
    return None, q(numerator), q(denominator)


def _compute_formula(indicator, node, cells, by_pair, indicators, period) -> int:
    codes = {i.code: i.pk for i in indicators.values()}
    refs = formulas.references(node)
    if not refs <= set(codes):
        return 0
    operand_cells = {code: by_pair.get((codes[code], period), {}) for code in refs}
    areas = (
        set.intersection(*(set(c) for c in operand_cells.values())) if refs else set()
    )
    parts = formulas.fraction_parts(node)
    made = 0
    for area in list(cells):
        if cells[area][ORIGIN] == Origin.FORMULA and area not in areas:
            del cells[area]
    for area in areas:
        values = {
            code: None if cell[area][MISSING] else cell[area][VALUE]
            for code, cell in operand_cells.items()
        }
        value = formulas.evaluate(node, values)
        numerator = denominator = None
        if parts is not None:
            numerator = formulas.evaluate(parts[0], values)
            denominator = formulas.evaluate(parts[1], values)
        missing = "" if value is not None else "niet_van_toepassing"
        entry = [
            q(value),
            q(numerator),
            q(denominator),
            None,
            None,
            None,
            missing,
            Origin.FORMULA,
            "",
        ]
        existing = cells.get(area)
        if existing is None:
            cells[area] = entry + [None]
            made += 1
        elif existing[ORIGIN] != Origin.LOADED:
            existing[:SUPPRESSION] = entry[:SUPPRESSION]
    return made


def _apply_disclosure(indicator, cells, hierarchy) -> int:
    rule = disclosure.Rule(
        kind=indicator.kind,
        threshold=indicator.threshold,
        is_survey=indicator.is_survey,
        min_respondents=indicator.min_respondents,
    )
    measures = {
        area: disclosure.Cell(e[VALUE], e[NUM], e[DEN], e[RESP], e[MISSING])
        for area, e in cells.items()
    }
    families = [
        (area, hierarchy.children[area]) for area in cells if area in hierarchy.children
    ]
    codes = disclosure.suppress(measures, families, rule)
    for area, entry in cells.items():
        entry[SUPPRESSION] = codes.get(area, "")
    return len(codes)


def _write(before: dict, final: dict) -> int:
    table = Observation._meta.db_table
    inserts, updates = [], []
    for key, entry in final.items():
        if entry[ROW_ID] is None:
            inserts.append((*key, *entry[:ROW_ID]))
        elif tuple(entry) != before.get(key):
            updates.append((*entry[:ROW_ID], entry[ROW_ID]))
    gone = [v[ROW_ID] for k, v in before.items() if k not in final]
    columns = ["indicator_id", "area_id", "period_id", *FIELDS]
    row_sql = f"({', '.join(['%s'] * len(columns))})"
    insert_head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    insert_sql = insert_head + row_sql
    update_sql = (
        f"UPDATE {table} SET {', '.join(f + ' = %s' for f in FIELDS)} WHERE id = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        for start in range(0, len(updates), BATCH):
            cursor.executemany(update_sql, updates[start : start + BATCH])
        # PostgreSQL answers each statement over the wire, so rows go in
        # multi-row VALUES lists there; SQLite is fastest row by row.
        if connection.vendor == "sqlite":
            for start in range(0, len(inserts), BATCH):
                cursor.executemany(insert_sql, inserts[start : start + BATCH])
            return len(gone)
        for start in range(0, len(inserts), INSERT_ROWS):
            chunk = inserts[start : start + INSERT_ROWS]
            cursor.execute(
                insert_head + ", ".join([row_sql] * len(chunk)),
                [value for row in chunk for value in row],
            )
    return len(gone)
