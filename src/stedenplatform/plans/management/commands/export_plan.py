"""Export a plan to xlsx, csv or YAML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.plans.models import Plan
from stedenplatform.plans.services import export_plan


class Command(BaseCommand):
    help = "Exporteer een plan naar xlsx, csv of yaml."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="code van het plan, bv. jaarplan-2026")
        parser.add_argument(
            "output", help="pad van het bestand; de extensie kiest het formaat"
        )

    def handle(self, *args, plan, output, **options):
        target = Plan.objects.filter(code=plan).first()
        if target is None:
            raise CommandError(f"Er is geen plan met code {plan!r}.")
        path = Path(output)
        file_format = path.suffix.lstrip(".").lower().replace("yml", "yaml")
        if file_format not in {"xlsx", "csv", "yaml"}:
            raise CommandError(
                f"Onbekend formaat {path.suffix!r}; kies .xlsx, .csv of .yaml."
            )
        data, _ = export_plan(target, file_format)
        path.write_bytes(data)
        console.print(f"{target.title} geëxporteerd naar {path} ({len(data)} bytes).")
