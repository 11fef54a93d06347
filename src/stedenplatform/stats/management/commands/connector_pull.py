"""`stedenplatform connector-pull`: fetch the new versions of every
subscription (or add one with --abonneer)."""

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.console import console, progress_bar
from stedenplatform.stats.connector import ConnectorError, pull
from stedenplatform.stats.models import Subscription


class Command(BaseCommand):
    help = "Haal nieuwe Connector-pakketten op voor alle abonnementen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--abonneer",
            nargs=4,
            metavar=("URL", "DATASET", "NAAMRUIMTE", "SLEUTELBESTAND"),
            help="voeg eerst een abonnement toe",
        )

    def handle(self, *args, abonneer=None, **options):
        if abonneer:
            url, dataset, namespace, key_file = abonneer
            with open(key_file, encoding="utf-8") as handle:
                Subscription.objects.update_or_create(
                    namespace=namespace,
                    defaults={
                        "url": url,
                        "dataset": dataset,
                        "public_key": handle.read(),
                    },
                )
        subscriptions = list(Subscription.objects.all())
        with progress_bar("Abonnementen", len(subscriptions)) as advance:
            for subscription in subscriptions:
                try:
                    received = pull(subscription)
                except (ConnectorError, OSError) as error:
                    raise CommandError(f"{subscription}: {error}") from error
                versions = ", ".join(str(r.version) for r in received) or "geen nieuwe"
                console.print(f"{subscription.namespace}: versies {versions}.")
                advance()
