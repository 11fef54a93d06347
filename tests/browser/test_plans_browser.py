"""The plan module in a real headless Chromium."""

import pytest

from stedenplatform.plans.demo_data import load_jaarplan, load_meerjarenplan
from stedenplatform.plans.models import ProgressUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plans(organisations, make_user):
    make_user("44021", "bijdrager", username="gent-bijdrager")
    make_user("44021", "beheerder", username="gent-beheerder")
    return load_jaarplan(), load_meerjarenplan()


def test_bijdrager_updates_an_action_closes_a_round_compares_and_downloads_the_pdf(
    page, login, plans
):
    _, city_plan = plans
    login("gent-bijdrager")
    page.goto(f"/plannen/{city_plan.code}/items/AC02.02.02/")
    page.get_by_label("Status").select_option("op_schema")
    page.get_by_label("Voortgang (%)").fill("40")
    page.get_by_label("Toelichting").fill("Kaart van het buurtgroen is klaar.")
    page.get_by_role("button", name="Update opslaan").click()
    assert page.get_by_text("De update is opgeslagen.").is_visible()
    assert (
        page.locator("table")
        .get_by_text("Kaart van het buurtgroen is klaar.")
        .is_visible()
    )
    assert ProgressUpdate.objects.filter(item__code="AC02.02.02", progress=40).exists()

    page.get_by_role("link", name="Rapporteringsrondes").click()
    page.get_by_role("link", name="Opvolging vierde kwartaal 2026 (fictief)").click()
    page.get_by_role("button", name="Ronde afsluiten en stand bevriezen").click()
    assert page.get_by_text("De ronde is afgesloten").is_visible()

    page.get_by_label("Vergelijk met").select_option(
        label="Opvolging derde kwartaal 2026 (fictief)"
    )
    page.get_by_role("button", name="Vergelijken").click()
    assert page.get_by_role("link", name="AC02.02.02").is_visible()
    assert page.get_by_role(
        "cell", name="Kaart van het buurtgroen is klaar."
    ).is_visible()

    page.get_by_role("link", name="Rapport", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als PDF").click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith(f"rapport-{city_plan.code}")


def test_tree_filters_work_without_javascript(_playwright_browser, live_server, plans):
    _, city_plan = plans
    context = _playwright_browser.new_context(
        base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"/plannen/{city_plan.code}/boom/")
    page.get_by_label("Status").select_option("vertraagd")
    page.get_by_role("button", name="Filteren").click()
    assert "status=vertraagd" in page.url
    assert page.locator("tbody tr", has_text="AC01.01.03").count() == 1
    assert page.locator("tbody tr", has_text="AC04.01.01").count() == 0
    context.close()


MAIN_PAGES = [
    "/",
    "/aanmelden/",
    "/plannen/",
    "/plannen/{jaarplan}/",
    "/plannen/{jaarplan}/boom/",
    "/plannen/{jaarplan}/items/OBMI.2.D1/",
    "/plannen/{city}/",
    "/plannen/{city}/items/AC01.01.01/",
    "/plannen/{city}/rondes/",
    "/plannen/{city}/rondes/vergelijken/",
    "/plannen/{city}/rapport/",
    "/plannen/groepen/",
]


def test_main_plan_pages_have_no_accessibility_violations(
    page, login, plans, axe_violations
):
    jaarplan, city_plan = plans
    login("gent-bijdrager")
    found = {}
    for url in MAIN_PAGES:
        page.goto(url.format(jaarplan=jaarplan.code, city=city_plan.code))
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    assert found == {}
