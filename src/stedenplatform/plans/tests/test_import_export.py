import csv
import io

import pytest
from openpyxl import load_workbook

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.core.models import AuditEntry
from stedenplatform.plans import document
from stedenplatform.plans.models import Group, Item, Plan, ProgressUpdate
from stedenplatform.plans.services import (
    bulk_update_from_file,
    export_document,
    export_plan,
    import_plan,
)


def _state(plan):
    """Everything an export carries, for comparing two plans."""
    doc = export_document(plan)
    return doc.plan, doc.levels, doc.groups, doc.items, doc.indicators


def test_jaarplan_loads_every_level_of_the_source(jaarplan):
    counts = {
        lv.key: jaarplan.items.filter(level=lv).count() for lv in jaarplan.levels.all()
    }
    assert counts == {"programma": 7, "werkspoor": 30, "doelstelling": 52, "actie": 125}
    assert jaarplan.organisation.code == "KVS"
    assert jaarplan.published


def test_jaarplan_groups_keep_their_cadence(jaarplan):
    obmi = Group.objects.get(code="werkgroep-obmi")
    assert obmi.every_weeks == 6
    assert obmi.cadence_label == "zeswekelijks"
    assert Group.objects.get(code="stuurgroep-obmi").per_year == 2
    assert obmi.items.filter(plan=jaarplan).exists()


def test_importing_the_same_file_twice_changes_nothing(jaarplan):
    before = _state(jaarplan)
    audit_rows = AuditEntry.objects.count()
    again = import_plan(
        None,
        document.write_yaml(export_document(jaarplan)),
        "jaarplan.yaml",
        check_permission=False,
    )
    assert again.pk == jaarplan.pk
    assert _state(again) == before
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("file_format", ["xlsx", "yaml"])
def test_export_then_import_gives_the_same_plan(city_plan, file_format):
    data, _ = export_plan(city_plan, file_format)
    before = _state(city_plan)
    Plan.objects.filter(pk=city_plan.pk).delete()
    restored = import_plan(None, data, f"plan.{file_format}", check_permission=False)
    assert _state(restored) == before


def test_csv_export_imports_back_into_its_plan(city_plan):
    data, media_type = export_plan(city_plan, "csv")
    assert media_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["code", "niveau", "ouder", "titel"]
    assert len(rows) == 1 + city_plan.items.count()
    before = _state(city_plan)
    import_plan(None, data, "items.csv", plan=city_plan, check_permission=False)
    assert _state(city_plan) == before


def test_csv_without_a_plan_is_refused_with_what_to_do(city_plan):
    data, _ = export_plan(city_plan, "csv")
    with pytest.raises(
        InputRefusedError, match="dit bestand bevat alleen items; kies het plan"
    ):
        import_plan(None, data, "items.csv", check_permission=False)


