import pytest
from django.core.exceptions import PermissionDenied

from stedenplatform.core.errors import InputRefusedError, Problem
from stedenplatform.core.geography import find_municipality_by_postcode
from stedenplatform.core.models import Area, AreaGroup, Organisation
from stedenplatform.core.permissions import has_role, require_role


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_geography_has_565_municipalities_of_2025(geography):
    municipalities = Area.objects.filter(level="gemeente", valid_to__isnull=True)
    assert municipalities.count() == 565
    assert municipalities.get(code="71072").name == "Hasselt"
    assert not municipalities.filter(code="71022").exists()


def test_centrumsteden_group_holds_the_13_cities(geography):
    group = AreaGroup.objects.get(code="centrumsteden")
    assert sorted(group.members.values_list("code", flat=True)) == sorted(
        [
            "41002",
            "11002",
            "31005",
            "71016",
            "44021",
            "71072",
            "34022",
            "24062",
            "12025",
            "35013",
            "36015",
            "46021",
            "13040",
        ]
    )
    assert AreaGroup.objects.get(code="vlaams-gewest").members.count() == 285


def test_postcode_finds_its_municipality_and_province(geography):
    [gent] = find_municipality_by_postcode("9000")
    assert gent.code == "44021"
    assert gent.parent.name == "Provincie Oost-Vlaanderen"


def test_member_organisations_carry_their_2025_nis_codes(organisations):
    assert Organisation.objects.count() == 15
    assert organisations["71072"].area.name == "Hasselt"
    assert organisations["KVS"].name == "Kenniscentrum Vlaamse Steden"


@pytest.mark.parametrize(
    "role,minimum,allowed",
    [
        ("lezer", "lezer", True),
        ("lezer", "bijdrager", False),
        ("bijdrager", "bijdrager", True),
        ("bijdrager", "beheerder", False),
        ("beheerder", "beheerder", True),
    ],
)
def test_roles_rank_lezer_below_bijdrager_below_beheerder(
    organisations, make_user, role, minimum, allowed
):
    user = make_user("44021", role)
    assert has_role(user, organisations["44021"], minimum) is allowed
    assert has_role(user, organisations["11002"], "lezer") is False


def test_require_role_names_the_missing_role_in_dutch(organisations, make_user):
    user = make_user("44021", "lezer")
    with pytest.raises(
        PermissionDenied, match="minstens de rol 'bijdrager' nodig bij Stad Gent"
    ):
        require_role(user, organisations["44021"], "bijdrager")


def test_refused_input_lists_row_column_value_and_what_is_allowed():
    error = InputRefusedError(
        "plan.xlsx",
        [
            Problem(
                "onbekende status",
                row=4,
                column="status",
                value="klaar",
                allowed="niet_gestart, lopend",
            )
        ],
    )
    assert (
        "plan.xlsx is geweigerd: 1 probleem gevonden, er is niets opgeslagen."
        in str(error)
    )
    assert (
        "rij 4, kolom 'status': onbekende status (waarde: 'klaar'); toegelaten: niet_gestart, lopend"
        in str(error)
    )


def test_pages_carry_security_headers(client, db):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
