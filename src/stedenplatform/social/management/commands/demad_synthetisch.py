"""Generate synthetic ("fictief") DEMaD microdata for the 13 cities."""

import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console, progress_bar
from stedenplatform.core.models import Organisation
from stedenplatform.social.schemas import SCHEMAS
from stedenplatform.social.services import upload_microdata
from stedenplatform.social.synthetic import generate_city, load_population, write_csv


def parse_years(text: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in text.split("-"))
    except ValueError as exc:
        raise CommandError(
            f"Ongeldige jaren {text!r}; toegelaten: bv. 2016-2025."
        ) from exc
    if not 1990 <= first <= last <= 2100:
        raise CommandError(f"Ongeldige jaren {text!r}; toegelaten: bv. 2016-2025.")
    return first, last


class Command(BaseCommand):
    help = (
        "Maak fictieve DEMaD-microdata voor de 13 centrumsteden (grootte naar de "
        "bevolking) en schrijf ze weg als csv of Parquet, of laad ze meteen op."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jaren", default="2016-2025", help="bv. 2016-2025")
        parser.add_argument(
            "--schaal",
            type=float,
            default=1.0,
            help="1.0 = realistische grootte; 0.05 voor een demo",
        )
        parser.add_argument("--zaad", type=int, default=0, help="toevalszaad")
        parser.add_argument("--uit", help="map om de bestanden in te schrijven")
        parser.add_argument("--formaat", choices=["csv", "parquet"], default="csv")
        parser.add_argument(
            "--opladen",
            action="store_true",
            help="laad de bestanden op als fictieve gegevens van elk OCMW",
        )
        parser.add_argument("--steden", nargs="*", help="alleen deze NIS-codes")

    def handle(
        self,
        *args,
        jaren,
        schaal,
        zaad,
        uit=None,
        formaat="csv",
        opladen=False,
        steden=None,
        **options,
    ):
        first, last = parse_years(jaren)
        if not 0 < schaal <= 10:
            raise CommandError(
                f"Ongeldige schaal {schaal}; toegelaten: meer dan 0 tot 10."
            )
        if not uit and not opladen:
            raise CommandError("Geef --uit MAP, --opladen of allebei.")
        cities = steden or sorted(load_population())
        unknown = sorted(set(cities) - set(load_population()))
        if unknown:
            raise CommandError(
                f"Onbekende steden {', '.join(unknown)}; toegelaten: de "
                "NIS-codes van de 13 centrumsteden."
            )
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(uit) if uit else Path(scratch)
            target.mkdir(parents=True, exist_ok=True)
            total = 0
            with progress_bar("Synthetische gegevens", len(cities)) as advance:
                for nis in cities:
                    tables = generate_city(nis, first, last, scale=schaal, seed=zaad)
                    for dataset, table in tables.items():
                        suffix = "csv" if opladen or formaat == "csv" else "parquet"
                        path = target / f"{nis}-{dataset}-fictief.{suffix}"
                        if suffix == "csv":
                            write_csv(table, dataset, path)
                        else:
                            pq.write_table(table, path, compression="zstd")
                        if opladen:
                            organisation = Organisation.objects.get(
                                area__code=nis, kind="centrumstad"
                            )
                            upload_microdata(
                                None,
                                organisation,
                                dataset,
                                path,
                                path.name,
                                synthetic=True,
                            )
                    total += tables["leefloon"].num_rows
                    advance()
        console.print(
            f"[green]{total} fictieve leefloonmaanden voor {len(cities)} "
            f"steden ({first}-{last}, {len(SCHEMAS)} datasets per stad)."
        )
