"""Disclosure control: what may leave the DEMaD module, and what may not.

Primary suppression withholds every figure whose denominator counts fewer
than `min_denominator` persons, whose numerator counts 1 to
`min_numerator - 1` persons, or (when `protect_complement` is on) whose
complement, the persons in the denominator but not in the numerator, is that
small. Secondary suppression then withholds more figures wherever a
published total would let a reader recover a withheld one: in every set of
cells that adds up to a published cell (the groups of one breakdown add up
to the city's total; the 13 cities add up to the centrumsteden), exactly one
withheld cell is never left alone. The smallest non-zero cell that is not a
total goes first. A figure that is withheld keeps neither its value nor its
counts.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .indicators import ALL_CITIES, INDICATOR_BY_CODE, TOTAL, Parameters

PRIMARY = "primair"
SECONDARY = "secundair"
EMPTY = "leeg"
SHOWN = ""


@dataclass
class Cell:
    indicator: str
    ocmw: str
    year: int
    breakdown: str
    group: str
    numerator: int
    denominator: int
    num_persons: int
    den_persons: int
    rest_persons: int
    censored: int
    median_value: float | None
    suppression: str = SHOWN

    @property
    def key(self) -> tuple:
        return (self.indicator, self.ocmw, self.year, self.breakdown, self.group)

    @property
    def kind(self) -> str:
        return INDICATOR_BY_CODE[self.indicator].kind

    @property
    def size(self) -> int:
        return self.numerator if self.kind == "count" else self.denominator

    @property
    def hidden(self) -> bool:
        return self.suppression in (PRIMARY, SECONDARY)


def primary_reason(cell: Cell, p: Parameters) -> str:
    """Return PRIMARY, EMPTY or SHOWN for one cell on its own."""
    small = range(1, p.min_numerator)
    if cell.kind == "count":
        return PRIMARY if cell.num_persons in small else SHOWN
    if cell.denominator == 0:
        return EMPTY
    if cell.den_persons < p.min_denominator:
        return PRIMARY
    if cell.kind == "percentage":
        if cell.num_persons in small:
            return PRIMARY
        if p.protect_complement and cell.rest_persons in small:
            return PRIMARY
    return SHOWN


def additive_groups(cells: dict[tuple, Cell]) -> list[list[tuple]]:
    """Sets of cells that add up to a published cell, the total included."""
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for key, cell in cells.items():
        if cell.breakdown != TOTAL:
            groups[
                ("breakdown", cell.indicator, cell.ocmw, cell.year, cell.breakdown)
            ].append(key)
        groups[
            ("cities", cell.indicator, cell.year, cell.breakdown, cell.group)
        ].append(key)
    result = []
    for (kind, indicator, *rest), members in groups.items():
        if kind == "breakdown":
            ocmw, year, _ = rest
            total = (indicator, ocmw, year, TOTAL, TOTAL)
        else:
            year, breakdown, group = rest
            total = (indicator, ALL_CITIES, year, breakdown, group)
        members = [m for m in members if m != total]
        if total in cells and members:
            result.append(sorted(members) + [total])
    return result


def suppress(cells: list[Cell], p: Parameters) -> list[Cell]:
    """Mark every cell SHOWN, EMPTY, PRIMARY or SECONDARY, in place."""
    by_key = {c.key: c for c in cells}
    for cell in cells:
        cell.suppression = primary_reason(cell, p)
    groups = additive_groups(by_key)
    totals = {g[-1] for g in groups}
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [k for k in group if by_key[k].hidden]
            if len(hidden) != 1:
                continue
            candidates = [k for k in group if by_key[k].suppression == SHOWN]
            if not candidates:
                continue
            pick = min(
                candidates,
                key=lambda k: (by_key[k].size == 0, k in totals, by_key[k].size, k),
            )
            by_key[pick].suppression = SECONDARY
            changed = True
    return cells


def published_value(cell: Cell) -> Decimal | None:
    """The value that may be shown, rounded to the indicator's decimals."""
    if cell.hidden or cell.suppression == EMPTY:
        return None
    indicator = INDICATOR_BY_CODE[cell.indicator]
    step = Decimal(1).scaleb(-indicator.decimals)
    if indicator.kind == "count":
        return Decimal(cell.numerator)
    if indicator.kind == "median":
        if cell.median_value is None:
            return None
        return Decimal(str(cell.median_value)).quantize(step, ROUND_HALF_UP)
    return (Decimal(100) * cell.numerator / cell.denominator).quantize(
        step, ROUND_HALF_UP
    )


def published(cell: Cell, p: Parameters) -> dict:
    """The cell as it may leave the module: counts only when it is shown."""
    shown = not cell.hidden
    kind = cell.kind
    censored = (
        cell.censored
        if shown and cell.censored not in range(1, p.min_numerator)
        else None
    )
    return {
        "indicator": cell.indicator,
        "ocmw": cell.ocmw,
        "year": cell.year,
        "breakdown": cell.breakdown,
        "group": cell.group,
        "value": published_value(cell),
        "numerator": cell.numerator if shown and kind != "median" else None,
        "denominator": cell.denominator if shown and kind != "count" else None,
        "censored": censored,
        "suppression": cell.suppression,
    }


def cells_from_table(table) -> list[Cell]:
    """Turn the aggregates of `indicators.compute` into cells."""
    return [Cell(**row) for row in table.to_pylist()]
