"""Demo data of the platform: the geography, the member organisations and
one account per role, so that every page can be tried at once."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .geography import (
    BRUSSELS_REGION,
    CENTRUMSTEDEN,
    GEOGRAPHY_2025,
    load_geography_2025,
)
from .models import Area, AreaLevel, Membership, Organisation, OrganisationKind, Role

DEMO_PASSWORD = "demo-stedenplatform"

# (username, organisation code, role, first name): the accounts printed by
# `stedenplatform demo-accounts`.
DEMO_ACCOUNTS = [
    ("kvs-beheerder", "KVS", Role.BEHEERDER, "Beheerder Kenniscentrum"),
    ("kvs-bijdrager", "KVS", Role.BIJDRAGER, "Bijdrager Kenniscentrum"),
    ("kvs-lezer", "KVS", Role.LEZER, "Lezer Kenniscentrum"),
    ("gent-beheerder", "44021", Role.BEHEERDER, "Beheerder Gent"),
    ("gent-bijdrager", "44021", Role.BIJDRAGER, "Bijdrager Gent"),
    ("gent-lezer", "44021", Role.LEZER, "Lezer Gent"),
    ("antwerpen-bijdrager", "11002", Role.BIJDRAGER, "Bijdrager Antwerpen"),
    ("leuven-bijdrager", "24062", Role.BIJDRAGER, "Bijdrager Leuven"),
]


@transaction.atomic
def load_organisations() -> int:
    """Create the Kenniscentrum, the 13 centrumsteden and the VGC."""
    municipalities = {
        a.code: a
        for a in Area.objects.filter(
            level=AreaLevel.GEMEENTE, valid_from=GEOGRAPHY_2025
        )
    }
    Organisation.objects.update_or_create(
        code="KVS",
        defaults={
            "name": "Kenniscentrum Vlaamse Steden",
            "kind": OrganisationKind.KENNISCENTRUM,
            "website": "https://www.kenniscentrumvlaamsesteden.be",
        },
    )
    for nis, name in CENTRUMSTEDEN.items():
        Organisation.objects.update_or_create(
            code=nis,
            defaults={
                "name": f"Stad {name}",
                "kind": OrganisationKind.CENTRUMSTAD,
                "area": municipalities[nis],
            },
        )
    Organisation.objects.update_or_create(
        code="VGC",
        defaults={
            "name": "Vlaamse Gemeenschapscommissie",
            "kind": OrganisationKind.VGC,
            "area": Area.objects.get(level=AreaLevel.GEWEST, code=BRUSSELS_REGION),
        },
    )
    return Organisation.objects.count()


@transaction.atomic
def load_demo_accounts() -> None:
    User = get_user_model()
    for username, org_code, role, first_name in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(
            user=user,
            organisation=Organisation.objects.get(code=org_code),
            defaults={"role": role},
        )
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()


def load(console) -> None:
    counts = load_geography_2025()
    console.print(
        "Geografie 2025: {gewesten} gewesten, {provincies} provincies, "
        "{gemeenten} gemeenten, {postcodes} postcodes".format(**counts)
    )
    console.print(f"Organisaties: {load_organisations()}")
    load_demo_accounts()
