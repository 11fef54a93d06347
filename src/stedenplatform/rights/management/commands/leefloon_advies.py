"""`stedenplatform leefloon-advies`: advice for a household JSON file or stdin."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.errors import PlatformError
from stedenplatform.rights.advice import advise, render_text
from stedenplatform.rights.models import ClientProfile


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
        parser.add_argument(
            "--profiel",
            help="cliëntprofiel dat het dossier vooraf invult; het bestand vult aan",
        )

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
        if options["profiel"]:
            data = self._with_profile(options["profiel"], data)
        try:
            advice = advise(data)
        except PlatformError as error:
            raise CommandError(error.message) from None
        if options["formaat"] == "json":
            self.stdout.write(json.dumps(advice, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(advice))

    @staticmethod
    def _with_profile(slug: str, data):
        profile = ClientProfile.objects.filter(slug=slug).first()
        if profile is None:
            known = ", ".join(ClientProfile.objects.values_list("slug", flat=True))
            raise CommandError(
                f"Cliëntprofiel '{slug}' bestaat niet; bestaande: {known}."
            )
        if not isinstance(data, dict):
            return data
        merged = {**profile.data, **{k: v for k, v in data.items() if k != "aanvrager"}}
        merged["aanvrager"] = {
            **profile.data.get("aanvrager", {}),
            **data.get("aanvrager", {}),
        }
        return merged
