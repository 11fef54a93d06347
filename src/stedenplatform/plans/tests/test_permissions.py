"""Every page and endpoint of the plan module, for every role and anonymous."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedenplatform.core.models import ApiToken
from stedenplatform.plans.models import Item, Level, Plan, ProgressUpdate

ROLES = [None, "lezer", "bijdrager", "beheerder"]


@pytest.fixture
def private_plan(city_plan):
    """The city plan, unpublished: only members of the city may see it."""
    Plan.objects.filter(pk=city_plan.pk).update(published=False)
    city_plan.refresh_from_db()
    return city_plan


def client_for(client, make_user, role, org="44021"):
    if role is not None:
        client.force_login(make_user(org, role, username=f"u-{org}-{role}"))
    return client


READ_PAGES = [
    "/plannen/{code}/",
    "/plannen/{code}/boom/",
    "/plannen/{code}/items/AC01.01.01/",
    "/plannen/{code}/rondes/",
    "/plannen/{code}/rondes/vergelijken/",
    "/plannen/{code}/rapport/",
    "/plannen/{code}/export.xlsx",
    "/plannen/{code}/export.csv",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", READ_PAGES)
def test_unpublished_plan_is_readable_only_by_its_members(
    client, make_user, private_plan, role, url
):
    response = client_for(client, make_user, role).get(
        url.format(code=private_plan.code)
    )
    expected = 403 if role is None else 200
    assert response.status_code == expected
    if role is None:
        assert "niet gepubliceerd" in response.content.decode()


@pytest.mark.parametrize("url", READ_PAGES)
def test_members_of_another_city_cannot_read_an_unpublished_plan(
    client, make_user, private_plan, url
):
    response = client_for(client, make_user, "beheerder", org="11002").get(
        url.format(code=private_plan.code)
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_published_plan_is_readable_by_everyone(client, make_user, jaarplan, role):
    client = client_for(client, make_user, role, org="11002")
    for url in [
        "/plannen/{code}/",
        "/plannen/{code}/boom/",
        "/plannen/{code}/items/COM.1.D1.A1/",
    ]:
        assert client.get(url.format(code=jaarplan.code)).status_code == 200


@pytest.mark.parametrize(
    "role,allowed",
    [(None, False), ("lezer", False), ("bijdrager", True), ("beheerder", True)],
)
def test_only_bijdragers_post_updates(client, make_user, city_plan, role, allowed):
    client = client_for(client, make_user, role)
    response = client.post(
        f"/plannen/{city_plan.code}/items/AC02.02.02/update/",
        {"status": "lopend", "progress": "20", "text": "Van de pagina"},
    )
    assert response.status_code in (302, 403)
    written = ProgressUpdate.objects.filter(
        item__code="AC02.02.02", text="Van de pagina"
    ).exists()
    assert written is allowed
    if role is None:
        assert response.status_code == 302 and "/aanmelden/" in response["Location"]


@pytest.mark.parametrize(
    "role,allowed",
    [(None, False), ("lezer", False), ("bijdrager", True), ("beheerder", True)],
)
def test_only_bijdragers_open_and_close_rounds(
    client, make_user, city_plan, role, allowed
):
    client = client_for(client, make_user, role)
    open_round = city_plan.rounds.get(closed_at__isnull=True)
    client.post(f"/plannen/{city_plan.code}/rondes/{open_round.pk}/afsluiten/")
    open_round.refresh_from_db()
    assert (open_round.closed_at is not None) is allowed


@pytest.mark.parametrize(
    "role,status", [(None, 302), ("lezer", 403), ("bijdrager", 200), ("beheerder", 200)]
)
def test_bulk_update_page_needs_bijdrager(client, make_user, city_plan, role, status):
    response = client_for(client, make_user, role).get(
        f"/plannen/{city_plan.code}/bijwerken/"
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    "role,status", [(None, 302), ("lezer", 403), ("bijdrager", 403), ("beheerder", 200)]
)
def test_reimport_page_needs_beheerder(client, make_user, city_plan, role, status):
    response = client_for(client, make_user, role).get(
        f"/plannen/{city_plan.code}/importeren/"
    )
    assert response.status_code == status


def test_kwestie_of_a_plan_cannot_be_closed_by_another_city(
    client, make_user, city_plan
):
    from stedenplatform.plans.models import Kwestie

    kwestie = Kwestie.objects.create(
        item=Item.objects.get(plan=city_plan, code="AC01.01.03"), title="x"
    )
    client = client_for(client, make_user, "beheerder", org="11002")
    response = client.post(f"/plannen/{city_plan.code}/kwesties/{kwestie.pk}/sluiten/")
    assert response.status_code == 403
    kwestie.refresh_from_db()
    assert kwestie.is_open


# ---- API ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_only_plans_the_caller_may_see(
    client, make_user, private_plan, jaarplan, role
):
    response = client_for(client, make_user, role).get("/api/plans")
    codes = {p["code"] for p in response.json()}
    assert jaarplan.code in codes
    assert (private_plan.code in codes) is (role is not None)


def test_api_items_carry_level_code_title_parent_status_progress_priority(
    client, city_plan
):
    response = client.get(f"/api/plans/{city_plan.pk}/items")
    items = {i["code"]: i for i in response.json()}
    assert items["AC01.01.01"]["level"] == "actie"
    assert items["AC01.01.01"]["parent"] == "AP01.01"
    assert items["BD01"]["priority"] is True
    assert items["AC04.01.01"]["status"] == "gerealiseerd"
    assert items["AC04.01.01"]["progress"] == 100
    assert len(items) == city_plan.items.count()


def test_api_refuses_anonymous_items_of_unpublished_plan(client, private_plan):
    response = client.get(f"/api/plans/{private_plan.pk}/items")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role,status", [("lezer", 403), ("bijdrager", 201), ("beheerder", 201)]
)
def test_api_update_needs_a_token_of_a_bijdrager(
    client, make_user, city_plan, role, status
):
    _, key = ApiToken.issue(make_user("44021", role, username=f"api-{role}"), "test")
    response = client.post(
        f"/api/plans/{city_plan.pk}/items/AC02.02.02/updates",
        {"status": "lopend", "progress": 35, "text": "via API"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["progress"] == 35
    else:
        assert "minstens de rol 'bijdrager'" in response.json()["message"]


def test_api_update_without_token_is_unauthorised(client, city_plan):
    response = client.post(
        f"/api/plans/{city_plan.pk}/items/AC02.02.02/updates",
        {"status": "lopend", "progress": 35},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_api_update_with_bad_values_names_them(client, make_user, city_plan):
    _, key = ApiToken.issue(make_user("44021", "bijdrager", username="api"), "test")
    response = client.post(
        f"/api/plans/{city_plan.pk}/items/AC02.02.02/updates",
        {"status": "klaar", "progress": 35},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["kolom"] == "status" and problem["waarde"] == "klaar"


def test_openapi_schema_lists_the_plan_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/plans" in paths
    assert "/api/plans/{plan_id}/items" in paths
    assert "post" in paths["/api/plans/{plan_id}/items/{code}/updates"]


# ---- Queries do not grow with the plan -------------------------------------------


def grow(plan, extra: int):
    """Add `extra` actions under the first actieplan, with updates."""
    from stedenplatform.plans.services import recompute_rollups

    parent = Item.objects.get(plan=plan, code="AP01.02")
    level = Level.objects.get(plan=plan, key="actie")
    Item.objects.bulk_create(
        [
            Item(
                plan=plan,
                level=level,
                parent=parent,
                code=f"AC-X{i:04d}",
                title=f"Extra {i}",
                position=100 + i,
                status="lopend",
                progress=i % 100,
            )
            for i in range(extra)
        ]
    )
    recompute_rollups(plan)


@pytest.mark.parametrize(
    "url",
    [
        "/plannen/{code}/",
        "/plannen/{code}/boom/",
        "/plannen/{code}/boom/?status=lopend&prioritair=1",
    ],
)
def test_queries_for_tree_and_dashboard_do_not_grow_with_the_items(
    client, city_plan, url
):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url.format(code=city_plan.code)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    grow(city_plan, 400)
    assert Item.objects.filter(plan=city_plan).count() > 400
    assert count() == small
