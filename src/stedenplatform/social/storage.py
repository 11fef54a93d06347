"""Where the microdata lives: Parquet files in the private data directory.

`VAR_DIR/demad/<NIS-code>/<data set>/<name>.parquet`, readable only by the
platform's own user. The database row of an upload points at its file; only
the current upload's file is kept, older ones are removed once the new
upload is committed.
"""

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings


def data_root() -> Path:
    root = Path(settings.VAR_DIR) / "demad"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def dataset_dir(ocmw: str, dataset: str) -> Path:
    path = data_root() / ocmw / dataset
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def file_path(ocmw: str, dataset: str, storage_name: str) -> Path:
    return data_root() / ocmw / dataset / storage_name


def write_parquet(table: pa.Table, ocmw: str, dataset: str, storage_name: str) -> Path:
    """Write the table under a new name, atomically; return its path."""
    target = dataset_dir(ocmw, dataset) / storage_name
    partial = target.with_name(target.name + ".deel")
    pq.write_table(table, partial, compression="zstd")
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    return target


def remove_file(ocmw: str, dataset: str, storage_name: str) -> None:
    path = file_path(ocmw, dataset, storage_name)
    if path.exists():
        path.unlink()


def read_rows(path: Path, limit: int, offset: int = 0) -> tuple[list[str], list[tuple]]:
    """Return the column names and a page of rows of one Parquet file."""
    connection = duckdb.connect()
    relation = connection.execute(
        "SELECT * FROM read_parquet(?) ORDER BY ALL LIMIT ? OFFSET ?",
        [str(path), limit, offset],
    )
    names = [d[0] for d in relation.description]
    rows = relation.fetchall()
    connection.close()
    return names, rows
