"""Advice, condition language, catalogue services, LPDC import, screening,
pages and API of the rights module, for every role."""

import json
from pathlib import Path

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import ApiToken, Area, AuditEntry
from stedenplatform.rights.advice import advise
from stedenplatform.rights.conditions import ConditionError, assess, parse_condition
from stedenplatform.rights.demo_data import LPDC_EXAMPLE, load_catalogue, load_profiles
from stedenplatform.rights.lpdc import import_lpdc
from stedenplatform.rights.models import Right
from stedenplatform.rights.screening import check_population, screen
from stedenplatform.rights.services import save_right

KNOWN_INCOME = {
    k: 0
    for k in [
        "beroepsinkomen",
        "vervangingsinkomen",
        "onderhoudsgeld",
        "andere_inkomsten",
        "roerend_kapitaal",
        "ki_eigen_woning",
        "ki_onbebouwd",
    ]
}


def single(**changes):
    applicant = {
        "leeftijd": 40,
        "verblijfsstatus": "belg",
        "verblijft_in_belgie": True,
        "werkbereid": True,
        "andere_rechten_uitgeput": True,
        "dakloos": False,
        "inkomsten": dict(KNOWN_INCOME),
    }
    applicant.update(changes)
    return {
        "datum": "2025-03-01",
        "gemeenschappelijke_huishouding": False,
        "aanvrager": applicant,
    }


# advice


def test_advice_grants_a_single_person_without_income_1314_20():
    advice = advise(single())
    assert advice["advies"] == "toekennen"
    assert advice["categorie"] == 2
    assert advice["bedrag_per_maand"] == "1314.20"
    assert any("art. 14" in r for r in advice["juridische_referenties"])
    assert any("/ 12 = € 1.314,20" in s["uitleg"] for s in advice["uitleg"])


def test_advice_refuses_an_eu_citizen_in_the_first_three_months_with_the_reason():
    advice = advise(single(verblijfsstatus="eu_burger_eerste_drie_maanden"))
    assert advice["advies"] == "weigeren"
    assert advice["niet_vervulde_voorwaarden"][0]["referentie"].endswith("art. 3, 3°")


def test_advice_asks_for_the_income_when_it_is_unknown_and_says_why():
    data = single()
    del data["aanvrager"]["inkomsten"]["vervangingsinkomen"]
    advice = advise(data)
    assert advice["advies"] == "onvoldoende gegevens"
    assert [m["veld"] for m in advice["ontbrekende_gegevens"]] == [
        "aanvrager.inkomsten.vervangingsinkomen"
    ]
    assert "KB 11 juli 2002" in advice["ontbrekende_gegevens"][0]["waarom"]


def test_advice_ignores_unknown_facts_that_cannot_change_the_outcome():
    advice = advise(single())
    assert advice["advies"] == "toekennen"
    assert any("Zwanger: onbekend" in a for a in advice["aannames"])


def test_advice_refuses_a_negative_income_naming_the_field():
    with pytest.raises(InputRefusedError) as error:
        advise(single(inkomsten={**KNOWN_INCOME, "beroepsinkomen": -10}))
    assert "aanvrager.inkomsten.beroepsinkomen" in error.value.message
    assert "kan niet negatief zijn" in error.value.message


def test_advice_refuses_a_date_before_june_2017():
    data = single()
    data["datum"] = "2016-12-31"
    with pytest.raises(InputRefusedError, match="vóór 1 juni 2017"):
        advise(data)


def test_advice_refuses_an_unknown_field_and_role():
    data = single()
    data["huisgenoten"] = [{"rol": "neef"}]
    data["foo"] = 1
    with pytest.raises(InputRefusedError) as error:
        advise(data)
    assert "onbekende rol" in error.value.message
    assert "onbekend veld" in error.value.message


def test_leefloon_advies_command_reads_stdin_and_prints_text(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(single())))
    call_command("leefloon_advies", "-")
    assert "Advies: toekennen" in capsys.readouterr().out


def test_leefloon_advies_command_refuses_bad_json(tmp_path):
    path = tmp_path / "h.json"
    path.write_text("{niet json")
    with pytest.raises(CommandError, match="geen geldige JSON"):
        call_command("leefloon_advies", str(path))


