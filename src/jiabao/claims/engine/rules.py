"""The versioned claims rule set (理赔规则版本).

A version is a directory ``data/<version>/`` holding ``rules.yaml`` (scheme parameters), ``ci.yaml`` (the 28
standard diseases) and ``documents.yaml`` (the checklist). Each decision records ``version`` and ``digest``
(SHA-256 over the files), so a stored claim can be re-decided on exactly the rules it used (CBIRC Order 2022
No. 9: claims rules are versioned and may not be changed after a loss).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from jiabao.claims.engine.codes import Circumstance, ClaimType

DATA_DIR = Path(__file__).with_name("data")
FILES = ("rules.yaml", "ci.yaml", "documents.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CancerIcd(_Strict):
    malignant: tuple[str, ...]
    in_situ: tuple[str, ...]
    benign: tuple[str, ...]
    uncertain: tuple[str, ...]


class AccidentTerms(_Strict):
    products: tuple[str, ...]
    death_multiple: Decimal
    disability_table: dict[int, Decimal]


class MedicalScheme(_Strict):
    deductible_scope: Literal["insured", "household"] = "insured"
    other_insurance_offsets_deductible: bool = False


class StandardExclusion(_Strict):
    code: str
    circumstance: Circumstance | None = None
    icd10: tuple[str, ...] = ()
    lines: tuple[str, ...]
    zh: str
    en: str
    source: str


class RulesFile(_Strict):
    version: str
    suicide_years: int = 2
    incontestable_years: int = 2
    stroke_assessment_days: int = 180
    ami_lvef_weeks: int = 6
    ckd_dialysis_days: int = 90
    coma_life_support_hours: int = 96
    mild_cap_ratio: Decimal = Field(gt=0, le=1)
    cancer_icd10: CancerIcd
    cancer_behaviour_covered: tuple[int, ...]
    transplant_organs: tuple[str, ...]
    accident: AccidentTerms
    medical: dict[str, MedicalScheme] = Field(default_factory=dict)
    policyholder_waiver_products: tuple[str, ...] = ()
    standard_exclusions: tuple[StandardExclusion, ...]


class Disease(_Strict):
    code: str
    order: int = Field(ge=1, le=28)
    zh: str
    en: str
    encoded: bool = False
    mild_zh: str | None = None
    mild_en: str | None = None


class CiFile(_Strict):
    diseases: tuple[Disease, ...] = Field(min_length=28, max_length=28)


class DocumentName(_Strict):
    zh: str
    en: str
    advance_optional: bool = False


class DocumentsFile(_Strict):
    documents: dict[str, DocumentName]
    required: dict[ClaimType, tuple[str, ...]]
    when: dict[str, tuple[str, ...]]


class RuleSet(_Strict):
    version: str
    digest: str
    rules: RulesFile
    ci: CiFile
    docs: DocumentsFile

    def disease(self, code: str) -> Disease | None:
        return next((d for d in self.ci.diseases if d.code == code), None)

    def medical_scheme(self, product_code: str) -> MedicalScheme:
        return self.rules.medical.get(product_code, MedicalScheme())


class RuleSetError(ValueError):
    """A rule-set version is missing or invalid."""


def available_versions(root: Path = DATA_DIR) -> list[str]:
    """Version directories, oldest first (names sort as ``YYYY.N``)."""
    found = [p.name for p in root.iterdir() if p.is_dir() and (p / "rules.yaml").exists()]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def _load(directory: Path) -> RuleSet:
    digest = hashlib.sha256()
    raw: dict[str, object] = {}
    for name in FILES:
        data = (directory / name).read_bytes()
        digest.update(name.encode() + b"\0" + data)
        raw[name] = yaml.safe_load(data)
    rules = RulesFile.model_validate(raw["rules.yaml"])
    if rules.version != directory.name:
        raise RuleSetError(f"{directory}: rules.yaml says version {rules.version}")
    docs = DocumentsFile.model_validate(raw["documents.yaml"])
    unknown = {d for ds in (*docs.required.values(), *docs.when.values()) for d in ds} - set(docs.documents)
    if unknown:
        raise RuleSetError(f"{directory}: unknown document codes {sorted(unknown)}")
    return RuleSet(
        version=rules.version,
        digest=digest.hexdigest(),
        rules=rules,
        ci=CiFile.model_validate(raw["ci.yaml"]),
        docs=docs,
    )


@lru_cache(maxsize=8)
def load_rules(version: str | None = None, root: Path = DATA_DIR) -> RuleSet:
    """The rule set ``version`` (default: the newest). Cached: rule-set files never change within a version."""
    versions = available_versions(root)
    chosen = version or (versions[-1] if versions else "")
    if chosen not in versions:
        raise RuleSetError(f"no claims rule set {chosen!r} under {root}")
    return _load(root / chosen)
