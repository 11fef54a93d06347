"""`stedenplatform leefloon-advies`: advice for a household JSON file or stdin."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.errors import PlatformError
from stedenplatform.rights.advice import advise, render_text


class Command(BaseCommand):
    help = "Geef een leefloonadvies voor een huishouden in JSON (bestand of stdin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "bestand",
            nargs="?",
            default="-",
            help="JSON-bestand met het huishouden; '-' of leeg is stdin",
        )
        parser.add_argument("--formaat", choices=["json", "tekst"], default="tekst")

    def handle(self, *args, **options):
        path = options["bestand"]
        try:
            text = (
                sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            )
        except OSError as error:
            raise CommandError(f"Kan '{path}' niet lezen: {error.strerror}.") from None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise CommandError(f"'{path}' is geen geldige JSON: {error}.") from None
        try:
            advice = advise(data)
        except PlatformError as error:
            raise CommandError(error.message) from None
        if options["formaat"] == "json":
            self.stdout.write(json.dumps(advice, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(advice))
