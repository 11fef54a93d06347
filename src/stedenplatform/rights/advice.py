"""Automatic leefloon advice from the data a case worker can obtain.

The input is a household as JSON (see `advice_schema()`, the shape of the
data the Kruispuntbank van de Sociale Zekerheid and the applicant provide).
A fact that is absent or `null` is unknown. The advice tries every value an
unknown fact could take: when all of them lead to the same decision and
amount, the advice is given; otherwise it is "onvoldoende gegevens" and names
the facts that change the outcome, with why they matter. Nothing of the
household is stored or logged.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from stedenplatform.core.errors import InputRefusedError, Problem

from .engine import Population, Simulation
from .engine.core import format_eur
from .leefloon import (
    CONDITIONS,
    EARLIEST_DATE,
    RESIDENCE,
    ROLES,
    get_system,
    simulate_case,
)

logger = logging.getLogger(__name__)

MAX_COMBINATIONS = 4096
USUALLY_TRUE = {
    "verblijft_in_belgie",
    "werkbereid",
    "andere_rechten_uitgeput",
    "gpmi_akkoord",
    "gemeenschappelijke_huishouding",
}
MARCH_2026 = datetime.date(2026, 3, 1)
LARGE_AMOUNT = Decimal("1000000")

TOEKENNEN, WEIGEREN, ONVOLDOENDE = "toekennen", "weigeren", "onvoldoende gegevens"

# Applicant facts: (field, label, why it matters).
APPLICANT_FACTS = [
    (
        "verblijft_in_belgie",
        "Werkelijke verblijfplaats in België",
        "Zonder werkelijke verblijfplaats in België is er geen recht "
        "(RMI-wet art. 3, 1°).",
    ),
    (
        "ontvoogd_door_huwelijk",
        "Ontvoogd door huwelijk",
        "Een minderjarige heeft alleen recht als hij ontvoogd is door huwelijk, "
        "zwanger is of een kind ten laste heeft (RMI-wet art. 7).",
    ),
    (
        "zwanger",
        "Zwanger",
        "Een minderjarige heeft alleen recht als hij ontvoogd is door huwelijk, "
        "zwanger is of een kind ten laste heeft (RMI-wet art. 7).",
    ),
    (
        "werkbereid",
        "Bereid om te werken",
        "Werkbereidheid is een voorwaarde, tenzij gezondheid of billijkheid het "
        "verhinderen (RMI-wet art. 3, 5°).",
    ),
    (
        "werkbereidheid_vrijgesteld",
        "Vrijgesteld van werkbereidheid",
        "Wie niet werkbereid is, behoudt het recht alleen bij gezondheids- of "
        "billijkheidsredenen (RMI-wet art. 3, 5°).",
    ),
    (
        "andere_rechten_uitgeput",
        "Andere uitkeringen aangesproken",
        "Rechten op andere uitkeringen gaan voor (RMI-wet art. 3, 6°).",
    ),
    (
        "gpmi_akkoord",
        "Akkoord met GPMI of tewerkstelling",
        "Onder 25 jaar hoort een GPMI of tewerkstelling bij het recht "
        "(RMI-wet art. 6 en 11).",
    ),
    (
        "dakloos",
        "Dakloos",
        "Een dakloze geldt als alleenstaande (categorie 2), ook als hij ergens "
        "inwoont.",
    ),
    (
        "socio_professionele_vrijstelling",
        "Recht op socio-professionele vrijstelling",
        "Bepaalt of een deel van het loon niet meetelt (KB 11 juli 2002, art. 35).",
    ),
]
HOUSEHOLD_FACTS = [
    (
        "gemeenschappelijke_huishouding",
        "Gemeenschappelijke huishouding",
        "Wie met anderen woont en de huishouding gemeenschappelijk regelt, is "
        "samenwonende (categorie 1); anders alleenstaande (RMI-wet art. 14 §1).",
    ),
    (
        "ocmw_rekent_onderhoudsplichtigen",
        "OCMW rekent onderhoudsplichtigen mee",
        "Het OCMW beslist of de inkomsten van onderhoudsplichtige huisgenoten "
        "meetellen (KB 11 juli 2002, art. 34 §2).",
    ),
]
APPLICANT_HOUSEHOLD_FIELDS = {name for name, _, _ in APPLICANT_FACTS} | {
    "verblijfsstatus"
}
INCOME_FACTS = [
    ("beroepsinkomen", "Netto inkomsten uit arbeid per jaar"),
    ("vervangingsinkomen", "Uitkeringen en pensioenen per jaar"),
    ("onderhoudsgeld", "Onderhoudsgeld voor zichzelf per jaar"),
    ("andere_inkomsten", "Andere inkomsten per jaar"),
    ("roerend_kapitaal", "Spaargeld en roerend kapitaal"),
    ("ki_eigen_woning", "Kadastraal inkomen eigen woning"),
    ("ki_onbebouwd", "Kadastraal inkomen onbebouwde grond"),
    ("kinderbijslag_voor_aanvrager", "Kinderbijslag ontvangen voor de aanvrager"),
]
EXEMPT_INCOME = [
    ("kinderbijslag", "Kinderbijslag ontvangen voor een kind"),
    ("onderhoudsgeld_voor_kind", "Onderhoudsgeld ontvangen voor een kind"),
    ("studiebeurs", "Studiebeurs"),
    ("giften", "Occasionele giften"),
    ("vrijwilligersvergoeding", "Vrijwilligersvergoeding"),
]
INCOME_WHY = (
    "Alle bestaansmiddelen tellen mee, behalve de vrijgestelde "
    "(KB 11 juli 2002, art. 22 tot 35); het bedrag bepaalt of er recht is "
    "en hoeveel."
)
COHABITANT_ROLES = [r for r in ROLES if r != "aanvrager"]
ROLE_LABELS = {
    "aanvrager": "aanvrager",
    "partner": "partner",
    "kind": "ongehuwd kind",
    "ouder": "ouder",
    "meerderjarig_kind": "meerderjarig kind",
    "andere_onderhoudsplichtige": (
        "andere onderhoudsplichtige (grootouder, kleinkind, schoonouder, ex-echtgenoot)"
    ),
    "andere": "andere huisgenoot (broer, zus, vriend)",
}
RESIDENCE_LABELS = {
    "belg": "Belg",
    "eu_burger": "EU-burger of familielid, verblijf langer dan drie maanden",
    "eu_burger_eerste_drie_maanden": "EU-burger, eerste drie maanden",
    "bevolkingsregister": "vreemdeling in het bevolkingsregister",
    "erkend_vluchteling": "erkend vluchteling",
    "staatloze": "staatloze",
    "andere": "andere verblijfsstatus",
}


def describe_field(problem: Problem) -> str:
    """A problem of the household input, naming the field (not a column)."""
    text = (f"veld '{problem.column}': " if problem.column else "") + problem.message
    if problem.value is not None and problem.value != "":
        text += f" (waarde: {problem.value!r})"
    if problem.allowed:
        text += f"; toegelaten: {problem.allowed}"
    return text


class HouseholdRefusedError(InputRefusedError):
    """The household input refused; its problems name fields of the JSON."""

    def __post_init__(self):
        self.code = "huishouden_geweigerd"
        super().__post_init__()
        count = len(self.problems)
        noun = "probleem" if count == 1 else "problemen"
        shown = "\n".join("- " + describe_field(p) for p in self.problems[:50])
        self.message = (
            f"{self.source} is niet beoordeeld: {count} {noun} gevonden, er is niets "
            f"bewaard.\n{shown}"
        )
        self.args = (self.message,)


def _money_schema(description: str) -> dict:
    return {
        "type": ["number", "string", "null"],
        "minimum": 0,
        "description": description + " (euro, netto; leeg of null = onbekend)",
    }


def _income_schema() -> dict:
    properties = {name: _money_schema(label) for name, label in INCOME_FACTS}
    properties.update(
        {name: _money_schema(label + " (vrijgesteld)") for name, label in EXEMPT_INCOME}
    )
    return {"type": "object", "additionalProperties": False, "properties": properties}


def advice_schema() -> dict:
    """The JSON Schema of the advice input."""
    flag = {"type": ["boolean", "null"]}
    person_common = {
        "geboortedatum": {
            "type": ["string", "null"],
            "format": "date",
            "description": "Geboortedatum (JJJJ-MM-DD)",
        },
        "leeftijd": {
            "type": ["integer", "null"],
            "minimum": 0,
            "maximum": 130,
            "description": "Leeftijd, als de geboortedatum niet gekend is",
        },
        "inkomsten": _income_schema(),
    }
    applicant = dict(person_common)
    applicant["verblijfsstatus"] = {
        "type": ["string", "null"],
        "enum": [*RESIDENCE, None],
    }
    for name, label, why in APPLICANT_FACTS:
        applicant[name] = {**flag, "description": f"{label}. {why}"}
    cohabitant = dict(person_common)
    cohabitant["rol"] = {"type": "string", "enum": COHABITANT_ROLES}
    cohabitant["ontvangt_leefloon"] = {**flag, "description": "Ontvangt zelf leefloon"}
    properties = {
        "datum": {
            "type": "string",
            "format": "date",
            "description": f"Datum van de aanvraag, vanaf {EARLIEST_DATE}",
        },
        "aanvrager": {
            "type": "object",
            "additionalProperties": False,
            "properties": applicant,
        },
        "huisgenoten": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rol"],
                "properties": cohabitant,
            },
        },
        "lezingen": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Gekozen lezing per parameter van het type keuze",
        },
    }
    for name, label, why in HOUSEHOLD_FACTS:
        properties[name] = {**flag, "description": f"{label}. {why}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stedenplatform.be/schemas/leefloon-advies.json",
        "title": "Huishouden voor een leefloonadvies",
        "type": "object",
        "additionalProperties": False,
        "required": ["datum", "aanvrager"],
        "properties": properties,
    }


@dataclass(frozen=True)
class Unknown:
    """One fact that is not known, with the values it could take.

    The explanation shows the case with every unknown fact at its usual
    value (`assumed`: the first candidate); the decision itself tries them all.
    """

    path: str
    label: str
    why: str
    candidates: tuple

    @property
    def assumed(self):
        return self.candidates[0]


@dataclass
class Household:
    date: datetime.date
    case: dict
    unknowns: list[Unknown]
    choices: dict


def _parse_amount(raw, path: str, problems: list[Problem]):
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        problems.append(
            Problem(
                "geen bedrag",
                column=path,
                value=raw,
                allowed="een bedrag van 0 of meer",
                code="geen_bedrag",
            )
        )
        return None
    try:
        amount = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        problems.append(
            Problem(
                "geen bedrag",
                column=path,
                value=raw,
                allowed="een bedrag van 0 of meer",
                code="geen_bedrag",
            )
        )
        return None
    if not amount.is_finite():
        problems.append(
            Problem(
                "geen bedrag",
                column=path,
                value=raw,
                allowed="een bedrag van 0 of meer",
                code="geen_bedrag",
            )
        )
        return None
    if amount < 0:
        problems.append(
            Problem(
                "een bedrag kan niet negatief zijn",
                column=path,
                value=raw,
                allowed="een bedrag van 0 of meer",
                code="bedrag_negatief",
            )
        )
        return None
    return amount


def _parse_flag(raw, path: str, problems: list[Problem]):
    if raw is None or isinstance(raw, bool):
        return raw
    problems.append(
        Problem(
            "geen ja/nee-waarde",
            column=path,
            value=raw,
            allowed="true, false of null (onbekend)",
            code="geen_janee",
        )
    )
    return None


def _age(person: dict, date: datetime.date, path: str, problems: list[Problem]):
    birth = person.get("geboortedatum")
    if birth:
        try:
            born = datetime.date.fromisoformat(str(birth))
        except ValueError:
            problems.append(
                Problem(
                    "geen geldige datum",
                    column=f"{path}.geboortedatum",
                    value=birth,
                    allowed="JJJJ-MM-DD",
                    code="datum_ongeldig",
                )
            )
            return None
        if born > date:
            problems.append(
                Problem(
                    "geboortedatum ligt na de datum van de aanvraag",
                    column=f"{path}.geboortedatum",
                    value=birth,
                    code="datum_ongeldig",
                )
            )
            return None
        return date.year - born.year - ((date.month, date.day) < (born.month, born.day))
    age = person.get("leeftijd")
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        problems.append(
            Problem(
                "geen geldige leeftijd",
                column=f"{path}.leeftijd",
                value=age,
                allowed="een geheel getal van 0 tot 130",
                code="leeftijd_ongeldig",
            )
        )
        return None
    return age


def _check_keys(data: dict, allowed: set[str], path: str, problems: list[Problem]):
    for key in sorted(set(data) - allowed):
        problems.append(
            Problem(
                "onbekend veld",
                column=f"{path}.{key}".lstrip("."),
                value=key,
                allowed=", ".join(sorted(allowed)),
                code="veld_onbekend",
            )
        )


def parse_household(data) -> Household:
    """Validate the input; raise InputRefusedError listing every problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise HouseholdRefusedError(
            "Het huishouden",
            [Problem("de invoer moet een JSON-object zijn", code="geen_object")],
        )
    schema = advice_schema()
    _check_keys(data, set(schema["properties"]), "", problems)
    try:
        date = datetime.date.fromisoformat(str(data.get("datum")))
    except ValueError:
        problems.append(
            Problem(
                "geen geldige datum",
                column="datum",
                value=data.get("datum"),
                allowed="JJJJ-MM-DD",
                code="datum_ongeldig",
            )
        )
        date = None
    if date is not None and date < EARLIEST_DATE:
        problems.append(
            Problem(
                "de datum ligt vóór 1 juni 2017; de bedragen van het leefloon zijn "
                "opgenomen vanaf de indexering van 1 juni 2017",
                column="datum",
                value=str(date),
                allowed="een datum vanaf 2017-06-01",
                code="datum_te_vroeg",
            )
        )
    applicant = data.get("aanvrager")
    if not isinstance(applicant, dict):
        problems.append(
            Problem(
                "de aanvrager ontbreekt", column="aanvrager", code="aanvrager_ontbreekt"
            )
        )
        applicant = {}
    cohabitants = data.get("huisgenoten") or []
    if not isinstance(cohabitants, list):
        problems.append(
            Problem("moet een lijst zijn", column="huisgenoten", code="geen_lijst")
        )
        cohabitants = []
    choices = data.get("lezingen") or {}
    system = get_system()
    for name, value in choices.items():
        try:
            parameter = system.parameters[name]
        except Exception:
            problems.append(
                Problem(
                    "onbekende parameter",
                    column=f"lezingen.{name}",
                    value=name,
                    code="lezing_onbekend",
                )
            )
            continue
        if value not in parameter.allowed:
            problems.append(
                Problem(
                    "onbekende lezing",
                    column=f"lezingen.{name}",
                    value=value,
                    allowed=", ".join(parameter.allowed),
                    code="lezing_onbekend",
                )
            )
    if date is None:
        raise HouseholdRefusedError("Het huishouden", problems)

    unknowns: list[Unknown] = []
    household: dict = {}
    for name, label, why in HOUSEHOLD_FACTS:
        value = _parse_flag(data.get(name), name, problems)
        if value is None:
            unknowns.append(Unknown(name, label, why, _flag_candidates(name)))
        household[name] = value
    app_props = schema["properties"]["aanvrager"]["properties"]
    _check_keys(applicant, set(app_props), "aanvrager", problems)
    for name, label, why in APPLICANT_FACTS:
        value = _parse_flag(applicant.get(name), f"aanvrager.{name}", problems)
        if value is None:
            unknowns.append(
                Unknown(f"aanvrager.{name}", label, why, _flag_candidates(name))
            )
        household[name] = value
    status = applicant.get("verblijfsstatus")
    if status is None:
        unknowns.append(
            Unknown(
                "aanvrager.verblijfsstatus",
                "Nationaliteit of verblijfsstatus",
                "Alleen Belgen, EU-burgers met meer dan drie maanden verblijf, "
                "vreemdelingen in het bevolkingsregister, erkende vluchtelingen en "
                "staatlozen hebben recht (RMI-wet art. 3, 3°).",
                ("belg", "andere"),
            )
        )
    elif status not in RESIDENCE:
        problems.append(
            Problem(
                "onbekende verblijfsstatus",
                column="aanvrager.verblijfsstatus",
                value=status,
                allowed=", ".join(RESIDENCE),
                code="waarde_onbekend",
            )
        )
    household["verblijfsstatus"] = status

    persons = []
    people = [("aanvrager", "aanvrager", applicant)] + [
        (f"huisgenoten[{i}]", p.get("rol") if isinstance(p, dict) else None, p)
        for i, p in enumerate(cohabitants)
    ]
    person_props = set(schema["properties"]["huisgenoten"]["items"]["properties"])
    for path, role, person in people:
        if not isinstance(person, dict):
            problems.append(
                Problem("moet een object zijn", column=path, code="geen_object")
            )
            continue
        if path != "aanvrager":
            _check_keys(person, person_props, path, problems)
            if role not in COHABITANT_ROLES:
                problems.append(
                    Problem(
                        "onbekende rol",
                        column=f"{path}.rol",
                        value=role,
                        allowed=", ".join(COHABITANT_ROLES),
                        code="rol_onbekend",
                    )
                )
                continue
        row = {"rol": role}
        age = _age(person, date, path, problems)
        if age is None and not any(
            p.column and p.column.startswith(path + ".") for p in problems
        ):
            unknowns.append(
                Unknown(
                    f"{path}.geboortedatum",
                    f"Geboortedatum ({ROLE_LABELS[str(role)]})",
                    "De leeftijd bepaalt de meerderjarigheid, de GPMI-plicht onder "
                    "25 en of een kind ten laste is (RMI-wet art. 3, 7, 11 en 14).",
                    (30, 17, 20)
                    if path == "aanvrager"
                    else (10, 30)
                    if role == "kind"
                    else (30, 10),
                )
            )
        row["leeftijd"] = age
        incomes = person.get("inkomsten") or {}
        if not isinstance(incomes, dict):
            problems.append(
                Problem(
                    "moet een object zijn",
                    column=f"{path}.inkomsten",
                    code="geen_object",
                )
            )
            incomes = {}
        allowed_income = {n for n, _ in INCOME_FACTS} | {n for n, _ in EXEMPT_INCOME}
        _check_keys(incomes, allowed_income, f"{path}.inkomsten", problems)
        for name, label in INCOME_FACTS:
            if name == "kinderbijslag_voor_aanvrager" and path == "aanvrager":
                continue
            amount = _parse_amount(
                incomes.get(name), f"{path}.inkomsten.{name}", problems
            )
            if amount is None and incomes.get(name) in (None, ""):
                unknowns.append(
                    Unknown(
                        f"{path}.inkomsten.{name}",
                        f"{label} ({ROLE_LABELS[str(role)]})",
                        INCOME_WHY,
                        (Decimal("0"), LARGE_AMOUNT),
                    )
                )
            row[name] = amount
        exempt = Decimal("0")
        for name, _label in EXEMPT_INCOME:
            amount = _parse_amount(
                incomes.get(name), f"{path}.inkomsten.{name}", problems
            )
            exempt += amount or Decimal("0")
        row["vrijgestelde_inkomsten"] = exempt
        if path != "aanvrager":
            received = _parse_flag(
                person.get("ontvangt_leefloon"), f"{path}.ontvangt_leefloon", problems
            )
            if received is None and role == "partner":
                unknowns.append(
                    Unknown(
                        f"{path}.ontvangt_leefloon",
                        "Partner ontvangt zelf leefloon",
                        "Het inkomen van een partner die zelf leefloon ontvangt, "
                        "telt niet mee (KB 11 juli 2002, art. 34).",
                        (False, True),
                    )
                )
            row["ontvangt_leefloon"] = received
        persons.append((path, row))
    if problems:
        raise HouseholdRefusedError("Het huishouden", problems)
    case = {
        "huishouden": household,
        "personen": [row for _, row in persons],
        "_paden": [path for path, _ in persons],
    }
    return Household(date=date, case=case, unknowns=unknowns, choices=choices)


