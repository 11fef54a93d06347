"""Demo plans: the Kenniscentrum's Jaarplan 2026, transcribed in full from
its published text, and a fictief city meerjarenplan with two closed
reporting rounds to show follow-up, comparison and the report."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Plan, ProgressUpdate, ReportingRound, Status
from .services import close_round, import_plan, recompute_rollups

DEMO_DIR = Path(__file__).parent / "demo"
JAARPLAN = DEMO_DIR / "jaarplan-2026.yaml"
MEERJARENPLAN = DEMO_DIR / "meerjarenplan-fictief.yaml"

# Two rounds of the fictief plan: (round name, deadline, {code: (status,
# progress, text)}). Made up, like the plan itself.
FICTIEF_ROUNDS = [
    (
        "Opvolgingsrapportering eerste semester 2026 (fictief)",
        datetime.date(2026, 6, 30),
        {
            "AC01.01.01": (
                Status.OP_SCHEMA,
                5,
                "Eerste twee projecten gegund (fictief).",
            ),
            "AC01.01.03": (
                Status.LOPEND,
                20,
                "Koppeling met verbruiksgegevens getest (fictief).",
            ),
            "AC01.02.01": (
                Status.OP_SCHEMA,
                45,
                "940 onderzoeken in het eerste semester (fictief).",
            ),
            "AC02.01.01": (
                Status.LOPEND,
                10,
                "Studies voor vijf gebouwen lopen (fictief).",
            ),
            "AC02.01.02": (
                Status.OP_SCHEMA,
                25,
                "Eerste acht daken uitgerust (fictief).",
            ),
            "AC03.01.01": (
                Status.LOPEND,
                15,
                "Proefproject in één sociaal huis (fictief).",
            ),
            "AC03.02.01": (Status.OP_SCHEMA, 50, "410 trajecten gestart (fictief)."),
            "AC04.01.01": (
                Status.LOPEND,
                30,
                "Tool geïnstalleerd, plan geladen (fictief).",
            ),
        },
    ),
    (
        "Opvolging derde kwartaal 2026 (fictief)",
        datetime.date(2026, 9, 30),
        {
            "AC01.01.01": (Status.OP_SCHEMA, 9, "52 woningen opgeleverd (fictief)."),
            "AC01.01.03": (
                Status.VERTRAAGD,
                25,
                "Wachten op toegang tot de gegevens (fictief).",
            ),
            "AC02.01.01": (
                Status.VERTRAAGD,
                12,
                "Aanbesteding moest opnieuw (fictief).",
            ),
            "AC02.02.01": (
                Status.LOPEND,
                5,
                "Eerste ontharding op een schoolplein (fictief).",
            ),
            "AC03.01.01": (
                Status.OP_SCHEMA,
                30,
                "Uitgerold in drie sociale huizen (fictief).",
            ),
            "AC04.01.01": (
                Status.GEREALISEERD,
                100,
                "Alle diensten rapporteren in de tool (fictief).",
            ),
            "AC04.02.02": (
                Status.LOPEND,
                40,
                "Zes dienstencentra uitgerust (fictief).",
            ),
        },
    ),
]


def load_jaarplan() -> Plan:
    return import_plan(
        None, JAARPLAN.read_bytes(), JAARPLAN.name, check_permission=False
    )


def load_meerjarenplan() -> Plan:
    plan = import_plan(
        None, MEERJARENPLAN.read_bytes(), MEERJARENPLAN.name, check_permission=False
    )
    if plan.rounds.exists():
        return plan
    author = get_user_model().objects.filter(username="gent-bijdrager").first()
    manager = get_user_model().objects.get(username="gent-beheerder")
    with transaction.atomic():
        items = {i.code: i for i in plan.items.all()}
        for name, deadline, updates in FICTIEF_ROUNDS:
            reporting_round = ReportingRound.objects.create(
                plan=plan, name=name, deadline=deadline
            )
            moment = timezone.make_aware(
                datetime.datetime.combine(deadline, datetime.time(12))
            )
            for code, (status, progress, text) in updates.items():
                item = items[code]
                ProgressUpdate.objects.create(
                    item=item,
                    round=reporting_round,
                    author=author,
                    created_at=moment,
                    date=deadline,
                    status=status,
                    progress=progress,
                    text=text,
                )
                item.status, item.progress, item.last_update_at = (
                    status,
                    progress,
                    moment,
                )
                item.save(update_fields=["status", "progress", "last_update_at"])
            recompute_rollups(plan)
            close_round(manager, reporting_round)
        ReportingRound.objects.create(
            plan=plan,
            name="Opvolging vierde kwartaal 2026 (fictief)",
            deadline=datetime.date(2026, 12, 31),
        )
    return plan


def load(console) -> None:
    jaarplan = load_jaarplan()
    levels = {
        lv.label: jaarplan.items.filter(level=lv).count()
        for lv in jaarplan.levels.all()
    }
    console.print(
        "Jaarplan 2026: "
        + ", ".join(f"{n} × {label.lower()}" for label, n in levels.items())
    )
    meerjarenplan = load_meerjarenplan()
    console.print(
        f"{meerjarenplan.title}: {meerjarenplan.items.count()} items, "
        f"{meerjarenplan.rounds.count()} rondes"
    )
