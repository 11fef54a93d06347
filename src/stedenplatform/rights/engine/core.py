"""Entities, variables, populations and the simulation that evaluates them.

A variable belongs to an entity (person or household) and is either an input
or computed by a formula. A formula receives the simulation and asks it for
other variables (`s("name")`), parameters (`s.param("name")`) and the few
operations whose rounding the law fixes (`s.rate`, `s.divide`). Every value
is a NumPy array over the entity's members, so one formula serves a single
household and a million alike.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from stedenplatform.core.errors import PlatformError

from .parameters import ParameterSet

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
MONEY_UNITS = {"EUR", "EUR_per_maand"}


class EngineError(PlatformError):
    code = "rekenregel_fout"


@dataclass(frozen=True)
class Entity:
    key: str
    label: str


PERSON = Entity("persoon", "persoon")
HOUSEHOLD = Entity("huishouden", "huishouden")


@dataclass
class Variable:
    """A quantity of an entity; an input when it has no formula."""

    name: str
    entity: Entity
    value_type: str
    label: str
    formula: Callable | None = None
    reference: str = ""
    explain: Callable | None = None
    default: object = None
    choices: tuple[str, ...] = ()
    description: str = ""

    def code(self, choice: str) -> int:
        try:
            return self.choices.index(choice)
        except ValueError:
            raise EngineError(
                f"'{choice}' is geen geldige waarde voor '{self.name}'; toegelaten: "
                f"{', '.join(self.choices)}.",
                code="waarde_onbekend",
            ) from None


@dataclass
class TraceStep:
    """One rule applied to the first household, explained in Dutch."""

    variable: str
    label: str
    value: str
    explanation: str
    reference: str
    parameters: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "variabele": self.variable,
            "omschrijving": self.label,
            "waarde": self.value,
            "uitleg": self.explanation,
            "referentie": self.reference,
            "parameters": self.parameters,
        }


class TaxBenefitSystem:
    """The variables of a body of rules and the parameters they read."""

    def __init__(self, parameters: ParameterSet):
        self.parameters = parameters
        self.variables: dict[str, Variable] = {}

    def add(self, variable: Variable) -> Variable:
        if variable.name in self.variables:
            raise EngineError(f"Variabele '{variable.name}' bestaat al.")
        self.variables[variable.name] = variable
        return variable

    def input(
        self,
        name: str,
        entity: Entity,
        value_type: str,
        label: str,
        *,
        default=None,
        choices: tuple[str, ...] = (),
        description: str = "",
    ):
        return self.add(
            Variable(
                name,
                entity,
                value_type,
                label,
                default=default,
                choices=choices,
                description=description,
            )
        )

    def formula(
        self,
        entity: Entity,
        value_type: str,
        label: str,
        *,
        reference: str = "",
        explain: Callable | None = None,
    ):
        """Decorate a function `f(s)` as the formula of a variable of its name."""

        def register(function: Callable) -> Callable:
            self.add(
                Variable(
                    function.__name__,
                    entity,
                    value_type,
                    label,
                    formula=function,
                    reference=reference,
                    explain=explain,
                )
            )
            return function

        return register

    def __getitem__(self, name: str) -> Variable:
        try:
            return self.variables[name]
        except KeyError:
            raise EngineError(
                f"Onbekende variabele '{name}'.", code="variabele_onbekend"
            ) from None

    def inputs(self, entity: Entity) -> list[Variable]:
        return [
            v
            for v in self.variables.values()
            if v.formula is None and v.entity == entity
        ]


def _to_money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class Population:
    """Input values of persons and households as arrays.

    `person_household[i]` is the index of the household person i belongs to.
    In exact mode money arrays hold `Decimal`; in fast mode `int64` cents.
    """

    def __init__(
        self,
        system: TaxBenefitSystem,
        *,
        exact: bool,
        n_households: int,
        person_household: np.ndarray,
        inputs: dict[str, np.ndarray],
    ):
        self.system = system
        self.exact = exact
        self.n_households = n_households
        self.person_household = np.asarray(person_household, dtype=np.int64)
        self.n_persons = len(self.person_household)
        self.inputs = dict(inputs)
        if not exact:
            self._narrow()
        self.starts, self.sizes = self._layout()
        self.ends = None if self.starts is None else self.starts + self.sizes - 1
        for name, values in inputs.items():
            variable = system[name]
            expected = (
                self.n_persons if variable.entity == PERSON else self.n_households
            )
            if len(values) != expected:
                raise EngineError(
                    f"Invoer '{name}' heeft {len(values)} waarden; verwacht "
                    f"{expected} (één per {variable.entity.label})."
                )

    @classmethod
    def from_cases(cls, system: TaxBenefitSystem, cases: list[dict]) -> Population:
        """Build an exact population from dicts `{"huishouden": {...},
        "personen": [{...}, ...]}` keyed by variable name."""
        person_household: list[int] = []
        columns: dict[str, list] = {}
        household_vars = system.inputs(HOUSEHOLD)
        person_vars = system.inputs(PERSON)
        for index, case in enumerate(cases):
            household = case.get("huishouden", {})
            for variable in household_vars:
                columns.setdefault(variable.name, []).append(
                    cls._exact_value(variable, household.get(variable.name))
                )
            for person in case.get("personen", []):
                person_household.append(index)
                for variable in person_vars:
                    columns.setdefault(variable.name, []).append(
                        cls._exact_value(variable, person.get(variable.name))
                    )
        for case in cases:
            parts = [(case.get("huishouden", {}), household_vars)] + [
                (person, person_vars) for person in case.get("personen", [])
            ]
            for part, variables in parts:
                unknown = sorted(set(part) - {v.name for v in variables})
                if unknown:
                    raise EngineError(
                        f"Onbekende invoer '{unknown[0]}'.", code="invoer_onbekend"
                    )
        inputs = {}
        for variable in household_vars + person_vars:
            values = columns.get(variable.name, [])
            dtype = object if variable.value_type == "geld" else None
            if variable.value_type == "bool":
                dtype = bool
            elif variable.value_type in {"int", "enum"}:
                dtype = np.int64
            inputs[variable.name] = np.array(values, dtype=dtype)
        return cls(
            system,
            exact=True,
            n_households=len(cases),
            person_household=np.array(person_household, dtype=np.int64),
            inputs=inputs,
        )

    def _narrow(self) -> None:
        # Codes and ages fit in small integers; narrower arrays move less
        # memory through every comparison of the vectorised formulas.
        for name, values in self.inputs.items():
            kind = self.system[name].value_type
            if kind == "enum" and values.dtype != np.int8:
                self.inputs[name] = values.astype(np.int8)
            elif (
                kind == "int"
                and values.dtype != np.int16
                and (len(values) == 0 or (values.min() >= 0 and values.max() < 32768))
            ):
                self.inputs[name] = values.astype(np.int16)

    def _layout(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Start and size of each household when its persons are contiguous.

        Persons sorted by household, every household with at least one
        person, allow sums by a running total instead of a scatter.
        """
        index = self.person_household
        if self.n_persons == 0 or index[0] != 0 or index[-1] != self.n_households - 1:
            return None, None
        if not np.all(index[1:] >= index[:-1]):
            return None, None
        sizes = np.bincount(index, minlength=self.n_households)
        if not sizes.all():
            return None, None
        return np.cumsum(sizes) - sizes, sizes

    def chunks(self, households: int) -> list[Population]:
        """Split a contiguous population into parts of at most `households`."""
        if self.starts is None or self.n_households <= households:
            return [self]
        parts = []
        for first in range(0, self.n_households, households):
            last = min(first + households, self.n_households)
            p_first = int(self.starts[first])
            p_last = (
                int(self.starts[last]) if last < self.n_households else self.n_persons
            )
            inputs = {}
            for name, values in self.inputs.items():
                if self.system[name].entity == PERSON:
                    inputs[name] = values[p_first:p_last]
                else:
                    inputs[name] = values[first:last]
            parts.append(
                Population(
                    self.system,
                    exact=self.exact,
                    n_households=last - first,
                    person_household=self.person_household[p_first:p_last] - first,
                    inputs=inputs,
                )
            )
        return parts

    def to_fast(self) -> Population:
        """The same population with money as int64 cents."""
        inputs = {}
        for name, values in self.inputs.items():
            if self.system[name].value_type == "geld":
                values = np.array([int(v * 100) for v in values], dtype=np.int64)
            inputs[name] = values
        return Population(
            self.system,
            exact=False,
            n_households=self.n_households,
            person_household=self.person_household,
            inputs=inputs,
        )

    @staticmethod
    def _exact_value(variable: Variable, raw):
        if raw is None:
            raw = variable.default
        if variable.value_type == "geld":
            return _to_money(raw or 0)
        if variable.value_type == "bool":
            return bool(raw)
        if variable.value_type == "enum":
            return variable.code(raw)
        return int(raw or 0)


