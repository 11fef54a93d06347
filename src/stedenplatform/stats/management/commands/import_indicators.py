"""`stedenplatform import-indicators FILE...`: read indicator files (wide or
long; csv, xlsx, Parquet), refuse a bad file whole, write a good one."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console, progress_bar
from stedenplatform.core.errors import InputRefusedError
from stedenplatform.stats.services import import_indicator_file


class Command(BaseCommand):
    help = (
        "Lees indicatorbestanden in (breed: PERIOD, GEOLEVEL, GEOITEM, indicatoren; "
        "of lang: indicator, area, period, value) uit csv, xlsx of parquet."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="bestanden om in te lezen")
        parser.add_argument(
            "--controleer",
            action="store_true",
            help="alleen controleren, niets opslaan",
        )

    def handle(self, *args, files, controleer=False, **options):
        refused = 0
        with progress_bar("Bestanden inlezen", len(files)) as advance:
            for name in files:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"Bestand '{name}' bestaat niet.")
                try:
                    result = import_indicator_file(
                        path.name, path.read_bytes(), dry_run=controleer
                    )
                except InputRefusedError as error:
                    refused += 1
                    console.print(f"[red]{error.message}")
                    advance()
                    continue
                rows = len(result.parsed.rows)
                if result.written is None:
                    console.print(
                        f"{path.name}: {rows} observaties in orde (niets opgeslagen)."
                    )
                else:
                    w = result.written
                    console.print(
                        f"{path.name}: {rows} observaties; {w.created} nieuw, "
                        f"{w.updated} gewijzigd, {w.unchanged} ongewijzigd, "
                        f"{w.aggregated} geaggregeerd, {w.computed} berekend, "
                        f"{w.suppressed} onderdrukt."
                    )
                advance()
        if refused:
            raise CommandError(f"{refused} bestand(en) geweigerd.")
