"""Import newsletter subscribers with their recorded consent from a CSV file."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import InputRefusedError
from stedenplatform.knowledge.newsletter import import_subscribers


class Command(BaseCommand):
    help = (
        "Lees abonnees van het nieuwsbulletin in uit een CSV-bestand met de kolommen "
        "email, naam, toestemming_op (JJJJ-MM-DD) en bron. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--gebruiker",
            required=True,
            help="gebruikersnaam van een bijdrager van het Kenniscentrum",
        )

    def handle(self, *args, file: Path, gebruiker: str, **options):
        actor = get_user_model().objects.filter(username=gebruiker).first()
        if actor is None:
            raise CommandError(f"Onbekende gebruiker {gebruiker!r}.")
        if not file.exists():
            raise CommandError(f"Bestand niet gevonden: {file}")
        try:
            result = import_subscribers(actor, file.name, file.read_bytes())
        except InputRefusedError as exc:
            raise CommandError(exc.message) from exc
        console.print(
            f"{result['rows']} rijen ingelezen: {result['created']} nieuw, "
            f"{result['updated']} bijgewerkt."
        )