class Simulation:
    """Evaluate variables of a population on one date."""

    def __init__(
        self,
        system: TaxBenefitSystem,
        population: Population,
        date: datetime.date,
        *,
        choices: dict[str, str] | None = None,
        trace: bool = False,
    ):
        self.system = system
        self.population = population
        self.date = date
        self.exact = population.exact
        self.choices = choices or {}
        self.tracing = trace and population.exact
        self.trace: list[TraceStep] = []
        self._cache: dict[str, np.ndarray] = {}
        self._stack: list[str] = []
        self._used: dict[str, list[dict]] = {}
        for name, value in self.choices.items():
            parameter = system.parameters[name]
            if value not in parameter.allowed:
                raise EngineError(
                    f"Lezing {value!r} voor '{name}' bestaat niet; toegelaten: "
                    f"{', '.join(parameter.allowed)}.",
                    code="lezing_onbekend",
                )

    # evaluation

    def __call__(self, name: str) -> np.ndarray:
        if name in self._cache:
            return self._cache[name]
        if name in self._stack:
            raise EngineError(
                f"Kringverwijzing tussen rekenregels: {' -> '.join(self._stack)}."
            )
        variable = self.system[name]
        if variable.formula is None:
            values = self.population.inputs[name]
        else:
            self._stack.append(name)
            try:
                values = variable.formula(self)
            finally:
                self._stack.pop()
            values = self._shape(variable, values)
        self._cache[name] = values
        if self.tracing and variable.formula is not None:
            self._record(variable, values)
        return values

    def _shape(self, variable: Variable, values) -> np.ndarray:
        size = (
            self.population.n_persons
            if variable.entity == PERSON
            else self.population.n_households
        )
        array = np.asarray(values)
        if array.ndim == 0:
            array = np.full(
                size,
                array.item(),
                dtype=array.dtype
                if not self.exact or variable.value_type != "geld"
                else object,
            )
        if variable.value_type == "bool" and array.dtype != bool:
            array = array.astype(bool)
        elif (
            variable.value_type == "geld" and not self.exact and array.dtype != np.int64
        ):
            array = array.astype(np.int64)
        return array

    # parameters and money

    def param(self, name: str):
        """The parameter's value on the simulation date, as money if it is."""
        parameter = self.system.parameters[name]
        value = parameter.value_at(self.date)
        chosen = self.choices.get(name) if parameter.unit == "keuze" else None
        if self._stack:
            owner = self._stack[-1]
            self._used.setdefault(owner, []).append(
                {
                    "parameter": name,
                    "omschrijving": parameter.description,
                    "waarde": chosen
                    or self._show_parameter(parameter.unit, value.value),
                    "vanaf": value.start.isoformat(),
                    "referentie": value.reference,
                    "bron": value.source,
                }
            )
        if chosen is not None:
            return chosen
        if parameter.unit in MONEY_UNITS:
            return self.money(value.value)
        if parameter.unit in {"jaar", "aantal"}:
            return int(value.value)
        return value.value

    @staticmethod
    def _show_parameter(unit: str, value) -> str:
        if unit == "EUR":
            return format_eur(value)
        if unit == "EUR_per_maand":
            return format_eur(value) + " per maand"
        if unit == "ratio":
            return percent(value)
        return str(value)

    def money(self, amount) -> Decimal | int:
        amount = _to_money(amount)
        return amount if self.exact else int(amount * 100)

    def zero(self, entity: Entity = HOUSEHOLD) -> np.ndarray:
        size = (
            self.population.n_persons
            if entity == PERSON
            else self.population.n_households
        )
        if self.exact:
            return np.array([Decimal("0.00")] * size, dtype=object)
        return np.zeros(size, dtype=np.int64)

    def rate(self, amount: np.ndarray, ratio: Decimal) -> np.ndarray:
        """`amount` x `ratio`, rounded half up to the cent (amount >= 0)."""
        if self.exact:
            return np.array([_to_money(a * ratio) for a in amount], dtype=object)
        numerator, denominator = ratio.as_integer_ratio()
        return (2 * amount * numerator + denominator) // (2 * denominator)

    def divide(self, amount: np.ndarray, divisor: int) -> np.ndarray:
        """`amount` / `divisor`, rounded half up to the cent (amount >= 0)."""
        if self.exact:
            return np.array([_to_money(a / divisor) for a in amount], dtype=object)
        return (2 * amount + divisor) // (2 * divisor)

    def times(self, amount, factor) -> np.ndarray:
        """`amount` x a whole number (either may be an array), exact in both modes."""
        if self.exact:
            return np.asarray(amount, dtype=object) * np.asarray(factor).astype(object)
        return np.asarray(amount) * factor

    def positive(self, amount: np.ndarray) -> np.ndarray:
        """max(amount, 0), keeping the money representation."""
        if not self.exact:
            return np.maximum(amount, 0)
        return np.where(amount > 0, amount, self.zero_like(amount))

    def zero_like(self, amount: np.ndarray):
        return Decimal("0.00") if self.exact else 0

    def pick(self, index: np.ndarray, values: dict[int, object]) -> np.ndarray:
        """Per element, the value for its index (e.g. the amount per category)."""
        table = [values.get(i, self.zero_like(index)) for i in range(max(values) + 1)]
        lookup = np.array(table, dtype=object if self.exact else np.int64)
        return lookup[index]

    # entities

    def is_(self, name: str, *choices: str) -> np.ndarray:
        variable = self.system[name]
        codes = [variable.code(c) for c in choices]
        values = self(name)
        if len(codes) > 3:
            table = np.zeros(len(variable.choices), dtype=bool)
            table[codes] = True
            return table[values]
        # A few equality tests beat a table lookup by far on small integers.
        result = values == codes[0]
        for code in codes[1:]:
            result |= values == code
        return result

    def sum(self, person_values: np.ndarray) -> np.ndarray:
        """Sum a person array per household."""
        n = self.population.n_households
        index = self.population.person_household
        if person_values.dtype == object:
            totals = [Decimal("0.00")] * n
            for i, value in zip(index, person_values, strict=True):
                totals[i] += value
            return np.array(totals, dtype=object)
        if self.population.starts is not None:
            return self._contiguous_sum(person_values)
        return np.bincount(index, weights=person_values, minlength=n).astype(np.int64)

    def _contiguous_sum(self, person_values: np.ndarray) -> np.ndarray:
        # A running total read at each household's last person is much faster
        # than reduceat over many tiny segments.
        running = np.cumsum(person_values, dtype=np.int64)
        ends = self.population.ends
        assert ends is not None
        totals = running[ends]
        totals[1:] -= running[ends[:-1]]
        return totals

    def count(self, person_mask: np.ndarray) -> np.ndarray:
        if self.population.starts is not None:
            return self._contiguous_sum(person_mask)
        return np.bincount(
            self.population.person_household,
            weights=person_mask.astype(np.int64),
            minlength=self.population.n_households,
        ).astype(np.int64)

    def any(self, person_mask: np.ndarray) -> np.ndarray:
        return self.count(person_mask) > 0

    def where_persons(self, mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Keep a person's money value where mask holds, zero elsewhere."""
        if not self.exact:
            return values * mask
        return np.where(mask, values, self.zero_like(values))

    def to_persons(self, household_values: np.ndarray) -> np.ndarray:
        return np.take(household_values, self.population.person_household)

    # trace

    def _record(self, variable: Variable, values: np.ndarray) -> None:
        if self.population.n_households == 0:
            return
        explanation = ""
        if variable.explain is not None:
            explanation = variable.explain(Explainer(self)) or ""
        if variable.entity == HOUSEHOLD:
            shown = format_value(variable, values[0])
        else:
            members = values[self.population.person_household == 0]
            shown = ", ".join(format_value(variable, v) for v in members)
        self.trace.append(
            TraceStep(
                variable=variable.name,
                label=variable.label,
                value=shown,
                explanation=explanation,
                reference=variable.reference,
                parameters=self._used.get(variable.name, []),
            )
        )


def calculate(
    system: TaxBenefitSystem,
    population: Population,
    date: datetime.date,
    names: list[str],
    *,
    choices: dict[str, str] | None = None,
    chunk_households: int = 1 << 16,
    threads: int = 1,
) -> dict[str, np.ndarray]:
    """Evaluate variables for a large population in chunks, on several threads.

    Chunks keep the arrays of one evaluation within the processor's cache.
    NumPy releases the interpreter lock in its loops, so with `threads` > 1
    chunks run in parallel. Results equal those of one whole simulation.
    """
    from concurrent.futures import ThreadPoolExecutor

    parts = population.chunks(chunk_households)

    def run(part: Population) -> dict[str, np.ndarray]:
        simulation = Simulation(system, part, date, choices=choices)
        return {name: simulation(name) for name in names}

    workers = min(threads, len(parts))
    if workers <= 1:
        results = [run(part) for part in parts]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run, parts))
    return {name: np.concatenate([r[name] for r in results]) for name in names}


