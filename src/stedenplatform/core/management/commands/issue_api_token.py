"""Issue an API key for a user; the key is shown once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stedenplatform.core.models import ApiToken


class Command(BaseCommand):
    help = (
        "Maak een API-sleutel voor een gebruiker (de sleutel wordt één keer getoond)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Gebruiker {username!r} bestaat niet.") from None
        _, key = ApiToken.issue(user, name)
        self.stdout.write(key)
