"""Demo data of Stad in Cijfers: the statistical geography, the
Gemeente-Stadsmonitor catalogue as indicator vocabulary, and real figures
loaded through the ordinary file import.

Sources (all shipped in `data/`, credited on the pages):
- Statbel population on 1 January (TF_SOC_POP_STRUCT) for the centrumsteden
  2017-2026, and for every municipality in 2020; Statbel fiscal income
  (TF_PSNL_INC_TAX_MUNTY); Statbel building stock 2025 and building permits;
  all CC BY 4.0.
- Fluvius energy use per municipality and per statistical sector, as
  reworked by Provincies in Cijfers.
- Statistiek Vlaanderen household projections (Modellicentie Gratis
  Hergebruik), via the Embuild Vlaanderen analyses.
- Agentschap Binnenlands Bestuur, Gemeente-Stadsmonitor catalogue (2023-12).
"""

import csv
import io
import re
from pathlib import Path

from stedenplatform.core.geography import CENTRUMSTEDEN

from .catalogue import upsert_indicators
from .geography_load import load_statistical_geography
from .services import import_indicator_file

DATA = Path(__file__).parent / "data"
STATBEL = "Statbel"
STATBEL_TERMS = "CC BY 4.0 (statbel.fgov.be/en/cc-40)"
FLUVIUS = "Fluvius, verbruiksgegevens (via Provincies in Cijfers)"
FLUVIUS_TERMS = "Fluvius open data; zie opendata.fluvius.be"
VLAANDEREN_TERMS = "Modellicentie Gratis Hergebruik v1.0"
GSM_SOURCE = "Gemeente-Stadsmonitor, Agentschap Binnenlands Bestuur"
POPULATION_YEARS = range(2017, 2027)
PERMIT_YEARS = range(2010, 2025)


def _indicator(code, name, theme, unit, kind="count", **extra):
    return {
        "code": code,
        "name": name,
        "theme": theme,
        "unit": unit,
        "kind": kind,
        "status": "extern",
        "threshold": 5,
        **extra,
    }


