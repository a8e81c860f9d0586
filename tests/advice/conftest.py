"""Fixtures for the advice engine: the catalog, the tables and a pricer on the real quoting engine."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from jiabao.actuarial.tables import TableLibrary, load_table_library
from jiabao.advice.engine import Assumptions, load_assumptions
from jiabao.advice.pricing import QuotePricer
from jiabao.config import default_tables_dir
from jiabao.products.catalog import Catalog, load_catalog

AS_OF = date(2026, 12, 3)


@pytest.fixture(scope="session")
def assumptions() -> Assumptions:
    return load_assumptions("2026.1")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def library() -> TableLibrary:
    env = os.environ.get("JIABAO_TABLES_DIR")
    found = Path(env) if env and Path(env).is_dir() else default_tables_dir()
    return load_table_library(found)


@pytest.fixture(scope="session")
def pricer(catalog: Catalog, library: TableLibrary) -> QuotePricer:
    return QuotePricer(catalog, library, AS_OF, exact=True)


@pytest.fixture(scope="session")
def batch_pricer(catalog: Catalog, library: TableLibrary) -> QuotePricer:
    return QuotePricer(catalog, library, AS_OF, exact=False)
