"""The knowledge base validates, is big enough, and every answer path of every impairment reaches an outcome."""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from uw_helpers import AS_OF, born, decide, disclose, person

from jiabao.underwriting.engine import (
    AnswerType,
    Conclusion,
    KnowledgeBase,
    KnowledgeBaseError,
    KnowledgeBaseStore,
    OutcomeKind,
    ProductLine,
    Sex,
    load_version,
)
from jiabao.underwriting.engine.kb import DEFAULT_ROOT
from jiabao.underwriting.engine.paths import answer_codes, match_path
from jiabao.underwriting.engine.schema import Impairment, ReflexiveQuestion

CATCH_ALL = re.compile(
    r"其他疾病|其它疾病|其他异常|其它异常|任何疾病|任何异常|以上以外|其他健康问题|"
    r"any other|other illness|other disease|other condition|any illness|any disease|any condition|not listed",
    re.IGNORECASE,
)


def combinations(kb: KnowledgeBase, imp: Impairment) -> list[dict[str, str]]:
    """Every combination of answer codes of the impairment's reflexive questions."""
    spaces = [kb.reflexive[q].answer_codes() for q in imp.questions]
    return [dict(zip(imp.questions, combo, strict=True)) for combo in itertools.product(*spaces)]


def raw_value(question: ReflexiveQuestion, code: str) -> object:
    """A raw answer that falls on ``code`` (an option, or a value inside the band)."""
    if question.type in (AnswerType.CHOICE, AnswerType.YES_NO):
        return code
    index = [b.code for b in question.bands].index(code)
    low = Decimal(0) if index == 0 else question.bands[index - 1].below
    assert low is not None
    if question.type is AnswerType.DATE:
        return AS_OF - timedelta(days=int((low + Decimal("0.5")) * 365))
    return low + Decimal("0.5") if index else (question.min or Decimal(0)) + Decimal("0.1")


def test_every_file_validates_and_the_counts(kb: KnowledgeBase) -> None:
    assert kb.version == "2026.1"
    assert len(kb.impairments) >= 230
    assert len(kb.digest) == 64
    assert {"manifest.yaml", "rating.yaml", "limits.yaml", "factors.yaml", "family_terms.yaml"} <= set(kb.files)
    assert len({kb.categories[c] for c in kb.impairments}) == 17
    assert len([f for f in kb.files if f.startswith("impairments/")]) == 17


def test_every_impairment_is_named_and_coded(kb: KnowledgeBase) -> None:
    for imp in kb.impairments.values():
        assert imp.name.zh and imp.name.en and imp.icd10
        assert imp.synonyms.zh or imp.synonyms.en, imp.code
    hbv = kb.impairments["HBV_CARRIER"]
    assert hbv.icd10 == ("Z22.5",) and "乙肝小三阳" in hbv.synonyms.zh


def test_every_answer_path_reaches_an_outcome_on_every_line(kb: KnowledgeBase) -> None:
    walked = 0
    for imp in kb.impairments.values():
        reached: set[str] = set()
        for codes in combinations(kb, imp):
            chosen = match_path(imp, codes)
            reached.add(chosen.id)
            for line in ProductLine:
                assert chosen.for_line(line).kind in OutcomeKind
            walked += 1
        assert reached == {p.id for p in imp.paths}, f"{imp.code}: unreachable {set(p.id for p in imp.paths) - reached}"
    assert walked > 2000


def test_every_answer_path_decides_every_line_through_the_engine(kb: KnowledgeBase) -> None:
    """Raw answers → validated codes → engine → a conclusion on all six lines, for every combination."""
    conclusions: set[Conclusion] = set()
    for imp in kb.impairments.values():
        sex = imp.sex or Sex.FEMALE
        for codes in combinations(kb, imp):
            answers = {q: raw_value(kb.reflexive[q], c) for q, c in codes.items()}
            assert answer_codes(imp, kb.reflexive, answers, AS_OF) == codes  # type: ignore[arg-type]
            decision = decide(kb, person(age=30, sex=sex, disclosures=(disclose(imp.code, **answers),)))
            assert [d.line for d in decision.lines] == list(ProductLine)
            conclusions.update(d.conclusion for d in decision.lines)
    assert {Conclusion.STANDARD, Conclusion.RATED, Conclusion.EXCLUSION, Conclusion.POSTPONED} <= conclusions
    assert {Conclusion.DECLINED, Conclusion.REFERRED} <= conclusions


