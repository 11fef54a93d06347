"""Who sees what, through every DEMaD page and endpoint, for every role.

The strongest check: no response to any user ever contains a pseudonym of
an OCMW in which that user is not bijdrager or beheerder.
"""

import pytest
from django.contrib.auth import get_user_model

from stedenplatform.core.models import ApiToken
from stedenplatform.social.indicators import Parameters
from stedenplatform.social.models import BenchmarkRun, Upload
from stedenplatform.social.services import run_benchmark, upload_microdata

from . import handmade

CITIES = ("44021", "11002")
ROLES = {
    "anoniem": (None, None),
    "zonder-rol": (None, None),
    "gent-lezer": ("44021", "lezer"),
    "gent-bijdrager": ("44021", "bijdrager"),
    "gent-beheerder": ("44021", "beheerder"),
    "antwerpen-bijdrager": ("11002", "bijdrager"),
    "kvs-lezer": ("KVS", "lezer"),
    "kvs-beheerder": ("KVS", "beheerder"),
    "superuser": (None, None),
}
MICRODATA = {
    "gent-bijdrager": "44021",
    "gent-beheerder": "44021",
    "antwerpen-bijdrager": "11002",
}


def pseudonyms_of(nis):
    return {handmade.pseudonym(nis + name) for name in handmade.PERSONS}


@pytest.fixture
def world(organisations, data_dir, tmp_path, make_user):
    for nis in CITIES:
        folder = tmp_path / nis
        folder.mkdir()
        for dataset, path in handmade.write_csv(folder, nis, salt=nis).items():
            upload_microdata(None, organisations[nis], dataset, path, path.name)
    run = run_benchmark(
        None, Parameters(min_denominator=1, min_numerator=1, protect_complement=False)
    )
    users = {}
    for name, (org, role) in ROLES.items():
        if name == "anoniem":
            users[name] = None
        elif name == "superuser":
            users[name] = get_user_model().objects.create_superuser(
                name, password="x" * 12
            )
        else:
            users[name] = make_user(org, role, username=name)
    uploads = {
        nis: Upload.objects.get(organisation__code=nis, dataset="leefloon")
        for nis in CITIES
    }
    return {"run": run, "users": users, "uploads": uploads}


def expected(name):
    """Status per URL key for a role."""
    anonymous = name == "anoniem"
    reader = name in (
        "gent-lezer",
        "gent-bijdrager",
        "gent-beheerder",
        "antwerpen-bijdrager",
        "kvs-lezer",
        "kvs-beheerder",
        "superuser",
    )
    gent_dashboard = name in (
        "gent-lezer",
        "gent-bijdrager",
        "gent-beheerder",
        "kvs-beheerder",
        "superuser",
    )
    microdata = MICRODATA.get(name)

    def page(allowed):
        return 302 if anonymous else (200 if allowed else 403)

    def api(allowed):
        return 401 if anonymous else (200 if allowed else 403)

    return {
        "index": 200,
        "sample": 200,
        "uploads": page(microdata is not None),
        "gent_upload": page(microdata == "44021"),
        "antwerpen_upload": page(microdata == "11002"),
        "benchmark": page(reader),
        "report": page(reader),
        "dashboard_gent": page(gent_dashboard),
        "api_uploads": api(microdata is not None),
        "api_gent_rows": api(microdata == "44021"),
        "api_antwerpen_rows": api(microdata == "11002"),
        "api_runs": api(reader),
        "api_figures": api(reader),
        "api_dashboard_gent": api(gent_dashboard),
    }


def urls(world):
    run, uploads = world["run"], world["uploads"]
    return {
        "index": "/demad/",
        "sample": "/demad/schema/leefloon.csv",
        "uploads": "/demad/gegevens/",
        "gent_upload": f"/demad/gegevens/{uploads['44021'].pk}/",
        "antwerpen_upload": f"/demad/gegevens/{uploads['11002'].pk}/",
        "benchmark": "/demad/benchmark/",
        "report": f"/demad/benchmark/{run.pk}/",
        "dashboard_gent": "/demad/stad/44021/",
        "api_uploads": "/api/social/uploads",
        "api_gent_rows": f"/api/social/uploads/{uploads['44021'].pk}/rows",
        "api_antwerpen_rows": f"/api/social/uploads/{uploads['11002'].pk}/rows",
        "api_runs": "/api/social/runs",
        "api_figures": f"/api/social/runs/{run.pk}/figures",
        "api_dashboard_gent": "/api/social/dashboard/44021",
    }


@pytest.mark.parametrize("name", list(ROLES))
def test_every_page_and_endpoint_checks_the_role_and_leaks_no_microdata(
    world, client, name
):
    user = world["users"][name]
    if user is not None:
        client.force_login(user)
    own = MICRODATA.get(name)
    foreign = set().union(*(pseudonyms_of(n) for n in CITIES if n != own))
    statuses = expected(name)
    for key, url in urls(world).items():
        response = client.get(url)
        assert response.status_code == statuses[key], (name, key, response.status_code)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        leaked = [p for p in foreign if p in text]
        assert not leaked, (name, key, "ziet microdata van een ander OCMW")
    if own:
        page = client.get(f"/demad/gegevens/{world['uploads'][own].pk}/")
        assert any(p in page.content.decode() for p in pseudonyms_of(own))


