"""Import a plan from a YAML, xlsx or csv file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import InputRefusedError
from stedenplatform.plans.models import Plan
from stedenplatform.plans.services import import_plan


class Command(BaseCommand):
    help = "Importeer een plan uit een YAML-, xlsx- of csv-bestand (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="pad naar het bestand")
        parser.add_argument(
            "--plan", help="code van het plan waarin een csv met items hoort"
        )

    def handle(self, *args, file, plan=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Het bestand {file!r} bestaat niet.")
        target = None
        if plan:
            target = Plan.objects.filter(code=plan).first()
            if target is None:
                raise CommandError(f"Er is geen plan met code {plan!r}.")
        try:
            imported = import_plan(
                None, path.read_bytes(), path.name, plan=target, check_permission=False
            )
        except InputRefusedError as error:
            raise CommandError(str(error)) from error
        console.print(
            f"[green]{imported.title}[/] ({imported.code}): {imported.items.count()} items."
        )
