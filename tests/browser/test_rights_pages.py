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


def test_a_condition_with_a_syntax_error_is_refused_and_nothing_is_saved(
    page, catalogue, make_user, login, axe_violations
):
    from stedenplatform.rights.models import Right

    make_user("44021", "bijdrager", username="gent-bijdrager")
    login("gent-bijdrager")
    page.goto("/rechten/beheer/nieuw/")
    page.get_by_label("Titel").fill("Buurtpremie (fictief)")
    page.get_by_label("NIS-code van gemeente (lokaal) of provincie (provinciaal)").fill(
        "44021"
    )
    page.get_by_label("Omschrijving").fill("Een fictieve premie.")
    page.get_by_label("Voorwaarde in de voorwaardetaal").fill("leeftijd >= en huurder")
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert").inner_text()
    assert "de voorwaarde is ongeldig: positie 13" in alert
    assert not Right.objects.filter(title="Buurtpremie (fictief)").exists()
    assert axe_violations(page) == []
    page.get_by_label("Voorwaarde in de voorwaardetaal").fill(
        "huurder = waar en leeftijd >= 18"
    )
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("h1:has-text('Buurtpremie (fictief)')")
    assert Right.objects.get(title="Buurtpremie (fictief)").area.code == "44021"


def test_catalogue_pages_have_no_accessibility_violations(
    page, catalogue, axe_violations
):
    for url in ["/rechten/", "/rechten/recht/leefloon/", "/rechten/profielen/"]:
        page.goto(url)
        assert axe_violations(page) == [], url


def test_advice_changes_live_when_a_fact_is_corrected(page, catalogue):
    page.goto("/rechten/advies/?profiel=alleenstaande-zonder-inkomen")
    page.get_by_label("Datum van de aanvraag").fill("2025-03-01")
    page.get_by_role("button", name="Advies vragen").click()
    page.wait_for_selector("text=Advies: toekennen")
    page.get_by_label("Spaargeld en roerend kapitaal").first.fill("25000")
    page.get_by_label("Spaargeld en roerend kapitaal").first.blur()
    page.wait_for_selector("text=€ 1.199,37 per maand")


def test_screening_page_shows_the_result_accessibly(
    page, catalogue, make_user, login, axe_violations, tmp_path
):
    path = tmp_path / "bevolking.csv"
    path.write_text(
        "huishouden_id,gemeente,rol,leeftijd,ontvangt_leefloon\n"
        "1,44021,aanvrager,40,false\n2,11002,aanvrager,50,true\n"
    )
    make_user("44021", "bijdrager", username="gent-bijdrager")
    login("gent-bijdrager")
    page.goto("/rechten/screening/")
    page.get_by_label("Bevolkingsbestand (csv of Parquet)").set_input_files(str(path))
    page.get_by_label("Datum").fill("2025-03-01")
    page.get_by_role("button", name="Screenen").click()
    table = page.get_by_role("table", name="Screening per gemeente").inner_text()
    assert "Gent (44021)" in table
    assert axe_violations(page) == []