def _workbook_with(plan, edit) -> bytes:
    data, _ = export_plan(plan, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_bad_workbook_is_refused_whole_naming_row_column_value_and_allowed(city_plan):
    def break_it(workbook):
        sheet = workbook["Items"]
        header = [c.value for c in sheet[1]]
        sheet.cell(
            row=3,
            column=header.index("titel") + 1,
            value="Nieuwe titel die niet mag landen",
        )
        sheet.cell(row=5, column=header.index("status") + 1, value="klaar")
        sheet.cell(row=6, column=header.index("voortgang") + 1, value=140)

    before = _state(city_plan)
    with pytest.raises(InputRefusedError) as caught:
        import_plan(
            None,
            _workbook_with(city_plan, break_it),
            "plan.xlsx",
            check_permission=False,
        )
    message = str(caught.value)
    assert (
        "plan.xlsx is geweigerd: 2 problemen gevonden, er is niets opgeslagen."
        in message
    )
    assert (
        "rij 5, kolom 'status': blad 'Items': onbekende waarde (waarde: 'klaar'); toegelaten: gerealiseerd, lopend"
        in message
    )
    assert (
        "rij 6, kolom 'voortgang'" in message
        and "(waarde: 140); toegelaten: een geheel getal van 0 tot 100" in message
    )
    assert _state(city_plan) == before


def test_import_refuses_an_unknown_parent_and_group(city_plan):
    def break_it(workbook):
        sheet = workbook["Items"]
        header = [c.value for c in sheet[1]]
        sheet.cell(row=4, column=header.index("ouder") + 1, value="BD99")
        sheet.cell(row=2, column=header.index("groepen") + 1, value="bestaat-niet")

    with pytest.raises(InputRefusedError) as caught:
        import_plan(
            None,
            _workbook_with(city_plan, break_it),
            "plan.xlsx",
            check_permission=False,
        )
    message = str(caught.value)
    assert "de ouder bestaat niet" in message and "(waarde: 'BD99')" in message
    assert "onbekende groep (waarde: 'bestaat-niet')" in message


def test_import_never_deletes_items_with_their_history(city_plan):
    def drop_last(workbook):
        sheet = workbook["Items"]
        sheet.delete_rows(sheet.max_row)

    with pytest.raises(InputRefusedError, match="een import verwijdert geen items"):
        import_plan(
            None,
            _workbook_with(city_plan, drop_last),
            "plan.xlsx",
            check_permission=False,
        )


def test_yaml_in_another_format_is_refused():
    with pytest.raises(InputRefusedError, match="toegelaten: stedenplatform-plan/1"):
        import_plan(None, b"format: iets-anders\n", "plan.yaml", check_permission=False)


def _bulk_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["code", "status", "voortgang", "tekst"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_bulk_update_applies_status_and_progress_and_keeps_history(
    city_plan, make_user
):
    user = make_user("44021", "bijdrager", username="bulk")
    history = ProgressUpdate.objects.count()
    changed = bulk_update_from_file(
        user,
        city_plan,
        _bulk_csv(
            [
                ["AC02.02.02", "lopend", "10", "Eerste analyse klaar"],
                ["AC04.02.01", "op schema", "35", ""],
            ]
        ),
        "update.csv",
    )
    assert changed == 2
    item = Item.objects.get(plan=city_plan, code="AC04.02.01")
    assert (item.status, item.progress) == ("op_schema", 35)
    assert ProgressUpdate.objects.count() == history + 2
    assert item.updates.get().author == user


def test_bulk_update_with_one_bad_row_changes_nothing(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="bulk")
    before = _state(city_plan)
    with pytest.raises(InputRefusedError) as caught:
        bulk_update_from_file(
            user,
            city_plan,
            _bulk_csv(
                [
                    ["AC02.02.02", "lopend", "10", ""],
                    ["XX99", "lopend", "10", ""],
                    ["AC04.02.01", "gerealiseerd", "80", ""],
                ]
            ),
            "update.csv",
        )
    message = str(caught.value)
    assert (
        "rij 3, kolom 'code': onbekende itemcode in dit plan (waarde: 'XX99')"
        in message
    )
    assert (
        "rij 4, kolom 'voortgang': een gerealiseerd item staat op 100% (waarde: 80); toegelaten: 100"
        in message
    )
    assert _state(city_plan) == before


def test_bulk_update_refuses_items_of_another_organisation(city_plan, make_user):
    user = make_user("11002", "bijdrager", username="antwerpen")
    with pytest.raises(
        InputRefusedError, match="je mag over dit item niet rapporteren"
    ):
        bulk_update_from_file(
            user,
            city_plan,
            _bulk_csv([["AC02.02.02", "lopend", "10", ""]]),
            "update.csv",
        )


def test_exported_workbook_can_be_sent_back_as_bulk_update(city_plan, make_user):
    user = make_user("44021", "bijdrager", username="bulk")

    def set_progress(workbook):
        sheet = workbook["Items"]
        header = [c.value for c in sheet[1]]
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=1).value == "AC02.02.02":
                sheet.cell(row=row, column=header.index("voortgang") + 1, value=60)
                sheet.cell(
                    row=row, column=header.index("status") + 1, value="op schema"
                )

    changed = bulk_update_from_file(
        user, city_plan, _workbook_with(city_plan, set_progress), "plan.xlsx"
    )
    assert changed == 1
    assert Item.objects.get(plan=city_plan, code="AC02.02.02").progress == 60
