"""Load the demo data of every module, in dependency order."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand

from stedenplatform.core.console import console


class Command(BaseCommand):
    help = "Laad de demogegevens van alle modules (opnieuw laden verandert niets)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            nargs="*",
            default=None,
            help="laad alleen deze modules (core, plans, stats, social, rights, knowledge)",
        )

    def handle(self, *args, only=None, **options):
        for path in settings.DEMO_LOADERS:
            module_name = path.split(".")[-2]
            if only and module_name not in only:
                continue
            module = importlib.import_module(path)
            console.rule(f"[bold]{module_name}")
            module.load(console)
        console.print("[green]Demogegevens geladen.")
