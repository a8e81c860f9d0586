"""Fixtures for catalog and quoting tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiabao.actuarial.tables import TableLibrary, load_table_library
from jiabao.config import default_tables_dir
from jiabao.products.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def tables_dir() -> Path:
    env = os.environ.get("JIABAO_TABLES_DIR")
    found = Path(env) if env and Path(env).is_dir() else (None if env else default_tables_dir())
    if found is None:
        pytest.skip("industry tables directory absent (set JIABAO_TABLES_DIR or provide ../shared/data)")
    return found


@pytest.fixture(scope="session")
def library(tables_dir: Path) -> TableLibrary:
    return load_table_library(tables_dir)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
