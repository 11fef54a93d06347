"""Scenario files: given a household on a date, expect these values.

A scenario file is a YAML list; each scenario has a `naam` stating the
behaviour, a `datum`, optional `lezingen` (readings of parameters of unit
`keuze`), the `huishouden` and its `personen` as input values, and `verwacht`:
the values the rules must give. Yes/no is written `ja`/`nee`, money as a
quoted amount with a decimal point, a person variable as a list in the order
of the persons. Every scenario runs twice, exactly and vectorised, and both
must give the expected values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .core import HOUSEHOLD, Population, Simulation, TaxBenefitSystem

YES_NO = {"ja": True, "nee": False}


@dataclass
class Scenario:
    name: str
    date: datetime.date
    household: dict
    persons: list[dict]
    expected: dict
    choices: dict = field(default_factory=dict)
    source: str = ""

    def case(self) -> dict:
        return {"huishouden": self.household, "personen": self.persons}


def _plain(value):
    if isinstance(value, str) and value in YES_NO:
        return YES_NO[value]
    return value


def load_scenarios(path: Path) -> list[Scenario]:
    scenarios = []
    for index, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        scenarios.append(
            Scenario(
                name=item["naam"],
                date=item["datum"],
                household={
                    k: _plain(v) for k, v in (item.get("huishouden") or {}).items()
                },
                persons=[
                    {k: _plain(v) for k, v in p.items()} for p in item["personen"]
                ],
                expected=item["verwacht"],
                choices=item.get("lezingen") or {},
                source=f"{path.name}#{index + 1}",
            )
        )
    return scenarios


def _expected(system: TaxBenefitSystem, name: str, raw, exact: bool):
    variable = system[name]
    raw = _plain(raw)

    def one(value):
        if variable.value_type == "geld":
            amount = Decimal(str(value))
            return amount if exact else int(amount * 100)
        if variable.value_type == "enum":
            return variable.code(value)
        return value

    return [one(v) for v in raw] if isinstance(raw, list) else one(raw)


def run_scenario(system: TaxBenefitSystem, scenario: Scenario) -> list[str]:
    """Return the differences between expected and computed values."""
    exact = Population.from_cases(system, [scenario.case()])
    differences = []
    for population in (exact, exact.to_fast()):
        mode = "exact" if population.exact else "gevectoriseerd"
        simulation = Simulation(
            system, population, scenario.date, choices=scenario.choices
        )
        for name, raw in scenario.expected.items():
            want = _expected(system, name, raw, population.exact)
            values = simulation(name)
            got = values[0] if system[name].entity == HOUSEHOLD else list(values)
            if isinstance(got, list):
                got = [v.item() if hasattr(v, "item") else v for v in got]
            elif hasattr(got, "item"):
                got = got.item()
            if got != want:
                differences.append(f"{mode}: {name} = {got!r}, verwacht {want!r}")
    return differences
