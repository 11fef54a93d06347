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