def _assign(case: dict, unknown: Unknown, value) -> None:
    paths = case["_paden"]
    head, _, rest = unknown.path.partition(".")
    if head == "aanvrager" and rest in APPLICANT_HOUSEHOLD_FIELDS:
        case["huishouden"][rest] = value
    elif head in paths:
        person = case["personen"][paths.index(head)]
        if rest == "geboortedatum":
            person["leeftijd"] = value
        else:
            person[rest.split(".")[-1]] = value
    else:
        case["huishouden"][unknown.path] = value


def _concrete(case: dict) -> dict:
    """The engine's view of a case: persons and household without paths."""
    return {
        "huishouden": {k: v for k, v in case["huishouden"].items() if v is not None},
        "personen": [
            {k: v for k, v in p.items() if v is not None} for p in case["personen"]
        ],
    }


def _flag_candidates(name: str) -> tuple[bool, bool]:
    """Yes/no candidates, the usual value of the fact first."""
    return (True, False) if name in USUALLY_TRUE else (False, True)


def _base_case(household: Household) -> dict:
    case = {
        "huishouden": dict(household.case["huishouden"]),
        "personen": [dict(p) for p in household.case["personen"]],
        "_paden": household.case["_paden"],
    }
    for unknown in household.unknowns:
        _assign(case, unknown, unknown.assumed)
    return case


