"""Publication of series by another module: validation, idempotence,
aggregation to the province and disclosure on the stored cells."""

from decimal import Decimal

import pytest

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import AuditEntry
from stedenplatform.stats.models import Indicator, Observation, Origin, Suppression
from stedenplatform.stats.publishing import publish_indicator_series

INDICATOR = {
    "code": "demad_leefloon",
    "name": "Leefloongerechtigden",
    "definition": "Aantal.",
    "unit": "persoon",
    "kind": "count",
    "theme": "Welzijn/Leefloon",
    "decimals": 0,
    "source": "DEMaD",
    "threshold": 5,
    "status": "intern",
}
SHARE = {
    **INDICATOR,
    "code": "demad_aandeel",
    "name": "Aandeel langdurig",
    "kind": "percentage",
    "decimals": 1,
    "numerator_label": "langdurig",
    "denominator_label": "alle",
}


def obs(area, value, period="2024", indicator="demad_leefloon", **extra):
    return {
        "indicator": indicator,
        "area": area,
        "period": period,
        "value": value,
        "numerator": None,
        "denominator": None,
        "missing": None,
        **extra,
    }


@pytest.mark.django_db
def test_publish_creates_indicator_and_observations_and_is_idempotent(organisations):
    first = publish_indicator_series(
        source="demad",
        indicators=[INDICATOR],
        observations=[obs("44021", Decimal(120)), obs("11002", 3)],
    )
    assert first == {"indicators": 1, "observations": 2}
    state = sorted(
        Observation.objects.values_list("area__code", "value", "suppression")
    )
    second = publish_indicator_series(
        source="demad",
        indicators=[INDICATOR],
        observations=[obs("44021", Decimal(120)), obs("11002", 3)],
    )
    assert second == first
    assert (
        sorted(Observation.objects.values_list("area__code", "value", "suppression"))
        == state
    )
    indicator = Indicator.objects.get(code="demad_leefloon")
    assert indicator.theme.path == "Welzijn/Leefloon"
    assert indicator.theme.parent.path == "Welzijn"
    antwerpen = Observation.objects.get(area__code="11002")
    assert antwerpen.suppression == Suppression.PRIMARY
    assert AuditEntry.objects.filter(action="stats.indicator_created").count() == 1
    assert AuditEntry.objects.filter(action="stats.series_published").count() == 1


@pytest.mark.django_db
def test_publish_refuses_whole_input_and_names_the_problems(organisations):
    with pytest.raises(InputRefusedError) as error:
        publish_indicator_series(
            source="demad",
            indicators=[INDICATOR],
            observations=[
                obs("44021", 10),
                obs("99999", 4),
                obs("44021", "veel", period="2024-Q5"),
            ],
        )
    message = error.value.message
    assert "rij 2, kolom 'area': onbekende gemeente (waarde: '99999')" in message
    assert "rij 3, kolom 'period': ongeldige periode (waarde: '2024-Q5')" in message
    assert "kolom 'value': geen getal (waarde: 'veel')" in message
    assert "er is niets opgeslagen" in message
    assert not Indicator.objects.exists()
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_percentage_aggregates_from_numerator_and_denominator_to_brussels(
    organisations,
):
    from stedenplatform.core.models import Area

    brussels = Area.objects.get(level="gewest", code="04000")
    gemeenten = list(
        Area.current().filter(parent=brussels).values_list("code", flat=True)
    )
    observations = [
        obs(
            code,
            Decimal(i + 10) / Decimal(100 + i) * 100,
            indicator="demad_aandeel",
            numerator=i + 10,
            denominator=100 + i,
        )
        for i, code in enumerate(gemeenten)
    ]
    publish_indicator_series(
        source="demad", indicators=[SHARE], observations=observations
    )
    region = Observation.objects.get(area=brussels)
    numerator = sum(i + 10 for i in range(len(gemeenten)))
    denominator = sum(100 + i for i in range(len(gemeenten)))
    assert region.origin == Origin.AGGREGATED
    assert region.numerator == numerator
    assert region.denominator == denominator
    assert abs(region.value - Decimal(numerator) / denominator * 100) < Decimal(
        "0.00001"
    )