def test_no_base_question_is_a_catch_all(kb: KnowledgeBase) -> None:
    """Disclosure questions must name specific content (NFRA Sales Conduct Measures 2023 art. 27)."""
    for q in kb.base_questions:
        assert not CATCH_ALL.search(q.text.zh + q.text.en), q.id
        for option in q.options:
            assert option.code not in {"other", "others", "any"} and "其他" not in option.zh, q.id
        if q.type is AnswerType.IMPAIRMENTS:
            assert q.covers, q.id
            for code in q.covers:
                imp = kb.impairments[code]
                assert imp.name.zh in q.text.zh and imp.name.en in q.text.en, (q.id, code)


def test_every_impairment_can_be_disclosed_wherever_it_matters(kb: KnowledgeBase) -> None:
    """Each condition is named by a question asked for every line on which it changes the outcome."""
    for imp in kb.impairments.values():
        questions = [q for q in kb.base_questions if imp.code in q.covers]
        assert questions, imp.code
        assert all(q.sex in (None, imp.sex) for q in questions), imp.code
        for line in ProductLine:
            if any(p.for_line(line).kind is not OutcomeKind.STANDARD for p in imp.paths):
                assert any(line in q.lines for q in questions), (imp.code, line)


def test_no_genetic_test_data_is_asked_or_used(kb: KnowledgeBase) -> None:
    """Health Insurance Measures 2019 arts. 17 and 38: family history only, never gene tests."""
    texts = [q.text.zh + q.text.en + "".join(o.zh + o.en for o in q.options) for q in kb.base_questions]
    texts += [q.text.zh + q.text.en for q in kb.reflexive.values()]
    for text in texts:
        assert "基因检测结果" not in text and "genetic test result" not in text.lower()
    family = next(q for q in kb.base_questions if q.id == "family_history")
    assert "不会收集或使用任何基因检测信息" in family.text.zh
    assert {f.fact for f in kb.base_questions}.isdisjoint({"genetic", "gene_test", "genetic_test"})


def test_build_uses_the_chinese_cut_offs(kb: KnowledgeBase) -> None:
    bounds = [b.below for b in kb.factors.build.bands]
    for cut in (Decimal("18.5"), Decimal(24), Decimal(28)):
        assert cut in bounds
    assert kb.factors.build.min_age == 18
    assert [o.code for o in kb.factors.occupation.options] == ["c1", "c2", "c3", "c4", "c5", "c6"]


def _copy(tmp_path: Path, version: str = "2026.1") -> Path:
    target = tmp_path / version
    shutil.copytree(DEFAULT_ROOT / "2026.1", target)
    return target


def test_a_bad_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    path = target / "impairments" / "endocrine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("icd10: [E11]", "icd10: [diabetes]"), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"endocrine\.yaml: impairments\.0\.icd10"):
        load_version(target)


def test_a_broken_reference_is_refused(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    path = target / "impairments" / "tumour.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("EX_THYROID", "EX_NOWHERE", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="unknown exclusion EX_NOWHERE"):
        load_version(target)


def test_a_manifest_must_match_its_directory(tmp_path: Path) -> None:
    target = _copy(tmp_path, "2027.1")
    with pytest.raises(KnowledgeBaseError, match=r"version 2026\.1 != directory name"):
        load_version(target)


def test_the_store_lists_versions_and_finds_the_current_one(tmp_path: Path) -> None:
    store = KnowledgeBaseStore()
    assert "2026.1" in store.versions()
    assert store.current_version() == "2026.1"
    assert store.get() is store.get("2026.1")
    with pytest.raises(KnowledgeBaseError, match=r"no knowledge-base version 1999\.1"):
        store.get("1999.1")


def test_rating_tables_are_configuration(tmp_path: Path) -> None:
    """The table step is read from rating.yaml: a 50% step turns 75 debits into Table 2, not Table 3."""
    target = _copy(tmp_path)
    rating = yaml.safe_load((target / "rating.yaml").read_text(encoding="utf-8"))
    rating["table_step_percent"] = 50
    (target / "rating.yaml").write_text(yaml.safe_dump(rating), encoding="utf-8")
    changed = load_version(target)
    insured = person(disclosures=(disclose("HTN", bp_max="lt180_110", complications="no"),))
    death_default = decide(load_version(DEFAULT_ROOT / "2026.1"), insured).line(ProductLine.DEATH)
    death_changed = decide(changed, insured).line(ProductLine.DEATH)
    assert (death_default.table, death_default.extra_premium_percent) == (3, 75)
    assert (death_changed.table, death_changed.extra_premium_percent) == (2, 100)  # 75/50 rounds half up


def test_ages_use_age_last_birthday() -> None:
    from jiabao.underwriting.engine import age_at

    assert age_at(date(2016, 11, 27), AS_OF) == 9
    assert age_at(date(2016, 11, 26), AS_OF) == 10
    assert age_at(born(17), AS_OF) == 17
