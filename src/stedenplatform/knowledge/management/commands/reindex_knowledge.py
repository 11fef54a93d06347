"""Rebuild the Kennisbank's full-text index from the documents."""

from django.core.management.base import BaseCommand
from django.db import transaction

from stedenplatform.core.console import console, progress_bar
from stedenplatform.knowledge import search
from stedenplatform.knowledge.models import Document

BATCH = 500


class Command(BaseCommand):
    help = "Bouw de zoekindex van de Kennisbank opnieuw op (PostgreSQL of SQLite FTS5)."

    def handle(self, *args, **options):
        ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        with progress_bar("Zoekindex", len(ids)) as advance, transaction.atomic():
            if not search.is_postgres():
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                search.index_documents(chunk)
                advance(len(chunk))
        console.print(f"Zoekindex opnieuw opgebouwd voor {len(ids)} documenten.")
