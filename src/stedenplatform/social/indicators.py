"""The DEMaD indicators, computed set-based in DuckDB over the Parquet files.

A leefloon spell is a run of months with leefloon in which a gap of at most
`max_gap_months` months without leefloon does not break the run; its
duration counts the months from its first to its last month, both included.
A spell ends in an exit when at least `exit_months` months without leefloon
follow it inside the data; otherwise it is censored. From the exits follow
the outflow to work, the lasting outflow to work and the re-inflow; from the
ends of youth care the take-up of leefloon. Only units whose whole follow-up
lies inside the data enter a rate, the others are counted as censored.

Everything is one SQL pipeline without row loops, so that it moves unchanged
to a distributed SQL engine. It returns the aggregates before disclosure
control; `disclosure.apply` makes them fit to leave the module.

Months are handled as integers `year * 12 + month - 1`, so that `m // 12` is
the calendar year and differences are numbers of months.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import duckdb
import pyarrow as pa

from stedenplatform.core.errors import InputRefusedError, Problem

logger = logging.getLogger(__name__)

TOTAL = "totaal"
ALL_CITIES = "centrumsteden"
BREAKDOWNS = ("totaal", "categorie", "leeftijd", "geslacht")


@dataclass(frozen=True)
class Parameters:
    """The definitions' parameters; the defaults are those agreed in DEMaD."""

    max_gap_months: int = 1
    exit_months: int = 2
    work_window: int = 3
    lasting_window: int = 6
    reinflow_window: int = 12
    youth_window: int = 12
    long_duration_1: int = 12
    long_duration_2: int = 24
    age_bounds: tuple[int, ...] = (18, 25, 35, 50, 65)
    exclude_left_censored: bool = True
    min_denominator: int = 10
    min_numerator: int = 5
    protect_complement: bool = True

    LIMITS = {
        "max_gap_months": (0, 6),
        "exit_months": (1, 12),
        "work_window": (1, 24),
        "lasting_window": (1, 36),
        "reinflow_window": (1, 60),
        "youth_window": (1, 60),
        "long_duration_1": (1, 120),
        "long_duration_2": (1, 240),
        "min_denominator": (1, 1000),
        "min_numerator": (1, 100),
    }

    LABELS = {
        "max_gap_months": "Maanden zonder leefloon die een periode niet onderbreken",
        "exit_months": "Maanden zonder leefloon na een periode voor een uitstroom",
        "work_window": "Maanden (vanaf de eerste maand zonder leefloon) waarin "
        "minstens "
        "één maand werk een uitstroom naar werk maakt",
        "lasting_window": "Maanden (vanaf de eerste maand zonder leefloon) die "
        "allemaal "
        "werk moeten tonen voor duurzame uitstroom",
        "reinflow_window": "Maanden na de laatste leefloonmaand waarbinnen een nieuwe "
        "periode als herinstroom telt",
        "youth_window": "Maanden na de maand waarin de jeugdhulp eindigde waarin "
        "leefloon als opname telt",
        "long_duration_1": "Eerste grens voor een lange periode (maanden, meer dan)",
        "long_duration_2": "Tweede grens voor een lange periode (maanden, meer dan)",
        "age_bounds": "Ondergrenzen van de leeftijdsgroepen bij de start van de "
        "periode",
        "exclude_left_censored": "Periodes die in de eerste maand van de gegevens al "
        "lopen, buiten instroom en duur laten (hun start is niet gekend)",
        "min_denominator": "Kleinste noemer (personen) die getoond mag worden",
        "min_numerator": "Kleinste teller (personen) boven 0 die getoond mag worden",
        "protect_complement": "Ook de rest (noemer min teller) van 1 tot de kleinste "
        "teller geheimhouden",
    }

    def __post_init__(self):
        problems = []
        for name, (low, high) in self.LIMITS.items():
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not (low <= value <= high)
            ):
                problems.append(
                    Problem(
                        "ongeldige parameter",
                        column=name,
                        value=value,
                        allowed=f"een geheel getal van {low} tot {high}",
                        code="parameter",
                    )
                )
        bounds = self.age_bounds
        if (
            not bounds
            or any(isinstance(b, bool) or not isinstance(b, int) for b in bounds)
            or list(bounds) != sorted(set(bounds))
            or bounds[0] < 0
            or bounds[-1] > 120
        ):
            problems.append(
                Problem(
                    "ongeldige leeftijdsgrenzen",
                    column="age_bounds",
                    value=bounds,
                    allowed="stijgende gehele getallen van 0 tot 120, "
                    "bv. 18, 25, 35, 50, 65",
                    code="parameter",
                )
            )
        if problems:
            raise InputRefusedError(source="De parameters", problems=problems)

    @classmethod
    def from_dict(cls, data: dict | None) -> "Parameters":
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputRefusedError(
                source="De parameters",
                problems=[
                    Problem(
                        "onbekende parameter",
                        column=name,
                        allowed=", ".join(sorted(known)),
                        code="parameter",
                    )
                    for name in unknown
                ],
            )
        if "age_bounds" in data:
            data["age_bounds"] = tuple(data["age_bounds"])
        return cls(**data)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["age_bounds"] = list(self.age_bounds)
        return data

    def described(self) -> list[tuple[str, str, object]]:
        """(name, Dutch label, value) for the method section of the report."""
        rows = []
        for name, value in self.as_dict().items():
            if isinstance(value, bool):
                value = "ja" if value else "nee"
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((name, self.LABELS[name], value))
        return rows

    def age_groups(self) -> list[str]:
        bounds = list(self.age_bounds)
        groups = [f"<{bounds[0]}"] if bounds[0] > 0 else []
        for low, high in zip(bounds, bounds[1:], strict=False):
            groups.append(f"{low}-{high - 1}")
        groups.append(f"{bounds[-1]}+")
        return groups


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str  # count, percentage, median
    unit: str
    decimals: int
    breakdowns: tuple[str, ...]
    numerator_label: str = ""
    denominator_label: str = ""

    def title(self, p: Parameters) -> str:
        """The name with the parameters it depends on filled in."""
        return self.name.format(**p.as_dict())

    def definition(self, p: Parameters) -> str:
        return DEFINITIONS[self.code](p)


