import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from stedenplatform.plans.models import Plan


def test_export_and_import_plan_by_command_line(city_plan, tmp_path):
    target = tmp_path / "plan.xlsx"
    call_command("export_plan", city_plan.code, str(target))
    assert target.read_bytes()[:2] == b"PK"
    count = city_plan.items.count()
    Plan.objects.filter(pk=city_plan.pk).delete()
    call_command("import_plan", str(target))
    assert Plan.objects.get(code=city_plan.code).items.count() == count


def test_import_plan_command_reports_the_refusal(city_plan, tmp_path):
    bad = tmp_path / "items.csv"
    bad.write_text("code;status;voortgang\nAC02.02.02;klaar;10\n", encoding="utf-8")
    with pytest.raises(CommandError, match="items.csv is geweigerd"):
        call_command("import_plan", str(bad), "--plan", city_plan.code)


def test_report_command_writes_a_pdf_with_every_programme(jaarplan, tmp_path):
    target = tmp_path / "jaarverslag.pdf"
    call_command("report", jaarplan.code, str(target))
    text = "".join(page.extract_text() for page in PdfReader(target).pages[:3])
    assert "Voortgangsrapport Jaarplan 2026" in text
    assert "Communicatie" in text


def test_report_command_for_a_closed_round(city_plan, tmp_path):
    reporting_round = city_plan.rounds.filter(closed_at__isnull=False).first()
    target = tmp_path / "rapport.html"
    call_command(
        "report", city_plan.code, str(target), "--ronde", str(reporting_round.pk)
    )
    html = target.read_text(encoding="utf-8")
    assert reporting_round.name in html
    assert "<svg" in html


def test_unknown_plan_is_named_in_the_error(db, tmp_path):
    with pytest.raises(CommandError, match="Er is geen plan met code 'bestaat-niet'"):
        call_command("export_plan", "bestaat-niet", str(tmp_path / "x.csv"))
