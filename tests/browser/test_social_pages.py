"""DEMaD in a real browser: the public explanation, an OCMW uploading its
files (one refused), the benchmark report with its charts, tables and PDF,
the city dashboard, and a new run by the Kenniscentrum; axe-core on each."""

import pytest

from stedenplatform.social.tests import handmade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demad(organisations, settings, tmp_path):
    from stedenplatform.social.indicators import Parameters
    from stedenplatform.social.services import run_benchmark, upload_microdata

    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    for nis in ("11002", "24062"):
        folder = tmp_path / nis
        folder.mkdir()
        for dataset, path in handmade.write_csv(folder, nis, salt=nis).items():
            upload_microdata(None, organisations[nis], dataset, path, path.name)
    run = run_benchmark(
        None, Parameters(min_denominator=1, min_numerator=1, protect_complement=False)
    )
    files = tmp_path / "gent"
    files.mkdir()
    return {
        "run": run,
        "files": handmade.write_csv(files, "44021", salt="44021"),
        "tmp": tmp_path,
    }


def test_anonymous_visitor_sees_only_the_explanation(page, demad, axe_violations):
    page.goto("/demad/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("DEMaD")
    assert page.get_by_role("link", name="Meld je aan").is_visible()
    assert page.get_by_role("link", name="Benchmark").count() == 0
    assert axe_violations(page) == []
    page.goto(f"/demad/benchmark/{demad['run'].pk}/")
    assert "/aanmelden/" in page.url


def test_ocmw_uploads_its_files_and_sees_a_refused_one_explained(
    page, demad, make_user, login, axe_violations
):
    make_user("44021", "bijdrager", username="gent-bijdrager")
    login("gent-bijdrager")
    page.goto("/demad/gegevens/")
    assert axe_violations(page) == []
    page.get_by_label("Dataset").select_option("leefloon")
    page.get_by_label("Bestand (csv of xlsx, gepseudonimiseerd)").set_input_files(
        str(demad["files"]["leefloon"])
    )
    page.get_by_role("button", name="Opladen").click()
    page.wait_for_load_state()
    assert (
        "leefloon.csv is opgeladen: 25 rijen" in page.locator(".message").inner_text()
    )

    bad = demad["tmp"] / "werk.csv"
    bad.write_text("pseudoniem,maand,werk\np_fout,2024-13,ja\n", encoding="utf-8")
    page.get_by_label("Dataset").select_option("tewerkstelling")
    page.get_by_label("Bestand (csv of xlsx, gepseudonimiseerd)").set_input_files(
        str(bad)
    )
    page.get_by_role("button", name="Opladen").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "Het bestand is geweigerd" in alert.inner_text()
    assert "geen geldige maand" in alert.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="leefloon.csv").click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() == 25
    assert axe_violations(page) == []


def test_reader_opens_the_report_with_charts_tables_and_pdf(
    page, demad, make_user, login, axe_violations
):
    make_user("11002", "lezer", username="antwerpen-lezer")
    login("antwerpen-lezer")
    page.goto("/demad/benchmark/")
    page.get_by_role("link", name=f"Benchmark {demad['run'].pk}").click()
    page.wait_for_load_state()
    section = page.locator("#demad_uitstroom_werk")
    assert section.locator("figure.chart svg[role=img]").count() == 2
    table = section.get_by_role(
        "table", name="Uitstroom naar werk per stad, 2022", exact=True
    )
    assert "Antwerpen" in table.inner_text()
    assert "Positie" in section.inner_text()
    assert page.locator("#methode").get_by_text("max_gap_months").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Jaar", exact=True).select_option("2020")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_load_state()
    table = page.get_by_role(
        "table", name="Uitstroom naar werk per stad, 2020", exact=True
    )
    assert "75,0 %" in table.inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport als PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.goto("/demad/stad/11002/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "DEMaD-dashboard van Stad Antwerpen"
    )
    assert axe_violations(page) == []
    response = page.goto("/demad/stad/24062/")
    assert response.status == 403
    assert (
        "Het dashboard van Stad Leuven is er voor wie een rol heeft" in page.content()
    )


def test_kenniscentrum_runs_a_benchmark_with_changed_parameters(
    page, demad, make_user, login, axe_violations
):
    make_user("KVS", "beheerder", username="kvs-beheerder")
    login("kvs-beheerder")
    page.goto("/demad/benchmark/")
    assert axe_violations(page) == []
    page.get_by_label("Maanden zonder leefloon die een periode niet onderbreken").fill(
        "2"
    )
    page.get_by_role("button", name="Benchmark berekenen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "DEMaD-benchmark van de centrumsteden"
    )
    method = page.locator("#methode").inner_text()
    assert "max_gap_months\t2" in method or "max_gap_months 2" in method
