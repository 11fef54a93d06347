"""Turn the advice page's plain HTML form into the advice JSON and back."""

from __future__ import annotations

from .advice import APPLICANT_FACTS, EXEMPT_INCOME, HOUSEHOLD_FACTS, INCOME_FACTS

MAX_COHABITANTS = 4
APPLICANT_INCOME = [
    (n, label) for n, label in INCOME_FACTS if n != "kinderbijslag_voor_aanvrager"
]


def _flag(value):
    return {"ja": True, "nee": False}.get(value)


def _show_flag(value) -> str:
    return {True: "ja", False: "nee"}.get(value, "")


def household_from_form(post) -> dict:
    """Build the advice input from form fields; blank means unknown."""
    data: dict = {"datum": post.get("datum", "")}
    for name, _, _ in HOUSEHOLD_FACTS:
        data[name] = _flag(post.get(name))
    applicant: dict = {"verblijfsstatus": post.get("aanvrager-verblijfsstatus") or None}
    for name, _, _ in APPLICANT_FACTS:
        applicant[name] = _flag(post.get(f"aanvrager-{name}"))
    age = post.get("aanvrager-leeftijd", "").strip()
    applicant["leeftijd"] = int(age) if age.isdigit() else (age or None)
    applicant["geboortedatum"] = post.get("aanvrager-geboortedatum", "").strip() or None
    applicant["inkomsten"] = {
        name: post.get(f"aanvrager-{name}") or None
        for name, _ in APPLICANT_INCOME + EXEMPT_INCOME
    }
    data["aanvrager"] = applicant
    cohabitants = []
    for i in range(MAX_COHABITANTS):
        role = post.get(f"huisgenoot{i}-rol")
        if not role:
            continue
        age = post.get(f"huisgenoot{i}-leeftijd", "").strip()
        cohabitants.append(
            {
                "rol": role,
                "leeftijd": int(age) if age.isdigit() else (age or None),
                "ontvangt_leefloon": _flag(
                    post.get(f"huisgenoot{i}-ontvangt_leefloon")
                ),
                "inkomsten": {
                    name: post.get(f"huisgenoot{i}-{name}") or None
                    for name, _ in INCOME_FACTS
                },
            }
        )
    data["huisgenoten"] = cohabitants
    return data


def form_values(data: dict) -> dict:
    """Flatten an advice input (e.g. a client profile) into form values."""
    values = {"datum": data.get("datum", "")}
    for name, _, _ in HOUSEHOLD_FACTS:
        values[name] = _show_flag(data.get(name))
    applicant = data.get("aanvrager") or {}
    values["aanvrager-verblijfsstatus"] = applicant.get("verblijfsstatus") or ""
    values["aanvrager-leeftijd"] = applicant.get("leeftijd") or ""
    values["aanvrager-geboortedatum"] = applicant.get("geboortedatum") or ""
    for name, _, _ in APPLICANT_FACTS:
        values[f"aanvrager-{name}"] = _show_flag(applicant.get(name))
    for name, value in (applicant.get("inkomsten") or {}).items():
        values[f"aanvrager-{name}"] = "" if value is None else value
    for i, person in enumerate((data.get("huisgenoten") or [])[:MAX_COHABITANTS]):
        values[f"huisgenoot{i}-rol"] = person.get("rol", "")
        values[f"huisgenoot{i}-leeftijd"] = person.get("leeftijd", "")
        values[f"huisgenoot{i}-ontvangt_leefloon"] = _show_flag(
            person.get("ontvangt_leefloon")
        )
        for name, value in (person.get("inkomsten") or {}).items():
            values[f"huisgenoot{i}-{name}"] = "" if value is None else value
    return values
