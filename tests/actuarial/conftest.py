"""Fixtures for the actuarial engine tests: the industry tables directory and the SULT mortality."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from jiabao.actuarial.tables import TableSet, load_cl2010_2013, makeham_q
from jiabao.config import default_tables_dir


def find_tables_dir() -> Path | None:
    """``JIABAO_TABLES_DIR`` when set, else ``../shared/data`` beside the checkout (None when absent)."""
    env = os.environ.get("JIABAO_TABLES_DIR")
    if env:
        return Path(env) if Path(env).is_dir() else None
    return default_tables_dir()


@pytest.fixture(scope="session")
def tables_dir() -> Path:
    found = find_tables_dir()
    if found is None:
        pytest.skip("industry tables directory absent (set JIABAO_TABLES_DIR or provide ../shared/data)")
    return found


@pytest.fixture(scope="session")
def cl_tables(tables_dir: Path) -> TableSet:
    return load_cl2010_2013(tables_dir)


@pytest.fixture(scope="session")
def sult_qx() -> np.ndarray:
    """SULT one-year q_x for ages 0..140 from Makeham A=0.00022, B=2.7e-6, c=1.124 (AMLCR 3rd ed. p.82)."""
    qx = makeham_q(np.arange(141, dtype=np.float64), 0.00022, 2.7e-6, 1.124)
    qx[-1] = 1.0
    return qx
