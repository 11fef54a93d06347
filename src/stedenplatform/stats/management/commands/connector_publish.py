"""`stedenplatform connector-publish DATASET --thema PAD | --codes ...`:
make a new signed version of a dataset when its content changed."""

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console
from stedenplatform.stats.connector import ConnectorError, publish_package


class Command(BaseCommand):
    help = "Publiceer een dataset als ondertekend, geversioneerd Connector-pakket."

    def add_arguments(self, parser):
        parser.add_argument("dataset")
        parser.add_argument(
            "--thema", help="thema (pad) waarvan de indicatoren meegaan"
        )
        parser.add_argument("--codes", nargs="*", help="indicatorcodes")

    def handle(self, *args, dataset, thema=None, codes=None, **options):
        try:
            package, created = publish_package(dataset, codes=codes, theme=thema)
        except ConnectorError as error:
            raise CommandError(error.message) from error
        state = "nieuwe versie" if created else "ongewijzigd, geen nieuwe versie"
        console.print(f"{dataset} versie {package.version}: {state}.")
