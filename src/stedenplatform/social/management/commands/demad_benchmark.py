"""Compute the DEMaD benchmark over every OCMW's current data."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import PlatformError
from stedenplatform.social.indicators import Parameters
from stedenplatform.social.publish import publish_run
from stedenplatform.social.services import run_benchmark


class Command(BaseCommand):
    help = (
        "Bereken alle DEMaD-indicatoren voor alle steden, met geheimhouding, en "
        "publiceer ze desgewenst in Cijfers (intern)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parameter",
            action="append",
            default=[],
            metavar="NAAM=WAARDE",
            help="wijzig een parameter, bv. --parameter max_gap_months=2 of "
            "--parameter age_bounds=18,30,50",
        )
        parser.add_argument(
            "--publiceren",
            action="store_true",
            help="publiceer de cijfers per stad in Cijfers",
        )
        parser.add_argument("--gebruiker", help="gebruikersnaam (beheerder van KVS)")

    def handle(self, *args, parameter, publiceren=False, gebruiker=None, **options):
        values: dict = {}
        for item in parameter:
            name, _, raw = item.partition("=")
            if not raw:
                raise CommandError(
                    f"Ongeldige parameter {item!r}; toegelaten: NAAM=WAARDE."
                )
            if name == "age_bounds":
                values[name] = [int(v) for v in raw.split(",")]
            elif raw.lower() in ("ja", "nee", "true", "false"):
                values[name] = raw.lower() in ("ja", "true")
            else:
                try:
                    values[name] = int(raw)
                except ValueError as exc:
                    raise CommandError(
                        f"Geen geheel getal voor {name}: {raw!r}."
                    ) from exc
        actor = None
        if gebruiker:
            actor = get_user_model().objects.filter(username=gebruiker).first()
            if actor is None:
                raise CommandError(f"Onbekende gebruiker {gebruiker!r}.")
        try:
            run = run_benchmark(actor, Parameters.from_dict(values))
            console.print(
                f"[green]Benchmark {run.pk}: {run.figure_count} cijfers, "
                f"{run.suppressed_count} geheim, steden {len(run.cities)}."
            )
            console.print("Parameters: " + json.dumps(run.parameters))
            if publiceren:
                result = publish_run(actor, run)
                console.print(f"[green]Gepubliceerd: {result}")
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except PlatformError as error:
            raise CommandError(error.message) from error
