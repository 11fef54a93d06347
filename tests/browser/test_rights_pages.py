"""The Rechtenverkenner and the leefloon advice in a real browser."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(organisations):
    from stedenplatform.rights.demo_data import load_catalogue, load_profiles

    load_catalogue()
    load_profiles()


def test_explorer_with_postcode_and_profile_shows_local_rights_with_reasons(
    page, catalogue, axe_violations
):
    page.goto("/rechten/verkenner/")
    page.get_by_label("Postcode").fill("9000")
    page.get_by_text("Persoonlijk profiel (optioneel)").click()
    page.get_by_label("Ontvangt de persoon een leefloon?").select_option("ja")
    page.get_by_label("Hoe oud is de persoon?").fill("30")
    page.get_by_role("button", name="Rechten zoeken").click()
    page.wait_for_load_state()
    assert "rechten voor Gent (Provincie Oost-Vlaanderen)" in page.inner_text(
        "h2#resultaat"
    )
    card = page.locator("li.card", has_text="Vrijetijdspas met kansentarief (fictief)")
    assert "Waarschijnlijk recht" in card.inner_text()
    assert "ontvangt leefloon" in card.inner_text()
    assert "fictief" in card.inner_text()
    assert page.locator("li.card", has_text="Korting kinderopvang").count() == 0
    assert axe_violations(page) == []


def test_explorer_refuses_an_unknown_postcode(page, catalogue):
    page.goto("/rechten/verkenner/")
    page.get_by_label("Postcode").fill("0000")
    page.get_by_role("button", name="Rechten zoeken").click()
    assert "Postcode 0000 is onbekend" in page.get_by_role("alert").inner_text()


def test_advice_page_with_a_profile_shows_the_advice_and_its_explanation(
    page, catalogue, axe_violations
):
    page.goto("/rechten/advies/")
    page.get_by_label("Cliëntprofiel").select_option("alleenstaande-zonder-inkomen")
    page.get_by_role("button", name="Profiel invullen").click()
    page.wait_for_load_state()
    page.get_by_label("Datum van de aanvraag").fill("2025-03-01")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("text=Advies: toekennen")
    panel = page.locator("#advies").inner_text()
    assert "€ 1.314,20 per maand" in panel
    assert "Categorie 2: alleenstaande persoon." in panel
    assert "RMI-wet" in panel
    page.get_by_label("Nationaliteit of verblijfsstatus").select_option(
        "eu_burger_eerste_drie_maanden"
    )
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("text=Advies: weigeren")
    assert axe_violations(page) == []


def test_advice_page_refuses_a_negative_income(page, catalogue):
    page.goto("/rechten/advies/?profiel=alleenstaande-zonder-inkomen")
    page.get_by_label("Datum van de aanvraag").fill("2025-03-01")
    page.get_by_label("Netto inkomsten uit arbeid per jaar").first.fill("-100")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("text=kan niet negatief zijn")
    assert (
        "aanvrager.inkomsten.beroepsinkomen" in page.get_by_role("alert").inner_text()
    )
