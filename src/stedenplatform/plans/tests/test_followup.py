import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stedenplatform.core.errors import InputRefusedError, PlatformError
from stedenplatform.core.models import AuditEntry
from stedenplatform.plans import queries
from stedenplatform.plans.models import Item, ProgressUpdate, SnapshotRow
from stedenplatform.plans.services import (
    add_measurement,
    add_progress_update,
    close_kwestie,
    close_round,
    escalate_kwestie,
    open_kwestie,
    open_round,
)


def item(plan, code):
    return Item.objects.select_related("plan__organisation", "owner_organisation").get(
        plan=plan, code=code
    )


def test_progress_rolls_up_weighted_and_skips_stopped_items(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    # AP02.01 has AC02.01.01 (weight 3) and AC02.01.02 (weight 1).
    add_progress_update(
        user, item(city_plan, "AC02.01.01"), status="lopend", progress=20, text=""
    )
    add_progress_update(
        user, item(city_plan, "AC02.01.02"), status="op_schema", progress=60, text=""
    )
    assert item(city_plan, "AP02.01").rollup_progress == Decimal("30.0")
    add_progress_update(
        user, item(city_plan, "AC02.01.02"), status="stopgezet", progress=60, text=""
    )
    assert item(city_plan, "AP02.01").rollup_progress == Decimal("20.0")


def test_priority_flows_up_to_every_ancestor(city_plan):
    assert item(city_plan, "AC01.01.01").effective_priority
    assert item(city_plan, "AP01.01").effective_priority
    assert item(city_plan, "BD01").effective_priority
    assert not item(city_plan, "AP01.02").effective_priority
    assert not item(city_plan, "AC01.02.01").effective_priority


def test_updates_are_kept_as_history_and_audited(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    target = item(city_plan, "AC02.02.02")
    add_progress_update(user, target, status="lopend", progress=10, text="Gestart")
    add_progress_update(
        user, target, status="op_schema", progress=25, text="Loopt goed"
    )
    history = list(ProgressUpdate.objects.filter(item=target).order_by("created_at"))
    assert [(u.status, u.progress, u.text) for u in history] == [
        ("lopend", 10, "Gestart"),
        ("op_schema", 25, "Loopt goed"),
    ]
    entry = AuditEntry.objects.filter(
        object_type="plans.item", object_id=str(target.pk), action="item.progress"
    ).first()
    assert entry.actor == user
    assert entry.before["status"] == "lopend" and entry.after["status"] == "op_schema"


def test_update_refuses_progress_outside_0_to_100(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    with pytest.raises(
        InputRefusedError, match="toegelaten: een geheel getal van 0 tot 100"
    ):
        add_progress_update(
            user, item(city_plan, "AC02.02.02"), status="lopend", progress=120, text=""
        )
    assert not ProgressUpdate.objects.filter(item__code="AC02.02.02").exists()


def test_lezer_cannot_report(city_plan, make_user):
    user = make_user("44021", "lezer", username="l")
    with pytest.raises(PermissionDenied, match="minstens de rol 'bijdrager'"):
        add_progress_update(
            user, item(city_plan, "AC02.02.02"), status="lopend", progress=5, text=""
        )


def test_items_nobody_updated_for_the_chosen_days_are_flagged(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    add_progress_update(
        user, item(city_plan, "AC02.02.02"), status="lopend", progress=5, text=""
    )
    old = timezone.now() - datetime.timedelta(days=45)
    Item.objects.filter(plan=city_plan, code="AC04.02.02").update(last_update_at=old)
    rows = {r.code: r for r in queries.get_tree(city_plan, stale_days=30)}
    assert not rows["AC02.02.02"].stale
    assert rows["AC04.02.02"].stale
    assert rows["AC04.01.01"].stale is False  # gerealiseerd items are never stale
    rows = {r.code: r for r in queries.get_tree(city_plan, stale_days=60)}
    assert not rows["AC04.02.02"].stale


def test_kwestie_opens_escalates_and_closes_with_audit(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    kwestie = open_kwestie(
        user,
        item(city_plan, "AC01.01.03"),
        title="Geen toegang tot data",
        severity="hoog",
        owner="Dienst Wonen",
    )
    escalate_kwestie(user, kwestie, to="managementteam")
    assert kwestie.escalated and kwestie.escalated_to == "managementteam"
    close_kwestie(user, kwestie, resolution="Protocol getekend")
    assert not kwestie.is_open
    actions = list(
        AuditEntry.objects.filter(object_type="plans.kwestie").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["kwestie.close", "kwestie.escalate", "kwestie.open"]
    with pytest.raises(PlatformError, match="al gesloten"):
        close_kwestie(user, kwestie)


def test_kwestie_needs_a_known_severity(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    with pytest.raises(
        InputRefusedError, match="toegelaten: laag, middel, hoog, kritiek"
    ):
        open_kwestie(user, item(city_plan, "AC01.01.03"), title="x", severity="enorm")


def test_measurement_is_added_to_the_indicator(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    indicator = item(city_plan, "AC01.01.01").indicators.get()
    add_measurement(
        user,
        indicator,
        date=datetime.date(2026, 12, 31),
        value=Decimal("70"),
        source="Registratie",
    )
    assert list(indicator.measurements.values_list("value", flat=True))[-1] == Decimal(
        "70"
    )


def test_closing_a_round_freezes_a_snapshot_and_rounds_compare(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="b")
    reporting_round = open_round(
        user, city_plan, name="Vierde kwartaal", deadline=datetime.date(2026, 12, 31)
    )
    add_progress_update(
        user,
        item(city_plan, "AC02.02.02"),
        status="lopend",
        progress=15,
        text="Kaart gemaakt",
    )
    rows = close_round(user, reporting_round)
    assert rows == city_plan.items.count()
    frozen = SnapshotRow.objects.get(round=reporting_round, code="AC02.02.02")
    assert (frozen.status, frozen.progress, frozen.text) == (
        "lopend",
        15,
        "Kaart gemaakt",
    )
    add_progress_update(
        user, item(city_plan, "AC02.02.02"), status="vertraagd", progress=15, text=""
    )
    frozen.refresh_from_db()
    assert frozen.status == "lopend"

    previous = (
        city_plan.rounds.filter(closed_at__isnull=False)
        .exclude(pk=reporting_round.pk)
        .order_by("closed_at")
        .last()
    )
    changes = {c.code: c for c in queries.compare_rounds(previous, reporting_round)}
    fields = {label: (old, new) for label, old, new in changes["AC02.02.02"].fields}
    assert fields["status"] == ("niet gestart", "lopend")
    assert fields["voortgang"] == ("0%", "15%")
    assert fields["tekst"] == ("—", "Kaart gemaakt")
    with pytest.raises(PlatformError, match="al afgesloten"):
        close_round(user, reporting_round)


def test_demo_rounds_show_changes_in_status_progress_text(city_plan):
    first, second = city_plan.rounds.filter(closed_at__isnull=False).order_by(
        "closed_at"
    )
    changes = {c.code: c for c in queries.compare_rounds(first, second)}
    fields = {label: (old, new) for label, old, new in changes["AC04.01.01"].fields}
    assert fields["status"] == ("lopend", "gerealiseerd")
    assert "AC01.02.01" not in changes


def test_report_holds_every_item_with_its_latest_text(city_plan):
    report = queries.get_report(city_plan)
    assert len(report["sections"]) == city_plan.items.count()
    by_code = {s["item"].code: s for s in report["sections"]}
    assert (
        by_code["AC04.01.01"]["text"]
        == "Alle diensten rapporteren in de tool (fictief)."
    )


def test_item_page_shows_who_changed_what(client, city_plan, make_user):
    user = make_user("44021", "bijdrager", username="wijziger")
    add_progress_update(
        user, item(city_plan, "AC02.02.02"), status="lopend", progress=15, text=""
    )
    page = client.get(f"/plannen/{city_plan.code}/items/AC02.02.02/").content.decode()
    assert "Wijzigingen" in page
    assert "wijziger" in page
    assert "status: niet_gestart → lopend" in page
