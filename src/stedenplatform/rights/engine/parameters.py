"""Parameters of the law, read from YAML: every value carries the date from
which it applies, its legal reference and the source where it was checked.

A parameter file maps dotted names to a description, a unit (`EUR`,
`EUR_per_maand`, `ratio`, `jaar`, `keuze`) and a list of values. A value
applies from its `vanaf` date until the next value's date. Parameters of unit
`keuze` hold a reading of the law where sources disagree; their `mogelijk`
list names every allowed reading, and a simulation may choose another one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from stedenplatform.core.errors import PlatformError

UNITS = {"EUR", "EUR_per_maand", "ratio", "jaar", "aantal", "keuze"}


class ParameterError(PlatformError):
    code = "parameter_ongeldig"


@dataclass(frozen=True)
class ParameterValue:
    start: datetime.date
    value: Decimal | str
    reference: str
    source: str = ""
    note: str = ""


@dataclass
class Parameter:
    """One named quantity of the law with its values through time."""

    name: str
    description: str
    unit: str
    values: list[ParameterValue]
    allowed: list[str] = field(default_factory=list)

    def value_at(self, date: datetime.date) -> ParameterValue:
        """Return the value in force on the date.

        >>> p = Parameter("x", "", "EUR", [ParameterValue(
        ...     datetime.date(2020, 1, 1), Decimal("1"), "wet")])
        >>> p.value_at(datetime.date(2021, 5, 1)).value
        Decimal('1')
        """
        found = None
        for value in self.values:
            if value.start <= date:
                found = value
            else:
                break
        if found is None:
            first = self.values[0].start.strftime("%d-%m-%Y")
            raise ParameterError(
                f"Parameter '{self.name}' heeft geen waarde op "
                f"{date:%d-%m-%Y}; de eerste waarde geldt vanaf {first}.",
                code="parameter_geen_waarde",
            )
        return found

    def change_dates(self) -> list[datetime.date]:
        return [v.start for v in self.values]


class ParameterSet:
    """All parameters of a system, looked up by dotted name."""

    def __init__(self, parameters: dict[str, Parameter]):
        self._parameters = parameters

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(
                f"Onbekende parameter '{name}'.", code="parameter_onbekend"
            ) from None

    def __iter__(self):
        return iter(self._parameters.values())

    def earliest_date(self) -> datetime.date:
        """The first date on which every parameter has a value."""
        return max(p.values[0].start for p in self._parameters.values())


def _parse_value(name: str, unit: str, raw) -> Decimal | str:
    if unit == "keuze":
        return str(raw)
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        raise ParameterError(
            f"Parameter '{name}': waarde {raw!r} is geen getal."
        ) from None


def load_parameters(*paths: Path) -> ParameterSet:
    """Read parameter files; refuse a file with an unknown unit or order."""
    parameters: dict[str, Parameter] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, spec in data.items():
            unit = spec.get("eenheid")
            if unit not in UNITS:
                raise ParameterError(
                    f"{path.name}, parameter '{name}': eenheid {unit!r} is onbekend; "
                    f"toegelaten: {', '.join(sorted(UNITS))}."
                )
            values = [
                ParameterValue(
                    start=item["vanaf"],
                    value=_parse_value(name, unit, item["waarde"]),
                    reference=item["referentie"],
                    source=item.get("bron", ""),
                    note=item.get("opmerking", ""),
                )
                for item in spec["waarden"]
            ]
            starts = [v.start for v in values]
            if starts != sorted(starts) or len(set(starts)) != len(starts):
                raise ParameterError(
                    f"{path.name}, parameter '{name}': de datums 'vanaf' moeten "
                    "oplopen en uniek zijn."
                )
            allowed = [str(a) for a in spec.get("mogelijk", [])]
            if unit == "keuze":
                bad = [v.value for v in values if v.value not in allowed]
                if bad:
                    raise ParameterError(
                        f"{path.name}, parameter '{name}': lezing {bad[0]!r} staat "
                        f"niet in 'mogelijk' ({', '.join(allowed)})."
                    )
            parameters[name] = Parameter(
                name=name,
                description=spec.get("omschrijving", ""),
                unit=unit,
                values=values,
                allowed=allowed,
            )
    return ParameterSet(parameters)
