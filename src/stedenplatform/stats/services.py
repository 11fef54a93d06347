"""Use cases that change the figures: import a file, change an indicator's
disclosure settings. Each checks the actor's role, runs in one transaction
and writes an audit row. `actor=None` is the command line, which runs with
the rights of whoever may use the server's shell."""

import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from stedenplatform.core.audit import record, snapshot
from stedenplatform.core.models import Organisation, Role
from stedenplatform.core.permissions import has_role

from . import importers, store
from .models import ImportBatch, Indicator

logger = logging.getLogger(__name__)

KENNISCENTRUM = "KVS"


@dataclass
class ImportResult:
    batch: ImportBatch | None
    parsed: importers.ParsedFile
    written: store.WriteResult | None

    @property
    def changed(self) -> bool:
        w = self.written
        return w is not None and bool(w.created or w.updated or w.deleted)


@contextmanager
def bulk_work():
    """Pause the cyclic garbage collector while a file's rows are in memory:
    with a million rows, its full passes cost a third of an import. Nothing
    in the import makes reference cycles that must be freed before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def can_import(user, indicators=()) -> bool:
    """A bijdrager of the Kenniscentrum, or of the organisation that owns
    every indicator in the file."""
    if user is None:
        return True
    kvs = Organisation.objects.filter(code=KENNISCENTRUM).first()
    if has_role(user, kvs, Role.BIJDRAGER):
        return True
    owners = {i.owner for i in indicators}
    return (
        bool(owners)
        and None not in owners
        and all(has_role(user, owner, Role.BIJDRAGER) for owner in owners)
    )


def import_indicator_file(
    name: str, content: bytes, *, actor=None, dry_run: bool = False
) -> ImportResult:
    """Validate the whole file, then write it in one transaction."""
    if actor is not None and not can_import(actor):
        owned = Organisation.objects.filter(indicators__isnull=False).distinct()
        if not any(has_role(actor, org, Role.BIJDRAGER) for org in owned):
            raise PermissionDenied(
                "Alleen een bijdrager van het Kenniscentrum of van de eigenaar van de "
                "indicatoren kan cijfers inlezen."
            )
    with bulk_work():
        parsed = importers.parse_file(name, content)
    indicators = list(Indicator.objects.filter(pk__in=parsed.indicator_ids))
    if actor is not None and not can_import(actor, indicators):
        raise PermissionDenied(
            "Je bent geen bijdrager van de eigenaar van alle indicatoren in dit "
            "bestand."
        )
    if dry_run:
        return ImportResult(None, parsed, None)

    with transaction.atomic(), bulk_work():
        written = store.write_observations(parsed.rows)
        batch = None
        if written.created or written.updated or written.deleted:
            batch = ImportBatch.objects.create(
                source_name=name[:300],
                sha256=parsed.sha256,
                file_format=parsed.file_format,
                layout=parsed.layout,
                actor=actor,
                rows=len(parsed.rows),
                created=written.created,
                updated=written.updated,
                unchanged=written.unchanged,
            )
            record(
                actor,
                "stats.file_imported",
                batch,
                after={
                    "file": name,
                    "sha256": parsed.sha256,
                    "indicators": sorted(i.code for i in indicators),
                    **written.as_dict(),
                },
            )
    logger.info(
        "file imported: batch=%s rows=%s", batch.pk if batch else None, len(parsed.rows)
    )
    return ImportResult(batch, parsed, written)


def change_disclosure(
    indicator: Indicator, *, actor, threshold: int, min_respondents: int | None = None
) -> Indicator:
    """Set an indicator's threshold and redo its disclosure control."""
    owner = indicator.owner or Organisation.objects.get(code=KENNISCENTRUM)
    if actor is not None and not has_role(actor, owner, Role.BEHEERDER):
        raise PermissionDenied(
            f"Alleen een beheerder van {owner.name} kan de drempel wijzigen."
        )
    with transaction.atomic():
        before = snapshot(indicator, ["threshold", "min_respondents"])
        indicator.threshold = threshold
        if min_respondents is not None:
            indicator.min_respondents = min_respondents
        indicator.save(update_fields=["threshold", "min_respondents", "updated_at"])
        store.recompute({indicator.pk})
        record(
            actor,
            "stats.disclosure_changed",
            indicator,
            before=before,
            after=snapshot(indicator, ["threshold", "min_respondents"]),
        )
    return indicator
