"""Replace the INSZ column of a csv or xlsx file by pseudonyms (at the OCMW)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import PlatformError
from stedenplatform.social.pseudonymise import (
    DEFAULT_COLUMN,
    KEY_ENV_VAR,
    load_key,
    pseudonymise_file,
)


class Command(BaseCommand):
    help = (
        "Vervang de INSZ-kolom van een csv- of xlsx-bestand door pseudoniemen "
        "(HMAC-SHA256 met de sleutel van het OCMW). Een ongeldig INSZ weigert het hele "
        "bestand; er wordt dan niets geschreven."
    )

    def add_arguments(self, parser):
        parser.add_argument("bron", help="bestand met een INSZ-kolom (.csv of .xlsx)")
        parser.add_argument(
            "doel", help="nieuw bestand met pseudoniemen (.csv of .xlsx)"
        )
        parser.add_argument(
            "--sleutelbestand",
            help=f"bestand met de sleutel van het OCMW; anders ${KEY_ENV_VAR}",
        )
        parser.add_argument(
            "--kolom",
            default=DEFAULT_COLUMN,
            help="naam van de INSZ-kolom (standaard: insz)",
        )

    def handle(
        self, *args, bron, doel, sleutelbestand=None, kolom=DEFAULT_COLUMN, **options
    ):
        try:
            key = load_key(sleutelbestand)
            rows = pseudonymise_file(Path(bron), Path(doel), key, column=kolom)
        except PlatformError as error:
            raise CommandError(error.message) from error
        console.print(f"[green]{rows} rijen gepseudonimiseerd naar {doel}.")