ALL_BREAKDOWNS = ("totaal", "categorie", "leeftijd", "geslacht")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "demad_instroom",
        "Instroom in het leefloon",
        "count",
        "periodes",
        0,
        ALL_BREAKDOWNS,
        "nieuwe leefloonperiodes",
    ),
    Indicator(
        "demad_duur_mediaan",
        "Mediane duur van een leefloonperiode",
        "median",
        "maanden",
        1,
        ALL_BREAKDOWNS,
        "",
        "beëindigde periodes",
    ),
    Indicator(
        "demad_duur_lang_1",
        "Aandeel leefloonperiodes langer dan {long_duration_1} maanden",
        "percentage",
        "%",
        1,
        ALL_BREAKDOWNS,
        "lange periodes",
        "beëindigde periodes",
    ),
    Indicator(
        "demad_duur_lang_2",
        "Aandeel leefloonperiodes langer dan {long_duration_2} maanden",
        "percentage",
        "%",
        1,
        ALL_BREAKDOWNS,
        "lange periodes",
        "beëindigde periodes",
    ),
    Indicator(
        "demad_uitstroom_werk",
        "Uitstroom naar werk",
        "percentage",
        "%",
        1,
        ALL_BREAKDOWNS,
        "uitstromen naar werk",
        "uitstromen met volledige opvolging",
    ),
    Indicator(
        "demad_uitstroom_duurzaam",
        "Duurzame uitstroom naar werk",
        "percentage",
        "%",
        1,
        ALL_BREAKDOWNS,
        "duurzame uitstromen naar werk",
        "uitstromen met volledige opvolging",
    ),
    Indicator(
        "demad_herinstroom",
        "Herinstroom in het leefloon",
        "percentage",
        "%",
        1,
        ALL_BREAKDOWNS,
        "uitstromen gevolgd door herinstroom",
        "uitstromen met volledige opvolging",
    ),
    Indicator(
        "demad_jeugdhulp_leefloon",
        "Leefloon na het einde van de jeugdhulp",
        "percentage",
        "%",
        1,
        ("totaal", "geslacht"),
        "jongeren met leefloon",
        "jongeren met einde jeugdhulp en volledige opvolging",
    ),
)
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}
INDEX = {i.code: n for n, i in enumerate(INDICATORS)}

