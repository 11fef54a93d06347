"""The leefloon (recht op maatschappelijke integratie) as rules of the engine.

Conditions, category, means test and amount follow the Wet van 26 mei 2002
(RMI-wet) and the KB van 11 juli 2002 (algemeen reglement); the numbers live
in `parameters/leefloon.yaml` with their date and legal reference. Amounts are
yearly, net; the monthly amount is the yearly one divided by 12, rounded to
the cent.

One reading is encoded where sources differ on the general exemption
(worked case 7 of the reference): the exemption of art. 22 §2 applies to the
total of counted resources, capital included, as long as that total stays
below the category amount. The widening of 1 March 2026 (KB 7 januari 2026)
is a dated rule; whether counting the cohabiting maintenance debtors is
optional or mandatory is the parameter `leefloon.samenwonenden.meetellen`
with both readings.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import numpy as np

from .engine import HOUSEHOLD, PERSON, Population, Simulation, TaxBenefitSystem
from .engine.core import format_eur, percent
from .engine.parameters import load_parameters

PARAMETER_FILE = Path(__file__).parent / "parameters" / "leefloon.yaml"
EARLIEST_DATE = datetime.date(2017, 6, 1)

ROLES = (
    "aanvrager",
    "partner",
    "kind",
    "ouder",
    "meerderjarig_kind",
    "andere_onderhoudsplichtige",
    "andere",
)
RESIDENCE = (
    "belg",
    "eu_burger",
    "eu_burger_eerste_drie_maanden",
    "bevolkingsregister",
    "erkend_vluchteling",
    "staatloze",
    "andere",
)
ELIGIBLE_RESIDENCE = (
    "belg",
    "eu_burger",
    "bevolkingsregister",
    "erkend_vluchteling",
    "staatloze",
)
CONDITIONS = (
    "voorwaarde_verblijf",
    "voorwaarde_leeftijd",
    "voorwaarde_nationaliteit",
    "voorwaarde_werkbereidheid",
    "voorwaarde_andere_rechten",
    "voorwaarde_gpmi",
    "voorwaarde_bestaansmiddelen",
)
LAW = "Wet 26 mei 2002 (RMI-wet)"
KB = "KB 11 juli 2002"


def _yes(value) -> str:
    return "ja" if value else "nee"


@cache
def get_system() -> TaxBenefitSystem:
    """Build the leefloon system once per process."""
    system = TaxBenefitSystem(load_parameters(PARAMETER_FILE))
    _add_inputs(system)
    _add_conditions(system)
    _add_means_test(system)
    return system


def _add_inputs(system: TaxBenefitSystem) -> None:
    person = [
        ("rol", "enum", "Rol in het huishouden", "andere", ROLES),
        ("leeftijd", "int", "Leeftijd op de datum van de berekening", 0, ()),
        ("beroepsinkomen", "geld", "Netto inkomsten uit arbeid per jaar", 0, ()),
        ("vervangingsinkomen", "geld", "Uitkeringen en pensioenen per jaar", 0, ()),
        ("onderhoudsgeld", "geld", "Onderhoudsgeld voor zichzelf per jaar", 0, ()),
        ("andere_inkomsten", "geld", "Andere meetellende inkomsten per jaar", 0, ()),
        (
            "vrijgestelde_inkomsten",
            "geld",
            "Vrijgestelde inkomsten per jaar (kinderbijslag, onderhoudsgeld voor een "
            "kind, studiebeurs, occasionele giften, vrijwilligersvergoeding)",
            0,
            (),
        ),
        ("roerend_kapitaal", "geld", "Spaargeld en roerend kapitaal", 0, ()),
        (
            "ki_eigen_woning",
            "geld",
            "Kadastraal inkomen van de eigen bewoonde woning",
            0,
            (),
        ),
        ("ki_onbebouwd", "geld", "Kadastraal inkomen van onbebouwde grond", 0, ()),
        ("ontvangt_leefloon", "bool", "Ontvangt zelf een leefloon", False, ()),
        (
            "kinderbijslag_voor_aanvrager",
            "geld",
            "Kinderbijslag die deze persoon voor de aanvrager ontvangt (zonder de "
            "toeslag voor een kind met een handicap), per jaar",
            0,
            (),
        ),
    ]
    for name, kind, label, default, choices in person:
        system.input(name, PERSON, kind, label, default=default, choices=choices)
    household = [
        ("verblijft_in_belgie", "Werkelijke verblijfplaats in België", True),
        ("ontvoogd_door_huwelijk", "Minderjarige ontvoogd door huwelijk", False),
        ("zwanger", "Aanvraagster is zwanger", False),
        ("werkbereid", "Bereid om te werken", True),
        (
            "werkbereidheid_vrijgesteld",
            "Vrijgesteld van werkbereidheid om gezondheids- of billijkheidsredenen",
            False,
        ),
        (
            "andere_rechten_uitgeput",
            "Andere rechten op uitkeringen (werkloosheid, ziekte, ...) zijn "
            "aangesproken",
            True,
        ),
        ("gpmi_akkoord", "Akkoord met een GPMI of tewerkstelling", True),
        (
            "gemeenschappelijke_huishouding",
            "Regelt de huishouding voornamelijk gemeenschappelijk met de huisgenoten",
            True,
        ),
        ("dakloos", "Dakloos", False),
        (
            "socio_professionele_vrijstelling",
            "Recht op de socio-professionele vrijstelling (drie jaar binnen zes)",
            False,
        ),
        (
            "ocmw_rekent_onderhoudsplichtigen",
            "Het OCMW rekent de inkomsten van onderhoudsplichtige huisgenoten mee",
            False,
        ),
    ]
    for name, label, default in household:
        system.input(name, HOUSEHOLD, "bool", label, default=default)
    system.input(
        "verblijfsstatus",
        HOUSEHOLD,
        "enum",
        "Nationaliteit of verblijfsstatus",
        default="belg",
        choices=RESIDENCE,
    )


def _add_conditions(system: TaxBenefitSystem) -> None:
    f = system.formula

    @f(PERSON, "bool", "Is de aanvrager")
    def is_aanvrager(s: Simulation):
        return s.is_("rol", "aanvrager")

    @f(HOUSEHOLD, "int", "Leeftijd van de aanvrager")
    def leeftijd_aanvrager(s: Simulation):
        return s.sum(np.where(s("is_aanvrager"), s("leeftijd"), 0))

    @f(
        HOUSEHOLD,
        "int",
        "Aantal ongehuwde minderjarige kinderen ten laste",
        reference=f"{LAW}, art. 14 §1, 3°",
    )
    def kinderen_ten_laste(s: Simulation):
        minor = s("leeftijd") < s.param("leefloon.leeftijd.meerderjarig")
        return s.count(s.is_("rol", "kind") & minor)

    @f(HOUSEHOLD, "bool", "Woont samen met een partner", explain=lambda e: None)
    def heeft_partner(s: Simulation):
        return s.any(s.is_("rol", "partner"))

    @f(HOUSEHOLD, "int", "Aantal huisgenoten naast de aanvrager")
    def aantal_huisgenoten(s: Simulation):
        return s.count(~s("is_aanvrager"))

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: werkelijke verblijfplaats in België",
        reference=f"{LAW}, art. 3, 1°",
        explain=lambda e: (
            "De aanvrager verblijft werkelijk in België (hoogstens een maand per jaar "
            "in het buitenland, vooraf gemeld)."
            if e("voorwaarde_verblijf")
            else (
                "Niet voldaan: de aanvrager heeft geen werkelijke verblijfplaats "
                "in België."
            )
        ),
    )
    def voorwaarde_verblijf(s: Simulation):
        return s("verblijft_in_belgie")

    def explain_age(e) -> str:
        age = e("leeftijd_aanvrager")
        adult = e.param("leefloon.leeftijd.meerderjarig").value
        if age >= adult:
            return (
                f"De aanvrager is {age} jaar en dus meerderjarig (vanaf {adult} jaar)."
            )
        reasons = []
        if e("ontvoogd_door_huwelijk"):
            reasons.append("ontvoogd door huwelijk")
        if e("zwanger"):
            reasons.append("zwanger")
        if e("kinderen_ten_laste"):
            reasons.append("heeft een of meer kinderen ten laste")
        if reasons:
            return (
                f"De aanvrager is {age} jaar, minderjarig, maar gelijkgesteld met "
                f"een meerderjarige: {', '.join(reasons)}."
            )
        return (
            f"Niet voldaan: de aanvrager is {age} jaar, minderjarig, niet ontvoogd "
            "door huwelijk, niet zwanger en heeft geen kind ten laste."
        )

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: leeftijd",
        reference=f"{LAW}, art. 3, 2° en art. 7",
        explain=explain_age,
    )
    def voorwaarde_leeftijd(s: Simulation):
        adult = s("leeftijd_aanvrager") >= s.param("leefloon.leeftijd.meerderjarig")
        return (
            adult
            | s("ontvoogd_door_huwelijk")
            | s("zwanger")
            | (s("kinderen_ten_laste") > 0)
        )

    def explain_residence(e) -> str:
        status = e("verblijfsstatus")
        labels = {
            "belg": "Belg",
            "eu_burger": "EU-burger (of familielid) met een verblijfsrecht van meer "
            "dan drie maanden",
            "eu_burger_eerste_drie_maanden": (
                "EU-burger in de eerste drie maanden van het verblijf"
            ),
            "bevolkingsregister": "vreemdeling ingeschreven in het bevolkingsregister",
            "erkend_vluchteling": "erkend vluchteling",
            "staatloze": "staatloze",
            "andere": "vreemdeling die niet in het bevolkingsregister is ingeschreven",
        }
        if status in ELIGIBLE_RESIDENCE:
            return f"De aanvrager is {labels[status]}: voldaan."
        return f"Niet voldaan: de aanvrager is {labels[status]}."

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: nationaliteit of verblijfsrecht",
        reference=f"{LAW}, art. 3, 3°",
        explain=explain_residence,
    )
    def voorwaarde_nationaliteit(s: Simulation):
        return s.is_("verblijfsstatus", *ELIGIBLE_RESIDENCE)

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: werkbereidheid",
        reference=f"{LAW}, art. 3, 5°",
        explain=lambda e: (
            "De aanvrager is bereid om te werken."
            if e("werkbereid")
            else "De aanvrager is vrijgesteld van werkbereidheid om gezondheids- of "
            "billijkheidsredenen."
            if e("werkbereidheid_vrijgesteld")
            else "Niet voldaan: de aanvrager is niet werkbereid en niet vrijgesteld."
        ),
    )
    def voorwaarde_werkbereidheid(s: Simulation):
        return s("werkbereid") | s("werkbereidheid_vrijgesteld")

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: andere rechten eerst aangesproken",
        reference=f"{LAW}, art. 3, 6°",
        explain=lambda e: (
            "De aanvrager heeft zijn andere rechten op uitkeringen laten gelden."
            if e("andere_rechten_uitgeput")
            else (
                "Niet voldaan: de aanvrager moet eerst zijn rechten op andere "
                "uitkeringen (werkloosheid, ziekte, pensioen, ...) laten gelden."
            )
        ),
    )
    def voorwaarde_andere_rechten(s: Simulation):
        return s("andere_rechten_uitgeput")

    def explain_gpmi(e) -> str:
        age = e("leeftijd_aanvrager")
        limit = e.param("leefloon.leeftijd.gpmi_tot").value
        if age >= limit:
            return (
                f"De aanvrager is {age} jaar; een GPMI is niet verplicht (vanaf "
                f"{limit})."
            )
        if e("gpmi_akkoord"):
            return (
                f"De aanvrager is jonger dan {limit} en aanvaardt een "
                "geïndividualiseerd project (GPMI) of tewerkstelling."
            )
        return (
            f"Niet voldaan: onder {limit} jaar hoort een GPMI of tewerkstelling bij "
            "het recht, en de aanvrager aanvaardt die niet."
        )

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: GPMI of tewerkstelling onder 25 jaar",
        reference=f"{LAW}, art. 6 en art. 11",
        explain=explain_gpmi,
    )
    def voorwaarde_gpmi(s: Simulation):
        return (s("leeftijd_aanvrager") >= s.param("leefloon.leeftijd.gpmi_tot")) | s(
            "gpmi_akkoord"
        )

    def explain_category(e) -> str:
        category = e("categorie")
        if category == 3:
            return (
                f"Categorie 3: persoon met gezin ten laste ({e('kinderen_ten_laste')} "
                "ongehuwd minderjarig kind)."
            )
        if category == 2 and e("dakloos"):
            return "Categorie 2: een dakloze persoon geldt als alleenstaande."
        if category == 2 and e("aantal_huisgenoten"):
            return (
                "Categorie 2: woont met anderen maar voert geen gemeenschappelijke "
                "huishouding (bijvoorbeeld studenten of medehuurders)."
            )
        if category == 2:
            return "Categorie 2: alleenstaande persoon."
        if e("heeft_partner"):
            return "Categorie 1: samenwonend met een partner."
        return (
            "Categorie 1: samenwonend; regelt de huishouding voornamelijk "
            "gemeenschappelijk met de huisgenoten."
        )

    @f(
        HOUSEHOLD,
        "int",
        "Categorie",
        reference=f"{LAW}, art. 14 §1",
        explain=explain_category,
    )
    def categorie(s: Simulation):
        together = s("heeft_partner") | (
            (s("aantal_huisgenoten") > 0) & s("gemeenschappelijke_huishouding")
        )
        alone_or_together = np.where(s("dakloos") | ~together, 2, 1)
        return np.where(s("kinderen_ten_laste") > 0, 3, alone_or_together)

    @f(
        HOUSEHOLD,
        "geld",
        "Leefloon van de categorie, per jaar",
        reference=f"{LAW}, art. 14 §1",
        explain=lambda e: (
            f"Het jaarbedrag van categorie {e('categorie')} is "
            f"{e.eur('categoriebedrag')}."
        ),
    )
    def categoriebedrag(s: Simulation):
        category = s("categorie")
        return s.pick(
            category,
            {
                1: s.param("leefloon.bedrag.categorie_1"),
                2: s.param("leefloon.bedrag.categorie_2"),
                3: s.param("leefloon.bedrag.categorie_3"),
            },
        )


def _add_means_test(system: TaxBenefitSystem) -> None:
    f = system.formula

    @f(PERSON, "geld", "Aangerekend roerend kapitaal", reference=f"{KB}, art. 27")
    def kapitaal_aangerekend(s: Simulation):
        capital = s("roerend_kapitaal")
        free = s.param("leefloon.kapitaal.vrij_tot")
        top = s.param("leefloon.kapitaal.schijf_2_tot")
        middle = np.minimum(s.positive(capital - free), top - free)
        high = s.positive(capital - top)
        return s.rate(
            middle, s.param("leefloon.kapitaal.percentage_schijf_2")
        ) + s.rate(high, s.param("leefloon.kapitaal.percentage_schijf_3"))

    @f(
        PERSON,
        "geld",
        "Aangerekend kadastraal inkomen",
        reference=f"{KB}, onroerende goederen",
    )
    def kadastraal_aangerekend(s: Simulation):
        per_child = s.times(
            s.param("leefloon.kadastraal.vrij_per_kind"), s("kinderen_ten_laste")
        )
        home_free = s.to_persons(
            s.param("leefloon.kadastraal.vrij_eigen_woning") + per_child
        )
        factor = s.param("leefloon.kadastraal.vermenigvuldiger")
        home = s.positive(s("ki_eigen_woning") - home_free)
        land = s.positive(
            s("ki_onbebouwd") - s.param("leefloon.kadastraal.vrij_onbebouwd")
        )
        return s.times(home, factor) + s.times(land, factor)

    @f(
        HOUSEHOLD,
        "geld",
        "Socio-professionele vrijstelling per jaar",
        reference=f"{KB}, art. 35",
        explain=lambda e: (
            f"De aanvrager heeft recht op de socio-professionele vrijstelling: "
            f"{e.eur('spi_jaar')} per jaar van de inkomsten uit arbeid telt niet mee."
            if e("socio_professionele_vrijstelling")
            else None
        ),
    )
    def spi_jaar(s: Simulation):
        yearly = s.param("leefloon.vrijstelling.socio_professioneel") * 12
        return np.where(
            s("socio_professionele_vrijstelling"), yearly, s.zero_like(yearly)
        )

    @f(
        PERSON,
        "geld",
        "Meetellende bestaansmiddelen van de persoon",
        reference=f"{KB}, art. 22 tot 35",
    )
    def bestaansmiddelen_persoon(s: Simulation):
        own_spi = s.where_persons(s("is_aanvrager"), s.to_persons(s("spi_jaar")))
        work = s.positive(s("beroepsinkomen") - own_spi)
        return (
            work
            + s("vervangingsinkomen")
            + s("onderhoudsgeld")
            + s("andere_inkomsten")
            + s("kapitaal_aangerekend")
            + s("kadastraal_aangerekend")
        )

    def explain_applicant(e) -> str:
        parts = []
        work = e.applicant("beroepsinkomen")
        if work:
            spi = e("spi_jaar")
            parts.append(
                f"inkomsten uit arbeid {format_eur(work)}"
                + (f", waarvan {format_eur(min(work, spi))} vrijgesteld" if spi else "")
            )
        for name, label in [
            ("vervangingsinkomen", "uitkeringen"),
            ("onderhoudsgeld", "onderhoudsgeld"),
            ("andere_inkomsten", "andere inkomsten"),
        ]:
            if e.applicant(name):
                parts.append(f"{label} {format_eur(e.applicant(name))}")
        if e.applicant("kapitaal_aangerekend"):
            low = percent(e.param("leefloon.kapitaal.percentage_schijf_2").value)
            high = percent(e.param("leefloon.kapitaal.percentage_schijf_3").value)
            parts.append(
                f"roerend kapitaal {format_eur(e.applicant('roerend_kapitaal'))}: "
                f"niets tot {format_eur(e.param('leefloon.kapitaal.vrij_tot').value)}, "
                f"{low} tot "
                f"{format_eur(e.param('leefloon.kapitaal.schijf_2_tot').value)}, "
                f"{high} daarboven, samen "
                f"{format_eur(e.applicant('kapitaal_aangerekend'))}"
            )
        if e.applicant("kadastraal_aangerekend"):
            parts.append(
                "kadastraal inkomen boven de vrijstelling, maal 3: "
                f"{format_eur(e.applicant('kadastraal_aangerekend'))}"
            )
        exempt = e.applicant("vrijgestelde_inkomsten")
        if exempt:
            parts.append(f"{format_eur(exempt)} vrijgestelde inkomsten tellen niet mee")
        text = (
            f"Bestaansmiddelen van de aanvrager: {e.eur('middelen_aanvrager')} per jaar"
        )
        return text + (" (" + "; ".join(parts) + ")." if parts else ".")

    @f(
        HOUSEHOLD,
        "geld",
        "Bestaansmiddelen van de aanvrager per jaar",
        reference=f"{KB}, art. 22 tot 33",
        explain=explain_applicant,
    )
    def middelen_aanvrager(s: Simulation):
        return s.sum(s.where_persons(s("is_aanvrager"), s("bestaansmiddelen_persoon")))

    def explain_partner(e) -> str | None:
        if not e("heeft_partner"):
            return None
        if e("partner_aangerekend"):
            return (
                f"De partner heeft {e.eur('middelen_partner')} per jaar; het deel "
                f"boven het bedrag van categorie 1 telt mee: "
                f"{e.eur('partner_aangerekend')}."
            )
        return (
            "Van de partner telt niets mee (ontvangt zelf leefloon of heeft niet "
            "meer dan het bedrag van categorie 1)."
        )

    @f(HOUSEHOLD, "geld", "Bestaansmiddelen van de partner per jaar")
    def middelen_partner(s: Simulation):
        counted = s.is_("rol", "partner") & ~s("ontvangt_leefloon")
        return s.sum(s.where_persons(counted, s("bestaansmiddelen_persoon")))

    @f(
        HOUSEHOLD,
        "geld",
        "Meetellend deel van de bestaansmiddelen van de partner",
        reference=f"{KB}, art. 34 §1",
        explain=explain_partner,
    )
    def partner_aangerekend(s: Simulation):
        return s.positive(
            s("middelen_partner") - s.param("leefloon.bedrag.categorie_1")
        )

    @f(
        PERSON,
        "bool",
        "Onderhoudsplichtige huisgenoot wiens inkomsten meetellen",
        reference=f"{KB}, art. 34 §2",
    )
    def onderhoudsplichtige_meegeteld(s: Simulation):
        circle = s.is_("rol", "ouder", "meerderjarig_kind")
        if s.param("leefloon.samenwonenden.kring") == "alle_onderhoudsplichtigen":
            circle = circle | s.is_("rol", "andere_onderhoudsplichtige")
        if s.param("leefloon.samenwonenden.meetellen") == "verplicht":
            return circle
        return circle & s.to_persons(s("ocmw_rekent_onderhoudsplichtigen"))

    def explain_debtors(e) -> str | None:
        count = sum(bool(x) for x in e("onderhoudsplichtige_meegeteld"))
        if not count:
            return None
        return (
            f"Van {count} onderhoudsplichtige huisgenoot/huisgenoten "
            f"({e.eur('middelen_onderhoudsplichtigen')} per jaar) telt het deel "
            f"boven {count} x het bedrag van categorie 1 mee: "
            f"{e.eur('onderhoudsplichtigen_aangerekend')} (geen socio-professionele "
            "vrijstelling)."
        )

    @f(HOUSEHOLD, "geld", "Bestaansmiddelen van de meegetelde onderhoudsplichtigen")
    def middelen_onderhoudsplichtigen(s: Simulation):
        return s.sum(
            s.where_persons(
                s("onderhoudsplichtige_meegeteld"), s("bestaansmiddelen_persoon")
            )
        )

    @f(
        HOUSEHOLD,
        "geld",
        "Meetellend deel van de inkomsten van onderhoudsplichtigen",
        reference=f"{KB}, art. 34 §2",
        explain=explain_debtors,
    )
    def onderhoudsplichtigen_aangerekend(s: Simulation):
        count = s.count(s("onderhoudsplichtige_meegeteld"))
        threshold = s.times(s.param("leefloon.bedrag.categorie_1"), count)
        return s.positive(s("middelen_onderhoudsplichtigen") - threshold)

    @f(
        HOUSEHOLD,
        "geld",
        "Meetellende kinderbijslag voor de aanvrager",
        reference=f"{KB}, art. 22 §1 en art. 34 (vanaf 1 maart 2026)",
        explain=lambda e: (
            f"Kinderbijslag die een onderhoudsplichtige huisgenoot voor de aanvrager "
            f"ontvangt, telt mee: {e.eur('kinderbijslag_aangerekend')}."
            if e("kinderbijslag_aangerekend")
            else None
        ),
    )
    def kinderbijslag_aangerekend(s: Simulation):
        if s.param("leefloon.samenwonenden.kinderbijslag_voor_aanvrager") != "telt_mee":
            return s.zero()
        return s.sum(
            s.where_persons(
                s("onderhoudsplichtige_meegeteld"), s("kinderbijslag_voor_aanvrager")
            )
        )

    @f(HOUSEHOLD, "geld", "Bestaansmiddelen vóór de algemene vrijstelling")
    def middelen_voor_vrijstelling(s: Simulation):
        return (
            s("middelen_aanvrager")
            + s("partner_aangerekend")
            + s("onderhoudsplichtigen_aangerekend")
            + s("kinderbijslag_aangerekend")
        )

    def explain_exemption(e) -> str:
        total = e.eur("middelen_voor_vrijstelling")
        if not e("algemene_vrijstelling"):
            if e("middelen_voor_vrijstelling"):
                return (
                    f"Geen algemene vrijstelling: de bestaansmiddelen ({total}) zijn "
                    "niet lager dan het bedrag van de categorie."
                )
            return "Er zijn geen meetellende bestaansmiddelen."
        return (
            f"Algemene vrijstelling van categorie {e('categorie')}: "
            f"{e.eur('algemene_vrijstelling')} van {total} telt niet mee."
        )

    @f(
        HOUSEHOLD,
        "geld",
        "Algemene vrijstelling",
        reference=f"{KB}, art. 22 §2",
        explain=explain_exemption,
    )
    def algemene_vrijstelling(s: Simulation):
        category = s("categorie")
        amount = s.pick(
            category,
            {
                1: s.param("leefloon.vrijstelling.algemeen.categorie_1"),
                2: s.param("leefloon.vrijstelling.algemeen.categorie_2"),
                3: s.param("leefloon.vrijstelling.algemeen.categorie_3"),
            },
        )
        total = s("middelen_voor_vrijstelling")
        below = total < s("categoriebedrag")
        return np.where(below, np.minimum(amount, total), s.zero())

    @f(
        HOUSEHOLD,
        "geld",
        "Aangerekende bestaansmiddelen per jaar",
        reference=f"{LAW}, art. 16",
        explain=lambda e: (
            f"Aangerekende bestaansmiddelen: {e.eur('aangerekende_middelen')} per jaar."
        ),
    )
    def aangerekende_middelen(s: Simulation):
        return s("middelen_voor_vrijstelling") - s("algemene_vrijstelling")

    @f(
        HOUSEHOLD,
        "bool",
        "Voorwaarde: onvoldoende bestaansmiddelen",
        reference=f"{LAW}, art. 3, 4° en art. 16",
        explain=lambda e: (
            f"De aangerekende bestaansmiddelen ({e.eur('aangerekende_middelen')}) zijn "
            f"lager dan het leefloon van de categorie ({e.eur('categoriebedrag')})."
            if e("voorwaarde_bestaansmiddelen")
            else f"Niet voldaan: de aangerekende bestaansmiddelen "
            f"({e.eur('aangerekende_middelen')}) bereiken het leefloon van de "
            f"categorie ({e.eur('categoriebedrag')})."
        ),
    )
    def voorwaarde_bestaansmiddelen(s: Simulation):
        return s("aangerekende_middelen") < s("categoriebedrag")

    @f(
        HOUSEHOLD,
        "bool",
        "Recht op leefloon",
        reference=f"{LAW}, art. 3",
        explain=lambda e: (
            "Alle voorwaarden zijn vervuld."
            if e("recht_op_leefloon")
            else "Niet alle voorwaarden zijn vervuld: geen recht."
        ),
    )
    def recht_op_leefloon(s: Simulation):
        result = s(CONDITIONS[0])
        for name in CONDITIONS[1:]:
            result = result & s(name)
        return result

    @f(
        HOUSEHOLD,
        "geld",
        "Leefloon per jaar",
        reference=f"{LAW}, art. 14 §2",
        explain=lambda e: (
            f"Leefloon per jaar: {e.eur('categoriebedrag')} - "
            f"{e.eur('aangerekende_middelen')} = {e.eur('leefloon_jaarbedrag')}."
            if e("recht_op_leefloon")
            else None
        ),
    )
    def leefloon_jaarbedrag(s: Simulation):
        amount = s.positive(s("categoriebedrag") - s("aangerekende_middelen"))
        return np.where(s("recht_op_leefloon"), amount, s.zero())

    @f(
        HOUSEHOLD,
        "geld",
        "Leefloon per maand",
        reference=f"{LAW}, art. 14 §2",
        explain=lambda e: (
            f"Leefloon per maand: {e.eur('leefloon_jaarbedrag')} / 12 = "
            f"{e.eur('leefloon_maandbedrag')} (afgerond op de cent)."
            if e("recht_op_leefloon")
            else None
        ),
    )
    def leefloon_maandbedrag(s: Simulation):
        return s.divide(s("leefloon_jaarbedrag"), 12)


OUTPUTS = (
    *CONDITIONS,
    "categorie",
    "categoriebedrag",
    "algemene_vrijstelling",
    "aangerekende_middelen",
    "recht_op_leefloon",
    "leefloon_jaarbedrag",
    "leefloon_maandbedrag",
)


def check_date(date: datetime.date) -> None:
    """Refuse a date for which the parameters hold no amounts."""
    from stedenplatform.core.errors import PlatformError

    if date < EARLIEST_DATE:
        raise PlatformError(
            f"De datum {date:%d-%m-%Y} ligt vóór {EARLIEST_DATE:%d-%m-%Y}: de "
            "bedragen van het leefloon zijn opgenomen vanaf de indexering van "
            "1 juni 2017. Kies een datum vanaf 1 juni 2017.",
            code="datum_te_vroeg",
        )


def simulate_case(
    case: dict, date: datetime.date, *, choices: dict | None = None, trace: bool = True
) -> Simulation:
    """Evaluate one household exactly, with its trace."""
    check_date(date)
    system = get_system()
    simulation = Simulation(
        system,
        Population.from_cases(system, [case]),
        date,
        choices=choices,
        trace=trace,
    )
    for name in OUTPUTS:
        simulation(name)
    return simulation
