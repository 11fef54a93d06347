"""`stedenplatform import-lpdc`: import local rights from an LPDC JSON-LD file."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import PlatformError
from stedenplatform.rights.lpdc import import_lpdc


class Command(BaseCommand):
    help = "Importeer lokale rechten uit een LPDC-bestand (JSON-LD, CPSV-AP)."

    def add_arguments(self, parser):
        parser.add_argument("bestand")
        parser.add_argument(
            "--gebruiker",
            required=True,
            help="gebruikersnaam van wie importeert (voor de audit)",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["gebruiker"]).first()
        if user is None:
            raise CommandError(f"Gebruiker '{options['gebruiker']}' bestaat niet.")
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        try:
            counts = import_lpdc(user, path.read_bytes(), path.name)
        except (PlatformError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        console.print(
            f"{path.name}: {counts['nieuw']} nieuw, {counts['gewijzigd']} "
            f"gewijzigd, {counts['ongewijzigd']} ongewijzigd."
        )