# condition language


@pytest.mark.parametrize(
    "text,message",
    [
        ("leeftijd >= ", "positie 13: verwacht een gegeven"),
        ("leeftyd > 3", "positie 1: onbekend gegeven 'leeftyd'"),
        ('leeftijd > "a"', "verschillende soorten waarden"),
        ("(leefloon = waar", "verwacht ')'"),
        ("leefloon = waar ; 1", "positie 17: onverwacht teken ';'"),
        ("leeftijd", "geen ja/nee-gegeven"),
    ],
)
def test_condition_errors_name_the_position_and_what_was_expected(text, message):
    with pytest.raises(ConditionError) as error:
        parse_condition(text)
    assert message in error.value.short


def test_condition_is_three_valued_and_lists_the_questions():
    text = "leeftijd >= 65 en (leefloon = waar of verhoogde_tegemoetkoming = waar)"
    verdict, outcome = assess(text, {"leeftijd": 70})
    assert verdict == "mogelijk recht"
    assert "Ontvangt de persoon een leefloon?" in outcome.questions
    assert assess(text, {"leeftijd": 70, "leefloon": True})[0] == "waarschijnlijk recht"
    verdict, outcome = assess(text, {"leeftijd": 40})
    assert verdict == "geen recht"
    assert outcome.reasons == ["leeftijd ≥ 65: niet voldaan (leeftijd is 40)"]
    assert assess("niet student = waar", {})[0] == "mogelijk recht"
    assert assess("kinderen in [1, 2]", {"kinderen": 2})[0] == "waarschijnlijk recht"


# catalogue


def right_data(**changes):
    data = {
        "title": "Testrecht (fictief)",
        "level": "lokaal",
        "description": "Test.",
        "condition": "leeftijd >= 18",
        "is_fictief": True,
        "area": Area.objects.get(level="gemeente", code="44021", valid_to__isnull=True),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "org,role,allowed",
    [
        ("44021", "bijdrager", True),
        ("44021", "beheerder", True),
        ("44021", "lezer", False),
        ("11002", "beheerder", False),
        ("KVS", "beheerder", True),
        ("KVS", "bijdrager", False),
    ],
)
def test_local_right_is_managed_by_its_municipality_or_the_kenniscentrum(
    organisations, make_user, org, role, allowed
):
    user = make_user(org, role)
    if allowed:
        right = save_right(user, right_data())
        entry = AuditEntry.objects.get(object_id=str(right.pk))
        assert (
            entry.action == "recht.aangemaakt" and entry.after["title"] == right.title
        )
    else:
        with pytest.raises(PermissionDenied):
            save_right(user, right_data())
        assert not Right.objects.exists()


def test_saving_a_right_with_a_bad_condition_changes_nothing(organisations, make_user):
    user = make_user("KVS", "beheerder")
    with pytest.raises(InputRefusedError) as error:
        save_right(user, right_data(condition="leeftijd >>= 3"))
    assert "de voorwaarde is ongeldig: positie 11" in error.value.message
    assert not Right.objects.exists() and not AuditEntry.objects.exists()


def test_only_kenniscentrum_beheerder_manages_federal_rights(organisations, make_user):
    with pytest.raises(PermissionDenied):
        save_right(
            make_user("44021", "beheerder"), right_data(level="federaal", area=None)
        )
    right = save_right(
        make_user("KVS", "beheerder"), right_data(level="federaal", area=None)
    )
    assert right.organisation is None


def test_lpdc_import_attaches_rights_to_their_municipality_and_is_idempotent(
    organisations, make_user
):
    user = make_user("KVS", "beheerder")
    counts = import_lpdc(user, LPDC_EXAMPLE.read_bytes())
    assert counts["nieuw"] == 6
    assert import_lpdc(user, LPDC_EXAMPLE.read_bytes()) == {
        "nieuw": 0,
        "gewijzigd": 0,
        "ongewijzigd": 6,
    }
    pass_ = Right.objects.get(title__startswith="Vrijetijdspas")
    assert pass_.area.code == "44021" and pass_.is_fictief
    assert "verhoogde tegemoetkoming" in pass_.conditions_text
    assert pass_.condition.startswith("verhoogde_tegemoetkoming = waar")
    free_text_only = Right.objects.get(title__startswith="Tussenkomst in schoolkosten")
    assert free_text_only.condition == "" and free_text_only.conditions_text