DEFINITIONS = {
    "demad_instroom": lambda p: (
        "Aantal leefloonperiodes dat in het jaar begint. Een periode is een reeks "
        f"maanden met leefloon; {p.max_gap_months} maand(en) zonder leefloon "
        "onderbreken ze niet."
        + (
            " Periodes die in de eerste maand van de gegevens al lopen, tellen niet "
            "mee."
            if p.exclude_left_censored
            else ""
        )
    ),
    "demad_duur_mediaan": lambda p: (
        "Mediaan van de duur (van de eerste tot en met de laatste maand) van de "
        "periodes die in het jaar eindigen met een uitstroom: minstens "
        f"{p.exit_months} maanden zonder leefloon. Het jaar is dat van de eerste "
        "maand zonder leefloon."
    ),
    "demad_duur_lang_1": lambda p: (
        f"Aandeel van de in het jaar beëindigde periodes dat meer dan "
        f"{p.long_duration_1} maanden duurde."
    ),
    "demad_duur_lang_2": lambda p: (
        f"Aandeel van de in het jaar beëindigde periodes dat meer dan "
        f"{p.long_duration_2} maanden duurde."
    ),
    "demad_uitstroom_werk": lambda p: (
        "Aandeel van de uitstromen in het jaar waarbij de persoon aan het werk is in "
        f"minstens één van de {p.work_window} maanden vanaf de eerste maand zonder "
        "leefloon. Alleen uitstromen waarvan die maanden in de tewerkstellingsgegevens "
        "liggen, tellen mee; de andere zijn gecensureerd."
    ),
    "demad_uitstroom_duurzaam": lambda p: (
        "Aandeel van de uitstromen in het jaar waarbij de persoon aan het werk is in "
        f"elk van de {p.lasting_window} maanden vanaf de eerste maand zonder leefloon "
        "(met dezelfde regel voor volledige opvolging)."
    ),
    "demad_herinstroom": lambda p: (
        "Aandeel van de uitstromen in het jaar gevolgd door een nieuwe periode die "
        f"begint binnen {p.reinflow_window} maanden na de laatste maand van de vorige. "
        "Alleen uitstromen met die maanden volledig in de gegevens tellen mee."
    ),
    "demad_jeugdhulp_leefloon": lambda p: (
        "Aandeel van de jongeren van wie de jeugdhulp in het jaar eindigde, met "
        f"minstens één maand leefloon in de {p.youth_window} maanden na de maand "
        "waarin de jeugdhulp eindigde. Alleen jongeren met die maanden volledig in de "
        "leefloongegevens tellen mee."
    ),
}

EMPTY_SCHEMAS = {
    "leefloon": "ocmw VARCHAR, pseudoniem VARCHAR, maand DATE, categorie UTINYINT, "
    "bedrag DECIMAL(12, 2)",
    "tewerkstelling": "ocmw VARCHAR, pseudoniem VARCHAR, maand DATE, werk BOOLEAN",
    "personen": "ocmw VARCHAR, pseudoniem VARCHAR, geboortemaand DATE, "
    "geslacht VARCHAR",
    "jeugdhulp": "ocmw VARCHAR, pseudoniem VARCHAR, maand_einde DATE",
}


def _source(connection, dataset: str, paths: Iterable[Path]) -> None:
    names = [str(p) for p in paths]
    if names:
        listed = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
        connection.execute(
            f"CREATE OR REPLACE TEMP VIEW raw_{dataset} AS "
            f"SELECT * FROM read_parquet([{listed}], union_by_name = true)"
        )
    else:
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_{dataset} ({EMPTY_SCHEMAS[dataset]})"
        )


