"""Leefloon for one million synthetic households: this platform's engine
(vectorised, int64 cents) against the same rules written for OpenFisca-core.

Run with a Python that has numpy, PyYAML and openfisca-core (OpenFisca is
not a project dependency; install it in a separate venv):

    python3 -m venv /tmp/of-venv
    /tmp/of-venv/bin/pip install openfisca-core pyyaml
    PYTHONPATH=src /tmp/of-venv/bin/python bench/rights_leefloon.py

Prints both times, their ratio and the share of households on which both
give the same right, category and monthly amount (to the cent).
"""

from __future__ import annotations

import argparse
import datetime
import time

import numpy as np
from openfisca_core import periods
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem as OFSystem
from openfisca_core.variables import Variable as OFVariable

from stedenplatform.rights.engine import Population
from stedenplatform.rights.engine.core import calculate
from stedenplatform.rights.leefloon import ROLES, get_system

DATE = datetime.date(2025, 3, 1)
PERIOD = "2025-03"
ROLE = {r: i for i, r in enumerate(ROLES)}
MONEY = [
    "beroepsinkomen",
    "vervangingsinkomen",
    "roerend_kapitaal",
    "ki_eigen_woning",
    "ki_onbebouwd",
]


def synthetic(n: int, seed: int = 7):
    """Households of 1 to 4 persons with incomes, capital and property."""
    rng = np.random.default_rng(seed)
    size = rng.choice([1, 2, 3, 4], n, p=[0.45, 0.3, 0.15, 0.1])
    household = np.repeat(np.arange(n), size)
    first = np.r_[0, np.cumsum(size)[:-1]]
    position = np.arange(len(household)) - first[household]
    other = rng.choice(
        [
            ROLE["partner"],
            ROLE["kind"],
            ROLE["ouder"],
            ROLE["meerderjarig_kind"],
            ROLE["andere"],
        ],
        len(household),
        p=[0.35, 0.35, 0.1, 0.1, 0.1],
    )
    role = np.where(position == 0, ROLE["aanvrager"], other)
    age = np.where(
        role == ROLE["kind"],
        rng.integers(0, 18, len(household)),
        rng.integers(16, 90, len(household)),
    )
    persons = {"rol": role, "leeftijd": age}

    def amount(share, high):
        value = rng.integers(0, high, len(household)) * 100 + rng.integers(
            0, 100, len(household)
        )
        return np.where(rng.random(len(household)) < share, value, 0).astype(np.int64)

    persons["beroepsinkomen"] = amount(0.3, 30000)
    persons["vervangingsinkomen"] = amount(0.3, 20000)
    persons["roerend_kapitaal"] = amount(0.2, 40000)
    persons["ki_eigen_woning"] = amount(0.1, 3000)
    persons["ki_onbebouwd"] = amount(0.05, 800)
    persons["ontvangt_leefloon"] = rng.random(len(household)) < 0.05
    households = {
        "verblijfsstatus": rng.choice(7, n, p=[0.7, 0.1, 0.04, 0.08, 0.04, 0.02, 0.02]),
        "werkbereid": rng.random(n) < 0.95,
        "gpmi_akkoord": rng.random(n) < 0.9,
        "gemeenschappelijke_huishouding": rng.random(n) < 0.8,
        "socio_professionele_vrijstelling": rng.random(n) < 0.2,
        "ocmw_rekent_onderhoudsplichtigen": rng.random(n) < 0.5,
    }
    return household, persons, households


def run_platform(household, persons, households, n):
    system = get_system()
    inputs = dict(persons)
    for variable in system.inputs(system["dakloos"].entity):
        inputs.setdefault(variable.name, np.full(n, bool(variable.default)))
    inputs.update(households)
    for variable in system.inputs(system["rol"].entity):
        if variable.name not in inputs:
            inputs[variable.name] = np.zeros(
                len(household),
                dtype=np.int64 if variable.value_type != "bool" else bool,
            )
    population = Population(
        system, exact=False, n_households=n, person_household=household, inputs=inputs
    )
    built = time.perf_counter()
    names = ["recht_op_leefloon", "categorie", "leefloon_maandbedrag"]
    results = calculate(system, population, DATE, names)
    return tuple(results[name] for name in names), built


# OpenFisca: the same rules, in cents (int) so both round identically.


def cents(name: str) -> int:
    value = get_system().parameters[name].value_at(DATE).value
    return int(value * 100)


