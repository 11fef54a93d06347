"""Print how to log in to the demo."""

from django.core.management.base import BaseCommand

from stedenplatform.core.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Toon de demo-accounts en hoe je je aanmeldt."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="adres van de server"
        )

    def handle(self, *args, url, **options):
        out = self.stdout
        url = url.rstrip("/")
        out.write("")
        out.write(f"Stedenplatform start op {url}")
        out.write(
            f"Meld je aan op {url}/aanmelden/ met wachtwoord '{DEMO_PASSWORD}' "
            "en een van deze gebruikers:"
        )
        for username, org, role, _ in DEMO_ACCOUNTS:
            out.write(f"  {username:<22} {role:<10} ({org})")
        out.write(f"  {'admin':<22} superuser  (beheer op /beheer/)")
        out.write("")
