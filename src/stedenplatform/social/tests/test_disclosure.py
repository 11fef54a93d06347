"""Disclosure control: primary rules, secondary suppression, and the
property that no published figure breaks them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stedenplatform.social.disclosure import (
    EMPTY,
    PRIMARY,
    SECONDARY,
    SHOWN,
    Cell,
    additive_groups,
    published,
    suppress,
)
from stedenplatform.social.indicators import Parameters, compute

from . import handmade

P = Parameters()


def cell(
    indicator="demad_uitstroom_werk",
    ocmw="44021",
    year=2024,
    breakdown="totaal",
    group="totaal",
    num=0,
    den=0,
    rest=None,
):
    rest = den - num if rest is None else rest
    return Cell(
        indicator, ocmw, year, breakdown, group, num, den, num, den, rest, 0, None
    )


def test_denominator_under_ten_persons_is_withheld():
    cells = suppress([cell(num=5, den=9)], P)
    assert cells[0].suppression == PRIMARY
    assert suppress([cell(num=5, den=10)], P)[0].suppression == SHOWN


def test_numerator_of_one_to_four_persons_is_withheld_but_zero_is_shown():
    assert suppress([cell(num=4, den=100)], P)[0].suppression == PRIMARY
    assert suppress([cell(num=0, den=100)], P)[0].suppression == SHOWN


def test_small_complement_is_withheld_unless_switched_off():
    assert suppress([cell(num=97, den=100)], P)[0].suppression == PRIMARY
    lenient = Parameters(protect_complement=False)
    assert suppress([cell(num=97, den=100)], lenient)[0].suppression == SHOWN


def test_count_of_one_to_four_is_withheld():
    assert suppress([cell("demad_instroom", num=3, den=3)], P)[0].suppression == PRIMARY
    assert suppress([cell("demad_instroom", num=12, den=12)], P)[0].suppression == SHOWN


def test_empty_denominator_is_no_secret_but_has_no_value():
    [empty] = suppress([cell(num=0, den=0)], P)
    assert empty.suppression == EMPTY
    assert published(empty, P)["value"] is None


def test_one_withheld_group_takes_the_smallest_other_group_with_it():
    cells = [
        cell(breakdown="geslacht", group="M", num=3, den=40),
        cell(breakdown="geslacht", group="V", num=20, den=50),
        cell(breakdown="geslacht", group="X", num=6, den=12),
        cell(num=29, den=102),
    ]
    suppress(cells, P)
    assert [c.suppression for c in cells] == [PRIMARY, SHOWN, SECONDARY, SHOWN]


def test_withheld_city_is_not_recoverable_from_the_13_cities_together():
    cells = [
        cell(ocmw="44021", num=30, den=100),
        cell(ocmw="11002", num=2, den=50),
        cell(ocmw="24062", num=10, den=20),
        cell(ocmw="centrumsteden", num=42, den=170),
    ]
    suppress(cells, P)
    assert [c.suppression for c in cells] == [SHOWN, PRIMARY, SECONDARY, SHOWN]


def test_withheld_value_keeps_none_of_its_counts():
    [hidden] = suppress([cell(num=2, den=50)], P)
    row = published(hidden, P)
    assert (row["value"], row["numerator"], row["denominator"], row["censored"]) == (
        None,
        None,
        None,
        None,
    )


counts = st.integers(min_value=0, max_value=40)


@st.composite
def tables(draw):
    """Cities x groups of one breakdown with consistent totals."""
    indicator = draw(
        st.sampled_from(
            ["demad_uitstroom_werk", "demad_instroom", "demad_duur_mediaan"]
        )
    )
    cities = [f"c{i}" for i in range(draw(st.integers(1, 5)))]
    groups = [f"g{i}" for i in range(draw(st.integers(1, 4)))]
    values = {}
    for c in cities:
        for g in groups:
            den = draw(counts)
            num = den if indicator == "demad_instroom" else draw(st.integers(0, den))
            values[(c, g)] = (num, den)
    cells = []

    def add(ocmw, breakdown, group, num, den):
        if indicator == "demad_duur_mediaan":
            num = 0
        cells.append(cell(indicator, ocmw, 2024, breakdown, group, num, den))

    for c in cities:
        for g in groups:
            add(c, "leeftijd", g, *values[(c, g)])
        add(
            c,
            "totaal",
            "totaal",
            sum(values[(c, g)][0] for g in groups),
            sum(values[(c, g)][1] for g in groups),
        )
    for g in groups:
        add(
            "centrumsteden",
            "leeftijd",
            g,
            sum(values[(c, g)][0] for c in cities),
            sum(values[(c, g)][1] for c in cities),
        )
    add(
        "centrumsteden",
        "totaal",
        "totaal",
        sum(v[0] for v in values.values()),
        sum(v[1] for v in values.values()),
    )
    return cells


def assert_safe(cells, p):
    by_key = {c.key: c for c in cells}
    for c in cells:
        row = published(c, p)
        if c.suppression in (PRIMARY, SECONDARY):
            assert row["value"] is None and row["numerator"] is None
            assert row["denominator"] is None
            continue
        if c.kind == "count":
            assert not 1 <= c.num_persons < p.min_numerator, c
            continue
        if c.suppression == EMPTY:
            assert c.denominator == 0
            continue
        assert c.den_persons >= p.min_denominator, c
        if c.kind == "percentage":
            assert not 1 <= c.num_persons < p.min_numerator, c
            assert not 1 <= c.rest_persons < p.min_numerator, c
    for group in additive_groups(by_key):
        hidden = [k for k in group if by_key[k].suppression in (PRIMARY, SECONDARY)]
        assert len(hidden) != 1, (group, hidden)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_published_figure_breaks_the_disclosure_rules(cells):
    assert_safe(suppress(cells, P), P)


def test_pipeline_output_of_hand_made_data_passes_disclosure(tmp_path):
    first = handmade.write(tmp_path, "44021")
    second = handmade.write(tmp_path, "11002")
    table, _ = compute({k: first[k] + second[k] for k in first})
    cells = suppress([Cell(**r) for r in table.to_pylist()], P)
    assert_safe(cells, P)
    # Every figure of these few people rests on too few of them.
    assert all(
        c.suppression in (PRIMARY, SECONDARY, EMPTY) or c.numerator == 0
        for c in cells
        if c.kind != "count"
    )


def test_pipeline_output_of_synthetic_cities_passes_disclosure(tmp_path):
    import pyarrow.parquet as pq

    from stedenplatform.social.synthetic import generate_city

    sources: dict[str, list] = {}
    for nis in ("13040", "36015", "71016"):
        for name, table in generate_city(nis, 2019, 2024, scale=0.3).items():
            path = tmp_path / f"{nis}-{name}.parquet"
            pq.write_table(table, path)
            sources.setdefault(name, []).append(path)
    table, _ = compute(sources)
    cells = suppress([Cell(**r) for r in table.to_pylist()], P)
    assert_safe(cells, P)
    states = {c.suppression for c in cells}
    assert {SHOWN, PRIMARY, SECONDARY} <= states