def _evaluate(
    household: Household, grid: list[tuple], unknowns: list[Unknown]
) -> list[tuple]:
    """Outcome (right, category, monthly cents) per combination, vectorised."""
    cases = []
    for values in grid:
        case = _base_case(household)
        for unknown, value in zip(unknowns, values, strict=True):
            _assign(case, unknown, value)
        cases.append(_concrete(case))
    system = get_system()
    population = Population.from_cases(system, cases).to_fast()
    simulation = Simulation(
        system, population, household.date, choices=household.choices
    )
    rights = simulation("recht_op_leefloon")
    categories = simulation("categorie")
    monthly = simulation("leefloon_maandbedrag")
    return [
        (bool(r), int(c) if r else 0, int(m))
        for r, c, m in zip(rights, categories, monthly, strict=True)
    ]


def _size(unknowns: list[Unknown]) -> int:
    return int(np.prod([len(u.candidates) for u in unknowns], dtype=np.int64))


def _decide(household: Household) -> tuple[str, list[Unknown], list[tuple]]:
    """Decide, and name the unknown facts that change the outcome.

    When every combination of the unknown values can be evaluated (at most
    MAX_COMBINATIONS), all of them are, so the decision holds whatever the
    true values are. Otherwise the unknowns are varied alone and in pairs
    around the assumed case; those that change something there are combined
    in full, the others keep their assumed value.
    """
    unknowns = household.unknowns
    if _size(unknowns) <= MAX_COMBINATIONS:
        grid = list(itertools.product(*(u.candidates for u in unknowns)))
        return _conclude(unknowns, grid, _evaluate(household, grid, unknowns))

    sensitive = _sensitive(household)
    if not sensitive or _size(sensitive) > MAX_COMBINATIONS:
        base = tuple(u.assumed for u in unknowns)
        outcome = _evaluate(household, [base], unknowns)
        if not sensitive:
            return (TOEKENNEN if outcome[0][0] else WEIGEREN), [], outcome
        return ONVOLDOENDE, sensitive, outcome
    fixed = [u for u in unknowns if u not in sensitive]
    grid = [
        combo + tuple(u.assumed for u in fixed)
        for combo in itertools.product(*(u.candidates for u in sensitive))
    ]
    outcomes = _evaluate(household, grid, sensitive + fixed)
    return _conclude(sensitive, [g[: len(sensitive)] for g in grid], outcomes)