def _age_group_sql(p: Parameters) -> str:
    """The index (1-based) of the age group in `p.age_groups()`, 0 if unknown."""
    bounds = list(p.age_bounds)
    parts = ["CASE WHEN s.birth_m IS NULL THEN 0"]
    index = 1
    if bounds[0] > 0:
        parts.append(f"WHEN s.age < {bounds[0]} THEN {index}")
        index += 1
    for high in bounds[1:]:
        parts.append(f"WHEN s.age < {high} THEN {index}")
        index += 1
    parts.append(f"ELSE {index} END::UTINYINT")
    return " ".join(parts)


_BREAKDOWN_SQL = """
    CASE WHEN grouping(categorie) = 0 THEN 'categorie'
         WHEN grouping(leeftijd) = 0 THEN 'leeftijd'
         WHEN grouping(geslacht) = 0 THEN 'geslacht'
         ELSE 'totaal' END AS breakdown,
    CASE WHEN grouping(categorie) = 0 THEN categorie::VARCHAR
         WHEN grouping(leeftijd) = 0 THEN {age_labels}[leeftijd + 1]
         WHEN grouping(geslacht) = 0 THEN geslacht
         ELSE 'totaal' END AS grp"""


def _grouping_sets(extra: str = "") -> str:
    """Every city and all cities together, in total and per breakdown."""
    tail = f", {extra}" if extra else ""
    sets = []
    for place in ("ind, ocmw, year", "ind, year"):
        for breakdown in ("", ", categorie", ", leeftijd", ", geslacht"):
            sets.append(f"({place}{breakdown}{tail})")
    return "GROUPING SETS (" + ", ".join(sets) + ")"