def build_openfisca():
    Person = build_entity(
        key="persoon", plural="personen", label="Persoon", is_person=True
    )
    Household = build_entity(
        key="huishouden",
        plural="huishoudens",
        label="Huishouden",
        roles=[{"key": "lid", "plural": "leden", "label": "Lid"}],
    )
    system = OFSystem([Person, Household])
    values = {
        "cat1": cents("leefloon.bedrag.categorie_1"),
        "cat2": cents("leefloon.bedrag.categorie_2"),
        "cat3": cents("leefloon.bedrag.categorie_3"),
        "vr1": cents("leefloon.vrijstelling.algemeen.categorie_1"),
        "vr2": cents("leefloon.vrijstelling.algemeen.categorie_2"),
        "vr3": cents("leefloon.vrijstelling.algemeen.categorie_3"),
        "spi": cents("leefloon.vrijstelling.socio_professioneel"),
        "kap_vrij": cents("leefloon.kapitaal.vrij_tot"),
        "kap_top": cents("leefloon.kapitaal.schijf_2_tot"),
        "ki_woning": cents("leefloon.kadastraal.vrij_eigen_woning"),
        "ki_kind": cents("leefloon.kadastraal.vrij_per_kind"),
        "ki_grond": cents("leefloon.kadastraal.vrij_onbebouwd"),
    }
    system.parameters = ParameterNode(
        "",
        data={key: {"values": {"2017-01-01": value}} for key, value in values.items()},
    )
    system.parameters.children.update({})

    def var(name, entity, value_type, formula=None):
        attrs = {
            "value_type": value_type,
            "entity": entity,
            "definition_period": periods.DateUnit.MONTH,
            "label": name,
        }
        if formula is not None:
            attrs["formula"] = formula
        system.add_variable(type(name, (OFVariable,), attrs))

    for name in ["rol", "leeftijd", *MONEY]:
        var(name, Person, int)
    var("ontvangt_leefloon", Person, bool)
    var("verblijfsstatus", Household, int)
    for name in [
        "werkbereid",
        "gpmi_akkoord",
        "gemeenschappelijke_huishouding",
        "socio_professionele_vrijstelling",
        "ocmw_rekent_onderhoudsplichtigen",
    ]:
        var(name, Household, bool)

    def half_up(x, num, den):
        return (2 * x * num + den) // (2 * den)

    def pos(x):
        return np.maximum(x, 0)

    def aanvrager(p, period):
        return p("rol", period) == ROLE["aanvrager"]

    def leeftijd_aanvrager(h, period):
        return h.sum(
            np.where(h.members("aanvrager", period), h.members("leeftijd", period), 0)
        )

    def kinderen(h, period):
        m = h.members
        return h.sum((m("rol", period) == ROLE["kind"]) & (m("leeftijd", period) < 18))

    def categorie(h, period):
        m = h.members
        partner = h.any(m("rol", period) == ROLE["partner"])
        others = h.nb_persons() > 1
        together = partner | (others & h("gemeenschappelijke_huishouding", period))
        return np.select([h("kinderen", period) > 0, together], [3, 1], 2)

    def middelen_persoon(p, period, parameters):
        par = parameters(period)
        spi = np.where(
            p.huishouden("socio_professionele_vrijstelling", period), par.spi * 12, 0
        )
        own_spi = np.where(p("aanvrager", period), spi, 0)
        capital = p("roerend_kapitaal", period)
        middle = np.minimum(pos(capital - par.kap_vrij), par.kap_top - par.kap_vrij)
        cap = half_up(middle, 3, 50) + half_up(pos(capital - par.kap_top), 1, 10)
        kids = p.huishouden("kinderen", period)
        home = pos(p("ki_eigen_woning", period) - (par.ki_woning + par.ki_kind * kids))
        land = pos(p("ki_onbebouwd", period) - par.ki_grond)
        return (
            pos(p("beroepsinkomen", period) - own_spi)
            + p("vervangingsinkomen", period)
            + cap
            + 3 * home
            + 3 * land
        )

    def leefloon(h, period, parameters):
        par = parameters(period)
        m = h.members
        rol = m("rol", period)
        mid = m("middelen_persoon", period)
        age = h("leeftijd_aanvrager", period)
        eligible = (
            ((age >= 18) | (h("kinderen", period) > 0))
            & np.isin(h("verblijfsstatus", period), [0, 1, 3, 4, 5])
            & h("werkbereid", period)
            & ((age >= 25) | h("gpmi_akkoord", period))
        )
        cat = h("categorie", period)
        amount = np.select([cat == 1, cat == 2], [par.cat1, par.cat2], par.cat3)
        own = h.sum(np.where(rol == ROLE["aanvrager"], mid, 0))
        partner = h.sum(
            np.where((rol == ROLE["partner"]) & ~m("ontvangt_leefloon", period), mid, 0)
        )
        debtor = np.isin(
            rol, [ROLE["ouder"], ROLE["meerderjarig_kind"]]
        ) & m.huishouden("ocmw_rekent_onderhoudsplichtigen", period)
        debtors = pos(h.sum(np.where(debtor, mid, 0)) - par.cat1 * h.sum(debtor))
        total = own + pos(partner - par.cat1) + debtors
        exemption = np.select([cat == 1, cat == 2], [par.vr1, par.vr2], par.vr3)
        counted = total - np.where(total < amount, np.minimum(exemption, total), 0)
        right = eligible & (counted < amount)
        return np.where(right, pos(amount - counted), 0)

    def leefloon_maand(h, period):
        return (2 * h("leefloon_jaar", period) + 12) // 24

    var("aanvrager", Person, bool, aanvrager)
    var("leeftijd_aanvrager", Household, int, leeftijd_aanvrager)
    var("kinderen", Household, int, kinderen)
    var("categorie", Household, int, categorie)
    var("middelen_persoon", Person, int, middelen_persoon)
    var("leefloon_jaar", Household, int, leefloon)
    var("leefloon_maand", Household, int, leefloon_maand)
    return system