def _sensitive(household: Household) -> list[Unknown]:
    """Unknowns whose value changes the outcome, alone or given one other.

    On each 2 x 2 square (fact i at a or assumed, fact j at b or assumed) a
    fact counts when moving it along its side changes the outcome.
    """
    unknowns = household.unknowns
    base = tuple(u.assumed for u in unknowns)
    singles = [(i, a) for i, u in enumerate(unknowns) for a in u.candidates[1:]]
    pairs = [
        (p, q) for n, p in enumerate(singles) for q in singles[n + 1 :] if p[0] != q[0]
    ]

    def vary(*changes) -> tuple:
        row = list(base)
        for position, value in changes:
            row[position] = value
        return tuple(row)

    variations = [base] + [vary(p) for p in singles] + [vary(p, q) for p, q in pairs]
    outcomes = _evaluate(household, variations, unknowns)
    at_base = outcomes[0]
    alone = dict(zip(singles, outcomes[1 : 1 + len(singles)], strict=True))
    marked = {p[0] for p in singles if alone[p] != at_base}
    for (p, q), outcome in zip(pairs, outcomes[1 + len(singles) :], strict=True):
        if outcome != alone[p]:
            marked.add(q[0])
        if outcome != alone[q]:
            marked.add(p[0])
    return [u for i, u in enumerate(unknowns) if i in marked]


