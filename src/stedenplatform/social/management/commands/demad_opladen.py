"""Upload one OCMW's microdata file (csv or xlsx) as its current data set."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.core.errors import PlatformError
from stedenplatform.core.models import Organisation
from stedenplatform.social.schemas import SCHEMAS
from stedenplatform.social.services import upload_microdata


class Command(BaseCommand):
    help = "Laad een gepseudonimiseerd DEMaD-bestand op voor een OCMW."

    def add_arguments(self, parser):
        parser.add_argument("bestand", help=".csv of .xlsx")
        parser.add_argument("--ocmw", required=True, help="NIS-code van de stad")
        parser.add_argument("--dataset", required=True, choices=list(SCHEMAS))
        parser.add_argument(
            "--gebruiker",
            help="gebruikersnaam; zijn rol bij het OCMW wordt gecontroleerd",
        )
        parser.add_argument(
            "--fictief", action="store_true", help="markeer de gegevens als verzonnen"
        )

    def handle(
        self, *args, bestand, ocmw, dataset, gebruiker=None, fictief=False, **options
    ):
        organisation = (
            Organisation.objects.filter(code=ocmw).select_related("area").first()
        )
        if organisation is None:
            raise CommandError(
                f"Onbekend OCMW {ocmw!r}; toegelaten: de NIS-code van een "
                "centrumstad, bv. 44021."
            )
        actor = None
        if gebruiker:
            actor = get_user_model().objects.filter(username=gebruiker).first()
            if actor is None:
                raise CommandError(f"Onbekende gebruiker {gebruiker!r}.")
        path = Path(bestand)
        if not path.is_file():
            raise CommandError(f"Bestand {bestand} bestaat niet.")
        try:
            upload, changed = upload_microdata(
                actor, organisation, dataset, path, path.name, synthetic=fictief
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except PlatformError as error:
            raise CommandError(error.message) from error
        if changed:
            console.print(
                f"[green]{path.name}: {upload.rows} rijen opgeladen "
                f"(upload {upload.pk})."
            )
        else:
            console.print(
                f"{path.name} is gelijk aan de huidige upload {upload.pk}; "
                "niets veranderd."
            )
