"""Small rules: periods, the formula language, the survey confidence
interval, and disclosure on stored sector figures and survey figures."""

import datetime
from decimal import Decimal

import pytest

from stedenplatform.core.models import Area
from stedenplatform.stats.formulas import FormulaError, evaluate, parse, references
from stedenplatform.stats.models import Observation, Suppression
from stedenplatform.stats.periods import parse_period
from stedenplatform.stats.services import import_indicator_file
from stedenplatform.stats.store import survey_interval


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024", ("year", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))),
        ("2024-Q1", ("quarter", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))),
        ("2024-02", ("month", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))),
        ("2025-01-01", ("date", datetime.date(2025, 1, 1), datetime.date(2025, 1, 1))),
        (
            "2024-01-01/2024-06-30",
            ("range", datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
        ),
        (2020.0, ("year", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))),
    ],
)
def test_periods_are_parsed_into_kind_and_dates(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["2024-Q5", "2024-13", "24", "2024-06-30/2024-01-01", "volgend jaar"]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_formula_follows_precedence_and_parentheses():
    values = {"a": Decimal(6), "b": Decimal(2), "c": Decimal(1)}
    assert evaluate(parse("a + b * c"), values) == 8
    assert evaluate(parse("(a + b) * c"), values) == 8
    assert evaluate(parse("(a - b) / b * 100"), values) == 200
    assert evaluate(parse("-a + 10"), values) == 4
    assert references(parse("(a + b) / c")) == {"a", "b", "c"}


def test_formula_without_operand_or_with_zero_divisor_gives_none():
    assert evaluate(parse("a / b"), {"a": Decimal(1), "b": Decimal(0)}) is None
    assert evaluate(parse("a / b"), {"a": Decimal(1)}) is None


@pytest.mark.parametrize(
    "text,message",
    [
        ("__import__('os').system('x')", "teken"),
        ("a +", "eindigt onverwacht"),
        ("(a + b", "haakje sluiten ontbreekt"),
        ("a b", "onverwacht 'b'"),
        ("", "leeg"),
    ],
)
def test_formula_refuses_anything_but_arithmetic(text, message):
    with pytest.raises(FormulaError, match=message):
        parse(text)


def test_survey_interval_uses_unweighted_n_and_population_correction():
    low, high = survey_interval(Decimal(40), 400)
    assert round(low, 2) == Decimal("35.20") and round(high, 2) == Decimal("44.80")
    narrow_low, narrow_high = survey_interval(Decimal(40), 400, 2000)
    assert narrow_high - narrow_low < high - low
    assert survey_interval(Decimal(40), None) == (None, None)


@pytest.mark.django_db
def test_small_sector_takes_a_second_sector_with_it_but_wijk_is_published(
    sector_geography, indicators
):
    wijk = Area.current().get(level="wijk", code="44021T")
    sectors = list(Area.current().filter(parent=wijk).order_by("code"))
    values = [3] + [40 + i for i in range(len(sectors) - 1)]
    lines = ["PERIOD;GEOLEVEL;GEOITEM;inwoners"] + [
        f"2024;sector;{s.code};{v}" for s, v in zip(sectors, values, strict=True)
    ]
    import_indicator_file("sectoren.csv", ("\n".join(lines) + "\n").encode())
    cells = {
        o.area.code: o
        for o in Observation.objects.filter(indicator__code="inwoners").select_related(
            "area"
        )
    }
    assert cells[sectors[0].code].suppression == Suppression.PRIMARY
    assert cells[sectors[1].code].suppression == Suppression.SECONDARY
    assert cells["44021T"].suppression == ""
    assert cells["44021T"].value == sum(values)


@pytest.mark.django_db
def test_survey_figure_gets_interval_and_is_suppressed_below_minimum(
    client, indicators
):
    content = (
        b"indicator,area,period,value,respondents,denominator\n"
        b"tevredenheid,44021,2023,71.5,812,210000\n"
        b"tevredenheid,11002,2023,64.0,120,420000\n"
    )
    import_indicator_file("survey.csv", content)
    gent = Observation.objects.get(area__code="44021")
    assert gent.ci_low < Decimal("71.5") < gent.ci_high
    assert Observation.objects.get(area__code="11002").suppression == (
        Suppression.RESPONDENTS
    )
    page = client.get(
        "/cijfers/indicator/tevredenheid/?weergave=vergelijking&periode=2023"
        "&formaat=csv"
    ).content.decode("utf-8-sig")
    assert "95%-betrouwbaarheidsinterval laag" in page
    assert f"Gent;71.5;{round(gent.ci_low, 1)};{round(gent.ci_high, 1)};812" in page
    assert "Antwerpen;x;;;" in page