def _conclude(unknowns: list[Unknown], grid: list[tuple], outcomes: list[tuple]):
    """The decision over a full grid, and the facts that change its outcome."""
    if len(set(outcomes)) == 1:
        return (TOEKENNEN if outcomes[0][0] else WEIGEREN), [], outcomes
    if not any(o[0] for o in outcomes):
        return WEIGEREN, [], outcomes
    index = dict(zip(grid, outcomes, strict=True))
    mattering = []
    for position, unknown in enumerate(unknowns):
        for values, outcome in index.items():
            if any(
                index[values[:position] + (c,) + values[position + 1 :]] != outcome
                for c in unknown.candidates
            ):
                mattering.append(unknown)
                break
    return ONVOLDOENDE, mattering, outcomes


def advise(data) -> dict:
    """Return the advice for a household given as JSON data."""
    household = parse_household(data)
    decision, missing, outcomes = _decide(household)

    base = _base_case(household)
    simulation = simulate_case(
        _concrete(base), household.date, choices=household.choices
    )
    values = {
        name: simulation(name)[0]
        for name in (
            "recht_op_leefloon",
            "categorie",
            "leefloon_maandbedrag",
            "leefloon_jaarbedrag",
            "aangerekende_middelen",
            "categoriebedrag",
        )
    }
    explained = [step for step in simulation.trace if step.explanation]
    failed = [
        step
        for step in explained
        if step.variable in CONDITIONS and step.value == "nee"
    ]
    references = []
    for step in explained:
        for reference in [step.reference, *(p["referentie"] for p in step.parameters)]:
            if reference and reference not in references:
                references.append(reference)
    logger.info(
        "leefloon advice given: decision=%s unknowns=%s missing=%s",
        decision,
        len(household.unknowns),
        len(missing),
    )
    amounts = sorted({o[2] for o in outcomes if o[0]})
    granted = decision == TOEKENNEN
    return {
        "advies": decision,
        "datum": household.date.isoformat(),
        "categorie": int(values["categorie"]) if granted else None,
        "bedrag_per_maand": str(values["leefloon_maandbedrag"]) if granted else None,
        "bedrag_per_jaar": str(values["leefloon_jaarbedrag"]) if granted else None,
        "hoogstens_per_maand": f"{Decimal(max(amounts)) / 100:.2f}"
        if decision == ONVOLDOENDE and amounts
        else None,
        "samenvatting": _summary(decision, values, failed, missing),
        "ontbrekende_gegevens": [
            {"veld": u.path, "omschrijving": u.label, "waarom": u.why} for u in missing
        ],
        "niet_vervulde_voorwaarden": [
            {"voorwaarde": s.label, "uitleg": s.explanation, "referentie": s.reference}
            for s in failed
        ]
        if decision == WEIGEREN
        else [],
        "uitleg": [s.as_dict() for s in explained],
        "juridische_referenties": references,
        "gebruikte_parameters": _parameters_used(explained),
        "aannames": [
            f"{u.label}: onbekend, voor de uitleg aangenomen als {_show(u.assumed)}"
            for u in household.unknowns
        ],
        "aandachtspunten": _attention(household, simulation, decision),
    }


