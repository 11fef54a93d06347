"""Uploading microdata: validation, whole-file refusal, storage, idempotence."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import AuditEntry
from stedenplatform.social import storage
from stedenplatform.social.models import Upload
from stedenplatform.social.services import upload_microdata

from . import handmade
from .handmade import pseudonym

GOOD = pseudonym("A")
HEADER = "pseudoniem,ocmw,maand,categorie,bedrag\n"


@pytest.fixture
def gent(organisations, data_dir):
    return organisations["44021"]


def write(tmp_path, text, name="leefloon.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def upload(user, org, path, dataset="leefloon"):
    return upload_microdata(user, org, dataset, path, path.name)


def test_valid_file_is_stored_as_parquet_with_a_row_per_upload(
    gent, make_user, tmp_path
):
    user = make_user("44021", "bijdrager")
    path = write(
        tmp_path,
        HEADER + f'{GOOD},44021,2024-01,2,1314.20\n{GOOD},44021,2024-02,2,"1314,20"\n',
    )
    result, changed = upload(user, gent, path)
    assert changed and result.rows == 2 and result.persons == 1
    assert result.uploaded_by == user and len(result.checksum) == 64
    assert (
        str(result.first_month) == "2024-01-01"
        and str(result.last_month) == "2024-02-01"
    )
    stored = storage.file_path("44021", "leefloon", result.storage_name)
    columns, rows = storage.read_rows(stored, 10)
    assert columns == ["ocmw", "pseudoniem", "maand", "categorie", "bedrag"]
    assert [str(r[4]) for r in rows] == ["1314.20", "1314.20"]
    assert AuditEntry.objects.filter(action="social.microdata_uploaded").count() == 1


def test_same_file_twice_changes_nothing_and_a_new_one_replaces_it(
    gent, make_user, tmp_path, django_capture_on_commit_callbacks
):
    user = make_user("44021", "bijdrager")
    path = write(tmp_path, HEADER + f"{GOOD},44021,2024-01,2,1314.20\n")
    first, _ = upload(user, gent, path)
    again, changed = upload(user, gent, path)
    assert again.pk == first.pk and not changed
    newer = write(tmp_path, HEADER + f"{GOOD},44021,2024-03,2,1314.20\n", "nieuw.csv")
    with django_capture_on_commit_callbacks(execute=True):
        second, changed = upload(user, gent, newer)
    assert changed
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert not storage.file_path("44021", "leefloon", first.storage_name).exists()
    assert Upload.objects.filter(is_current=True).count() == 1


def test_bad_file_names_row_column_value_and_allowed_and_writes_nothing(
    gent, make_user, tmp_path, data_dir
):
    user = make_user("44021", "bijdrager")
    path = write(
        tmp_path,
        HEADER
        + f"{GOOD},44021,2024-01,2,1314.20\n"
        + f"{GOOD},44021,2024-13,4,-5\n"
        + "p_xyz,11002,2024-02,2,10\n",
    )
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, path)
    message = caught.value.message
    assert (
        "leefloon.csv is geweigerd" in message and "er is niets opgeslagen" in message
    )
    assert "rij 3, kolom 'maand': geen geldige maand (waarde: '2024-13')" in message
    assert (
        "rij 3, kolom 'categorie': onbekende categorie (waarde: '4'); toegelaten: 1"
        in message
    )
    assert "rij 3, kolom 'bedrag': geen geldig bedrag (waarde: '-5')" in message
    assert (
        "rij 4, kolom 'pseudoniem': geen geldig pseudoniem (waarde: 'p_xyz')" in message
    )
    assert "rij 4, kolom 'ocmw': het bestand hoort niet bij dit OCMW" in message
    assert "toegelaten: alleen de NIS-code van het eigen OCMW: 44021" in message
    assert not Upload.objects.exists()
    assert not list((data_dir / "demad").rglob("*.parquet"))


def test_clear_insz_in_the_pseudonym_column_is_refused_without_repeating_it(
    gent, make_user, tmp_path
):
    user = make_user("44021", "bijdrager")
    path = write(tmp_path, HEADER + "85.07.30-033.28,44021,2024-01,2,100\n")
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, path)
    assert "lijkt op een INSZ in klare tekst" in caught.value.message
    assert "85.07.30" not in caught.value.message
    assert not Upload.objects.exists()


def test_duplicate_person_month_unknown_and_missing_columns_are_refused(
    gent, make_user, tmp_path
):
    user = make_user("44021", "bijdrager")
    path = write(
        tmp_path,
        f"pseudoniem,maand,werk\n{GOOD},2024-01,ja\n{GOOD},2024-01,nee\n",
        "werk.csv",
    )
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, path, "tewerkstelling")
    assert (
        "rij 3, kolom 'maand': dubbele rij: dezelfde pseudoniem en maand komt al "
        "voor op rij 2" in caught.value.message
    )
    path = write(tmp_path, "pseudoniem,geboortemaand,naam\n", "personen.csv")
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, path, "personen")
    assert "kolom 'geslacht': kolom ontbreekt" in caught.value.message
    assert "kolom 'naam': onbekende kolom" in caught.value.message


def test_xlsx_upload_with_months_as_dates(gent, make_user, tmp_path):
    import datetime

    user = make_user("44021", "bijdrager")
    workbook = Workbook()
    workbook.active.append(["pseudoniem", "maand_einde"])
    workbook.active.append([GOOD, datetime.datetime(2023, 9, 1)])
    path = tmp_path / "jeugdhulp.xlsx"
    workbook.save(path)
    result, _ = upload(user, gent, path, "jeugdhulp")
    assert result.rows == 1 and str(result.first_month) == "2023-09-01"


@pytest.mark.parametrize(
    "org_code,role", [("44021", "lezer"), ("11002", "bijdrager"), ("KVS", "beheerder")]
)
def test_only_a_bijdrager_of_the_ocmw_itself_uploads(
    gent, make_user, tmp_path, org_code, role
):
    user = make_user(org_code, role)
    path = write(tmp_path, HEADER + f"{GOOD},44021,2024-01,2,100\n")
    with pytest.raises(
        PermissionDenied, match="Alleen een bijdrager of beheerder van Stad Gent"
    ):
        upload(user, gent, path)


def test_superuser_without_membership_does_not_touch_microdata(gent, tmp_path):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x" * 12)
    path = write(tmp_path, HEADER + f"{GOOD},44021,2024-01,2,100\n")
    with pytest.raises(PermissionDenied):
        upload(admin, gent, path)


def test_upload_command_uploads_the_hand_made_files(gent, tmp_path):
    files = handmade.write_csv(tmp_path)
    for dataset, path in files.items():
        call_command("demad_opladen", str(path), ocmw="44021", dataset=dataset)
    assert Upload.objects.filter(organisation=gent, is_current=True).count() == 4
    with pytest.raises(CommandError, match="geweigerd"):
        call_command(
            "demad_opladen", str(files["personen"]), ocmw="44021", dataset="leefloon"
        )


def test_unreadable_files_are_refused_with_the_reason(gent, make_user, tmp_path):
    user = make_user("44021", "bijdrager")
    ragged = write(tmp_path, HEADER + f"{GOOD},44021,2024-01\n")
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, ragged)
    assert "het bestand is geen geldige csv" in caught.value.message
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode()
        + f"{GOOD},44021,2024-01,2,1\n".encode()
        + "é".encode("latin-1")
        + b"\n"
    )
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, latin)
    assert "geweigerd" in caught.value.message
    fake = tmp_path / "leefloon.xlsx"
    fake.write_bytes(b"dit is geen xlsx")
    with pytest.raises(InputRefusedError) as caught:
        upload(user, gent, fake)
    assert "geen leesbaar xlsx-bestand" in caught.value.message
    assert not Upload.objects.exists()
