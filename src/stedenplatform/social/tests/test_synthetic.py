"""The synthetic data generator: valid files, sizes by population, fictief."""

from stedenplatform.social.importers import validate
from stedenplatform.social.schemas import SCHEMAS
from stedenplatform.social.synthetic import (
    generate_city,
    load_population,
    write_csv,
)


def test_every_generated_file_passes_the_upload_validation(tmp_path):
    tables = generate_city("13040", 2016, 2025, scale=0.2)
    assert set(tables) == set(SCHEMAS)
    for dataset, table in tables.items():
        path = tmp_path / f"{dataset}-fictief.csv"
        write_csv(table, dataset, path)
        checked = validate(path, path.name, dataset, "13040")
        assert checked.rows == table.num_rows > 0


def test_sizes_follow_the_population_of_each_city():
    population = load_population()
    assert len(population) == 13 and population["11002"][2026] == 565615
    big = generate_city("11002", 2016, 2025, scale=0.05)["leefloon"].num_rows
    small = generate_city("13040", 2016, 2025, scale=0.05)["leefloon"].num_rows
    assert big > 4 * small


def test_generator_is_deterministic_so_the_demo_loads_idempotently():
    first = generate_city("41002", 2020, 2024, scale=0.05)
    second = generate_city("41002", 2020, 2024, scale=0.05)
    assert all(first[k].equals(second[k]) for k in first)
    other_city = generate_city("44021", 2020, 2024, scale=0.05)
    assert not set(first["personen"]["pseudoniem"].to_pylist()) & set(
        other_city["personen"]["pseudoniem"].to_pylist()
    )


def test_command_writes_fictief_files_for_the_chosen_cities(tmp_path):
    from django.core.management import call_command

    call_command(
        "demad_synthetisch",
        jaren="2020-2022",
        schaal=0.05,
        uit=str(tmp_path),
        steden=["13040"],
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"13040-{d}-fictief.csv" for d in sorted(SCHEMAS)]


def test_command_refuses_unknown_cities_and_bad_years(tmp_path):
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Onbekende steden 99999"):
        call_command("demad_synthetisch", uit=str(tmp_path), steden=["99999"])
    with pytest.raises(CommandError, match="Ongeldige jaren '2025-2016'"):
        call_command("demad_synthetisch", uit=str(tmp_path), jaren="2025-2016")
