"""Fixtures every module's tests share: the member organisations, one user
per role, and a real headless Chromium for page tests."""

import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("STEDENPLATFORM_CHROMIUM", "/usr/bin/chromium")
TEST_PASSWORD = "test-wachtwoord-123"


@pytest.fixture
def geography(db):
    from stedenplatform.core.geography import load_geography_2025

    load_geography_2025()


@pytest.fixture
def organisations(geography):
    from stedenplatform.core.demo_data import load_organisations
    from stedenplatform.core.models import Organisation

    load_organisations()
    return {o.code: o for o in Organisation.objects.all()}


@pytest.fixture
def make_user(db):
    """Create a user with a role in an organisation: make_user('44021', 'lezer')."""
    from django.contrib.auth import get_user_model

    from stedenplatform.core.models import Membership, Organisation

    def make(
        org_code: str | None = None,
        role: str | None = None,
        username: str | None = None,
    ):
        username = username or f"{org_code or 'zonder'}-{role or 'geen'}"
        user = get_user_model().objects.create_user(
            username=username, password=TEST_PASSWORD
        )
        if org_code and role:
            Membership.objects.create(
                user=user,
                organisation=Organisation.objects.get(code=org_code),
                role=role,
            )
        return user

    return make


@pytest.fixture(scope="session")
def _playwright_browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser, live_server):
    """A fresh browser page whose base URL is the live test server."""
    context = _playwright_browser.new_context(
        base_url=live_server.url, locale="nl-BE", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do_login(username: str, password: str = TEST_PASSWORD):
        page.goto("/aanmelden/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()

    return do_login


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return violations."""

    def run(page) -> list[dict]:
        # Evaluated through the browser's debugging protocol, so that the
        # pages' Content-Security-Policy (no inline scripts) stays in force.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            {
                "id": v["id"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]

    return run


def pytest_configure(config):
    from django.conf import settings

    # Hashing at full strength costs half a second per test user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
