"""Pages, downloads and API for every role: anonymous visitors see only
published figures, internal indicators only their members, and only
bijdragers may upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stedenplatform.core.models import ApiToken
from stedenplatform.stats.catalogue import upsert_indicators
from stedenplatform.stats.services import import_indicator_file

DATA = (
    "PERIOD;GEOLEVEL;GEOITEM;inwoners;inwoners_65\n"
    "2023;gemeente;44021;263000;45000\n2024;gemeente;44021;265000;45500\n"
    "2024;gemeente;11002;536000;3\n2024;gemeente;24062;104000;16000\n"
)


@pytest.fixture
def figures(indicators):
    upsert_indicators(
        [
            {
                "code": "intern_cijfer",
                "name": "Intern cijfer",
                "unit": "persoon",
                "kind": "count",
                "theme": "Werk",
                "status": "intern",
            }
        ]
    )
    import_indicator_file("data.csv", DATA.encode())
    import_indicator_file(
        "intern.csv", b"PERIOD;GEOLEVEL;GEOITEM;intern_cijfer\n2024;gemeente;44021;77\n"
    )


@pytest.mark.django_db
def test_anonymous_sees_public_pages_but_not_internal_indicators(client, figures):
    index = client.get("/cijfers/")
    assert index.status_code == 200
    assert "Inwoners 65+" in index.content.decode()
    assert "Intern cijfer" not in index.content.decode()
    assert client.get("/cijfers/indicator/intern_cijfer/").status_code == 404
    page = client.get("/cijfers/indicator/inwoners/?gebied=44021")
    assert page.status_code == 200
    assert "265.000" in page.content.decode()
    api = client.get("/api/stats/observations?indicator=intern_cijfer").json()
    assert api["count"] == 0
    assert client.get("/cijfers/importeren/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "org,role,sees_internal",
    [
        ("KVS", "lezer", True),
        ("KVS", "beheerder", True),
        ("44021", "lezer", False),
    ],
)
def test_internal_indicators_for_members(
    client, figures, make_user, org, role, sees_internal
):
    client.force_login(make_user(org, role))
    status = client.get("/cijfers/indicator/intern_cijfer/").status_code
    assert status == (200 if sees_internal else 404)
    api = client.get("/api/stats/observations?indicator=intern_cijfer").json()
    assert api["count"] == (1 if sees_internal else 0)


@pytest.mark.django_db
def test_suppressed_cell_is_x_on_page_in_download_and_api(client, figures):
    page = client.get(
        "/cijfers/indicator/inwoners_65/?weergave=vergelijking&periode=2024"
    )
    html = page.content.decode()
    assert "45.500" in html
    download = client.get(
        "/cijfers/indicator/inwoners_65/?weergave=vergelijking&periode=2024&formaat=csv"
    )
    text = download.content.decode("utf-8-sig")
    assert download["Content-Type"].startswith("text/csv")
    assert "Antwerpen;x" in text
    assert "Gent;45500" in text
    assert ";3\r\n" not in text
    assert "x = niet getoond" in text
    api = client.get("/api/stats/observations?indicator=inwoners_65&area=11002").json()
    assert api["results"][0]["value"] is None
    assert api["results"][0]["onderdrukt"] is True


@pytest.mark.django_db
def test_map_series_benchmark_and_xlsx_download(client, figures):
    from openpyxl import load_workbook

    kaart = client.get("/cijfers/indicator/inwoners/?weergave=kaart&periode=2024")
    assert kaart.status_code == 200
    assert "<svg" in kaart.content.decode()
    reeks = client.get("/cijfers/indicator/inwoners/?gebied=44021")
    assert "tijdreeks voor Gent" in reeks.content.decode()
    bench = client.get("/cijfers/benchmark/?thema=Demografie")
    assert "#1" in bench.content.decode()
    xlsx = client.get("/cijfers/benchmark/?thema=Demografie&formaat=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[1][3:6] == ("Aalst", "Antwerpen", "Brugge")
    assert any(
        r[0] == "Inwoners" and "Gent" in rows[1] and r[rows[1].index("Gent")] == 265000
        for r in rows[2:]
    )


@pytest.mark.django_db
def test_area_profile_and_steekkaart_pdf(client, figures):
    profile = client.get("/cijfers/gebied/44021/")
    assert profile.status_code == 200
    assert "Steekkaart Demografie" in profile.content.decode()
    pdf = client.get("/cijfers/gebied/44021/steekkaart/?thema=Demografie&formaat=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv = client.get("/cijfers/gebied/44021/steekkaart/?thema=Demografie&formaat=csv")
    assert "Inwoners;2024;265000" in csv.content.decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "org,role,status",
    [
        ("KVS", "lezer", 403),
        ("KVS", "bijdrager", 200),
        ("KVS", "beheerder", 200),
        ("44021", "bijdrager", 403),
    ],
)
def test_upload_page_per_role(client, figures, make_user, org, role, status):
    client.force_login(make_user(org, role))
    upload = SimpleUploadedFile(
        "nieuw.csv", b"PERIOD;GEOLEVEL;GEOITEM;inwoners\n2025;gemeente;44021;266000\n"
    )
    response = client.post("/cijfers/importeren/", {"bestand": upload})
    assert response.status_code == status
    if status == 200:
        assert "1 nieuw" in response.content.decode()


@pytest.mark.django_db
def test_upload_refusal_is_shown_with_row_and_column(client, figures, make_user):
    client.force_login(make_user("KVS", "bijdrager"))
    upload = SimpleUploadedFile(
        "fout.csv", b"PERIOD;GEOLEVEL;GEOITEM;inwoners\n2025;gemeente;12345;266000\n"
    )
    response = client.post("/cijfers/importeren/", {"bestand": upload})
    assert response.status_code == 400
    assert (
        "rij 2, kolom &#x27;GEOITEM&#x27;: onbekend gebied" in response.content.decode()
    )


@pytest.mark.django_db
def test_api_import_needs_a_token_of_a_bijdrager(client, figures, make_user):
    content = b"PERIOD;GEOLEVEL;GEOITEM;inwoners\n2025;gemeente;44021;266000\n"
    anonymous = client.post(
        "/api/stats/import", {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert anonymous.status_code == 401
    _, reader_key = ApiToken.issue(make_user("KVS", "lezer"), "lezer")
    denied = client.post(
        "/api/stats/import",
        {"file": SimpleUploadedFile("a.csv", content)},
        headers={"Authorization": f"Bearer {reader_key}"},
    )
    assert denied.status_code == 403
    _, key = ApiToken.issue(make_user("KVS", "bijdrager"), "bijdrager")
    ok = client.post(
        "/api/stats/import",
        {"file": SimpleUploadedFile("a.csv", content)},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = client.post(
        "/api/stats/import",
        {"file": SimpleUploadedFile("b.csv", content.replace(b"44021", b"00000"))},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert bad.status_code == 400
    assert bad.json()["problemen"][0]["kolom"] == "GEOITEM"


@pytest.mark.django_db
def test_openapi_lists_observation_filters_and_dcat_lists_datasets(client, figures):
    schema = client.get("/api/openapi.json").json()
    params = {
        p["name"]
        for p in schema["paths"]["/api/stats/observations"]["get"]["parameters"]
    }
    assert {"indicator", "area", "level", "period"} <= params
    catalogue = client.get("/api/stats/dcat")
    assert catalogue["Content-Type"].startswith("application/ld+json")
    data = catalogue.json()
    assert data["@type"] == "dcat:Catalog"
    titles = [d["dct:title"]["@value"] for d in data["dcat:dataset"]]
    assert "Stad in Cijfers: Demografie" in titles
    assert "Stad in Cijfers: Werk" not in titles
