"""The engine: exact and vectorised modes agree, chunked evaluation equals a
whole simulation, parameters refuse bad files and dates, doctests hold."""

import datetime
import doctest
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stedenplatform.core.errors import PlatformError
from stedenplatform.rights.engine import Population, Simulation, core, parameters
from stedenplatform.rights.engine.core import calculate
from stedenplatform.rights.engine.parameters import ParameterError, load_parameters
from stedenplatform.rights.leefloon import (
    OUTPUTS,
    RESIDENCE,
    ROLES,
    get_system,
    simulate_case,
)

money = st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False)
person = st.fixed_dictionaries(
    {
        "rol": st.sampled_from(ROLES[1:]),
        "leeftijd": st.integers(0, 95),
        "beroepsinkomen": money,
        "vervangingsinkomen": money,
        "roerend_kapitaal": money,
        "ki_eigen_woning": st.decimals(0, 3000, places=2),
        "kinderbijslag_voor_aanvrager": st.decimals(0, 3000, places=2),
        "ontvangt_leefloon": st.booleans(),
    }
)
household = st.fixed_dictionaries(
    {
        "huishouden": st.fixed_dictionaries(
            {
                "verblijfsstatus": st.sampled_from(RESIDENCE),
                "gemeenschappelijke_huishouding": st.booleans(),
                "socio_professionele_vrijstelling": st.booleans(),
                "ocmw_rekent_onderhoudsplichtigen": st.booleans(),
                "dakloos": st.booleans(),
                "zwanger": st.booleans(),
                "gpmi_akkoord": st.booleans(),
            }
        ),
        "applicant": st.fixed_dictionaries(
            {
                "leeftijd": st.integers(15, 90),
                "beroepsinkomen": money,
                "vervangingsinkomen": money,
                "roerend_kapitaal": st.decimals(0, 200000, places=2),
                "ki_onbebouwd": st.decimals(0, 1000, places=2),
            }
        ),
        "others": st.lists(person, max_size=4),
    }
)
dates = st.sampled_from(
    [
        datetime.date(2017, 6, 1),
        datetime.date(2024, 5, 1),
        datetime.date(2025, 3, 1),
        datetime.date(2026, 3, 1),
    ]
)


def case(data) -> dict:
    return {
        "huishouden": data["huishouden"],
        "personen": [{"rol": "aanvrager", **data["applicant"]}, *data["others"]],
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(household, min_size=1, max_size=6), dates)
def test_exact_and_vectorised_modes_give_the_same_values(households, date):
    system = get_system()
    exact = Population.from_cases(system, [case(h) for h in households])
    fast = exact.to_fast()
    a = Simulation(system, exact, date)
    b = Simulation(system, fast, date)
    for name in OUTPUTS:
        left, right = a(name), b(name)
        if system[name].value_type == "geld":
            left = np.array([int(v * 100) for v in left])
        assert list(left) == list(right), name


def test_chunked_calculation_equals_one_simulation():
    system = get_system()
    cases = [
        {
            "personen": [
                {
                    "rol": "aanvrager",
                    "leeftijd": 20 + i % 50,
                    "vervangingsinkomen": Decimal(i * 37 % 16000),
                }
            ]
            + [{"rol": "kind", "leeftijd": 3}] * (i % 3)
        }
        for i in range(500)
    ]
    population = Population.from_cases(system, cases).to_fast()
    whole = Simulation(system, population, datetime.date(2025, 3, 1))
    parts = calculate(
        system,
        population,
        datetime.date(2025, 3, 1),
        ["leefloon_maandbedrag", "categorie"],
        chunk_households=64,
        threads=2,
    )
    assert list(parts["leefloon_maandbedrag"]) == list(whole("leefloon_maandbedrag"))
    assert list(parts["categorie"]) == list(whole("categorie"))
    assert len(population.chunks(64)) == 8


def test_trace_names_rules_numbers_and_legal_references():
    simulation = simulate_case(
        {
            "personen": [
                {
                    "rol": "aanvrager",
                    "leeftijd": 40,
                    "vervangingsinkomen": Decimal("3600"),
                },
                {"rol": "andere", "leeftijd": 45},
            ],
            "huishouden": {"gemeenschappelijke_huishouding": True},
        },
        datetime.date(2025, 3, 1),
    )
    steps = {s.variable: s for s in simulation.trace}
    assert steps["algemene_vrijstelling"].explanation == (
        "Algemene vrijstelling van categorie 1: € 155,00 van € 3.600,00 telt niet mee."
    )
    assert steps["algemene_vrijstelling"].reference == "KB 11 juli 2002, art. 22 §2"
    assert steps["leefloon_maandbedrag"].value == "€ 589,05"
    used = steps["categoriebedrag"].parameters[0]
    assert used["waarde"] == "€ 10.513,60" and used["vanaf"] == "2025-02-01"


def test_dates_before_june_2017_are_refused_in_dutch():
    with pytest.raises(PlatformError, match="vóór 01-06-2017"):
        simulate_case({"personen": [{"rol": "aanvrager"}]}, datetime.date(2016, 12, 31))


def test_an_unknown_reading_is_refused():
    system = get_system()
    population = Population.from_cases(system, [{"personen": [{"rol": "aanvrager"}]}])
    with pytest.raises(PlatformError, match="toegelaten: facultatief, verplicht"):
        Simulation(
            system,
            population,
            datetime.date(2026, 3, 1),
            choices={"leefloon.samenwonenden.meetellen": "soms"},
        )


def test_unknown_input_and_role_are_refused():
    system = get_system()
    with pytest.raises(PlatformError, match="Onbekende invoer 'zwanger'"):
        Population.from_cases(
            system, [{"personen": [{"rol": "aanvrager", "zwanger": True}]}]
        )
    with pytest.raises(PlatformError, match="'neef' is geen geldige waarde voor 'rol'"):
        Population.from_cases(system, [{"personen": [{"rol": "neef"}]}])


def test_parameter_file_with_unordered_dates_is_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "x:\n  eenheid: EUR\n  waarden:\n"
        "    - {vanaf: 2025-01-01, waarde: 1, referentie: wet}\n"
        "    - {vanaf: 2024-01-01, waarde: 2, referentie: wet}\n"
    )
    with pytest.raises(ParameterError, match="moeten oplopen"):
        load_parameters(path)
    path.write_text("x:\n  eenheid: dollar\n  waarden: []\n")
    with pytest.raises(ParameterError, match="eenheid 'dollar' is onbekend"):
        load_parameters(path)


def test_every_parameter_value_carries_a_legal_reference_and_source():
    for parameter in get_system().parameters:
        for value in parameter.values:
            assert value.reference and value.source, parameter.name


@pytest.mark.parametrize("module", [core, parameters])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
