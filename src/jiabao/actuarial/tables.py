"""Decrement tables: the industry tables read from a directory, and the project's parametric fallback basis.

* Mortality: 中国人身保险业经验生命表（2010-2013）CL1–CL6 (保监发〔2016〕107号), one CSV per table with
  columns ``age,qx`` for ages 0–105 (q_105 = 1).
* CI incidence: 重大疾病经验发生率表（2006-2010）, 25 diseases, one CSV per sex with columns ``age,ix,kx``.
* Table choice by product type follows 保监发〔2016〕108号 (see :func:`mortality_kind_for`).
* Table sets are versioned by the date they take effect (CL(2025) applies from 2026-01-01; its values are not
  public, so the set is registered only when its files are present).
* Without a directory the engine prices on :func:`parametric_table_set`, a Makeham basis defined by this
  project, and every result names the basis it used.

The engine never reads settings: callers pass the directory (``Settings.tables_dir``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class TableError(ValueError):
    """A table file is missing or malformed. The message names the file and the problem."""


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class MortalityKind(StrEnum):
    """The three 2010-2013 table families (保监发〔2016〕108号)."""

    NON_PENSION_I = "non_pension_i"  # 非养老类业务一表 CL1/CL2
    NON_PENSION_II = "non_pension_ii"  # 非养老类业务二表 CL3/CL4
    PENSION = "pension"  # 养老类业务表 CL5/CL6


class ProductType(StrEnum):
    TERM_LIFE = "term_life"
    WHOLE_LIFE = "whole_life"
    HEALTH = "health"
    ENDOWMENT_LOW_SURVIVAL = "endowment_low_survival"
    ANNUITY_LOW_LONGEVITY = "annuity_low_longevity"
    ENDOWMENT_HIGH_SURVIVAL = "endowment_high_survival"
    ANNUITY_HIGH_LONGEVITY = "annuity_high_longevity"


_KIND_BY_PRODUCT_TYPE = {
    ProductType.TERM_LIFE: MortalityKind.NON_PENSION_I,
    ProductType.WHOLE_LIFE: MortalityKind.NON_PENSION_I,
    ProductType.HEALTH: MortalityKind.NON_PENSION_I,
    ProductType.ENDOWMENT_LOW_SURVIVAL: MortalityKind.NON_PENSION_II,
    ProductType.ANNUITY_LOW_LONGEVITY: MortalityKind.NON_PENSION_II,
    ProductType.ENDOWMENT_HIGH_SURVIVAL: MortalityKind.PENSION,
    ProductType.ANNUITY_HIGH_LONGEVITY: MortalityKind.PENSION,
}


def mortality_kind_for(product_type: ProductType) -> MortalityKind:
    """Table family for a product type, per 保监发〔2016〕108号 item 1.

    定期/终身寿险 and 健康保险 → 非养老类业务一表; endowments with little survival benefit and annuities with
    low
    longevity risk → 非养老类业务二表; endowments with high survival benefit and annuities with high longevity
    risk → 养老类业务表.
    """
    return _KIND_BY_PRODUCT_TYPE[product_type]


@dataclass(frozen=True)
class MortalityTable:
    """One-year death probabilities q_x for integer ages ``0..omega`` (q_omega = 1)."""

    name: str
    qx: FloatArray

    @property
    def omega(self) -> int:
        return len(self.qx) - 1


@dataclass(frozen=True)
class IncidenceTable:
    """CI incidence i_x and the share k_x of deaths that are CI deaths, ages ``0..omega``."""

    name: str
    ix: FloatArray
    kx: FloatArray


@dataclass(frozen=True)
class TableSet:
    """A dated set of mortality and CI tables; ``basis`` names it in every result."""

    basis: str
    effective_from: date
    mortality: dict[tuple[MortalityKind, Sex], MortalityTable]
    incidence: dict[Sex, IncidenceTable] = field(default_factory=dict)
    parametric: bool = False

    def mortality_table(self, kind: MortalityKind, sex: Sex) -> MortalityTable:
        try:
            return self.mortality[(kind, sex)]
        except KeyError:
            raise TableError(f"table set {self.basis} has no {kind.value} table for sex {sex.value}") from None

    def incidence_table(self, sex: Sex) -> IncidenceTable:
        try:
            return self.incidence[sex]
        except KeyError:
            raise TableError(f"table set {self.basis} has no CI incidence table for sex {sex.value}") from None


@dataclass(frozen=True)
class TableLibrary:
    """All table sets available to a process, chosen by date."""

    sets: tuple[TableSet, ...]

    def for_date(self, on: date) -> TableSet:
        """The latest non-parametric set in force on ``on``; the parametric set when no other applies."""
        dated = [s for s in self.sets if not s.parametric and s.effective_from <= on]
        if dated:
            return max(dated, key=lambda s: s.effective_from)
        return parametric_table_set()

    def by_basis(self, basis: str) -> TableSet:
        for table_set in self.sets:
            if table_set.basis == basis:
                return table_set
        return parametric_table_set()


CL2010_BASIS = "CL2010-2013+CI2006-2010"
CL2010_FILES: dict[tuple[MortalityKind, Sex], str] = {
    (MortalityKind.NON_PENSION_I, Sex.MALE): "china_life_2010_2013_cl1.csv",
    (MortalityKind.NON_PENSION_I, Sex.FEMALE): "china_life_2010_2013_cl2.csv",
    (MortalityKind.NON_PENSION_II, Sex.MALE): "china_life_2010_2013_cl3.csv",
    (MortalityKind.NON_PENSION_II, Sex.FEMALE): "china_life_2010_2013_cl4.csv",
    (MortalityKind.PENSION, Sex.MALE): "china_life_2010_2013_cl5.csv",
    (MortalityKind.PENSION, Sex.FEMALE): "china_life_2010_2013_cl6.csv",
}
CI2006_FILES = {
    Sex.MALE: "china_ci_2006_2010_25diseases_male.csv",
    Sex.FEMALE: "china_ci_2006_2010_25diseases_female.csv",
}
CL2025_BASIS = "CL2025"
CL2025_FILES: dict[tuple[MortalityKind, Sex], str] = {
    (kind, sex): f"china_life_2025_{kind.value}_{sex.value.lower()}.csv" for kind in MortalityKind for sex in Sex
}


def _read_columns(path: Path, columns: tuple[str, ...]) -> dict[str, FloatArray]:
    """Read numeric ``columns`` of a CSV whose first column is a contiguous integer ``age`` from 0."""
    if not path.is_file():
        raise TableError(f"{path}: table file is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in ("age", *columns) if c not in header]
        if missing:
            raise TableError(f"{path}: missing column(s) {', '.join(missing)}; header is {header}")
        rows = list(reader)
    values: dict[str, list[float]] = {c: [] for c in columns}
    for line, row in enumerate(rows, start=2):
        try:
            age = int(row["age"])
            numbers = {c: float(row[c]) for c in columns}
        except (TypeError, ValueError):
            raise TableError(f"{path}: line {line} is not numeric: {row}") from None
        if age != line - 2:
            raise TableError(f"{path}: line {line} has age {age}, expected {line - 2} (ages must run 0,1,2…)")
        for column, number in numbers.items():
            if not (0.0 <= number <= 1.0) or math.isnan(number):
                raise TableError(f"{path}: line {line} column {column}={number} is not a probability")
            values[column].append(number)
    if not rows:
        raise TableError(f"{path}: no rows")
    return {c: np.asarray(v, dtype=np.float64) for c, v in values.items()}


def load_mortality_csv(path: Path, name: str) -> MortalityTable:
    """Load an ``age,qx`` table; the last age must have q = 1 (the table closes)."""
    qx = _read_columns(path, ("qx",))["qx"]
    if qx[-1] != 1.0:
        raise TableError(f"{path}: the last age must have qx = 1, found {qx[-1]}")
    return MortalityTable(name=name, qx=qx)


def load_incidence_csv(path: Path, name: str) -> IncidenceTable:
    columns = _read_columns(path, ("ix", "kx"))
    return IncidenceTable(name=name, ix=columns["ix"], kx=columns["kx"])


def load_cl2010_2013(directory: Path) -> TableSet:
    """The 2010-2013 CL1–CL6 tables and the 2006-2010 25-disease CI tables, in force from 2017-01-01."""
    mortality = {
        key: load_mortality_csv(directory / file, f"CL{i}(2010-2013)")
        for i, (key, file) in enumerate(CL2010_FILES.items(), start=1)
    }
    incidence = {
        sex: load_incidence_csv(directory / file, f"CI25(2006-2010){sex.value}") for sex, file in CI2006_FILES.items()
    }
    return TableSet(CL2010_BASIS, date(2017, 1, 1), mortality, incidence)


def load_cl2025(directory: Path, incidence: dict[Sex, IncidenceTable]) -> TableSet | None:
    """CL(2025), in force from 2026-01-01, when its files are present (not public at the time of writing)."""
    if not all((directory / file).is_file() for file in CL2025_FILES.values()):
        return None
    mortality = {
        key: load_mortality_csv(directory / file, f"CL2025-{key[0].value}-{key[1].value}")
        for key, file in CL2025_FILES.items()
    }
    return TableSet(CL2025_BASIS, date(2026, 1, 1), mortality, incidence)


def load_table_library(directory: Path | None) -> TableLibrary:
    """Every table set found in ``directory`` plus the parametric set; only the parametric one when
    ``None``."""
    sets: list[TableSet] = [parametric_table_set()]
    if directory is not None:
        directory = Path(directory)
        if not directory.is_dir():
            raise TableError(f"{directory}: tables directory does not exist")
        cl2010 = load_cl2010_2013(directory)
        sets.append(cl2010)
        cl2025 = load_cl2025(directory, cl2010.incidence)
        if cl2025 is not None:
            sets.append(cl2025)
    return TableLibrary(tuple(sets))


# --- parametric fallback basis ---------------------------------------------------------------------------

PARAMETRIC_BASIS = "JIABAO-MAKEHAM-2026"
MAKEHAM_A, MAKEHAM_B, MAKEHAM_C = 0.00022, 2.7e-6, 1.124
"""SOA Standard Ultimate Survival Model parameters (AMLCR 3rd ed. p.82), used for the fallback male table."""
PARAMETRIC_OMEGA = 105
FEMALE_SETBACK_YEARS = 5.0
KIND_FORCE_MULTIPLIER = {
    MortalityKind.NON_PENSION_I: 1.0,
    MortalityKind.NON_PENSION_II: 0.9,
    MortalityKind.PENSION: 0.8,
}
CI_GOMPERTZ = (0.0003, 1.8e-5, 1.095)
"""Fallback CI incidence i_x = a + b·c^x (capped at 0.25) with k_x = min(0.2 + 0.006·x, 0.7): project
assumptions."""


def makeham_q(ages: FloatArray, a: float, b: float, c: float) -> FloatArray:
    """q_x = 1 − exp(−A − B·c^x·(c − 1)/ln c), the one-year death probability under μ_x = A + B·c^x."""
    return np.asarray(1.0 - np.exp(-a - b * np.power(c, ages) * (c - 1.0) / math.log(c)), dtype=np.float64)


def parametric_table_set() -> TableSet:
    """The project's fallback basis ``JIABAO-MAKEHAM-2026`` (used when no table directory is available).

    Male non-pension table I: Makeham μ_x = A + B·c^x with the SULT parameters above. Females: a 5-year age
    setback. Table II and the pension table multiply the force by 0.9 and 0.8. Closed at age 105 (q = 1).
    CI: i_x = 0.0003 + 1.8e-5·1.095^x (≤ 0.25), k_x = min(0.2 + 0.006·x, 0.7), both sexes.
    """
    ages = np.arange(PARAMETRIC_OMEGA + 1, dtype=np.float64)
    mortality: dict[tuple[MortalityKind, Sex], MortalityTable] = {}
    for kind, mult in KIND_FORCE_MULTIPLIER.items():
        for sex in Sex:
            shifted = ages - (FEMALE_SETBACK_YEARS if sex is Sex.FEMALE else 0.0)
            qx = makeham_q(shifted, MAKEHAM_A * mult, MAKEHAM_B * mult, MAKEHAM_C)
            qx[-1] = 1.0
            mortality[(kind, sex)] = MortalityTable(f"{PARAMETRIC_BASIS}-{kind.value}-{sex.value}", qx)
    a, b, c = CI_GOMPERTZ
    ix = np.minimum(a + b * np.power(c, ages), 0.25)
    kx = np.minimum(0.2 + 0.006 * ages, 0.7)
    incidence = {sex: IncidenceTable(f"{PARAMETRIC_BASIS}-CI-{sex.value}", ix, kx) for sex in Sex}
    return TableSet(PARAMETRIC_BASIS, date(2000, 1, 1), mortality, incidence, parametric=True)


def rates_by_policy_year(table: FloatArray, issue_ages: NDArray[np.int64], n_years: int, pad: float) -> FloatArray:
    """Matrix ``(points, n_years)`` of ``table[issue_age + t]``; ages past the table end read ``pad``."""
    ages = np.asarray(issue_ages, dtype=np.int64)[:, None] + np.arange(n_years, dtype=np.int64)[None, :]
    inside = ages < len(table)
    out = np.full(ages.shape, pad, dtype=np.float64)
    out[inside] = table[ages[inside]]
    return out
