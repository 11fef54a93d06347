"""The plan interchange format, independent of the file it comes in.

A plan document holds the plan's metadata, its levels, the groups that carry
its items, the items (flat, each naming its parent by code) and their
indicators. It reads from and writes to three files:

- YAML (`.yaml`): the whole plan, items nested under `children`; the
  built-in Jaarplan 2026 is such a file;
- a workbook (`.xlsx`): the whole plan, one sheet per part (Plan, Niveaus,
  Groepen, Items, Indicatoren, Doelwaarden, Metingen);
- CSV (`.csv`): the Items sheet alone, imported into an existing plan.

Column headers of the sheets are Dutch because people edit them in a
spreadsheet; inside the program the keys are English.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from stedenplatform.core.errors import Problem

from .models import Direction, GroupKind, PlanKind, Status

FORMAT = "stedenplatform-plan/1"

PLAN_FIELDS = [
    ("code", "code"),
    ("title", "titel"),
    ("organisation", "organisatie"),
    ("kind", "soort"),
    ("start", "start"),
    ("end", "einde"),
    ("published", "gepubliceerd"),
    ("fictief", "fictief"),
    ("source", "bron"),
    ("stale_after_days", "niet_bijgewerkt_na_dagen"),
    ("description", "omschrijving"),
]
LEVEL_COLUMNS = [("key", "sleutel"), ("label", "naam")]
GROUP_COLUMNS = [
    ("code", "code"),
    ("name", "naam"),
    ("kind", "soort"),
    ("organisation", "organisatie"),
    ("every_weeks", "om_de_weken"),
    ("per_year", "keer_per_jaar"),
    ("cadence_text", "frequentie_tekst"),
    ("members", "leden"),
    ("members_text", "leden_tekst"),
    ("description", "omschrijving"),
]
ITEM_COLUMNS = [
    ("code", "code"),
    ("level", "niveau"),
    ("parent", "ouder"),
    ("title", "titel"),
    ("description", "omschrijving"),
    ("owner_organisation", "eigenaar_organisatie"),
    ("owner_service", "eigenaar_dienst"),
    ("owner_person", "eigenaar_persoon"),
    ("groups", "groepen"),
    ("partners", "partners"),
    ("priority", "prioritair"),
    ("start", "start"),
    ("end", "einde"),
    ("weight", "gewicht"),
    ("status", "status"),
    ("progress", "voortgang"),
    ("budget_expected_exploitatie", "budget_verwacht_exploitatie"),
    ("budget_realised_exploitatie", "budget_gerealiseerd_exploitatie"),
    ("budget_expected_investeringen", "budget_verwacht_investeringen"),
    ("budget_realised_investeringen", "budget_gerealiseerd_investeringen"),
]
INDICATOR_COLUMNS = [
    ("item", "item"),
    ("code", "code"),
    ("name", "naam"),
    ("unit", "eenheid"),
    ("direction", "richting"),
    ("baseline", "nulmeting"),
    ("baseline_year", "nulmeting_jaar"),
    ("stats_indicator_code", "cijfers_indicator"),
    ("description", "omschrijving"),
]
TARGET_COLUMNS = [
    ("item", "item"),
    ("indicator", "indicator"),
    ("year", "jaar"),
    ("value", "waarde"),
]
MEASUREMENT_COLUMNS = [
    ("item", "item"),
    ("indicator", "indicator"),
    ("date", "datum"),
    ("value", "waarde"),
    ("source", "bron"),
]
SHEETS = {
    "Plan": None,
    "Niveaus": LEVEL_COLUMNS,
    "Groepen": GROUP_COLUMNS,
    "Items": ITEM_COLUMNS,
    "Indicatoren": INDICATOR_COLUMNS,
    "Doelwaarden": TARGET_COLUMNS,
    "Metingen": MEASUREMENT_COLUMNS,
}
LIST_SEPARATOR = ";"
MONEY_FIELDS = [
    "budget_expected_exploitatie",
    "budget_realised_exploitatie",
    "budget_expected_investeringen",
    "budget_realised_investeringen",
]
STATUS_WORDS = {s.value: s.value for s in Status} | {s.label: s.value for s in Status}
GROUP_KINDS = {k.value for k in GroupKind}
PLAN_KINDS = {k.value for k in PlanKind}
DIRECTIONS = {d.value for d in Direction}
TRUE_WORDS = {"ja", "j", "true", "waar", "1", "x", "yes"}
FALSE_WORDS = {"nee", "n", "false", "onwaar", "0", "", "no"}


@dataclass
class PlanDocument:
    plan: dict = field(default_factory=dict)
    levels: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    has_plan: bool = True
    # Where each record came from, for messages: (sheet or section, row).
    origins: dict = field(default_factory=dict)


class Cell:
    """Turn spreadsheet, CSV and YAML values into typed ones, or a Problem."""

    def __init__(self, problems: list[Problem], where: str, row: int | None):
        self.problems = problems
        self.where = where
        self.row = row

    def fail(self, column: str, value, message: str, allowed: str | None = None):
        self.problems.append(
            Problem(
                f"{self.where}: {message}",
                row=self.row,
                column=column,
                value=value,
                allowed=allowed,
            )
        )

    def text(self, column: str, value, *, required=False, max_length=None) -> str:
        if value is None:
            value = ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value).strip()
        if required and not value:
            self.fail(column, value, "dit veld is verplicht", "een niet-lege tekst")
        if max_length and len(value) > max_length:
            self.fail(
                column,
                value[:40] + "…",
                f"de tekst is te lang ({len(value)} tekens)",
                f"hoogstens {max_length} tekens",
            )
        return value

    def boolean(self, column: str, value) -> bool:
        if isinstance(value, bool):
            return value
        word = "" if value is None else str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.fail(column, value, "geen ja/nee-waarde", "ja of nee")
        return False

    def date(self, column: str, value, *, required=False) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.fail(
                    column, value, "een datum is verplicht", "een datum JJJJ-MM-DD"
                )
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.fail(
            column, value, "geen geldige datum", "een datum JJJJ-MM-DD of DD/MM/JJJJ"
        )
        return None

    def decimal(self, column: str, value, *, minimum=None) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self.fail(column, value, "geen getal", "een getal, bv. 1250,50")
            return None
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(str(value))
        else:
            text = (
                str(value)
                .strip()
                .replace("€", "")
                .replace(" ", "")
                .replace("\u00a0", "")
            )
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                self.fail(
                    column, value, "geen getal", "een getal, bv. 1250,50 of 1250.50"
                )
                return None
        if not number.is_finite():
            self.fail(column, value, "geen eindig getal", "een getal")
            return None
        if minimum is not None and number < minimum:
            self.fail(column, value, "het getal is te klein", f"minstens {minimum}")
            return None
        return number

    def integer(self, column: str, value, *, minimum=None, maximum=None) -> int | None:
        number = self.decimal(column, value)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.fail(column, value, "geen geheel getal", "een geheel getal")
            return None
        result = int(number)
        if (minimum is not None and result < minimum) or (
            maximum is not None and result > maximum
        ):
            self.fail(
                column,
                value,
                "het getal ligt buiten het bereik",
                f"een geheel getal van {minimum} tot {maximum}",
            )
            return None
        return result

    def choice(self, column: str, value, allowed: dict | set, *, default=None):
        text = "" if value is None else str(value).strip()
        if not text:
            return default
        mapping = allowed if isinstance(allowed, dict) else {a: a for a in allowed}
        lowered = {k.lower(): v for k, v in mapping.items()}
        if text.lower() in lowered:
            return lowered[text.lower()]
        shown = ", ".join(sorted(set(mapping.values())))
        self.fail(column, value, "onbekende waarde", shown)
        return default

    def listing(self, column: str, value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list | tuple):
            parts = [str(v).strip() for v in value]
        else:
            parts = [p.strip() for p in str(value).split(LIST_SEPARATOR)]
        for part in parts:
            if LIST_SEPARATOR in part:
                self.fail(
                    column,
                    part,
                    f"een waarde bevat het scheidingsteken '{LIST_SEPARATOR}'",
                    "waarden zonder ';'",
                )
        return [p for p in parts if p]


def normalise_item(raw: dict, cell: Cell) -> dict:
    item = {
        "code": cell.text("code", raw.get("code"), required=True, max_length=60),
        "level": cell.text("niveau", raw.get("level")),
        "parent": cell.text("ouder", raw.get("parent")) or None,
        "title": cell.text("titel", raw.get("title"), required=True),
        "description": cell.text("omschrijving", raw.get("description")),
        "owner_organisation": cell.text(
            "eigenaar_organisatie", raw.get("owner_organisation")
        )
        or None,
        "owner_service": cell.text(
            "eigenaar_dienst", raw.get("owner_service"), max_length=200
        ),
        "owner_person": cell.text(
            "eigenaar_persoon", raw.get("owner_person"), max_length=200
        ),
        "groups": cell.listing("groepen", raw.get("groups")),
        "partners": cell.listing("partners", raw.get("partners")),
        "priority": cell.boolean("prioritair", raw.get("priority")),
        "start": cell.date("start", raw.get("start")),
        "end": cell.date("einde", raw.get("end")),
        "weight": cell.decimal("gewicht", raw.get("weight"), minimum=Decimal("0")),
        "status": cell.choice("status", raw.get("status"), STATUS_WORDS),
        "progress": cell.integer(
            "voortgang", raw.get("progress"), minimum=0, maximum=100
        ),
    }
    for name in MONEY_FIELDS:
        column = dict(ITEM_COLUMNS)[name]
        item[name] = cell.decimal(column, raw.get(name))
    if item["start"] and item["end"] and item["end"] < item["start"]:
        cell.fail(
            "einde",
            raw.get("end"),
            "de einddatum ligt voor de startdatum",
            "een einddatum op of na de start",
        )
    return item


def normalise_plan(raw: dict, cell: Cell) -> dict:
    plan = {
        "code": cell.text("code", raw.get("code"), required=True, max_length=60),
        "title": cell.text("titel", raw.get("title"), required=True, max_length=200),
        "organisation": cell.text(
            "organisatie", raw.get("organisation"), required=True
        ),
        "kind": cell.choice("soort", raw.get("kind"), PLAN_KINDS, default="ander"),
        "start": cell.date("start", raw.get("start"), required=True),
        "end": cell.date("einde", raw.get("end"), required=True),
        "published": cell.boolean("gepubliceerd", raw.get("published")),
        "fictief": cell.boolean("fictief", raw.get("fictief")),
        "source": cell.text("bron", raw.get("source"), max_length=300),
        "stale_after_days": cell.integer(
            "niet_bijgewerkt_na_dagen",
            raw.get("stale_after_days"),
            minimum=1,
            maximum=3650,
        )
        or 90,
        "description": cell.text("omschrijving", raw.get("description")),
    }
    if plan["start"] and plan["end"] and plan["end"] < plan["start"]:
        cell.fail(
            "einde",
            raw.get("end"),
            "het plan eindigt voor het begint",
            "een einddatum op of na de start",
        )
    return plan


def normalise_group(raw: dict, cell: Cell, default_organisation: str) -> dict:
    return {
        "code": cell.text("code", raw.get("code"), required=True, max_length=80),
        "name": cell.text("naam", raw.get("name"), required=True, max_length=200),
        "kind": cell.choice("soort", raw.get("kind"), GROUP_KINDS, default="werkgroep"),
        "organisation": cell.text("organisatie", raw.get("organisation"))
        or default_organisation,
        "every_weeks": cell.integer(
            "om_de_weken", raw.get("every_weeks"), minimum=1, maximum=52
        ),
        "per_year": cell.integer(
            "keer_per_jaar", raw.get("per_year"), minimum=1, maximum=52
        ),
        "cadence_text": cell.text(
            "frequentie_tekst", raw.get("cadence_text"), max_length=200
        ),
        "members": cell.listing("leden", raw.get("members")),
        "members_text": cell.text("leden_tekst", raw.get("members_text")),
        "description": cell.text("omschrijving", raw.get("description")),
    }


def normalise_indicator(raw: dict, cell: Cell) -> dict:
    indicator = {
        "item": cell.text("item", raw.get("item"), required=True),
        "code": cell.text("code", raw.get("code"), required=True, max_length=60),
        "name": cell.text("naam", raw.get("name"), required=True, max_length=300),
        "unit": cell.text("eenheid", raw.get("unit"), required=True, max_length=40),
        "direction": cell.choice(
            "richting", raw.get("direction"), DIRECTIONS, default="hoger"
        ),
        "baseline": cell.decimal("nulmeting", raw.get("baseline")),
        "baseline_year": cell.integer(
            "nulmeting_jaar", raw.get("baseline_year"), minimum=1900, maximum=2100
        ),
        "stats_indicator_code": cell.text(
            "cijfers_indicator", raw.get("stats_indicator_code")
        ),
        "description": cell.text("omschrijving", raw.get("description")),
        "targets": {},
        "measurements": [],
    }
    targets = raw.get("targets") or {}
    for year, value in targets.items():
        year_number = cell.integer("jaar", year, minimum=1900, maximum=2100)
        number = cell.decimal("waarde", value)
        if year_number is not None and number is not None:
            indicator["targets"][year_number] = number
    for measurement in raw.get("measurements") or []:
        date = cell.date("datum", measurement.get("date"), required=True)
        value = cell.decimal("waarde", measurement.get("value"))
        source = cell.text(
            "bron", measurement.get("source"), required=True, max_length=300
        )
        if value is None:
            cell.fail(
                "waarde",
                measurement.get("value"),
                "een meting zonder waarde",
                "een getal",
            )
        if date and value is not None:
            indicator["measurements"].append(
                {"date": date, "value": value, "source": source}
            )
    return indicator


# ---- YAML ------------------------------------------------------------------


def read_yaml(data: bytes, source: str, problems: list[Problem]) -> PlanDocument:
    try:
        raw = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(
                f"geen geldig YAML-bestand ({exc.__class__.__name__})",
                allowed="YAML in UTF-8 volgens het planformaat",
            )
        )
        return PlanDocument()
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        problems.append(
            Problem(
                "het bestand is geen plan in het verwachte formaat",
                column="format",
                value=(raw or {}).get("format") if isinstance(raw, dict) else None,
                allowed=FORMAT,
            )
        )
        return PlanDocument()
    doc = PlanDocument()
    doc.plan = normalise_plan(raw.get("plan") or {}, Cell(problems, "plan", None))
    for depth, level in enumerate((raw.get("plan") or {}).get("levels") or []):
        cell = Cell(problems, f"niveau {depth + 1}", None)
        doc.levels.append(
            {
                "key": cell.text("sleutel", level.get("key"), required=True),
                "label": cell.text("naam", level.get("label"), required=True),
            }
        )
    for index, group in enumerate(raw.get("groups") or [], start=1):
        doc.groups.append(
            normalise_group(
                group,
                Cell(problems, f"groep {index}", None),
                doc.plan.get("organisation", ""),
            )
        )
    level_keys = [level["key"] for level in doc.levels]

    def walk(nodes, depth, parent_code):
        for node in nodes or []:
            code = str(node.get("code", "")).strip()
            cell = Cell(problems, f"item {code or '(zonder code)'}", None)
            raw_item = dict(node)
            raw_item["parent"] = parent_code
            raw_item["level"] = level_keys[depth] if depth < len(level_keys) else ""
            owner = node.get("owner") or {}
            raw_item["owner_organisation"] = owner.get("organisation")
            raw_item["owner_service"] = owner.get("service")
            raw_item["owner_person"] = owner.get("person")
            for key, value in (node.get("budget") or {}).items():
                raw_item[f"budget_{key}"] = value
            if depth >= len(level_keys):
                cell.fail(
                    "niveau",
                    depth + 1,
                    "het item zit dieper dan het aantal niveaus",
                    f"hoogstens {len(level_keys)} niveaus",
                )
            doc.items.append(normalise_item(raw_item, cell))
            for indicator in node.get("indicators") or []:
                data = dict(indicator)
                data["item"] = code
                doc.indicators.append(normalise_indicator(data, cell))
            walk(node.get("children"), depth + 1, code)

    walk(raw.get("items"), 0, None)
    return doc


def write_yaml(doc: PlanDocument) -> bytes:
    level_keys = [level["key"] for level in doc.levels]
    children: dict[str | None, list[dict]] = {}
    for item in doc.items:
        children.setdefault(item["parent"], []).append(item)
    indicators: dict[str, list[dict]] = {}
    for indicator in doc.indicators:
        indicators.setdefault(indicator["item"], []).append(indicator)

    def node(item):
        out = {"code": item["code"], "title": item["title"]}
        if item["description"]:
            out["description"] = item["description"]
        owner = {
            k: item[f"owner_{k}"]
            for k in ("organisation", "service", "person")
            if item[f"owner_{k}"]
        }
        if owner:
            out["owner"] = owner
        for key in ("partners", "groups"):
            if item[key]:
                out[key] = list(item[key])
        if item["priority"]:
            out["priority"] = True
        for key in ("start", "end"):
            if item[key]:
                out[key] = item[key]
        if item["weight"] is not None and item["weight"] != 1:
            out["weight"] = float(item["weight"])
        if item["status"] and item["status"] != Status.NIET_GESTART:
            out["status"] = item["status"]
        if item["progress"]:
            out["progress"] = item["progress"]
        budget = {
            name.removeprefix("budget_"): float(item[name])
            for name in MONEY_FIELDS
            if item[name] is not None
        }
        if budget:
            out["budget"] = budget
        if item["code"] in indicators:
            out["indicators"] = [
                {
                    k: v
                    for k, v in {
                        "code": i["code"],
                        "name": i["name"],
                        "unit": i["unit"],
                        "direction": i["direction"],
                        "baseline": float(i["baseline"])
                        if i["baseline"] is not None
                        else None,
                        "baseline_year": i["baseline_year"],
                        "stats_indicator_code": i["stats_indicator_code"] or None,
                        "description": i["description"] or None,
                        "targets": {y: float(v) for y, v in i["targets"].items()}
                        or None,
                        "measurements": [
                            {
                                "date": m["date"],
                                "value": float(m["value"]),
                                "source": m["source"],
                            }
                            for m in i["measurements"]
                        ]
                        or None,
                    }.items()
                    if v is not None
                }
                for i in indicators[item["code"]]
            ]
        kids = children.get(item["code"])
        if kids:
            out["children"] = [node(k) for k in kids]
        return out

    plan = {k: v for k, v in doc.plan.items() if v not in (None, "")}
    plan["levels"] = [
        {"key": k, "label": level["label"]}
        for k, level in zip(level_keys, doc.levels, strict=True)
    ]
    data = {
        "format": FORMAT,
        "plan": plan,
        "groups": [
            {k: v for k, v in g.items() if v not in (None, "", [])} for g in doc.groups
        ],
        "items": [node(i) for i in children.get(None, [])],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88).encode(
        "utf-8"
    )


# ---- Workbook and CSV --------------------------------------------------------


def _cell_out(value):
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def _rows_of(doc: PlanDocument, sheet: str) -> list[list]:
    if sheet == "Niveaus":
        return [[lv["key"], lv["label"]] for lv in doc.levels]
    if sheet == "Groepen":
        return [[_cell_out(g[k]) for k, _ in GROUP_COLUMNS] for g in doc.groups]
    if sheet == "Items":
        return [[_cell_out(i[k]) for k, _ in ITEM_COLUMNS] for i in doc.items]
    if sheet == "Indicatoren":
        return [[_cell_out(i[k]) for k, _ in INDICATOR_COLUMNS] for i in doc.indicators]
    if sheet == "Doelwaarden":
        return [
            [i["item"], i["code"], year, _cell_out(value)]
            for i in doc.indicators
            for year, value in sorted(i["targets"].items())
        ]
    if sheet == "Metingen":
        return [
            [i["item"], i["code"], m["date"], _cell_out(m["value"]), m["source"]]
            for i in doc.indicators
            for m in i["measurements"]
        ]
    raise ValueError(sheet)


def write_xlsx(doc: PlanDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    plan_sheet = workbook.active
    plan_sheet.title = "Plan"
    plan_sheet.append(["veld", "waarde"])
    for key, header in PLAN_FIELDS:
        plan_sheet.append([header, _cell_out(doc.plan.get(key))])
    for sheet_name, columns in SHEETS.items():
        if columns is None:
            continue
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([header for _, header in columns])
        for row in _rows_of(doc, sheet_name):
            sheet.append(row)
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(doc: PlanDocument) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([header for _, header in ITEM_COLUMNS])
    for row in _rows_of(doc, "Items"):
        writer.writerow(["" if v is None else v for v in row])
    # A byte-order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _records(
    rows: list[tuple],
    columns: list[tuple[str, str]],
    sheet: str,
    problems: list[Problem],
    *,
    required: set[str] = frozenset(),
):
    """Yield (row number, dict by internal key) for a table with a header row."""
    if not rows:
        problems.append(
            Problem(
                f"het blad '{sheet}' is leeg", allowed="een kopregel met kolomnamen"
            )
        )
        return
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    known = {dutch: key for key, dutch in columns}
    for name in header:
        if name and name not in known:
            problems.append(
                Problem(
                    f"blad '{sheet}': onbekende kolom",
                    row=1,
                    column=name,
                    allowed=", ".join(known),
                )
            )
    missing = [
        dutch for key, dutch in columns if key in required and dutch not in header
    ]
    if missing:
        problems.append(
            Problem(
                f"blad '{sheet}': verplichte kolom ontbreekt",
                row=1,
                column=", ".join(missing),
                allowed=", ".join(known),
            )
        )
        return
    for number, row in enumerate(rows[1:], start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        record = {}
        for position, name in enumerate(header):
            if name in known and position < len(row):
                record[known[name]] = row[position]
        yield number, record


def read_tables(
    tables: dict[str, list[tuple]], problems: list[Problem], *, items_only: bool
) -> PlanDocument:
    doc = PlanDocument(has_plan=not items_only)
    if not items_only:
        if "Plan" not in tables:
            problems.append(
                Problem(
                    "het werkboek heeft geen blad 'Plan'",
                    allowed="de bladen " + ", ".join(SHEETS),
                )
            )
            return doc
        raw = {}
        by_header = {dutch: key for key, dutch in PLAN_FIELDS}
        for number, row in enumerate(tables["Plan"][1:], start=2):
            if not row or row[0] is None:
                continue
            name = str(row[0]).strip().lower()
            if name not in by_header:
                problems.append(
                    Problem(
                        "blad 'Plan': onbekend veld",
                        row=number,
                        column="veld",
                        value=name,
                        allowed=", ".join(by_header),
                    )
                )
                continue
            raw[by_header[name]] = row[1] if len(row) > 1 else None
        doc.plan = normalise_plan(raw, Cell(problems, "blad 'Plan'", None))
        for number, rec in _records(
            tables.get("Niveaus", []),
            LEVEL_COLUMNS,
            "Niveaus",
            problems,
            required={"key", "label"},
        ):
            cell = Cell(problems, "blad 'Niveaus'", number)
            doc.levels.append(
                {
                    "key": cell.text("sleutel", rec.get("key"), required=True),
                    "label": cell.text("naam", rec.get("label"), required=True),
                }
            )
        if "Groepen" in tables:
            for number, rec in _records(
                tables["Groepen"],
                GROUP_COLUMNS,
                "Groepen",
                problems,
                required={"code", "name"},
            ):
                doc.groups.append(
                    normalise_group(
                        rec,
                        Cell(problems, "blad 'Groepen'", number),
                        doc.plan.get("organisation", ""),
                    )
                )
    items_sheet = "Items"
    for number, rec in _records(
        tables.get(items_sheet, []),
        ITEM_COLUMNS,
        items_sheet,
        problems,
        required={"code", "title"},
    ):
        cell = Cell(problems, f"blad '{items_sheet}'", number)
        item = normalise_item(rec, cell)
        doc.origins[item["code"]] = number
        doc.items.append(item)
    if items_only:
        return doc
    indicators = {}
    if "Indicatoren" in tables:
        for number, rec in _records(
            tables["Indicatoren"],
            INDICATOR_COLUMNS,
            "Indicatoren",
            problems,
            required={"item", "code", "name", "unit"},
        ):
            indicator = normalise_indicator(
                rec, Cell(problems, "blad 'Indicatoren'", number)
            )
            indicators[(indicator["item"], indicator["code"])] = indicator
            doc.indicators.append(indicator)
    for sheet, columns in (
        ("Doelwaarden", TARGET_COLUMNS),
        ("Metingen", MEASUREMENT_COLUMNS),
    ):
        if sheet not in tables:
            continue
        for number, rec in _records(
            tables[sheet],
            columns,
            sheet,
            problems,
            required={"item", "indicator", "value"},
        ):
            cell = Cell(problems, f"blad '{sheet}'", number)
            key = (
                cell.text("item", rec.get("item")),
                cell.text("indicator", rec.get("indicator")),
            )
            indicator = indicators.get(key)
            if indicator is None:
                cell.fail(
                    "indicator",
                    key[1],
                    "deze indicator staat niet op het blad 'Indicatoren'",
                    "een item en indicatorcode van het blad 'Indicatoren'",
                )
                continue
            value = cell.decimal("waarde", rec.get("value"))
            if value is None:
                cell.fail(
                    "waarde", rec.get("value"), "de waarde ontbreekt", "een getal"
                )
                continue
            if sheet == "Doelwaarden":
                year = cell.integer("jaar", rec.get("year"), minimum=1900, maximum=2100)
                if year is not None:
                    indicator["targets"][year] = value
            else:
                date = cell.date("datum", rec.get("date"), required=True)
                source = cell.text("bron", rec.get("source"), required=True)
                if date:
                    indicator["measurements"].append(
                        {"date": date, "value": value, "source": source}
                    )
    return doc


def read_xlsx(data: bytes, problems: list[Problem]) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        problems.append(
            Problem(
                f"het bestand is geen leesbaar Excel-werkboek ({exc.__class__.__name__})",
                allowed="een .xlsx-bestand",
            )
        )
        return {}
    tables = {
        sheet.title: [tuple(r) for r in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }
    workbook.close()
    return tables


def read_csv_rows(data: bytes, problems: list[Problem]) -> list[tuple]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            problems.append(
                Problem("het bestand is geen tekstbestand", allowed="CSV in UTF-8")
            )
            return []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [tuple(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_document(data: bytes, filename: str, problems: list[Problem]) -> PlanDocument:
    """Read a plan document from a YAML, xlsx or csv file's bytes."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        return read_yaml(data, filename, problems)
    if name.endswith(".xlsx"):
        tables = read_xlsx(data, problems)
        if problems:
            return PlanDocument()
        return read_tables(tables, problems, items_only="Plan" not in tables)
    if name.endswith(".csv"):
        rows = read_csv_rows(data, problems)
        return read_tables({"Items": rows}, problems, items_only=True)
    problems.append(
        Problem("onbekend bestandstype", value=filename, allowed=".yaml, .xlsx of .csv")
    )
    return PlanDocument()
