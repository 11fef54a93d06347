"""`stedenplatform leefloon-screening`: households likely entitled to leefloon
who do not receive it, from a population file (csv or Parquet)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.table import Table

from stedenplatform.core.console import console, progress_bar
from stedenplatform.core.errors import PlatformError
from stedenplatform.core.models import Area
from stedenplatform.rights.screening import check_population, read_population, screen


class Command(BaseCommand):
    help = (
        "Zoek huishoudens die waarschijnlijk recht hebben op leefloon maar het "
        "niet ontvangen (bevolkingsbestand csv of Parquet, één rij per persoon)."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand")
        parser.add_argument("--datum", default=datetime.date.today().isoformat())
        parser.add_argument(
            "--uitvoer", help="csv- of Parquet-bestand voor de huishoudens"
        )
        parser.add_argument("--lezing-meetellen", choices=["facultatief", "verplicht"])

    def handle(self, *args, **options):
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        try:
            date = datetime.date.fromisoformat(options["datum"])
        except ValueError:
            raise CommandError(
                f"Datum '{options['datum']}' is ongeldig; gebruik JJJJ-MM-DD."
            ) from None
        choices = {}
        if options["lezing_meetellen"]:
            choices["leefloon.samenwonenden.meetellen"] = options["lezing_meetellen"]
        known = set(
            Area.objects.filter(level="gemeente", valid_to__isnull=True).values_list(
                "code", flat=True
            )
        )
        try:
            frame = check_population(read_population(path), path.name, known)
            total = frame["huishouden_id"].n_unique()
            with progress_bar("Huishoudens beoordelen", total) as advance:
                missed, counts = screen(frame, date, choices=choices, advance=advance)
        except PlatformError as error:
            raise CommandError(error.message) from None
        names = dict(
            Area.objects.filter(
                code__in=counts["gemeente"].to_list(),
                level="gemeente",
                valid_to__isnull=True,
            ).values_list("code", "name")
        )
        table = Table(title=f"Leefloon-screening op {date:%d-%m-%Y}")
        for column in [
            "gemeente",
            "huishoudens",
            "waarschijnlijk gerechtigd",
            "ontvangt al",
            "ontvangt niet",
        ]:
            table.add_column(
                column, justify="left" if column == "gemeente" else "right"
            )
        for row in counts.iter_rows(named=True):
            table.add_row(
                f"{names.get(row['gemeente'], '?')} ({row['gemeente']})",
                str(row["huishoudens"]),
                str(row["waarschijnlijk_gerechtigd"]),
                str(row["ontvangt_al"]),
                str(row["niet_ontvangen"]),
            )
        console.print(table)
        if options["uitvoer"]:
            out = Path(options["uitvoer"])
            if out.suffix.lower() == ".parquet":
                missed.write_parquet(out)
            else:
                missed.write_csv(out)
            console.print(f"{missed.height} huishoudens geschreven naar {out}.")
        else:
            console.print(
                f"{missed.height} huishoudens ontvangen geen leefloon maar hebben "
                "er waarschijnlijk recht op."
            )