POP = {
    "source": STATBEL,
    "terms_of_use": STATBEL_TERMS,
    "frequency": "jaarlijks",
    "reference_date": "1 januari",
    "source_url": "https://statbel.fgov.be",
}
INCOME = {
    "source": STATBEL,
    "terms_of_use": STATBEL_TERMS,
    "frequency": "jaarlijks",
    "reference_date": "inkomstenjaar",
    "source_url": "https://statbel.fgov.be",
}
ENERGY = {
    "source": FLUVIUS,
    "terms_of_use": FLUVIUS_TERMS,
    "frequency": "jaarlijks",
    "source_url": "https://opendata.fluvius.be",
}
DEMO_INDICATORS = [
    _indicator(
        "bevolking_totaal",
        "Inwoners",
        "Demografie/Bevolking",
        "persoon",
        definition="Aantal inwoners op 1 januari.",
        **POP,
    ),
    _indicator(
        "bevolking_0_14",
        "Inwoners 0-14 jaar",
        "Demografie/Leeftijd",
        "persoon",
        definition="Aantal inwoners van 0 tot en met 14 jaar op 1 januari.",
        **POP,
    ),
    _indicator(
        "bevolking_15_64",
        "Inwoners 15-64 jaar",
        "Demografie/Leeftijd",
        "persoon",
        definition="Aantal inwoners van 15 tot en met 64 jaar op 1 januari.",
        **POP,
    ),
    _indicator(
        "bevolking_65_plus",
        "Inwoners 65 jaar en ouder",
        "Demografie/Leeftijd",
        "persoon",
        definition="Aantal inwoners van 65 jaar en ouder op 1 januari.",
        **POP,
    ),
    _indicator(
        "aandeel_0_14",
        "Aandeel jongeren (0-14 jaar)",
        "Demografie/Leeftijd",
        "procent",
        "percentage",
        decimals=1,
        formula="bevolking_0_14 / bevolking_totaal * 100",
        definition="Inwoners van 0-14 jaar als percentage van alle inwoners.",
        numerator_label="inwoners 0-14 jaar",
        denominator_label="alle inwoners",
        **POP,
    ),
    _indicator(
        "aandeel_65_plus",
        "Aandeel 65-plussers",
        "Demografie/Leeftijd",
        "procent",
        "percentage",
        decimals=1,
        formula="bevolking_65_plus / bevolking_totaal * 100",
        definition="Inwoners van 65 jaar en ouder als percentage van alle inwoners.",
        numerator_label="inwoners 65+",
        denominator_label="alle inwoners",
        **POP,
    ),
    _indicator(
        "afhankelijkheidsratio",
        "Afhankelijkheidsratio",
        "Demografie/Leeftijd",
        "per 100 inwoners 15-64",
        "ratio",
        decimals=1,
        formula="(bevolking_0_14 + bevolking_65_plus) / bevolking_15_64 * 100",
        definition="Jongeren en 65-plussers per 100 inwoners op beroepsactieve "
        "leeftijd.",
        **POP,
    ),
    _indicator(
        "fiscaal_aangiften",
        "Fiscale aangiften (zonder nulaangiften)",
        "Economie/Inkomen",
        "aangifte",
        definition="Aantal aangiften in de "
        "personenbelasting met een inkomen verschillend van nul.",
        **INCOME,
    ),
    _indicator(
        "fiscaal_netto_belastbaar",
        "Totaal netto belastbaar inkomen",
        "Economie/Inkomen",
        "euro",
        definition="Som van het netto belastbaar inkomen van alle aangiften.",
        **INCOME,
    ),
    _indicator(
        "fiscaal_inkomen_per_aangifte",
        "Gemiddeld netto belastbaar inkomen per aangifte",
        "Economie/Inkomen",
        "euro",
        "mean",
        formula="fiscaal_netto_belastbaar / fiscaal_aangiften",
        definition="Totaal netto belastbaar inkomen gedeeld door het aantal aangiften.",
        numerator_label="netto belastbaar inkomen (euro)",
        denominator_label="aangiften",
        **INCOME,
    ),
    _indicator(
        "gebouwen_totaal",
        "Gebouwen",
        "Wonen en woonomgeving/Gebouwenpark",
        "gebouw",
        definition="Aantal gebouwen op 1 januari (kadaster).",
        **POP,
    ),
    _indicator(
        "gebouwen_appartement",
        "Appartementsgebouwen",
        "Wonen en woonomgeving/Gebouwenpark",
        "gebouw",
        definition="Aantal buildings en flatgebouwen met appartementen.",
        **POP,
    ),
    _indicator(
        "woongelegenheden",
        "Woongelegenheden",
        "Wonen en woonomgeving/Gebouwenpark",
        "woning",
        definition="Aantal woongelegenheden in alle gebouwen.",
        **POP,
    ),
    _indicator(
        "aandeel_appartementsgebouwen",
        "Aandeel appartementsgebouwen",
        "Wonen en woonomgeving/Gebouwenpark",
        "procent",
        "percentage",
        decimals=1,
        formula="gebouwen_appartement / gebouwen_totaal * 100",
        definition="Appartementsgebouwen als percentage van alle gebouwen.",
        **POP,
    ),
    _indicator(
        "vergunningen_woningen_nieuw",
        "Vergunde nieuwe woningen",
        "Wonen en woonomgeving/Bouwvergunningen",
        "woning",
        definition="Aantal woningen in vergunde nieuwbouw (residentieel).",
        **{**INCOME, "reference_date": "kalenderjaar"},
    ),
    _indicator(
        "vergunningen_appartementen_nieuw",
        "Vergunde nieuwe appartementen",
        "Wonen en woonomgeving/Bouwvergunningen",
        "woning",
        definition="Aantal appartementen in vergunde nieuwbouw.",
        **{**INCOME, "reference_date": "kalenderjaar"},
    ),
    _indicator(
        "vergunningen_renovatie",
        "Vergunde renovaties van woongebouwen",
        "Wonen en woonomgeving/Bouwvergunningen",
        "gebouw",
        definition="Aantal residentiële gebouwen met een vergunning voor renovatie.",
        **{**INCOME, "reference_date": "kalenderjaar"},
    ),
    _indicator(
        "elek_huishoudens_kwh",
        "Elektriciteitsverbruik huishoudens",
        "Klimaat, milieu en natuur/Energie",
        "kWh",
        definition="Geschatte jaarlijkse afname van elektriciteit door "
        "residentiële aansluitingen. Cellen die Fluvius onderdrukte, tellen "
        "niet mee.",
        **ENERGY,
    ),
    _indicator(
        "elek_huishoudens_n",
        "Residentiële elektriciteitsaansluitingen",
        "Klimaat, milieu en natuur/Energie",
        "aansluiting",
        definition="Aantal residentiële elektriciteitsaansluitingen.",
        **ENERGY,
    ),
    _indicator(
        "gas_huishoudens_kwh",
        "Aardgasverbruik huishoudens",
        "Klimaat, milieu en natuur/Energie",
        "kWh",
        definition="Geschatte jaarlijkse afname van aardgas door "
        "residentiële aansluitingen.",
        **ENERGY,
    ),
    _indicator(
        "gas_huishoudens_n",
        "Residentiële aardgasaansluitingen",
        "Klimaat, milieu en natuur/Energie",
        "aansluiting",
        definition="Aantal residentiële aardgasaansluitingen.",
        **ENERGY,
    ),
    _indicator(
        "elek_per_aansluiting",
        "Elektriciteitsverbruik per huishouden",
        "Klimaat, milieu en natuur/Energie",
        "kWh per aansluiting",
        "mean",
        formula="elek_huishoudens_kwh / elek_huishoudens_n",
        definition="Gemiddelde afname per residentiële aansluiting. Onderdrukt "
        "bij minder dan 10 aansluitingen.",
        **{**ENERGY, "threshold": 10},
    ),
    _indicator(
        "huishoudens",
        "Private huishoudens (met vooruitzichten)",
        "Demografie/Huishoudens",
        "huishouden",
        definition="Aantal private huishoudens; waargenomen tot 2023, "
        "vooruitzichten van Statistiek Vlaanderen vanaf 2024.",
        source="Statistiek Vlaanderen, Huishoudensvooruitzichten",
        terms_of_use=VLAANDEREN_TERMS,
        frequency="jaarlijks",
        reference_date="1 januari",
    ),
    _indicator(
        "vestigingseenheden",
        "Vestigingseenheden",
        "Economie/Ondernemingen",
        "vestiging",
        definition="Aantal vestigingseenheden van ondernemingen "
        "in het vierde kwartaal.",
        **{**INCOME, "reference_date": "4de kwartaal"},
    ),
]
DEMO_THRESHOLD_CODES = {"elek_per_aansluiting"}


