"""Write the progress report of a plan (optionally for one round) as PDF or HTML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from stedenplatform.core.console import console
from stedenplatform.core.pdf import render_pdf
from stedenplatform.plans.charts import indicator_chart
from stedenplatform.plans.models import Plan
from stedenplatform.plans.queries import get_report


class Command(BaseCommand):
    help = "Maak het voortgangsrapport van een plan als PDF of HTML."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="code van het plan")
        parser.add_argument("output", help="pad; .pdf of .html")
        parser.add_argument("--ronde", type=int, help="id van de rapporteringsronde")

    def handle(self, *args, plan, output, ronde=None, **options):
        target = Plan.objects.filter(code=plan).first()
        if target is None:
            raise CommandError(f"Er is geen plan met code {plan!r}.")
        reporting_round = None
        if ronde is not None:
            reporting_round = target.rounds.filter(pk=ronde).first()
            if reporting_round is None:
                raise CommandError(f"Plan {plan!r} heeft geen ronde {ronde}.")
        context = get_report(target, reporting_round)
        with console.status("Grafieken tekenen ..."):
            for section in context["sections"]:
                section["charts"] = [
                    (i, indicator_chart(i))
                    for i in section["indicators"]
                    if i.measurements.all() or i.targets.all()
                ]
        path = Path(output)
        if path.suffix.lower() == ".pdf":
            with console.status("PDF opmaken ..."):
                path.write_bytes(render_pdf("plans/report_print.html", context))
        elif path.suffix.lower() in {".html", ".htm"}:
            path.write_text(
                render_to_string("plans/report_print.html", context), encoding="utf-8"
            )
        else:
            raise CommandError(f"Onbekend formaat {path.suffix!r}; kies .pdf of .html.")
        console.print(f"Rapport geschreven naar {path}.")
