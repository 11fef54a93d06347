"""Fixtures of the stats tests: the statistical geography and a few
indicators of every kind."""

import pytest


@pytest.fixture
def stats_geography(organisations):
    from stedenplatform.stats.geography_load import load_statistical_geography

    load_statistical_geography(with_sectors=False)
    return organisations


@pytest.fixture
def sector_geography(stats_geography):
    from stedenplatform.stats.geography_load import load_statistical_geography

    load_statistical_geography(with_sectors=True)
    return stats_geography


@pytest.fixture
def indicators(stats_geography):
    from stedenplatform.stats.catalogue import upsert_indicators

    return upsert_indicators(
        [
            {
                "code": "inwoners",
                "name": "Inwoners",
                "unit": "persoon",
                "kind": "count",
                "theme": "Demografie/Bevolking",
                "threshold": 5,
                "source": "Statbel",
            },
            {
                "code": "inwoners_65",
                "name": "Inwoners 65+",
                "unit": "persoon",
                "kind": "count",
                "theme": "Demografie/Bevolking",
                "threshold": 5,
            },
            {
                "code": "aandeel_65",
                "name": "Aandeel 65+",
                "unit": "procent",
                "kind": "percentage",
                "theme": "Demografie/Bevolking",
                "decimals": 1,
                "formula": "inwoners_65 / inwoners * 100",
            },
            {
                "code": "werkzoekend",
                "name": "Aandeel werkzoekenden",
                "unit": "procent",
                "kind": "percentage",
                "theme": "Werk",
                "decimals": 1,
                "threshold": 5,
            },
            {
                "code": "tevredenheid",
                "name": "Tevreden over de buurt",
                "unit": "procent",
                "kind": "percentage",
                "theme": "Samenleven",
                "decimals": 1,
                "is_survey": True,
                "min_respondents": 135,
            },
        ]
    )