def _parameters_used(steps) -> list[dict]:
    """Each parameter value the explanation relied on, once, with its source."""
    seen, used = set(), []
    for step in steps:
        for parameter in step.parameters:
            if parameter["parameter"] not in seen:
                seen.add(parameter["parameter"])
                used.append(parameter)
    return used


def _attention(household: Household, simulation, decision: str) -> list[str]:
    """Points the case worker should weigh that the rules cannot decide."""
    points = []
    if decision != WEIGEREN:
        points.append(
            "Het OCMW kan de aanvrager vragen eerst onderhoudsgeld te vorderen van "
            "wie het verschuldigd is (RMI-wet art. 4 §2)."
        )
    if decision != WEIGEREN and simulation("leeftijd_aanvrager")[0] < 25:
        points.append(
            "Onder 25 jaar hoort een geïndividualiseerd project (GPMI) of een "
            "tewerkstelling bij het recht (RMI-wet art. 6 en 11)."
        )
    roles = set(simulation("rol"))
    system = simulation.system
    debtors = {
        system["rol"].code(r)
        for r in ("ouder", "meerderjarig_kind", "andere_onderhoudsplichtige")
    }
    if roles & debtors:
        reading = simulation.param("leefloon.samenwonenden.meetellen")
        points.append(
            "Er wonen onderhoudsplichtigen in: het OCMW beslist of hun inkomsten "
            "meetellen (KB 11 juli 2002, art. 34 §2). Gebruikte lezing: "
            f"'{reading}'"
            + (
                "; vanaf 1 maart 2026 verschillen de bronnen of meetellen verplicht "
                "wordt (KB 7 januari 2026)."
                if household.date >= MARCH_2026
                else "."
            )
        )
    return points


