"""Pseudonymisation at the OCMW: INSZ check digits, keyed hash, refusal."""

import csv
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.social.pseudonymise import (
    KEY_ENV_VAR,
    PseudonymKeyError,
    is_valid_insz,
    load_key,
    pseudonym,
    pseudonymise_file,
)

KEY = b"sleutel-van-het-ocmw-32-bytes-lang!"


def insz(birth: str, serial: str, born_after_1999: bool = False) -> str:
    """Build an INSZ with correct check digits (yymmdd + serial + check)."""
    base = birth + serial
    check = 97 - int(("2" if born_after_1999 else "") + base) % 97
    return f"{base}{check:02d}"


def test_check_digits_are_97_minus_the_number_modulo_97():
    assert is_valid_insz("85073003328")
    assert is_valid_insz("85.07.30-033.28")
    assert not is_valid_insz("85073003329")
    assert not is_valid_insz("8507300332")
    assert not is_valid_insz("")


def test_people_born_in_2000_or_later_get_a_2_before_the_number():
    number = insz("050315", "123", born_after_1999=True)
    assert is_valid_insz(number)
    # Without the prefix rule the same number would not check out.
    assert 97 - int(number[:9]) % 97 != int(number[9:])


def test_same_key_gives_the_same_pseudonym_in_every_file_and_writing():
    number = insz("900101", "045")
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert pseudonym(KEY, number) == pseudonym(KEY, dotted)
    assert pseudonym(KEY, number) != pseudonym(
        b"een-andere-sleutel-van-32-bytes!", number
    )
    assert pseudonym(KEY, number).startswith("p_") and len(pseudonym(KEY, number)) == 66


def write_csv(path, rows, header=("insz", "maand", "categorie")):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def test_csv_file_gets_a_pseudonym_column_and_keeps_the_rest(tmp_path):
    source, target = tmp_path / "leefloon.csv", tmp_path / "uit.csv"
    first, second = insz("850730", "033"), insz("010203", "456", True)
    write_csv(source, [(first, "2024-01", "2"), (second, "2024-02", "1")])
    assert pseudonymise_file(source, target, KEY) == 2
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["pseudoniem", "maand", "categorie"]
    assert rows[1] == [pseudonym(KEY, first), "2024-01", "2"]
    assert first not in target.read_text(encoding="utf-8")


def test_xlsx_file_is_pseudonymised_too(tmp_path):
    source, target = tmp_path / "in.xlsx", tmp_path / "uit.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["INSZ", "maand_einde"])
    number = insz("070809", "111", True)
    sheet.append([int(number), "2024-06"])  # Excel dropped the leading zero
    workbook.save(source)
    pseudonymise_file(source, target, KEY, column="insz")
    values = list(load_workbook(target).active.iter_rows(values_only=True))
    assert values[1] == (pseudonym(KEY, number), "2024-06")


def test_invalid_insz_is_reported_by_row_without_the_number_and_nothing_is_written(
    tmp_path, caplog
):
    source, target = tmp_path / "in.csv", tmp_path / "uit.csv"
    wrong = "85073003329"
    write_csv(
        source,
        [
            (insz("850730", "033"), "2024-01", "2"),
            (wrong, "2024-01", "2"),
            ("", "2024-02", "1"),
        ],
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputRefusedError) as caught:
        pseudonymise_file(source, target, KEY)
    message = caught.value.message
    assert "2 problemen gevonden, er is niets opgeslagen" in message
    assert "rij 3, kolom 'insz': geen geldig INSZ" in message
    assert "rij 4, kolom 'insz'" in message
    assert wrong not in message
    assert wrong not in caplog.text
    assert not target.exists()
    assert not list(tmp_path.glob("*.deel"))


def test_missing_insz_column_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, [("x", "2024-01", "2")], header=("rijksregister", "maand", "cat"))
    with pytest.raises(InputRefusedError) as caught:
        pseudonymise_file(source, tmp_path / "uit.csv", KEY)
    assert "de kolom met het INSZ ontbreekt" in caught.value.message


def test_key_comes_from_a_file_or_the_environment_and_must_be_long(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    with pytest.raises(PseudonymKeyError, match="Geen sleutel"):
        load_key()
    monkeypatch.setenv(KEY_ENV_VAR, "kort")
    with pytest.raises(PseudonymKeyError, match="te kort"):
        load_key()
    key_file = tmp_path / "sleutel"
    key_file.write_bytes(KEY + b"\n")
    assert load_key(key_file) == KEY


def test_command_pseudonymises_with_the_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, KEY.decode())
    source, target = tmp_path / "in.csv", tmp_path / "uit.csv"
    number = insz("991231", "998")
    write_csv(source, [(number, "2024-01", "3")])
    call_command("pseudonimiseer", str(source), str(target))
    assert pseudonym(KEY, number) in target.read_text(encoding="utf-8")


def test_command_refuses_a_file_with_an_invalid_insz(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, KEY.decode())
    source, target = tmp_path / "in.csv", tmp_path / "uit.csv"
    write_csv(source, [("12345678901", "2024-01", "3")])
    with pytest.raises(CommandError, match="rij 2, kolom 'insz': geen geldig INSZ"):
        call_command("pseudonimiseer", str(source), str(target))
    assert not target.exists()