def test_lpdc_import_by_gent_refuses_rights_of_antwerpen(organisations, make_user):
    with pytest.raises(PermissionDenied):
        import_lpdc(make_user("44021", "beheerder"), LPDC_EXAMPLE.read_bytes())
    assert not Right.objects.exists()


def test_lpdc_import_refuses_the_whole_file_on_an_unknown_nis_code(
    organisations, make_user
):
    document = json.loads(LPDC_EXAMPLE.read_text())
    document["@graph"][1]["dct:spatial"] = [
        {"@id": "http://vocab.belgif.be/auth/refnis2025/99999"}
    ]
    document["@graph"][2]["sp:voorwaardeExpressie"] = "huurder = "
    with pytest.raises(InputRefusedError) as error:
        import_lpdc(make_user("KVS", "beheerder"), json.dumps(document), "lpdc.jsonld")
    assert "rij 2, kolom 'dct:spatial'" in error.value.message
    assert "rij 3, kolom 'voorwaarde'" in error.value.message
    assert not Right.objects.exists()


def test_demo_load_twice_changes_nothing(organisations):
    assert load_catalogue() == 12
    assert load_catalogue() == 0
    assert load_profiles() == 5 and load_profiles() == 0


# screening


def test_screening_finds_entitled_households_that_do_not_receive_it(geography):
    frame = pl.DataFrame(
        {
            "huishouden_id": ["a", "b", "c", "c", "d"],
            "gemeente": ["44021", "44021", "11002", "11002", "11002"],
            "rol": ["aanvrager", "aanvrager", "aanvrager", "andere", "aanvrager"],
            "leeftijd": [40, 35, 30, 32, 50],
            "beroepsinkomen": [0, 30000, 0, 0, 0],
            "vervangingsinkomen": [0, 0, 3600, 0, 0],
            "ontvangt_leefloon": [False, False, False, False, True],
        }
    )
    missed, counts = screen(
        check_population(frame, "test"), __import__("datetime").date(2025, 3, 1)
    )
    assert missed.to_dicts() == [
        {
            "huishouden_id": "a",
            "gemeente": "44021",
            "categorie": 2,
            "bedrag_per_maand": "1314.20",
        },
        {
            "huishouden_id": "c",
            "gemeente": "11002",
            "categorie": 1,
            "bedrag_per_maand": "589.05",
        },
    ]
    assert counts.filter(pl.col("gemeente") == "11002")["ontvangt_al"].item() == 1


def test_screening_refuses_negative_income_and_two_applicants_naming_rows():
    frame = pl.DataFrame(
        {
            "huishouden_id": [1, 1],
            "gemeente": ["44021"] * 2,
            "rol": ["aanvrager", "aanvrager"],
            "leeftijd": [30, 31],
            "beroepsinkomen": [-1, 0],
        }
    )
    with pytest.raises(InputRefusedError) as error:
        check_population(frame, "bevolking.csv")
    assert "rij 2, kolom 'beroepsinkomen': een bedrag kan niet negatief zijn" in (
        error.value.message
    )
    assert "huishouden heeft 2 aanvragers" in error.value.message


def test_screening_command_writes_the_households(geography, tmp_path):
    path = tmp_path / "bevolking.parquet"
    pl.DataFrame(
        {
            "huishouden_id": [1],
            "gemeente": ["44021"],
            "rol": ["aanvrager"],
            "leeftijd": [30],
        }
    ).write_parquet(path)
    out = tmp_path / "uit.csv"
    call_command(
        "leefloon_screening", str(path), "--datum", "2025-03-01", "--uitvoer", str(out)
    )
    assert "1,44021,2,1314.20" in Path(out).read_text()


# pages and API


