"""Rule-set versions: a stored input re-decided on the same version gives the same decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jiabao.claims.engine import (
    BenefitKind,
    BillItem,
    CiFacts,
    ClaimCase,
    ClaimType,
    Decision,
    Diagnosis,
    RuleSet,
    RuleSetError,
    available_versions,
    decide,
    load_rules,
)
from jiabao.claims.engine.rules import DATA_DIR
from tests.claims.engine.builders import CLINIC, EVENT, D, case, claim, cover, policy, terms


def _stable(d: Decision) -> dict[str, object]:
    return d.model_dump(mode="json", exclude={"elapsed_ms"})


def _cases() -> list[ClaimCase]:
    ci = claim(
        ClaimType.CI_DIAGNOSIS,
        diagnoses=(Diagnosis(icd10="C34.1", icd_o3_behaviour=3),),
        ci=CiFacts(disease="cancer", diagnosed_on=EVENT),
    )
    med = claim(ClaimType.OUTPATIENT, bill_items=(BillItem(code="X", amount=D("800"), invoice_number="I1"),))
    fam = policy("P1", "family_ci", cover("dad", 300000), cover("mum", 250000))
    return [
        case(ci, fam, policy("P2", "ltc_ci_wholelife", cover("dad", 100000))),
        case(med, policy("P3", CLINIC, cover("dad", 20000))),
    ]


def test_stored_input_redecided_on_same_version_gives_same_result(rs: RuleSet) -> None:
    for original in _cases():
        first = decide(rs, original)
        stored = original.model_dump_json()
        again = decide(load_rules(first.rule_version), ClaimCase.model_validate_json(stored))
        assert _stable(again) == _stable(first)
        assert first.rule_version == "2026.1" and first.rule_digest == rs.digest
        assert first.elapsed_ms >= 0


def test_a_newer_version_does_not_change_old_decisions(tmp_path: Path, rs: RuleSet) -> None:
    shutil.copytree(DATA_DIR / "2026.1", tmp_path / "2026.1")
    newer = tmp_path / "2026.2"
    shutil.copytree(DATA_DIR / "2026.1", newer)
    text = (newer / "rules.yaml").read_text(encoding="utf-8")
    (newer / "rules.yaml").write_text(
        text.replace('version: "2026.1"', 'version: "2026.2"').replace(
            'mild_cap_ratio: "0.30"', 'mild_cap_ratio: "0.25"'
        ),
        encoding="utf-8",
    )
    assert available_versions(tmp_path) == ["2026.1", "2026.2"]
    latest = load_rules(root=tmp_path)
    assert latest.version == "2026.2" and latest.digest != rs.digest
    old = load_rules("2026.1", root=tmp_path)
    assert old.digest == rs.digest  # same files, same digest
    c = _cases()[0]
    assert _stable(decide(old, c)) == _stable(decide(rs, c))


def test_unknown_version_is_refused() -> None:
    with pytest.raises(RuleSetError):
        load_rules("1999.1")


def test_product_terms_snapshot_from_catalog() -> None:
    t = terms("family_ci")
    assert t.family is not None and t.family.spouse_joint_multiple == D("0.2") and t.family.family_waiver
    assert t.ci is not None and t.ci.mild["恶性肿瘤——轻度"] == D("0.3") and t.ci_waiting_refund
    assert t.waiting_period_days == 90 and t.premium_waiver and t.death is not None and t.death.healthy_only
    m = terms("medical_million").medical
    assert m is not None and m.deductible == D("10000") and m.ratio_without_social_insurance == D("0.6")
    assert BenefitKind.CI_SEVERE.value == "ci_severe"
