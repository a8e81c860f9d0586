"""The questionnaire in steps (issue 11 item 2): grouped by body system, an explicit 否 per list, follow-ups
required under a ticked condition, and answers carried between steps."""

from __future__ import annotations

from datetime import date

from jiabao.runtime import Runtime
from jiabao.underwriting import views
from jiabao.underwriting.engine import Channel, ProductLine, QuestionnaireContext, Sex
from jiabao.web import questionnaire_flow as flow


def _questionnaire(runtime: Runtime, sex: Sex = Sex.FEMALE) -> views.QuestionnaireOut:
    kb = runtime.knowledge.get()
    ctx = QuestionnaireContext(
        lines=frozenset({ProductLine.CI, ProductLine.DEATH}),
        channel=Channel.ONLINE,
        birth_date=date(1987, 6, 1),
        sex=sex,
        as_of=date(2026, 11, 26),
    )
    return views.questionnaire(kb, ctx, 1)


def test_steps_are_body_habits_family_then_one_per_body_system(runtime: Runtime) -> None:
    q = _questionnaire(runtime)
    steps = flow.steps(q)
    keys = [s.key for s in steps]
    assert keys[:3] == ["body", "lifestyle", "family_history"]
    assert "disclose_cardiovascular" in keys
    assert "disclose_reproductive_male" not in keys  # sex-specific questions follow the insured
    assert sum(len(s.questions) for s in steps) == len(q.questions)  # every question asked exactly once
    assert all(len(s.questions) == 1 for s in steps[3:])


def test_a_list_needs_a_tick_or_none_and_a_tick_needs_its_follow_ups(runtime: Runtime) -> None:
    q = _questionnaire(runtime)
    heart = next(s for s in flow.steps(q) if s.key == "disclose_cardiovascular")
    follow = {"HTN": views.reflexive(runtime.knowledge.get(), "HTN")}
    assert [p.code for p in flow.step_problems({}, heart, follow)] == ["choose_or_none"]
    assert flow.step_problems({"none-disclose_cardiovascular": "on"}, heart, follow) == []
    both = {"none-disclose_cardiovascular": "on", "q-disclose_cardiovascular-HTN": "on"}
    assert "choose_or_none" in [p.code for p in flow.step_problems(both, heart, follow)]
    ticked = {"q-disclose_cardiovascular-HTN": "on"}
    open_follow_ups = {p.field for p in flow.step_problems(ticked, heart, follow)}
    assert open_follow_ups == {f"disclosures.HTN.{rq.id}" for rq in follow["HTN"]}
    answered = ticked | {f"r-HTN-{rq.id}": rq.options[0].code for rq in follow["HTN"]}
    assert flow.step_problems(answered, heart, follow) == []


def test_answers_of_other_steps_are_carried_and_going_back_keeps_them(runtime: Runtime) -> None:
    steps = flow.steps(_questionnaire(runtime))
    form = {"csrf_token": "x", "step": "1", "q-height_cm": "172", "q-alcohol": "none", "r-HTN-bp_max": "lt140_90"}
    carried = flow.carried(form, steps[1])
    assert carried == {"q-height_cm": "172", "r-HTN-bp_max": "lt140_90"}  # not the step's own, not controls
    assert flow.target_step("back", 3, len(steps)) == 2
    assert flow.target_step("next", len(steps) - 1, len(steps)) == len(steps)  # the summary
    assert flow.target_step("edit-0", len(steps), len(steps)) == 0
    assert flow.step_of_problem(steps, "disclosures.HTN.bp_max") == [s.key for s in steps].index(
        "disclose_cardiovascular"
    )