def _show(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return format_eur(value)
    return str(value)


def _summary(decision, values, failed, missing) -> str:
    if decision == TOEKENNEN:
        return (
            f"Toekennen: leefloon categorie {values['categorie']}, "
            f"{format_eur(values['leefloon_maandbedrag'])} per maand "
            f"({format_eur(values['leefloon_jaarbedrag'])} per jaar)."
        )
    if decision == WEIGEREN:
        if failed:
            return (
                "Weigeren: "
                + "; ".join(s.label.removeprefix("Voorwaarde: ") for s in failed)
                + " niet vervuld."
            )
        return (
            "Weigeren: onder geen enkele waarde van de ontbrekende gegevens is "
            "er recht."
        )
    return (
        f"Onvoldoende gegevens: {len(missing)} gegeven(s) bepalen nog of er recht is "
        "of hoeveel."
    )


def render_text(advice: dict) -> str:
    """The advice as readable text for the command line."""
    lines = [
        f"Advies: {advice['advies']} (datum {advice['datum']})",
        advice["samenvatting"],
        "",
    ]
    if advice["ontbrekende_gegevens"]:
        lines.append("Ontbrekende gegevens:")
        lines += [
            f"- {m['omschrijving']} ({m['veld']}): {m['waarom']}"
            for m in advice["ontbrekende_gegevens"]
        ]
        lines.append("")
    lines.append("Uitleg:")
    for step in advice["uitleg"]:
        lines.append(
            f"- {step['uitleg']} [{step['referentie']}]"
            if step["referentie"]
            else f"- {step['uitleg']}"
        )
    if advice["aandachtspunten"]:
        lines += ["", "Aandachtspunten:"] + [
            f"- {a}" for a in advice["aandachtspunten"]
        ]
    if advice["aannames"]:
        lines += ["", "Aannames voor de uitleg:"] + [
            f"- {a}" for a in advice["aannames"]
        ]
    lines += ["", "Juridische referenties:"] + [
        f"- {r}" for r in advice["juridische_referenties"]
    ]
    return "\n".join(lines)
