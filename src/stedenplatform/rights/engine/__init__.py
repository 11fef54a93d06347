"""A small rules-as-code engine: entities, variables with formulas, dated
parameters with their legal reference, and two ways to evaluate them.

The same formulas run in two modes. The exact mode keeps money as `Decimal`
and writes a Dutch trace of every rule it applied; it serves the advice for
one household. The fast mode keeps money as whole cents in NumPy `int64`
arrays and evaluates a whole population at once; it serves screening and
benchmarks. Rounding goes through the simulation (`rate`, `divide`), which
rounds half up to the cent in both modes, so both give the same amounts.
"""

from .core import (
    HOUSEHOLD,
    PERSON,
    EngineError,
    Entity,
    Population,
    Simulation,
    TaxBenefitSystem,
    TraceStep,
    Variable,
    calculate,
)
from .parameters import Parameter, ParameterSet, ParameterValue, load_parameters

__all__ = [
    "HOUSEHOLD",
    "PERSON",
    "EngineError",
    "Entity",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "Population",
    "Simulation",
    "TaxBenefitSystem",
    "TraceStep",
    "Variable",
    "calculate",
    "load_parameters",
]