def gsm_catalogue() -> list[dict]:
    """The Gemeente-Stadsmonitor indicators as definitions without values."""
    path = DATA / "gsm_indicator_catalogue_2023-12.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    items = []
    for row in rows:
        stem = Path(row["Download URL"].strip()).stem
        code = "gsm_" + re.sub(
            r"[^a-z0-9_]", "_", stem.lower().replace("gsm_extract_", "")
        )
        ratio = row["Ratio"].strip()
        if ratio == "procent":
            kind, factor = "percentage", 100
        elif ratio.startswith("per ") and re.search(r"\d", ratio):
            kind = "ratio"
            factor = int(re.sub(r"\D", "", ratio))
        elif ratio.startswith("per "):
            kind, factor = "mean", 1
        else:
            kind, factor = "count", 1
        survey = row["Type"].strip() == "Burgerbevraging"
        items.append(
            {
                "code": code[:120],
                "name": row["Title"].strip() or code,
                "definition": row["Definitie"].strip(),
                "unit": ratio or row["Eenheid"],
                "kind": kind,
                "factor": factor,
                "theme": row["Basisthema"].strip(),
                "numerator_label": row["Teller"].strip(),
                "denominator_label": row["Noemer"].strip(),
                "decimals": 1 if kind != "count" else 0,
                "source": row["Bron"].strip() or GSM_SOURCE,
                "threshold": 5,
                "status": "extern",
                "is_survey": survey,
                "min_respondents": 135,
                "frequency": "driejaarlijks" if survey else "jaarlijks",
            }
        )
    return items


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["indicator", "level", "area", "period", "value", "missing"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _read(name: str, delimiter: str = ",") -> list[dict]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def population_rows():
    bands = {
        "TOTAL": "bevolking_totaal",
        "0_14": "bevolking_0_14",
        "15_64": "bevolking_15_64",
        "65_PLUS": "bevolking_65_plus",
    }
    rows = []
    for r in _read("population_centrumsteden_brussel_2017_2026.csv"):
        if r["indicator"] == "TOTAL" and r["jaar_1_januari"] == "2020":
            continue
        rows.append(
            [
                bands[r["indicator"]],
                "gemeente",
                r["nis_2025"],
                r["jaar_1_januari"],
                r["waarde"],
                "",
            ]
        )
    for r in _read("bevolking_per_gemeente_2020.csv"):
        code = r["NIS code"].strip()
        if (
            len(code) == 5
            and not code.endswith("000")
            and code not in ("20001", "20002")
        ):
            rows.append(
                ["bevolking_totaal", "gemeente2024", code, "2020", r["Totaal"], ""]
            )
    return rows


def income_rows():
    codes = {
        "FISCAL_NBR_NON_ZERO_INC": "fiscaal_aangiften",
        "FISCAL_TOT_NET_TAXABLE_INC": "fiscaal_netto_belastbaar",
    }
    rows = []
    for r in _read("fiscal_income_centrumsteden_brussel_2017_2023.csv"):
        if r["indicator"] in codes:
            missing = "" if r["waarde"].strip() else "onbekend"
            rows.append(
                [
                    codes[r["indicator"]],
                    "gemeente",
                    r["nis_2025"],
                    r["inkomstenjaar"],
                    r["waarde"],
                    missing,
                ]
            )
    return rows


def building_rows():
    rows = []
    for r in _read("gebouwenpark_2025_gemeente_wide.csv"):

        def total(stat, r=r):
            values = [r.get(f"{stat}_R{i}", "") for i in range(1, 7)]
            return sum(int(float(v)) for v in values if v not in ("", "nan"))

        code = r["CD_REFNIS"].zfill(5)
        rows.append(["gebouwen_totaal", "gemeente", code, "2025", total("T1"), ""])
        rows.append(
            [
                "gebouwen_appartement",
                "gemeente",
                code,
                "2025",
                int(float(r["T1_R4"])),
                "",
            ]
        )
        rows.append(["woongelegenheden", "gemeente", code, "2025", total("T8"), ""])
    for r in _read("bouwvergunningen_gemeente_per_jaar.csv"):
        if int(r["CD_YEAR"]) not in PERMIT_YEARS:
            continue
        code = r["REFNIS"].zfill(5)
        for column, indicator in (
            ("MS_DWELLING_RES_NEW", "vergunningen_woningen_nieuw"),
            ("MS_APARTMENT_RES_NEW", "vergunningen_appartementen_nieuw"),
            ("MS_BUILDING_RES_RENOVATION", "vergunningen_renovatie"),
        ):
            rows.append(
                [
                    indicator,
                    "gemeente",
                    code,
                    r["CD_YEAR"],
                    r[column] or "",
                    "" if r[column] else "onbekend",
                ]
            )
    for r in _read("vestigingseenheden_gemeente_q4_2018_2023.csv"):
        code = r["refnis_2025_matched_by_name"].strip()
        if code:
            rows.append(
                [
                    "vestigingseenheden",
                    "gemeente",
                    code.zfill(5),
                    r["jaar_q4"],
                    r["aantal_vestigingseenheden"],
                    "",
                ]
            )
    return rows


ENERGY_COLUMNS = {
    "v2506_elek_res_cons": "elek_huishoudens_kwh",
    "v2506_elek_res_n": "elek_huishoudens_n",
    "v2506_gas_res_cons": "gas_huishoudens_kwh",
    "v2506_gas_res_n": "gas_huishoudens_n",
}


def energy_rows(sectors: set[str]):
    rows = []
    for r in _read("fluvius_gemeente2025_energie_2018_2021.csv"):
        for column, indicator in ENERGY_COLUMNS.items():
            value = r[column].strip()
            rows.append(
                [
                    indicator,
                    "gemeente",
                    r["gemeente"].zfill(5),
                    r["jaar"],
                    value,
                    "" if value else "geheim",
                ]
            )
    centrum = tuple(CENTRUMSTEDEN)
    for r in _read("fluvius_statsec2019_energie_2018_2021.csv"):
        code = r["statsec2019"]
        if not code.startswith(centrum) or code not in sectors:
            continue
        for column, indicator in ENERGY_COLUMNS.items():
            value = r[column].strip()
            rows.append(
                [indicator, "sector", code, r["jaar"], value, "" if value else "geheim"]
            )
    return rows


def household_rows():
    return [
        ["huishoudens", "gemeente2024", r["nis"].zfill(5), r["y"], r["n"], ""]
        for r in _read("huishoudensvooruitzichten_gemeente_2010_2040.csv")
    ]


def load(console) -> None:
    """Load this module's demo data; running it again changes nothing."""
    from stedenplatform.core.models import Area, AreaLevel

    counts = load_statistical_geography()
    console.print(f"Geografie: {counts}")
    upsert_indicators(gsm_catalogue())
    upsert_indicators(DEMO_INDICATORS)
    console.print(
        f"Indicatoren: {len(DEMO_INDICATORS)} met cijfers, catalogus van de "
        "Gemeente-Stadsmonitor geladen."
    )
    sectors = set(
        Area.current().filter(level=AreaLevel.SECTOR).values_list("code", flat=True)
    )
    files = [
        ("bevolking.csv", population_rows()),
        ("inkomen.csv", income_rows()),
        ("gebouwen.csv", building_rows()),
        ("energie.csv", energy_rows(sectors)),
        ("huishoudens.csv", household_rows()),
    ]
    for name, rows in files:
        result = import_indicator_file(name, _csv(rows))
        w = result.written
        console.print(
            f"{name}: {len(rows)} rijen, {w.created} nieuw, {w.updated} "
            f"gewijzigd, {w.aggregated} geaggregeerd, {w.computed} berekend."
        )
