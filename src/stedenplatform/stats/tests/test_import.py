"""File import: formats, validation with whole-file refusal, idempotence,
upward aggregation, formula indicators and merged municipalities."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import Area
from stedenplatform.stats.models import ImportBatch, Observation, Origin, Suppression
from stedenplatform.stats.services import import_indicator_file


def snapshot():
    return sorted(
        Observation.objects.values_list(
            "indicator__code",
            "area__code",
            "period__start",
            "value",
            "numerator",
            "denominator",
            "missing",
            "origin",
            "suppression",
        )
    )


def wide_csv(rows, columns=("inwoners", "inwoners_65")):
    lines = [";".join(["PERIOD", "GEOLEVEL", "GEOITEM", *columns])]
    lines += [";".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def gent_sector_rows():
    wijk = Area.current().get(level="wijk", code="44021G")
    sectors = list(Area.current().filter(parent=wijk).order_by("code"))
    return (
        wijk,
        sectors,
        [(2024, "sector", s.code, 100 + i, 20 + i) for i, s in enumerate(sectors)],
    )


@pytest.mark.django_db
def test_wide_csv_import_aggregates_sectors_to_wijk_and_is_idempotent(
    sector_geography, indicators
):
    wijk, sectors, rows = gent_sector_rows()
    content = wide_csv(rows)
    result = import_indicator_file("gent.csv", content)
    assert result.written.created == 2 * len(sectors)
    aggregated = Observation.objects.get(indicator__code="inwoners", area=wijk)
    assert aggregated.origin == Origin.AGGREGATED
    assert aggregated.value == sum(100 + i for i in range(len(sectors)))
    share = Observation.objects.get(indicator__code="aandeel_65", area=wijk)
    assert share.origin == Origin.FORMULA
    assert share.numerator == sum(20 + i for i in range(len(sectors)))
    assert abs(share.value - share.numerator / aggregated.value * 100) < Decimal("1e-5")
    before, batches = snapshot(), ImportBatch.objects.count()

    again = import_indicator_file("gent.csv", content)
    assert again.written.created == 0 and again.written.updated == 0
    assert again.written.unchanged == 2 * len(sectors)
    assert snapshot() == before
    assert ImportBatch.objects.count() == batches


@pytest.mark.django_db
def test_import_refuses_bad_file_whole_and_changes_nothing(indicators):
    import_indicator_file(
        "goed.csv", wide_csv([(2023, "gemeente", "44021", 260000, 45000)])
    )
    before = snapshot()
    bad = wide_csv(
        [
            (2024, "gemeente", "44021", 262000, 45100),
            (2024, "gemeente", "99999", 10, 1),
            ("2024-Q7", "gemeente", "11002", 530000, 90000),
            (2024, "wijkje", "11002", 1, 1),
            (2024, "gemeente", "24062", "veel", -3),
        ]
    )
    with pytest.raises(InputRefusedError) as error:
        import_indicator_file("fout.csv", bad)
    message = error.value.message
    assert message.startswith("fout.csv is geweigerd")
    assert (
        "rij 3, kolom 'GEOITEM': onbekend gebied op niveau gemeente (waarde: '99999')"
        in message
    )
    assert "rij 4, kolom 'PERIOD': ongeldige periode (waarde: '2024-Q7')" in message
    assert (
        "rij 5, kolom 'GEOLEVEL': onbekend gebiedsniveau (waarde: 'wijkje')" in message
    )
    assert "rij 6, kolom 'inwoners': geen getal (waarde: 'veel')" in message
    assert "rij 6, kolom 'inwoners_65': een aantal kan niet negatief zijn" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_import_refuses_unknown_indicator_column(indicators):
    content = wide_csv([(2024, "gemeente", "44021", 1)], columns=("bestaat_niet",))
    with pytest.raises(InputRefusedError) as error:
        import_indicator_file("x.csv", content)
    assert "kolom 'bestaat_niet': onbekende indicator (waarde: 'bestaat_niet')" in (
        error.value.message
    )
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_long_format_from_xlsx_and_parquet_give_the_same_state(indicators):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    rows = [
        ("werkzoekend", "gemeente", "44021", "2024", 8.5, 1700, 20000),
        ("werkzoekend", "gemeente", "11002", "2024", 3.0, 4, 133),
    ]
    header = [
        "indicator",
        "level",
        "area",
        "period",
        "value",
        "numerator",
        "denominator",
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    import_indicator_file("lang.xlsx", buffer.getvalue())
    from_xlsx = snapshot()
    Observation.objects.all().delete()

    table = pa.table({h: [r[i] for r in rows] for i, h in enumerate(header)})
    out = io.BytesIO()
    pq.write_table(table, out)
    import_indicator_file("lang.parquet", out.getvalue())
    assert snapshot() == from_xlsx
    small = Observation.objects.get(area__code="11002")
    assert small.suppression == Suppression.PRIMARY


@pytest.mark.django_db
def test_pre_2025_municipalities_are_added_onto_their_successor(indicators):
    content = wide_csv(
        [
            (2020, "gemeente", "71022", 78000, 15000),
            (2020, "gemeente", "73040", 8500, 1800),
        ]
    )
    import_indicator_file("oud.csv", content)
    hasselt = Observation.objects.get(indicator__code="inwoners", area__code="71072")
    assert hasselt.value == 86500
    with pytest.raises(InputRefusedError) as error:
        import_indicator_file("half.csv", wide_csv([(2021, "gemeente", "71022", 1, 1)]))
    assert "niet alle gemeenten van een fusie" in error.value.message
    assert "alle fusiegemeenten: 71022, 73040" in error.value.message


@pytest.mark.django_db
def test_import_permission_for_each_role(indicators, make_user):
    content = wide_csv([(2024, "gemeente", "44021", 262000, 45100)])
    for org, role in [("KVS", "lezer"), ("44021", "bijdrager"), (None, None)]:
        user = make_user(org, role)
        with pytest.raises(PermissionDenied):
            import_indicator_file("a.csv", content, actor=user)
    assert not Observation.objects.exists()
    result = import_indicator_file(
        "a.csv", content, actor=make_user("KVS", "bijdrager")
    )
    assert result.written.created == 2


@pytest.mark.django_db
def test_command_imports_and_refuses(indicators, tmp_path):
    good = tmp_path / "goed.csv"
    good.write_bytes(wide_csv([(2024, "gemeente", "44021", 262000, 45100)]))
    call_command("import_indicators", str(good))
    assert Observation.objects.filter(origin=Origin.LOADED).count() == 2
    bad = tmp_path / "fout.csv"
    bad.write_bytes(wide_csv([(2024, "gemeente", "44021", "x1", 1)]))
    with pytest.raises(CommandError, match="1 bestand"):
        call_command("import_indicators", str(bad))