def pipeline_sql(p: Parameters) -> list[str]:
    """The statements of the pipeline, in order; the last one returns the result."""
    month = "(year({c}) * 12 + month({c}) - 1)::INTEGER"
    follow = max(p.work_window, p.lasting_window)
    excluded = "s.left_censored" if p.exclude_left_censored else "false"
    labels = ", ".join(f"'{label}'" for label in ["onbekend", *p.age_groups()])
    breakdown_sql = _BREAKDOWN_SQL.format(age_labels=f"[{labels}]")
    codes = ", ".join(f"'{i.code}'" for i in INDICATORS)
    ind = {c.removeprefix("demad_"): f"{n}::UTINYINT" for c, n in INDEX.items()}
    return [
        # One dense integer per person: pseudonyms are long texts, and the
        # windows below sort on the person.
        """CREATE OR REPLACE TEMP TABLE person_id AS
            SELECT ocmw, pseudoniem, (row_number() OVER ())::INTEGER AS p
            FROM (SELECT ocmw, pseudoniem FROM raw_leefloon
                  UNION SELECT ocmw, pseudoniem FROM raw_jeugdhulp)""",
        f"""CREATE OR REPLACE TEMP TABLE lf AS
            SELECT r.ocmw, i.p, {month.format(c="r.maand")} AS m, r.categorie
            FROM raw_leefloon r JOIN person_id i USING (ocmw, pseudoniem)""",
        """CREATE OR REPLACE TEMP TABLE lf_window AS
            SELECT ocmw, min(m) AS lf_start, max(m) AS lf_end FROM lf GROUP BY ocmw""",
        f"""CREATE OR REPLACE TEMP TABLE emp_window AS
            SELECT ocmw, min({month.format(c="maand")}) AS emp_start,
                   max({month.format(c="maand")}) AS emp_end
            FROM raw_tewerkstelling GROUP BY ocmw""",
        f"""CREATE OR REPLACE TEMP TABLE emp AS
            SELECT i.p, {month.format(c="r.maand")} AS m
            FROM raw_tewerkstelling r JOIN person_id i USING (ocmw, pseudoniem)
            WHERE r.werk""",
        f"""CREATE OR REPLACE TEMP TABLE person AS
            SELECT i.p, {month.format(c="r.geboortemaand")} AS birth_m, r.geslacht
            FROM raw_personen r JOIN person_id i USING (ocmw, pseudoniem)""",
        # A month starts a spell when more than the allowed gap precedes it,
        # and ends one when more than the gap follows it; only these boundary
        # months are kept, and each start pairs with the next end. The window
        # carries only narrow integers (person, month, category): the city
        # comes back from person_id for the far fewer spells.
        f"""CREATE OR REPLACE TEMP TABLE spell AS
            WITH marked AS (
                SELECT p, m, categorie,
                       coalesce(m - lag(m) OVER w - 1 > {p.max_gap_months}, true)
                           AS is_start,
                       coalesce(lead(m) OVER w - m - 1 > {p.max_gap_months}, true)
                           AS is_end
                FROM lf WINDOW w AS (PARTITION BY p ORDER BY m)
            ), boundary AS (
                SELECT p, m, categorie, is_start, is_end,
                       lead(m) OVER (PARTITION BY p ORDER BY m) AS next_boundary
                FROM marked WHERE is_start OR is_end
            )
            SELECT i.ocmw, b.p, b.m AS start_m,
                   CASE WHEN b.is_end THEN b.m ELSE b.next_boundary END AS end_m,
                   b.categorie
            FROM boundary b JOIN person_id i USING (p) WHERE b.is_start""",
        f"""CREATE OR REPLACE TEMP TABLE spell_facts AS
            WITH s AS (
                SELECT s.*, w.lf_start, w.lf_end, e.emp_start, e.emp_end, pe.birth_m,
                       coalesce(pe.geslacht, 'onbekend') AS geslacht,
                       lead(s.start_m) OVER sp AS next_start,
                       lag(s.start_m) OVER sp AS previous_start,
                       lag(s.end_m) OVER sp AS previous_end,
                       lead(s.end_m) OVER sp AS next_end,
                       (s.start_m - pe.birth_m) // 12 AS age
                FROM spell s
                JOIN lf_window w USING (ocmw)
                LEFT JOIN emp_window e USING (ocmw)
                LEFT JOIN person pe USING (p)
                WINDOW sp AS (PARTITION BY s.p ORDER BY s.start_m)
            )
            SELECT s.*, end_m - start_m + 1 AS duration,
                   coalesce(previous_start // 12 = start_m // 12
                            OR next_start // 12 = start_m // 12, false)
                       AS multi_start,
                   coalesce((previous_end + 1) // 12 = (end_m + 1) // 12
                            OR (next_end + 1) // 12 = (end_m + 1) // 12, false)
                       AS multi_exit,
                   start_m = lf_start AS left_censored,
                   CASE WHEN next_start IS NOT NULL
                        THEN next_start - end_m - 1 >= {p.exit_months}
                        ELSE end_m + {p.exit_months} <= lf_end END AS is_exit,
                   {_age_group_sql(p)} AS leeftijd
            FROM s""",
        f"""CREATE OR REPLACE TEMP TABLE exit_work AS
            SELECT s.p, s.start_m,
                   count(*) FILTER (WHERE e.m <= s.end_m + {p.work_window})
                       AS short_months,
                   count(*) FILTER (WHERE e.m <= s.end_m + {p.lasting_window})
                       AS lasting_months
            FROM spell_facts s
            JOIN emp e ON e.p = s.p AND e.m BETWEEN s.end_m + 1 AND s.end_m + {follow}
            WHERE s.is_exit
            GROUP BY s.p, s.start_m""",
        f"""CREATE OR REPLACE TEMP TABLE youth AS
            WITH j AS (
                SELECT j.ocmw, i.p, {month.format(c="j.maand_einde")} AS c,
                       coalesce(pe.geslacht, 'onbekend') AS geslacht, w.lf_end
                FROM raw_jeugdhulp j
                JOIN person_id i USING (ocmw, pseudoniem)
                LEFT JOIN person pe ON pe.p = i.p
                LEFT JOIN lf_window w ON w.ocmw = j.ocmw
            ), taken AS (
                SELECT j.p, j.c
                FROM j JOIN lf ON lf.p = j.p
                              AND lf.m BETWEEN j.c + 1 AND j.c + {p.youth_window}
                GROUP BY j.p, j.c
            )
            SELECT j.*, coalesce(j.c + {p.youth_window} <= j.lf_end, false) AS complete,
                   t.p IS NOT NULL AS took_up
            FROM j LEFT JOIN taken t USING (p, c)""",
        f"""CREATE OR REPLACE TEMP TABLE unit AS
            SELECT {ind["instroom"]} AS ind, ocmw, p,
                   start_m // 12 AS year,
                   categorie, leeftijd, geslacht,
                   true AS den, true AS num, false AS cens, NULL::DOUBLE AS v,
                   multi_start AS multi
            FROM spell_facts s WHERE NOT {excluded}
            UNION ALL
            SELECT {ind["duur_mediaan"]}, ocmw, p, (end_m + 1) // 12,
                   categorie,
                   leeftijd, geslacht, true, false, false, duration::DOUBLE, multi_exit
            FROM spell_facts s WHERE is_exit AND NOT {excluded}
            UNION ALL
            SELECT {ind["duur_lang_1"]}, ocmw, p, (end_m + 1) // 12,
                   categorie, leeftijd, geslacht,
                   true, duration > {p.long_duration_1}, false, NULL, multi_exit
            FROM spell_facts s WHERE is_exit AND NOT {excluded}
            UNION ALL
            SELECT {ind["duur_lang_2"]}, ocmw, p, (end_m + 1) // 12,
                   categorie, leeftijd, geslacht,
                   true, duration > {p.long_duration_2}, false, NULL, multi_exit
            FROM spell_facts s WHERE is_exit AND NOT {excluded}
            UNION ALL
            SELECT {ind["uitstroom_werk"]}, s.ocmw, s.p, (end_m + 1) // 12,
                   categorie, leeftijd, geslacht, complete,
                   complete AND coalesce(x.short_months, 0) >= 1, NOT complete, NULL,
                   multi_exit
            FROM (SELECT *, coalesce(end_m + 1 >= emp_start
                                     AND end_m + {p.work_window} <= emp_end, false)
                            AS complete
                  FROM spell_facts WHERE is_exit) s
            LEFT JOIN exit_work x USING (p, start_m)
            UNION ALL
            SELECT {ind["uitstroom_duurzaam"]}, s.ocmw, s.p, (end_m + 1) // 12,
                   categorie, leeftijd, geslacht, complete,
                   complete AND coalesce(x.lasting_months, 0) = {p.lasting_window},
                   NOT complete, NULL, multi_exit
            FROM (SELECT *, coalesce(end_m + 1 >= emp_start
                                     AND end_m + {p.lasting_window} <= emp_end, false)
                            AS complete
                  FROM spell_facts WHERE is_exit) s
            LEFT JOIN exit_work x USING (p, start_m)
            UNION ALL
            SELECT {ind["herinstroom"]}, ocmw, p, (end_m + 1) // 12,
                   categorie,
                   leeftijd, geslacht, complete,
                   complete
                   AND coalesce(next_start - end_m <= {p.reinflow_window}, false),
                   NOT complete, NULL, multi_exit
            FROM (SELECT *, end_m + {p.reinflow_window} <= lf_end AS complete
                  FROM spell_facts WHERE is_exit)
            UNION ALL
            SELECT {ind["jeugdhulp_leefloon"]}, ocmw, p, c // 12, NULL::UTINYINT,
                   NULL::UTINYINT, geslacht,
                   complete, complete AND took_up, NOT complete, NULL,
                   count(*) OVER (PARTITION BY p, c // 12) > 1
            FROM youth""",
        # Counts of units per group in one pass; persons differ from units only
        # for people with more than one unit in an indicator and year, so the
        # distinct persons are computed exactly on that small subset and
        # subtracted, instead of a costly count(DISTINCT) over every group.
        # The subset is the units flagged `multi`: a spell next to another
        # spell of the same person with the same year (spells are ordered, so
        # such spells are neighbours), a youth end next to another in its
        # year. The flag may include a unit that is alone in its group; it
        # then adds nothing to the excess.
        f"""CREATE OR REPLACE TEMP TABLE unit_count AS
            SELECT ind, ocmw, year, {breakdown_sql},
                   count(*) FILTER (WHERE num) AS numerator,
                   count(*) FILTER (WHERE den) AS denominator,
                   count(*) FILTER (WHERE den AND NOT num) AS rest,
                   count(*) FILTER (WHERE cens) AS censored,
                   median(v) FILTER (WHERE den) AS median_value
            FROM unit GROUP BY {_grouping_sets()}""",
        f"""CREATE OR REPLACE TEMP TABLE person_excess AS
            WITH dup AS (
                SELECT * FROM unit WHERE multi
            ), per_person AS (
                SELECT ind, ocmw, year, {breakdown_sql}, p,
                       count(*) FILTER (WHERE num) AS n_num,
                       count(*) FILTER (WHERE den) AS n_den,
                       count(*) FILTER (WHERE den AND NOT num) AS n_rest
                FROM dup GROUP BY {_grouping_sets("p")}
            )
            SELECT ind, ocmw, year, breakdown, grp,
                   sum(greatest(n_num - 1, 0)) AS x_num,
                   sum(greatest(n_den - 1, 0)) AS x_den,
                   sum(greatest(n_rest - 1, 0)) AS x_rest
            FROM per_person GROUP BY ALL""",
        f"""SELECT [{codes}][c.ind + 1] AS indicator,
                  coalesce(c.ocmw, 'centrumsteden') AS ocmw, c.year::BIGINT AS year,
                  c.breakdown, c.grp AS "group", c.numerator, c.denominator,
                  (c.numerator - coalesce(x.x_num, 0))::BIGINT AS num_persons,
                  (c.denominator - coalesce(x.x_den, 0))::BIGINT AS den_persons,
                  (c.rest - coalesce(x.x_rest, 0))::BIGINT AS rest_persons,
                  c.censored, c.median_value
           FROM unit_count c
           LEFT JOIN person_excess x
             ON x.ind = c.ind AND x.ocmw IS NOT DISTINCT FROM c.ocmw
            AND x.year = c.year AND x.breakdown = c.breakdown AND x.grp = c.grp
           WHERE c.grp IS NOT NULL
           ORDER BY 1, 2, 3, 4, 5""",
    ]


