"""A new knowledge-base version leaves past decisions unchanged (CBIRC Order 2022 No. 9, regulation.md §1.7)."""

from __future__ import annotations

import shutil
from pathlib import Path

from uw_helpers import AS_OF, born, disclose, person

from jiabao.underwriting.engine import (
    ApplicationDecision,
    ApplicationFacts,
    Channel,
    KnowledgeBaseStore,
    ProductLine,
    decide_application,
    load_knowledge_base,
)
from jiabao.underwriting.engine.kb import DEFAULT_ROOT


def _stable(decision: ApplicationDecision) -> dict[str, object]:
    """Everything except the measured time."""
    body = decision.model_dump(mode="json", exclude={"elapsed_ms"})
    for insured in body["insureds"]:
        insured.pop("elapsed_ms")
    return body


def _make_v2(root: Path) -> None:
    """Copy 2026.1 to 2026.2 and make controlled hypertension dearer for critical illness."""
    shutil.copytree(DEFAULT_ROOT / "2026.1", root / "2026.1")
    shutil.copytree(DEFAULT_ROOT / "2026.1", root / "2026.2")
    manifest = root / "2026.2" / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace('version: "2026.1"', 'version: "2026.2"')
        .replace("previous: null", 'previous: "2026.1"'),
        encoding="utf-8",
    )
    chapter = root / "2026.2" / "impairments" / "cardiovascular.yaml"
    text = chapter.read_text(encoding="utf-8")
    old = "      - id: grade_1\n        label: {zh: 最高血压140–159/90–99, en: highest reading 140–159/90–99}\n"
    assert old in text
    new_text = text.replace(
        old + "        when: {bp_max: [lt160_100]}\n        death: {rate: 25}\n        ci: {rate: 50}",
        old + "        when: {bp_max: [lt160_100]}\n        death: {rate: 25}\n        ci: {rate: 100}",
    )
    assert new_text != text
    chapter.write_text(new_text, encoding="utf-8")
    (root / "versions.yaml").write_text('current: "2026.2"\n', encoding="utf-8")


def test_past_decisions_are_reproduced_on_their_own_version(tmp_path: Path) -> None:
    v1 = load_knowledge_base("2026.1")
    facts = ApplicationFacts(
        application_id="app-7",
        as_of=AS_OF,
        channel=Channel.ONLINE,
        policyholder_birth_date=born(45),
        household_insured_members=1,
        insureds=(person(age=45, disclosures=(disclose("HTN", bp_max="lt160_100", complications="no"),)),),
    )
    original = decide_application(v1, facts)
    stored_facts, stored_decision = facts.model_dump_json(), original.model_dump_json()

    _make_v2(tmp_path)
    store = KnowledgeBaseStore(tmp_path)
    assert store.versions() == ("2026.1", "2026.2") and store.current_version() == "2026.2"
    v2 = store.get()
    replayed_facts = ApplicationFacts.model_validate_json(stored_facts)
    past = ApplicationDecision.model_validate_json(stored_decision)

    again_v1 = decide_application(store.get(past.kb_version), replayed_facts)
    assert store.get("2026.1").digest == v1.digest == past.kb_digest
    assert _stable(again_v1) == _stable(past) == _stable(original)

    on_v2 = decide_application(v2, replayed_facts)
    assert on_v2.kb_version == "2026.2" and on_v2.kb_digest != v1.digest
    assert original.insureds[0].line(ProductLine.CI).table == 2
    assert on_v2.insureds[0].line(ProductLine.CI).table == 4
    assert on_v2.insureds[0].line(ProductLine.DEATH) == original.insureds[0].line(ProductLine.DEATH)
