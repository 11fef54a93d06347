"""Indicator definitions: validate them, and create or update them with
their themes and sources. Used by the file import, by publication from
other modules and by the Connector."""

from decimal import Decimal, InvalidOperation

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.errors import Problem
from stedenplatform.core.models import Area, AreaLevel

from . import formulas
from .models import (
    CODE_ALLOWED,
    CODE_PATTERN,
    Indicator,
    Kind,
    Missing,
    Source,
    Status,
    Theme,
)

KIND_FACTOR = {Kind.PERCENTAGE: Decimal(100)}
MISSING_CODES = {m.value for m in Missing}
# The missing-value codes the provinces use in their files.
NUMERIC_MISSING = {
    "-99999": Missing.UNKNOWN,
    "-99997": Missing.CENSORED,
    "-99998": Missing.NOT_APPLICABLE,
    "-99996": Missing.UNKNOWN,
}
TEXT_MISSING = {
    "": "",
    "-": Missing.CENSORED,
    "x": Missing.CENSORED,
    "?": Missing.UNKNOWN,
}
INDICATOR_FIELDS = [
    "name",
    "definition",
    "unit",
    "kind",
    "decimals",
    "threshold",
    "status",
    "numerator_label",
    "denominator_label",
    "is_survey",
    "min_respondents",
    "reference_date",
    "frequency",
    "formula",
    "factor",
]


def validate_indicator(data: dict, row: int | None = None) -> list[Problem]:
    """Check one indicator definition; return the problems found."""
    problems = []
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        problems.append(
            Problem(
                "ongeldige indicatorcode",
                row=row,
                column="code",
                value=code,
                allowed=CODE_ALLOWED,
                code="ongeldige_code",
            )
        )
    if not str(data.get("name") or "").strip():
        problems.append(
            Problem("naam ontbreekt", row=row, column="name", code="naam_ontbreekt")
        )
    kind = data.get("kind", Kind.COUNT)
    if kind not in Kind.values:
        problems.append(
            Problem(
                "onbekende soort",
                row=row,
                column="kind",
                value=kind,
                allowed=", ".join(Kind.values),
                code="ongeldige_soort",
            )
        )
    status = data.get("status", Status.EXTERN)
    if status not in Status.values:
        problems.append(
            Problem(
                "onbekende status",
                row=row,
                column="status",
                value=status,
                allowed=", ".join(Status.values),
                code="ongeldige_status",
            )
        )
    for name, low, high in (("decimals", 0, 6), ("threshold", 0, 1_000_000)):
        value = data.get(name, low)
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not low <= value <= high
        ):
            problems.append(
                Problem(
                    f"'{name}' moet een geheel getal zijn",
                    row=row,
                    column=name,
                    value=value,
                    allowed=f"{low} tot {high}",
                    code="ongeldig_getal",
                )
            )
    theme = data.get("theme")
    if (
        not isinstance(theme, str)
        or not theme.strip()
        or any(not part.strip() for part in theme.split("/"))
    ):
        problems.append(
            Problem(
                "ongeldig thema",
                row=row,
                column="theme",
                value=theme,
                allowed="een pad als 'Welzijn/Leefloon'",
                code="ongeldig_thema",
            )
        )
    if data.get("formula"):
        try:
            formulas.parse(data["formula"])
        except formulas.FormulaError as exc:
            problems.append(
                Problem(
                    exc.message,
                    row=row,
                    column="formula",
                    value=data["formula"],
                    code=exc.code,
                )
            )
    return problems


def ensure_theme(path: str) -> Theme:
    parts = [p.strip() for p in path.split("/") if p.strip()]
    parent = None
    for depth in range(len(parts)):
        full = "/".join(parts[: depth + 1])
        parent, _ = Theme.objects.get_or_create(
            path=full, defaults={"name": parts[depth], "parent": parent}
        )
    return parent


def ensure_source(name: str, terms: str = "", url: str = "") -> Source | None:
    name = (name or "").strip()[:300]
    if not name:
        return None
    source, created = Source.objects.get_or_create(
        name=name, defaults={"terms_of_use": terms, "url": url}
    )
    if not created and terms and (source.terms_of_use != terms or source.url != url):
        source.terms_of_use, source.url = terms, url or source.url
        source.save()
    return source