def test_api_token_of_one_ocmw_cannot_read_or_replace_another_ocmw(world, client):
    user = world["users"]["antwerpen-bijdrager"]
    _, key = ApiToken.issue(user, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    gent = world["uploads"]["44021"]
    response = client.get(f"/api/social/uploads/{gent.pk}/rows", **headers)
    assert response.status_code == 403
    assert "Alleen een bijdrager of beheerder van dit OCMW" in response.json()["detail"]
    listing = client.get("/api/social/uploads", **headers).json()
    assert {u["ocmw"] for u in listing} == {"11002"}
    sample = handmade.write_csv(_tmp(world), "44021")
    with sample["leefloon"].open("rb") as handle:
        response = client.post(
            "/api/social/uploads",
            {"ocmw": "44021", "dataset": "leefloon", "file": handle},
            **headers,
        )
    assert response.status_code == 403
    assert (
        Upload.objects.get(
            organisation__code="44021", dataset="leefloon", is_current=True
        ).pk
        == gent.pk
    )


def _tmp(world):
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp())


def test_api_upload_by_token_of_the_ocmw_itself(world, client):
    user = world["users"]["gent-bijdrager"]
    _, key = ApiToken.issue(user, "test")
    folder = _tmp(world)
    path = folder / "leefloon.csv"
    path.write_text(
        "pseudoniem,ocmw,maand,categorie,bedrag\n"
        f"{handmade.pseudonym('nieuw')},44021,2024-05,3,1776.07\n"
    )
    with path.open("rb") as handle:
        response = client.post(
            "/api/social/uploads",
            {"ocmw": "44021", "dataset": "leefloon", "file": handle},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    assert response.status_code == 201, response.content
    assert response.json()["rows"] == 1
    path.write_text("pseudoniem,ocmw,maand,categorie,bedrag\nfout,44021,2024-05,3,1\n")
    with path.open("rb") as handle:
        response = client.post(
            "/api/social/uploads",
            {"ocmw": "44021", "dataset": "leefloon", "file": handle},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    assert response.status_code == 400
    assert response.json()["problems"][0]["rij"] == 2
    assert "geen geldig pseudoniem" in response.json()["message"]


def test_upload_page_offers_only_the_users_own_ocmw(world, client):
    client.force_login(world["users"]["gent-bijdrager"])
    path = _tmp(world) / "leefloon.csv"
    path.write_text(
        "pseudoniem,ocmw,maand,categorie,bedrag\n"
        f"{handmade.pseudonym('x')},11002,2024-05,3,1776.07\n"
    )
    with path.open("rb") as handle:
        response = client.post(
            "/demad/gegevens/",
            {"organisation": "11002", "dataset": "leefloon", "file": handle},
        )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert (
        Upload.objects.filter(organisation__code="11002", dataset="leefloon").count()
        == 1
    )


def test_upload_page_shows_every_problem_of_a_refused_file(world, client):
    client.force_login(world["users"]["gent-bijdrager"])
    path = _tmp(world) / "werk.csv"
    path.write_text(
        f"pseudoniem,maand,werk\n{handmade.pseudonym('x')},2024-05,misschien\n"
    )
    with path.open("rb") as handle:
        response = client.post(
            "/demad/gegevens/",
            {"organisation": "44021", "dataset": "tewerkstelling", "file": handle},
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Het bestand is geweigerd" in text and "geen ja of nee" in text
    assert "misschien" in text


@pytest.mark.parametrize(
    "name,status",
    [
        ("kvs-beheerder", 302),
        ("gent-beheerder", 403),
        ("kvs-lezer", 403),
        ("anoniem", 302),
    ],
)
def test_only_the_kenniscentrum_beheerder_starts_and_publishes_a_run(
    world, client, name, status
):
    user = world["users"][name]
    if user is not None:
        client.force_login(user)
    before = BenchmarkRun.objects.count()
    form = {k: v for k, v in Parameters().as_dict().items() if not isinstance(v, bool)}
    form["age_bounds"] = "18, 25, 35, 50, 65"
    form["exclude_left_censored"] = "on"
    response = client.post("/demad/benchmark/", form)
    assert response.status_code == status
    assert BenchmarkRun.objects.count() == before + (
        1 if name == "kvs-beheerder" else 0
    )
    response = client.post(f"/demad/benchmark/{world['run'].pk}/publiceren/")
    assert response.status_code == status
    world["run"].refresh_from_db()
    assert (world["run"].published_at is not None) == (name == "kvs-beheerder")


def test_report_pdf_is_a_pdf_for_a_reader(world, client):
    client.force_login(world["users"]["gent-lezer"])
    response = client.get(f"/demad/benchmark/{world['run'].pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(world["users"]["zonder-rol"])
    assert client.get(f"/demad/benchmark/{world['run'].pk}/pdf/").status_code == 403


def test_openapi_schema_lists_the_demad_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/social/uploads",
        "/api/social/uploads/{upload_id}/rows",
        "/api/social/runs",
        "/api/social/runs/{run_id}/figures",
        "/api/social/dashboard/{nis}",
    } <= set(paths)


def test_report_method_shows_every_parameter_and_dashboard_only_its_city(world, client):
    from dataclasses import fields

    client.force_login(world["users"]["gent-lezer"])
    report = client.get(f"/demad/benchmark/{world['run'].pk}/").content.decode()
    method = report[report.index('id="methode"') :]
    for field in fields(Parameters):
        assert f"<code>{field.name}</code>" in method, field.name
    assert "Gegevensvenster per stad" in method and "2020-01" in method
    dashboard = client.get("/demad/stad/44021/").content.decode()
    assert "DEMaD-dashboard van Stad Gent" in dashboard
    assert "Antwerpen" not in dashboard
