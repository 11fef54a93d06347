"""Stad in Cijfers in a real browser: open an indicator page, switch to the
map, download the csv of what is shown, and check every view with axe-core;
then the benchmark, the area profile with its steekkaart PDF, and the
refused upload."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = (
    "PERIOD;GEOLEVEL;GEOITEM;inwoners;inwoners_65\n"
    "2023;gemeente;44021;263000;45000\n2024;gemeente;44021;265000;45500\n"
    "2024;gemeente;11002;536000;3\n2024;gemeente;24062;104000;16000\n"
)


@pytest.fixture
def figures(organisations):
    from stedenplatform.stats.catalogue import upsert_indicators
    from stedenplatform.stats.geography_load import load_statistical_geography
    from stedenplatform.stats.services import import_indicator_file

    load_statistical_geography(with_sectors=False)
    upsert_indicators(
        [
            {
                "code": "inwoners",
                "name": "Inwoners",
                "unit": "persoon",
                "kind": "count",
                "theme": "Demografie/Bevolking",
                "source": "Statbel",
                "terms_of_use": "CC BY 4.0",
            },
            {
                "code": "inwoners_65",
                "name": "Inwoners 65+",
                "unit": "persoon",
                "kind": "count",
                "theme": "Demografie/Leeftijd",
                "source": "Statbel",
            },
        ]
    )
    import_indicator_file("data.csv", DATA.encode())


def test_indicator_page_map_and_csv_download(page, figures, axe_violations):
    page.goto("/cijfers/")
    page.get_by_label("Zoek een indicator").fill("65")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**q=65**")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").first.inner_text().startswith("1 indicator")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Inwoners 65+").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Inwoners 65+"
    assert page.locator("figure.chart svg[role=img]").count() == 1
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Weergave").get_by_role(
        "link", name="Kaart"
    ).click()
    page.wait_for_load_state()
    assert "weergave=kaart" in page.url
    assert page.locator("figure.chart svg").count() == 1
    assert page.get_by_role("cell", name="x").count() == 1
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="csv").click()
    download = info.value
    text = open(download.path(), encoding="utf-8-sig").read()
    assert download.suggested_filename.endswith(".csv")
    assert "44021;Gent;45500" in text
    assert "11002;Antwerpen;x" in text

    page.get_by_role("navigation", name="Weergave").get_by_role(
        "link", name="Vergelijking"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("row", name="Vlaams Gewest").count() == 1
    assert axe_violations(page) == []


def test_benchmark_profile_steekkaart_and_refused_upload(
    page, figures, login, make_user, axe_violations
):
    page.goto("/cijfers/benchmark/?thema=Demografie")
    assert page.get_by_role("cell", name="265.000 #2").count() == 1
    assert axe_violations(page) == []
    page.goto("/cijfers/gebied/44021/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Steekkaart Demografie").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="pdf").click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"

    make_user("KVS", "bijdrager", username="data-team")
    login("data-team")
    page.goto("/cijfers/importeren/")
    page.get_by_label("Bestand (csv, xlsx of parquet)").set_input_files(
        files=[
            {
                "name": "fout.csv",
                "mimeType": "text/csv",
                "buffer": b"PERIOD;GEOLEVEL;GEOITEM;inwoners\n2024;gemeente;99999;1\n",
            }
        ]
    )
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").inner_text()
    assert "rij 2, kolom 'GEOITEM': onbekend gebied op niveau gemeente" in alert
    assert axe_violations(page) == []