def upsert_indicators(
    items: list[dict], *, actor=None, owner=None, namespace: str = ""
) -> dict[str, Indicator]:
    """Create or update definitions; return them by code. Call inside the
    transaction of the write; every change gets an audit row."""
    result = {}
    for data in items:
        kind = data.get("kind", Kind.COUNT)
        values = {
            "name": data["name"].strip()[:300],
            "definition": data.get("definition") or "",
            "unit": (data.get("unit") or "")[:60],
            "kind": kind,
            "decimals": data.get("decimals", 0),
            "threshold": data.get("threshold", 5),
            "status": data.get("status", Status.EXTERN),
            "numerator_label": (data.get("numerator_label") or "")[:500],
            "denominator_label": (data.get("denominator_label") or "")[:500],
            "is_survey": bool(data.get("is_survey", False)),
            "min_respondents": data.get("min_respondents", 135),
            "reference_date": (data.get("reference_date") or "")[:60],
            "frequency": (data.get("frequency") or "")[:40],
            "formula": data.get("formula") or "",
            "factor": Decimal(str(data.get("factor", KIND_FACTOR.get(kind, 1)))),
        }
        theme = ensure_theme(data["theme"])
        source = ensure_source(
            data.get("source", ""),
            data.get("terms_of_use", ""),
            data.get("source_url", ""),
        )
        indicator = Indicator.objects.filter(code=data["code"]).first()
        if indicator is None:
            indicator = Indicator.objects.create(
                code=data["code"],
                theme=theme,
                source=source,
                owner=owner,
                namespace=namespace,
                **values,
            )
            record(
                actor,
                "stats.indicator_created",
                indicator,
                after=snapshot(indicator),
                organisation=owner,
            )
        else:
            old = snapshot(indicator)
            changed = (
                any(getattr(indicator, k) != v for k, v in values.items())
                or indicator.theme_id != theme.pk
                or indicator.source_id != (source.pk if source else None)
            )
            if changed:
                for k, v in values.items():
                    setattr(indicator, k, v)
                indicator.theme, indicator.source = theme, source
                indicator.save()
                record(
                    actor,
                    "stats.indicator_changed",
                    indicator,
                    before=old,
                    after=snapshot(indicator),
                    organisation=owner,
                )
        result[indicator.code] = indicator
    return result


class AreaResolver:
    """Find today's area for a code, mapping 2019-2024 municipalities onto
    their successor."""

    def __init__(self):
        self.current: dict[tuple[str, str], int] = {}
        for pk, level, code in Area.objects.filter(valid_to__isnull=True).values_list(
            "pk", "level", "code"
        ):
            self.current[(level, code)] = pk
        self.successor: dict[str, int] = {}
        self.predecessors: dict[int, set[str]] = {}
        for code, new_id in Area.objects.filter(
            level=AreaLevel.GEMEENTE, valid_to__isnull=False
        ).values_list("code", "successors__new_id"):
            if new_id is not None:
                self.successor[code] = new_id
                self.predecessors.setdefault(new_id, set()).add(code)

    def resolve(
        self, level: str, code: str, before_2025: bool = False
    ) -> tuple[int | None, bool]:
        """Return (area id, mapped from an older municipality). For a period
        before 2025 a municipal code means the municipality of that time."""
        if before_2025 and level == AreaLevel.GEMEENTE and code in self.successor:
            return self.successor[code], True
        pk = self.current.get((level, code))
        if pk is not None:
            return pk, False
        if level == AreaLevel.GEMEENTE and code in self.successor:
            return self.successor[code], True
        return None, False


def parse_number(value) -> tuple[Decimal | None, str]:
    """Read a number from a cell: (value, missing code); raise ValueError.

    >>> parse_number("1.234,5")
    (Decimal('1234.5'), '')
    >>> parse_number("-99997")
    (None, 'geheim')
    """
    if value is None:
        return None, ""
    if type(value) is float:
        if value != value:
            return None, ""
        if -99999 <= value <= -99996 and value.is_integer():
            return None, NUMERIC_MISSING[str(int(value))]
        if abs(value) >= 1e17:
            raise ValueError(value)
        return Decimal(repr(value)), ""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, float):
        if value != value:
            return None, ""
        text = repr(value)
    else:
        text = str(value).strip()
    if text.lower() in TEXT_MISSING:
        return None, TEXT_MISSING[text.lower()]
    if text in MISSING_CODES:
        return None, text
    normalised = text.split(".")[0] if text.endswith(".0") else text
    if normalised in NUMERIC_MISSING:
        return None, NUMERIC_MISSING[normalised]
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e17"):
        raise ValueError(value)
    return number, ""
