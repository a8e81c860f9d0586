"""Table loading, versioning, the 108号 table choice and the parametric fallback basis."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from jiabao.actuarial.tables import (
    CL2010_BASIS,
    CL2010_FILES,
    CL2025_FILES,
    PARAMETRIC_BASIS,
    MortalityKind,
    ProductType,
    Sex,
    TableError,
    TableSet,
    load_cl2010_2013,
    load_mortality_csv,
    load_table_library,
    mortality_kind_for,
    parametric_table_set,
)


def test_cl_tables_load_with_published_spot_values(cl_tables: TableSet) -> None:
    """q_0 and q_60 of CL1–CL6 as listed in actuarial.md §1.1; every table has 106 ages and q_105 = 1."""
    q0 = [0.000867, 0.000620, 0.000620, 0.000455, 0.000566, 0.000453]
    q60 = [0.009161, 0.004414, 0.006258, 0.003088, 0.004660, 0.002315]
    for (key, _file), a, b in zip(CL2010_FILES.items(), q0, q60, strict=True):
        table = cl_tables.mortality_table(*key)
        assert (table.qx[0], table.qx[60], table.qx[105], len(table.qx)) == (a, b, 1.0, 106)
    female_ci = cl_tables.incidence_table(Sex.FEMALE)
    assert (female_ci.ix[0], female_ci.kx[57]) == (0.000815, 0.679)  # quoted by miehuo119.cn
    assert cl_tables.basis == CL2010_BASIS


def test_table_choice_per_108() -> None:
    assert mortality_kind_for(ProductType.TERM_LIFE) is MortalityKind.NON_PENSION_I
    assert mortality_kind_for(ProductType.HEALTH) is MortalityKind.NON_PENSION_I
    assert mortality_kind_for(ProductType.ANNUITY_LOW_LONGEVITY) is MortalityKind.NON_PENSION_II
    assert mortality_kind_for(ProductType.ANNUITY_HIGH_LONGEVITY) is MortalityKind.PENSION


def _copy_tables(src: Path, dst: Path) -> None:
    for name in [
        *CL2010_FILES.values(),
        "china_ci_2006_2010_25diseases_male.csv",
        "china_ci_2006_2010_25diseases_female.csv",
    ]:
        shutil.copy(src / name, dst / name)


def test_missing_file_is_named(tables_dir: Path, tmp_path: Path) -> None:
    _copy_tables(tables_dir, tmp_path)
    (tmp_path / "china_life_2010_2013_cl4.csv").unlink()
    with pytest.raises(TableError, match=r"china_life_2010_2013_cl4\.csv: table file is missing"):
        load_cl2010_2013(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("age,q\n0,0.1\n", "missing column"),
        ("age,qx\n0,abc\n", "not numeric"),
        ("age,qx\n0,0.1\n2,1\n", "expected 1"),
        ("age,qx\n0,1.5\n1,1\n", "not a probability"),
        ("age,qx\n0,0.1\n1,0.5\n", "qx = 1"),
        ("age,qx\n", "no rows"),
    ],
)
def test_malformed_table_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(TableError, match=message) as info:
        load_mortality_csv(path, "bad")
    assert "bad.csv" in str(info.value)


def test_library_versions_by_date(tables_dir: Path, tmp_path: Path) -> None:
    library = load_table_library(tables_dir)
    assert library.for_date(date(2025, 10, 1)).basis == CL2010_BASIS
    assert library.for_date(date(2016, 1, 1)).basis == PARAMETRIC_BASIS  # nothing dated that early
    # CL(2025) registers itself from 2026-01-01 once its files are present (stand-in values here)
    _copy_tables(tables_dir, tmp_path)
    for name in CL2025_FILES.values():
        shutil.copy(tables_dir / "china_life_2010_2013_cl1.csv", tmp_path / name)
    with_2025 = load_table_library(tmp_path)
    assert with_2025.for_date(date(2025, 12, 31)).basis == CL2010_BASIS
    assert with_2025.for_date(date(2026, 1, 1)).basis == "CL2025"


def test_missing_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="does not exist"):
        load_table_library(tmp_path / "nowhere")


def test_parametric_fallback_basis() -> None:
    """Named basis; closed at 105; females lighter; pension table lighter than table I; CI rates sensible."""
    library = load_table_library(None)
    fallback = library.for_date(date(2026, 1, 1))
    assert fallback.basis == PARAMETRIC_BASIS and fallback.parametric
    assert fallback is not parametric_table_set() and fallback.basis == parametric_table_set().basis
    male = fallback.mortality_table(MortalityKind.NON_PENSION_I, Sex.MALE).qx
    female = fallback.mortality_table(MortalityKind.NON_PENSION_I, Sex.FEMALE).qx
    pension = fallback.mortality_table(MortalityKind.PENSION, Sex.MALE).qx
    assert male[-1] == 1.0 and np.all(female[:-1] < male[:-1]) and np.all(pension[:-1] < male[:-1])
    assert np.all(np.diff(male[:-1]) > 0)
    ci = fallback.incidence_table(Sex.MALE)
    assert np.all((ci.ix > 0) & (ci.ix <= 0.25)) and np.all((ci.kx >= 0.2) & (ci.kx <= 0.7))
