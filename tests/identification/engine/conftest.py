"""Shared fixtures: a small generated register imported once per test session.

Seeds here differ from the benchmark's (bench/identification uses 2025 / 4242) and from
the ones the packaged model was estimated on, so no test reuses the data it was tuned on.
"""

from __future__ import annotations

import pytest

from gmmp.identification.engine import Engine, RegisterStore, generate_population, generate_register

REGISTER_PEOPLE = 3000
REGISTER_SEED = 101


@pytest.fixture(scope="session")
def population():
    return generate_population(REGISTER_PEOPLE, REGISTER_SEED)


@pytest.fixture(scope="session")
def register_csv(tmp_path_factory):
    return generate_register(
        REGISTER_PEOPLE, REGISTER_SEED, tmp_path_factory.mktemp("register") / "register.csv"
    )


@pytest.fixture(scope="session")
def register_dir(tmp_path_factory, register_csv):
    directory = tmp_path_factory.mktemp("store")
    RegisterStore(directory).import_csv(register_csv)
    return directory


@pytest.fixture(scope="session")
def engine(register_dir):
    return Engine.open(register_dir)


def write_csv(path, header, rows):
    """A register file written by hand, for import edge cases."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