def test_explorer_shows_local_rights_of_the_postcode_with_reasons(
    client, organisations
):
    load_catalogue()
    response = client.get(
        "/rechten/verkenner/", {"postcode": "9000", "leefloon": "ja", "leeftijd": "30"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Vrijetijdspas met kansentarief (fictief)" in text
    assert "Korting kinderopvang" not in text
    assert "Gratis energiescan voor huurders (fictief)" in text


def test_explorer_refuses_an_unknown_postcode_in_dutch(client, organisations):
    response = client.get("/rechten/verkenner/", {"postcode": "0000"})
    assert response.status_code == 400
    assert "Postcode 0000 is onbekend" in response.content.decode()


def test_advice_page_posts_a_household_and_shows_the_advice(client, db):
    response = client.post(
        "/rechten/advies/",
        {
            "datum": "2025-03-01",
            "aanvrager-leeftijd": "40",
            "aanvrager-verblijfsstatus": "belg",
            "aanvrager-verblijft_in_belgie": "ja",
            "aanvrager-werkbereid": "ja",
            "aanvrager-andere_rechten_uitgeput": "ja",
            "aanvrager-dakloos": "nee",
            "gemeenschappelijke_huishouding": "nee",
            **{f"aanvrager-{k}": "0" for k in KNOWN_INCOME},
        },
    )
    assert "Advies: toekennen" in response.content.decode()


@pytest.mark.parametrize(
    "who,status",
    [
        (None, 302),
        (("44021", "lezer"), 403),
        (("44021", "bijdrager"), 200),
        (("KVS", "beheerder"), 200),
    ],
)
def test_manage_page_checks_the_role(client, organisations, make_user, who, status):
    if who:
        client.force_login(make_user(*who))
    assert client.get("/rechten/beheer/").status_code == status
    assert client.get("/rechten/beheer/import/").status_code == status


def test_edit_page_shows_a_condition_error_and_saves_nothing(
    client, organisations, make_user
):
    client.force_login(make_user("44021", "bijdrager"))
    response = client.post(
        "/rechten/beheer/nieuw/",
        {
            "title": "X (fictief)",
            "level": "lokaal",
            "area_code": "44021",
            "description": "x",
            "condition": "leeftijd >=",
        },
    )
    assert response.status_code == 400
    assert "positie 12: verwacht een gegeven" in response.content.decode()
    assert not Right.objects.exists()


def test_api_advice_is_anonymous_and_refuses_negative_income(client, db):
    response = client.post(
        "/api/rights/leefloon/advies",
        json.dumps(single()),
        content_type="application/json",
    )
    assert response.json()["bedrag_per_maand"] == "1314.20"
    bad = single(inkomsten={**KNOWN_INCOME, "roerend_kapitaal": -1})
    response = client.post(
        "/api/rights/leefloon/advies", json.dumps(bad), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["problemen"][0]["code"] == "bedrag_negatief"


def test_api_search_and_write_need_the_right_role(client, organisations, make_user):
    load_catalogue()
    found = client.get(
        "/api/rights/rechten",
        {"postcode": "2000", "leeftijd": "70", "verhoogde_tegemoetkoming": "ja"},
    ).json()
    assert found["gemeente"]["nis"] == "11002"
    senior = [
        r for r in found["rechten"] if r["titel"].startswith("Toelage voor senioren")
    ]
    assert senior[0]["oordeel"] == "waarschijnlijk recht"
    assert client.get("/api/rights/rechten", {"postcode": "0000"}).status_code == 400
    payload = {
        "titel": "API-recht (fictief)",
        "niveau": "lokaal",
        "omschrijving": "x",
        "gebied": "44021",
        "fictief": True,
    }
    assert (
        client.post(
            "/api/rights/rechten", payload, content_type="application/json"
        ).status_code
        == 401
    )
    _, key = ApiToken.issue(make_user("11002", "beheerder"), "t")
    response = client.post(
        "/api/rights/rechten",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    _, key = ApiToken.issue(make_user("44021", "bijdrager"), "t")
    response = client.post(
        "/api/rights/rechten",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200 and response.json()["gebied"] == "44021"
    check = client.post(
        "/api/rights/voorwaarde/controle",
        {"voorwaarde": "leeftijd >"},
        content_type="application/json",
    )
    assert check.status_code == 400 and check.json()["positie"] == 11


# more roles, deletion, profiles


@pytest.mark.parametrize(
    "url",
    [
        "/rechten/",
        "/rechten/verkenner/",
        "/rechten/advies/",
        "/rechten/profielen/",
        "/rechten/advies/schema/",
        "/rechten/recht/leefloon/",
    ],
)
def test_public_pages_are_open_to_anonymous_visitors(client, organisations, url):
    load_catalogue()
    load_profiles()
    assert client.get(url).status_code == 200


def test_fiche_cites_its_source_and_marks_invented_rights(client, organisations):
    load_catalogue()
    text = client.get("/rechten/recht/leefloon/").content.decode()
    assert "POD Maatschappelijke Integratie" in text and "fictief" not in text
    fictief = Right.objects.filter(is_fictief=True).first()
    text = client.get(f"/rechten/recht/{fictief.slug}/").content.decode()
    assert "Dit is een verzonnen voorbeeld." in text
    assert "Wijzigen" not in text


def test_index_shows_a_chart_with_a_table(client, organisations):
    load_catalogue()
    text = client.get("/rechten/").content.decode()
    assert 'aria-label="Aantal rechten in de catalogus per niveau"' in text
    assert "<caption>Rechten in de catalogus per niveau</caption>" in text


@pytest.mark.parametrize(
    "who,status",
    [
        (("44021", "lezer"), 403),
        (("11002", "beheerder"), 403),
        (("44021", "bijdrager"), 302),
    ],
)
def test_deleting_a_local_right_needs_its_municipality(
    client, organisations, make_user, who, status
):
    right = save_right(make_user("KVS", "beheerder", username="kvs"), right_data())
    client.force_login(make_user(*who))
    response = client.post(f"/rechten/beheer/{right.slug}/verwijderen/")
    assert response.status_code == status
    assert Right.objects.filter(pk=right.pk).exists() is (status != 302)
    if status == 302:
        entry = AuditEntry.objects.get(action="recht.verwijderd")
        assert entry.before["title"] == "Testrecht (fictief)"


def test_changing_a_right_records_before_and_after(organisations, make_user):
    user = make_user("44021", "bijdrager")
    right = save_right(user, right_data())
    save_right(user, right_data(title="Nieuwe titel (fictief)"), right)
    entry = AuditEntry.objects.get(action="recht.gewijzigd")
    assert entry.before["title"] == "Testrecht (fictief)"
    assert entry.after["title"] == "Nieuwe titel (fictief)"


def test_profiles_are_stored_by_the_kenniscentrum_only(
    client, organisations, make_user
):
    payload = {
        "slug": "student-kot",
        "naam": "Student op kot",
        "gegevens": {
            "gemeenschappelijke_huishouding": False,
            "aanvrager": {"leeftijd": 20},
        },
    }
    _, key = ApiToken.issue(make_user("44021", "beheerder"), "t")
    response = client.post(
        "/api/rights/profielen",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    _, key = ApiToken.issue(make_user("KVS", "beheerder"), "t")
    bad = {**payload, "gegevens": {"aanvrager": {"inkomsten": {"studiebeurs": -1}}}}
    response = client.post(
        "/api/rights/profielen",
        bad,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert "kan niet negatief zijn" in response.json()["melding"]
    response = client.post(
        "/api/rights/profielen",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="clientprofiel.aangemaakt").count() == 1
    assert client.get("/rechten/advies/?profiel=student-kot").status_code == 200


def test_advice_names_points_of_attention_for_cohabiting_debtors_after_march_2026():
    data = single(leeftijd=20)
    data["datum"] = "2026-03-01"
    data["ocmw_rekent_onderhoudsplichtigen"] = False
    data["gemeenschappelijke_huishouding"] = True
    data["huisgenoten"] = [
        {"rol": "ouder", "leeftijd": 50, "inkomsten": dict(KNOWN_INCOME)}
    ]
    advice = advise(data)
    points = " ".join(advice["aandachtspunten"])
    assert "RMI-wet art. 4 §2" in points
    assert "GPMI" in points
    assert "Gebruikte lezing: 'facultatief'" in points
    assert "KB 7 januari 2026" in points
    data["lezingen"] = {"leefloon.samenwonenden.meetellen": "verplicht"}
    assert "'verplicht'" in " ".join(advise(data)["aandachtspunten"])


def test_lpdc_event_stream_page_keeps_the_newest_version_of_each_instance(
    organisations, make_user
):
    document = json.loads(LPDC_EXAMPLE.read_text())
    first = document["@graph"][0]
    older = {
        **first,
        "@id": first["@id"] + "/v1",
        "dct:isVersionOf": {"@id": first["@id"]},
        "prov:generatedAtTime": "2025-01-01T10:00:00Z",
        "dct:title": {"@value": "Oude titel (fictief)", "@language": "nl"},
    }
    newer = {
        **first,
        "@id": first["@id"] + "/v2",
        "dct:isVersionOf": {"@id": first["@id"]},
        "prov:generatedAtTime": "2025-06-01T10:00:00Z",
    }
    page = {"@context": document["@context"], "tree:member": [newer, older]}
    counts = import_lpdc(make_user("KVS", "beheerder"), json.dumps(page))
    assert counts["nieuw"] == 1
    right = Right.objects.get()
    assert right.lpdc_id == first["@id"] and right.title.startswith("Vrijetijdspas")


def test_expired_rights_are_not_shown(client, organisations, make_user):
    import datetime

    save_right(
        make_user("KVS", "beheerder"),
        right_data(
            title="Afgelopen premie (fictief)", valid_to=datetime.date(2020, 12, 31)
        ),
    )
    text = client.get("/rechten/verkenner/", {"postcode": "9000"}).content.decode()
    assert "Afgelopen premie" not in text


def test_openapi_schema_lists_the_rights_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/rights/leefloon/advies" in paths
    body = paths["/api/rights/leefloon/advies"]["post"]["requestBody"]
    assert "aanvrager" in body["content"]["application/json"]["schema"]["properties"]


def test_condition_check_helper_is_for_managers(client, organisations, make_user):
    url = "/rechten/beheer/voorwaarde/"
    assert client.get(url, {"condition": "leeftijd >"}).status_code == 302
    client.force_login(make_user("44021", "lezer"))
    assert client.get(url, {"condition": "leeftijd >"}).status_code == 403
    client.force_login(make_user("44021", "bijdrager"))
    response = client.get(url, {"condition": "leeftijd >"})
    assert "positie 11: verwacht een gegeven" in response.content.decode()
    response = client.get(url, {"condition": "leeftijd > 3"})
    assert "De voorwaarde is geldig." in response.content.decode()


def test_explorer_lists_the_questions_that_decide_possible_rights(
    client, organisations
):
    load_catalogue()
    text = client.get("/rechten/verkenner/", {"postcode": "9000"}).content.decode()
    assert "Vragen die beslissen over de mogelijke rechten" in text
    assert "Ontvangt de persoon een leefloon?" in text


def test_catalogue_api_lists_local_rights_of_a_municipality(client, organisations):
    load_catalogue()
    rights = client.get("/api/rights/catalogus", {"gemeente": "44021"}).json()
    assert {r["titel"] for r in rights} >= {"Vrijetijdspas met kansentarief (fictief)"}
    assert all(r["fictief"] for r in rights)
    assert client.get("/api/rights/catalogus", {"niveau": "federaal"}).json()[0]["bron"]


def test_advice_lists_the_amounts_it_used_with_date_and_source():
    used = {p["parameter"]: p for p in advise(single())["gebruikte_parameters"]}
    amount = used["leefloon.bedrag.categorie_2"]
    assert amount["waarde"] == "€ 15.770,41"
    assert amount["vanaf"] == "2025-02-01"
    assert amount["bron"].startswith("POD MI")


SCREENING_CSV = (
    "huishouden_id,gemeente,rol,leeftijd,vervangingsinkomen,ontvangt_leefloon\n"
    "a,44021,aanvrager,40,0,false\n"
    "b,44021,aanvrager,40,0,true\n"
    "c,11002,aanvrager,30,3600,false\n"
    "c,11002,andere,32,0,false\n"
)


def upload(text: str, name: str = "bevolking.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    "who,status",
    [
        (None, 302),
        ((None, None), 403),
        (("44021", "lezer"), 403),
        (("44021", "bijdrager"), 200),
    ],
)
def test_screening_page_needs_a_bijdrager_role(
    client, organisations, make_user, who, status
):
    if who:
        client.force_login(make_user(*who))
    assert client.get("/rechten/screening/").status_code == status


def test_screening_page_shows_counts_per_municipality_with_a_chart(
    client, organisations, make_user
):
    client.force_login(make_user("44021", "bijdrager"))
    response = client.post(
        "/rechten/screening/",
        {"bestand": upload(SCREENING_CSV), "datum": "2025-03-01", "uitvoer": "pagina"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<td>Gent (44021)</td>" in text and "<td>Antwerpen (11002)</td>" in text
    assert 'aria-label="Huishoudens met waarschijnlijk recht' in text
    response = client.post(
        "/rechten/screening/",
        {"bestand": upload(SCREENING_CSV), "datum": "2025-03-01", "uitvoer": "csv"},
    )
    assert response["Content-Type"] == "text/csv"
    assert "c,11002,1,589.05" in response.content.decode()


def test_screening_page_refuses_negative_income_naming_the_row(
    client, organisations, make_user
):
    client.force_login(make_user("44021", "bijdrager"))
    bad = SCREENING_CSV.replace("c,11002,aanvrager,30,3600", "c,11002,aanvrager,30,-5")
    response = client.post(
        "/rechten/screening/",
        {"bestand": upload(bad), "datum": "2025-03-01", "uitvoer": "pagina"},
    )
    assert response.status_code == 400
    assert (
        "rij 4, kolom &#x27;vervangingsinkomen&#x27;: een bedrag kan niet negatief"
        in (response.content.decode())
    )


def test_refused_household_names_json_fields_and_has_its_own_code():
    with pytest.raises(InputRefusedError) as error:
        advise(single(inkomsten={**KNOWN_INCOME, "studiebeurs": "veel"}))
    assert error.value.code == "huishouden_geweigerd"
    assert "veld 'aanvrager.inkomsten.studiebeurs': geen bedrag (waarde: 'veel')" in (
        error.value.message
    )


def test_vgc_manages_the_local_rights_of_brussels_municipalities(
    organisations, make_user
):
    brussel = Area.objects.get(level="gemeente", code="21004", valid_to__isnull=True)
    vgc = make_user("VGC", "bijdrager")
    right = save_right(vgc, right_data(area=brussel))
    assert right.organisation.code == "VGC"
    with pytest.raises(PermissionDenied):
        save_right(vgc, right_data())
    with pytest.raises(PermissionDenied):
        save_right(make_user("44021", "beheerder"), right_data(area=brussel))


def test_import_lpdc_command_imports_and_refuses_unknown_users(
    organisations, make_user, capsys
):
    make_user("KVS", "beheerder", username="kvs-beheerder")
    with pytest.raises(CommandError, match="Gebruiker 'niemand' bestaat niet"):
        call_command("import_lpdc", str(LPDC_EXAMPLE), "--gebruiker", "niemand")
    call_command("import_lpdc", str(LPDC_EXAMPLE), "--gebruiker", "kvs-beheerder")
    assert Right.objects.filter(level="lokaal").count() == 6
    make_user("44021", "bijdrager", username="gent")
    with pytest.raises(CommandError, match="lokale rechten van Antwerpen"):
        call_command("import_lpdc", str(LPDC_EXAMPLE), "--gebruiker", "gent")


def test_leefloon_advies_command_prints_json(tmp_path, capsys):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(single()))
    call_command("leefloon_advies", str(path), "--formaat", "json")
    assert json.loads(capsys.readouterr().out)["bedrag_per_maand"] == "1314.20"


def test_advice_page_uses_the_birth_date_for_the_age(client, db):
    response = client.post(
        "/rechten/advies/",
        {
            "datum": "2025-03-01",
            "aanvrager-geboortedatum": "2008-03-02",
            "aanvrager-verblijfsstatus": "belg",
            "aanvrager-verblijft_in_belgie": "ja",
            "aanvrager-werkbereid": "ja",
            "aanvrager-andere_rechten_uitgeput": "ja",
            "aanvrager-ontvoogd_door_huwelijk": "nee",
            "aanvrager-zwanger": "nee",
            "gemeenschappelijke_huishouding": "nee",
            **{f"aanvrager-{k}": "0" for k in KNOWN_INCOME},
        },
    )
    text = response.content.decode()
    assert "Advies: weigeren" in text
    assert "de aanvrager is 16 jaar, minderjarig" in text


def test_leefloon_advies_command_starts_from_a_client_profile(db, tmp_path, capsys):
    load_profiles()
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"datum": "2025-03-01"}))
    call_command(
        "leefloon_advies",
        str(path),
        "--profiel",
        "alleenstaande-zonder-inkomen",
        "--formaat",
        "json",
    )
    assert json.loads(capsys.readouterr().out)["bedrag_per_maand"] == "1314.20"
    with pytest.raises(CommandError, match="Cliëntprofiel 'x' bestaat niet"):
        call_command("leefloon_advies", str(path), "--profiel", "x")


def test_a_right_with_only_free_text_conditions_is_a_possible_right(
    client, organisations
):
    load_catalogue()
    text = client.get("/rechten/verkenner/", {"postcode": "9000"}).content.decode()
    possible = text.split("Mogelijk recht (")[1].split("Geen recht (")[0]
    assert "Tussenkomst in schoolkosten (fictief)" in possible
    assert "alleen als tekst beschreven" in possible


def test_advice_finds_facts_that_only_matter_together():
    # The parent's income counts only if the OCMW counts it: neither fact
    # changes the outcome alone around the assumed case, both together do.
    data = single(leeftijd=30)
    data["gemeenschappelijke_huishouding"] = True
    parent = {"rol": "ouder", "leeftijd": 60, "inkomsten": dict(KNOWN_INCOME)}
    del parent["inkomsten"]["vervangingsinkomen"]
    data["huisgenoten"] = [parent]
    fields = {m["veld"] for m in advise(data)["ontbrekende_gegevens"]}
    assert fields == {
        "ocmw_rekent_onderhoudsplichtigen",
        "huisgenoten[0].inkomsten.vervangingsinkomen",
    }
    # The same with too many unknowns for a full grid (pairwise search).
    for name in [
        "zwanger",
        "ontvoogd_door_huwelijk",
        "werkbereidheid_vrijgesteld",
        "socio_professionele_vrijstelling",
    ]:
        data["aanvrager"].pop(name, None)
    parent["inkomsten"] = {}
    advice = advise(data)
    fields = {m["veld"] for m in advice["ontbrekende_gegevens"]}
    assert advice["advies"] == "onvoldoende gegevens"
    assert "ocmw_rekent_onderhoudsplichtigen" in fields
    assert "huisgenoten[0].inkomsten.vervangingsinkomen" in fields
    assert "aanvrager.zwanger" not in fields


def test_screening_page_applies_the_mandatory_reading(client, organisations, make_user):
    client.force_login(make_user("44021", "bijdrager"))
    csv_text = (
        "huishouden_id,gemeente,rol,leeftijd,vervangingsinkomen\n"
        "a,44021,aanvrager,30,0\na,44021,ouder,60,20000\n"
    )
    answers = {}
    for reading in ["facultatief", "verplicht"]:
        response = client.post(
            "/rechten/screening/",
            {
                "bestand": upload(csv_text),
                "datum": "2025-03-01",
                "uitvoer": "csv",
                "lezing": reading,
            },
        )
        answers[reading] = response.content.decode()
    assert "a,44021,1,876.13" in answers["facultatief"]
    assert "a,44021,1,98.52" in answers["verplicht"]


def test_screening_page_draws_a_map_when_boundaries_are_known(
    client, organisations, make_user
):
    square = {
        "type": "Polygon",
        "coordinates": [
            [[3.70, 51.00], [3.80, 51.00], [3.80, 51.10], [3.70, 51.10], [3.70, 51.00]]
        ],
    }
    Area.objects.filter(level="gemeente", code="44021").update(geometry=square)
    client.force_login(make_user("44021", "bijdrager"))
    response = client.post(
        "/rechten/screening/",
        {"bestand": upload(SCREENING_CSV), "datum": "2025-03-01", "uitvoer": "pagina"},
    )
    text = response.content.decode()
    assert 'aria-label="Kaart: huishoudens met waarschijnlijk recht' in text
    assert "<caption>Screening per gemeente</caption>" in text
