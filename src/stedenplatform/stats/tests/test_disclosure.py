"""Disclosure control: the rules on single cells, and properties over random
area trees: no published figure is below its threshold, and no suppressed
cell can be computed from the published ones with the totals of the tree."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stedenplatform.stats.disclosure import (
    Cell,
    Rule,
    primary_suppression,
    protected_measure,
    suppress,
)
from stedenplatform.stats.models import Suppression


def test_zero_is_shown_and_small_counts_are_suppressed():
    rule = Rule(kind="count", threshold=5)
    assert primary_suppression(Cell(Decimal(0)), rule) == ""
    assert primary_suppression(Cell(Decimal(4)), rule) == Suppression.PRIMARY
    assert primary_suppression(Cell(Decimal(5)), rule) == ""


def test_ratio_threshold_applies_to_numerator():
    rule = Rule(kind="percentage", threshold=5)
    assert primary_suppression(Cell(Decimal(50), Decimal(3), Decimal(6)), rule) == (
        Suppression.PRIMARY
    )
    assert primary_suppression(Cell(Decimal(1), Decimal(30), Decimal(3000)), rule) == ""
    assert primary_suppression(Cell(Decimal(1)), rule) == Suppression.PRIMARY


def test_survey_figure_needs_enough_respondents():
    rule = Rule(kind="percentage", is_survey=True, min_respondents=135)
    assert primary_suppression(Cell(Decimal(40), respondents=120), rule) == (
        Suppression.RESPONDENTS
    )
    assert primary_suppression(Cell(Decimal(40), respondents=135), rule) == ""


def test_sector_suppressed_alone_takes_a_sibling_with_it():
    cells = {
        "wijk": Cell(Decimal(30)),
        "s1": Cell(Decimal(3)),
        "s2": Cell(Decimal(12)),
        "s3": Cell(Decimal(15)),
    }
    result = suppress(cells, [("wijk", ["s1", "s2", "s3"])], Rule(kind="count"))
    assert result == {"s1": Suppression.PRIMARY, "s2": Suppression.SECONDARY}


def test_suppressed_wijk_is_not_given_away_by_its_sectors():
    cells = {
        "gemeente": Cell(Decimal(100)),
        "w1": Cell(Decimal(4)),
        "w2": Cell(Decimal(96)),
        "s1": Cell(Decimal(2)),
        "s2": Cell(Decimal(2)),
    }
    families = [("gemeente", ["w1", "w2"]), ("w1", ["s1", "s2"])]
    result = suppress(cells, families, Rule(kind="count"))
    assert result["w1"] == Suppression.PRIMARY
    assert {"w2", "s1", "s2"} <= set(result)


@st.composite
def trees(draw):
    """A gemeente with wijken with sectors, and counts that add up."""
    cells, families = {}, []
    wijken = []
    for w in range(draw(st.integers(1, 4))):
        sectors = []
        for s in range(draw(st.integers(1, 4))):
            key = f"s{w}.{s}"
            cells[key] = Decimal(draw(st.integers(0, 40)))
            sectors.append(key)
        wijk = f"w{w}"
        cells[wijk] = sum(cells[s] for s in sectors)
        families.append((wijk, sectors))
        wijken.append(wijk)
    cells["g"] = sum(cells[w] for w in wijken)
    families.append(("g", wijken))
    threshold = draw(st.integers(1, 10))
    return cells, families, threshold


def recoverable(unknown: list[str], families, values) -> set[str]:
    """Cells whose value follows from the published ones by linear algebra
    over the equations parent = sum(children)."""
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for parent, children in families:
        row = [Fraction(0)] * (len(unknown) + 1)
        for member, sign in [(parent, 1)] + [(c, -1) for c in children]:
            if member in index:
                row[index[member]] += sign
            else:
                row[-1] -= sign * Fraction(values[member])
        rows.append(row)
    # Gaussian elimination to reduced row echelon form.
    pivots, r = [], 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][col] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [
                    a - factor * b for a, b in zip(rows[i], rows[r], strict=True)
                ]
        pivots.append(col)
        r += 1
    found = set()
    for i, col in enumerate(pivots):
        if all(rows[i][c] == 0 for c in range(len(unknown)) if c != col):
            found.add(unknown[col])
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_no_published_cell_below_threshold_and_none_recoverable(tree):
    values, families, threshold = tree
    rule = Rule(kind="count", threshold=threshold)
    cells = {k: Cell(v) for k, v in values.items()}
    result = suppress(cells, families, rule)
    for key, cell in cells.items():
        if key not in result:
            measure = protected_measure(cell, rule.kind)
            assert measure == 0 or measure >= threshold
    hidden = sorted(result)
    assert not recoverable(hidden, families, values) & set(hidden)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 200)), min_size=1, max_size=6)
)
def test_percentages_protect_their_numerators(children):
    cells = {
        f"c{i}": Cell(Decimal(n) / d * 100, Decimal(n), Decimal(d))
        for i, (n, d) in enumerate(children)
    }
    num = sum(n for n, _ in children)
    den = sum(d for _, d in children)
    cells["p"] = Cell(Decimal(num) / den * 100, Decimal(num), Decimal(den))
    families = [("p", [f"c{i}" for i in range(len(children))])]
    result = suppress(cells, families, Rule(kind="percentage", threshold=5))
    numerators = {k: c.numerator for k, c in cells.items()}
    for key, cell in cells.items():
        if key not in result:
            assert cell.numerator == 0 or cell.numerator >= 5
    hidden = sorted(result)
    assert not recoverable(hidden, families, numerators) & set(hidden)


@pytest.mark.django_db
def test_stored_cells_follow_disclosure_after_threshold_change(indicators):
    from stedenplatform.stats.models import Indicator, Observation
    from stedenplatform.stats.services import change_disclosure, import_indicator_file

    content = b"PERIOD;GEOLEVEL;GEOITEM;inwoners\n2024;gemeente;44021;7\n"
    import_indicator_file("a.csv", content)
    cell = Observation.objects.get(area__code="44021")
    assert cell.suppression == ""
    change_disclosure(Indicator.objects.get(code="inwoners"), actor=None, threshold=10)
    cell.refresh_from_db()
    assert cell.suppression == Suppression.PRIMARY
