"""Disclosure control: which cells may be published.

Three rules, applied to all cells of one indicator and one period at once:

1. Primary: a cell whose protected measure lies between 0 and the threshold
   (exclusive) is suppressed; 0 is always shown. The protected measure is
   the value of a count, the numerator of a percentage or ratio, and the
   denominator (the number of units averaged) of a mean. A cell whose
   measure is unknown cannot be checked and is suppressed as well.
2. Survey: a survey figure with fewer unweighted respondents than the
   indicator's minimum is suppressed.
3. Secondary: every area whose children are all present forms an equation
   parent = sum(children), for the value of a count and for the numerators
   and denominators of the other kinds. A reader who knows all but one cell
   of such an equation recovers the last one, so wherever exactly one cell
   of an equation is suppressed, a second one is suppressed too: the
   smallest published child (the parent when no child is left). This is
   repeated until no equation has exactly one suppressed cell, which also
   covers a wijk suppressed against the gemeente whose sectors would give
   it away.

Missing cells (unknown, censored by the source, not applicable) are shown as
missing and do not count as protection: they are treated as known.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .models import Kind, Suppression

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Rule:
    kind: str
    threshold: int = DEFAULT_THRESHOLD
    is_survey: bool = False
    min_respondents: int = 0


class Cell(NamedTuple):
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    respondents: int | None = None
    missing: str = ""


def protected_measure(cell: Cell, kind: str) -> Decimal | None:
    """The quantity the threshold applies to (see the module docstring)."""
    if kind == Kind.COUNT:
        return cell.value
    if kind == Kind.MEAN:
        return cell.denominator
    return cell.numerator


def primary_suppression(cell: Cell, rule: Rule) -> str:
    """Return the suppression code for one cell on its own, or ''."""
    if cell.missing:
        return Suppression.NONE
    if rule.is_survey:
        if cell.respondents is None or cell.respondents < rule.min_respondents:
            return Suppression.RESPONDENTS
        return Suppression.NONE
    measure = protected_measure(cell, rule.kind)
    if measure is None:
        return Suppression.PRIMARY
    if 0 < abs(measure) < rule.threshold:
        return Suppression.PRIMARY
    return Suppression.NONE


def suppress(
    cells: dict[Hashable, Cell],
    families: Iterable[tuple[Hashable, list[Hashable]]],
    rule: Rule,
) -> dict[Hashable, str]:
    """Return the suppression code of every cell that may not be published."""
    result: dict[Hashable, str] = {}
    for key, cell in cells.items():
        code = primary_suppression(cell, rule)
        if code:
            result[key] = code
    if not result:
        return result

    equations = [
        (parent, children)
        for parent, children in families
        if parent in cells and children and all(c in cells for c in children)
    ]
    if not equations:
        return result
    by_member: dict[Hashable, list[int]] = {}
    for index, (parent, children) in enumerate(equations):
        for member in (parent, *children):
            by_member.setdefault(member, []).append(index)

    pending: set[int] = set()
    for key in result:
        pending.update(by_member.get(key, ()))
    while pending:
        index = pending.pop()
        parent, children = equations[index]
        hidden = [m for m in (parent, *children) if m in result]
        if len(hidden) != 1:
            continue
        extra = _second_cell(parent, children, result, cells, rule.kind)
        if extra is None:
            continue
        result[extra] = Suppression.SECONDARY
        pending.update(by_member.get(extra, ()))
    return result


def _second_cell(parent, children, hidden, cells, kind):
    """The cell to suppress next to a lone suppressed one: the smallest
    published child with a non-zero measure, else the parent, else a
    missing child; None when nothing is left."""

    def size(key):
        measure = protected_measure(cells[key], kind) or Decimal(0)
        return (0 if measure != 0 else 1, abs(measure), str(key))

    candidates = [c for c in children if c not in hidden and not cells[c].missing]
    if candidates:
        return min(candidates, key=size)
    if parent not in hidden:
        return parent
    rest = [c for c in children if c not in hidden]
    return min(rest, key=str) if rest else None