class Explainer:
    """Read values of the first household while writing its explanation."""

    def __init__(self, simulation: Simulation):
        self.s = simulation

    def __call__(self, name: str):
        values = self.s(name)
        variable = self.s.system[name]
        if variable.entity == HOUSEHOLD:
            value = values[0]
            if variable.value_type == "enum":
                return variable.choices[int(value)]
            return value.item() if hasattr(value, "item") else value
        members = values[self.s.population.person_household == 0]
        return list(members)

    def applicant(self, name: str, role: str = "aanvrager"):
        """A person variable's value for the first person with the role."""
        roles = self("rol")
        code = self.s.system["rol"].code(role)
        values = self(name)
        return values[roles.index(code)] if code in roles else values[0]

    def eur(self, name: str) -> str:
        return format_eur(self(name))

    def param(self, name: str):
        return self.s.system.parameters[name].value_at(self.s.date)


def format_eur(amount) -> str:
    """Format an amount the Flemish way.

    >>> format_eur(Decimal("15770.41"))
    '€ 15.770,41'
    """
    amount = _to_money(amount)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{cents}"


def percent(ratio: Decimal) -> str:
    """Format a ratio as a Dutch percentage.

    >>> percent(Decimal("0.06"))
    '6 %'
    """
    return f"{(ratio * 100).normalize():f}".replace(".", ",") + " %"


def format_value(variable: Variable, value) -> str:
    if variable.value_type == "geld":
        return format_eur(value)
    if variable.value_type == "bool":
        return "ja" if value else "nee"
    if variable.value_type == "enum":
        return variable.choices[int(value)]
    return str(value)