def run_openfisca(system, household, persons, households, n):
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("persoon", np.arange(len(household)))
    instance = builder.declare_entity("huishouden", np.arange(n))
    builder.join_with_persons(instance, household, ["lid"] * len(household))
    simulation = builder.build(system)
    for name in ["rol", "leeftijd", *MONEY, "ontvangt_leefloon"]:
        simulation.set_input(name, PERIOD, persons[name])
    for name, values in households.items():
        simulation.set_input(name, PERIOD, values)
    built = time.perf_counter()
    return (
        simulation.calculate("leefloon_jaar", PERIOD) > 0,
        simulation.calculate("categorie", PERIOD),
        simulation.calculate("leefloon_maand", PERIOD),
    ), built


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--huishoudens", type=int, default=1_000_000)
    parser.add_argument(
        "--herhalingen",
        type=int,
        default=3,
        help="beide motoren zo vaak draaien; de snelste tijd telt",
    )
    arguments = parser.parse_args()
    n = arguments.huishoudens
    household, persons, households = synthetic(n)
    # Facts the OpenFisca version does not model are true for everyone.
    households["verblijft_in_belgie"] = np.ones(n, bool)
    households["andere_rechten_uitgeput"] = np.ones(n, bool)
    of_households = {
        k: v
        for k, v in households.items()
        if k not in {"verblijft_in_belgie", "andere_rechten_uitgeput"}
    }
    system = build_openfisca()

    # (total, of which building the population) per run
    platform_times, openfisca_times = [], []
    for _ in range(arguments.herhalingen):
        start = time.perf_counter()
        ours, built = run_platform(household, persons, households, n)
        end = time.perf_counter()
        platform_times.append((end - start, built - start))
        start = time.perf_counter()
        theirs, built = run_openfisca(system, household, persons, of_households, n)
        end = time.perf_counter()
        openfisca_times.append((end - start, built - start))
    (platform_seconds, platform_build) = min(platform_times)
    (openfisca_seconds, openfisca_build) = min(openfisca_times)

    right, category, monthly = ours
    of_right, of_category, of_monthly = theirs
    agree = (
        (right == of_right)
        & (monthly == of_monthly)
        & (~right | (category == of_category))
    )
    print(f"huishoudens: {n:,} (personen: {len(household):,})")
    print(f"recht op leefloon: {right.mean():.1%}")
    for label, total, build in [
        ("Stedenplatform-engine", platform_seconds, platform_build),
        ("OpenFisca-core       ", openfisca_seconds, openfisca_build),
    ]:
        print(
            f"{label}: {total:.3f} s (snelste van {arguments.herhalingen}; "
            f"populatie opbouwen {build:.3f} s, rekenen {total - build:.3f} s)"
        )
    print(
        f"verhouding OpenFisca / Stedenplatform: "
        f"{openfisca_seconds / platform_seconds:.1f}x"
    )
    print(
        f"akkoord op {agree.mean():.4%} van de huishoudens ({(~agree).sum()} "
        f"verschillen)"
    )


if __name__ == "__main__":
    main()