def run_pipeline(
    sources: Mapping[str, Iterable[Path]], p: Parameters, *, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Run every statement but the last; return the connection with its tables.

    The intermediate tables (`spell_facts`, `unit`, ...) stay readable on the
    connection, which lets tests and checks look at each spell.
    """
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute("SET preserve_insertion_order = false")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    for dataset in EMPTY_SCHEMAS:
        _source(connection, dataset, sources.get(dataset, []))
    for statement in pipeline_sql(p)[:-1]:
        connection.execute(statement)
    return connection


def compute(
    sources: Mapping[str, Iterable[Path]],
    parameters: Parameters | None = None,
    *,
    threads: int | None = None,
) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """Compute every indicator; return the aggregates and each city's window.

    `sources` maps each data set (leefloon, tewerkstelling, personen,
    jeugdhulp) to its Parquet files. The aggregates hold one row per
    indicator, city (or 'centrumsteden' for all together), year, breakdown
    and group, with counts of units and of persons; the window of a city is
    its first and last month with leefloon, as month numbers.
    """
    p = parameters or Parameters()
    connection = run_pipeline(sources, p, threads=threads)
    result = connection.sql(pipeline_sql(p)[-1]).to_arrow_table()
    windows = {
        ocmw: (start, end)
        for ocmw, start, end in connection.execute(
            "SELECT ocmw, lf_start, lf_end FROM lf_window ORDER BY ocmw"
        ).fetchall()
    }
    connection.close()
    logger.info("computed %s aggregates for %s cities", result.num_rows, len(windows))
    return result, windows


def month_label(m: int) -> str:
    """Format a month number as JJJJ-MM.

    >>> month_label(2024 * 12 + 2)
    '2024-03'
    """
    return f"{m // 12:04d}-{m % 12 + 1:02d}"
