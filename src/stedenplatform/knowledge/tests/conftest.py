"""Fixtures of the Kennisbank tests: a small plan with groups, sample files
in every supported format, a user per role and the fake Brevo server."""

import datetime
import io

import pytest
from django.utils import timezone

from .fake_brevo import FakeBrevoServer


@pytest.fixture
def plan(organisations):
    from stedenplatform.plans.models import Group, Item, Level, Plan

    kvs = organisations["KVS"]
    plan = Plan.objects.create(
        organisation=kvs,
        code="jaarplan-2026",
        title="Jaarplan 2026",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        published=True,
    )
    levels = [
        Level.objects.create(plan=plan, depth=d, key=k, label=k.title())
        for d, k in enumerate(["programma", "werkspoor", "doelstelling", "actie"])
    ]
    digi = Item.objects.create(
        plan=plan,
        level=levels[0],
        code="DIGI",
        title="Digitale Transitie",
        sort_key="0001",
    )
    cyber = Item.objects.create(
        plan=plan,
        level=levels[1],
        parent=digi,
        code="DIGI.4",
        title="Van technologische naar culturele cybersecurity",
        sort_key="0001.0001",
    )
    gdpr = Group.objects.create(
        organisation=kvs,
        code="werkgroep-gdpr",
        name="Werkgroep GDPR",
        kind="werkgroep",
        cadence_text="op regelmatige basis",
    )
    gdpr.members.set([organisations["44021"], organisations["11002"]])
    orba = Group.objects.create(
        organisation=kvs,
        code="werkgroep-orba",
        name="Werkgroep ORBA",
        kind="werkgroep",
        every_weeks=6,
        cadence_text="zeswekelijks",
    )
    orba.members.set([organisations["44021"], organisations["24062"]])
    stuur = Group.objects.create(
        organisation=kvs,
        code="stuurgroep-klimaattransitie",
        name="Stuurgroep Klimaattransitie",
        kind="stuurgroep",
        per_year=4,
        cadence_text="4 keer per jaar",
    )
    stuur.members.set([organisations["44021"]])
    cyber.groups.set([gdpr])
    return {
        "plan": plan,
        "digi": digi,
        "cyber": cyber,
        "gdpr": gdpr,
        "orba": orba,
        "stuur": stuur,
    }


@pytest.fixture
def users(organisations, make_user):
    """One user per role: KVS beheerder/bijdrager/lezer, Gent (member of the
    GDPR group) bijdrager/lezer, Leuven bijdrager (not in it), no role."""
    return {
        "kvs_beheerder": make_user("KVS", "beheerder"),
        "kvs_bijdrager": make_user("KVS", "bijdrager"),
        "kvs_lezer": make_user("KVS", "lezer"),
        "gent_bijdrager": make_user("44021", "bijdrager"),
        "gent_lezer": make_user("44021", "lezer"),
        "leuven_bijdrager": make_user("24062", "bijdrager"),
        "zonder_rol": make_user(None, None, username="zonder-rol"),
    }


def make_pdf(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return HTML(string=f"<html lang='nl'><body>{paragraphs}</body></html>").write_pdf()


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Gegevens"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_pptx(title: str, body: str) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


@pytest.fixture
def fake_brevo(settings):
    with FakeBrevoServer() as server:
        settings.BREVO_API_URL = server.url
        settings.BREVO_API_KEY = server.state.api_key
        yield server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def now():
    return timezone.now()
