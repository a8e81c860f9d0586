"""Return visit (回访): the 7 points, the 双录 questions, the elderly script at 60, evaluation, deadlines."""

from __future__ import annotations

from datetime import date

from jiabao.policies.rules.calendar import DeadlineStatus
from jiabao.policies.rules.return_visit import (
    Answer,
    VisitPoint,
    VisitResult,
    evaluate_visit,
    mis_selling_deadline,
    return_visit_required,
    visit_deadline,
    visit_script,
)

SEVEN = [
    VisitPoint.IDENTITY,
    VisitPoint.PURCHASE_AND_SIGNATURES,
    VisitPoint.READ_BROCHURE,
    VisitPoint.COVER_EXCLUSIONS_TERM,
    VisitPoint.SURRENDER_LOSS,
    VisitPoint.COOLING_OFF,
    VisitPoint.PAYMENT_TERM_FREQUENCY,
]


def all_yes(points: list[VisitPoint]) -> dict[VisitPoint, Answer]:
    return dict.fromkeys(points, Answer.YES)


def test_regular_premium_recorded_sale_has_nine_questions() -> None:
    script = visit_script(regular_premium=True, dual_recorded=True, policyholder_age=45)
    assert [q.point for q in script.questions] == [
        *SEVEN,
        VisitPoint.RECORDING_ACCEPTED,
        VisitPoint.RECORDING_TRUE_INTENTION,
    ]
    assert (script.elderly, script.pace, script.human_route) == (False, "normal", None)
    assert all(q.zh and q.en for q in script.questions)


def test_single_premium_unrecorded_sale_has_six() -> None:
    script = visit_script(regular_premium=False, dual_recorded=False, policyholder_age=59)
    assert [q.point for q in script.questions] == SEVEN[:6]
    assert not script.elderly


def test_elderly_script_from_exactly_60() -> None:
    script = visit_script(regular_premium=True, dual_recorded=True, policyholder_age=60, cooling_off_days=20)
    points = [q.point for q in script.questions]
    assert points[-1] is VisitPoint.SURRENDER_UNDERSTANDING and len(points) == 10
    assert (script.elderly, script.pace) == (True, "slow")
    assert script.human_route is not None and "转人工" in script.human_route
    cooling = next(q for q in script.questions if q.point is VisitPoint.COOLING_OFF)
    assert "20天" in cooling.zh and "20 days" in cooling.en
    standard = visit_script(regular_premium=True, dual_recorded=True, policyholder_age=45)
    assert cooling.zh != next(q for q in standard.questions if q.point is VisitPoint.COOLING_OFF).zh


def test_all_confirmed_passes() -> None:
    script = visit_script(regular_premium=True, dual_recorded=True, policyholder_age=45)
    outcome = evaluate_visit(script, all_yes([q.point for q in script.questions]))
    assert (outcome.result, outcome.points) == (VisitResult.PASSED, ())


def test_a_no_is_suspected_mis_selling_with_the_points() -> None:
    script = visit_script(regular_premium=True, dual_recorded=True, policyholder_age=45)
    answers = all_yes([q.point for q in script.questions])
    answers[VisitPoint.SURRENDER_LOSS] = Answer.NO
    answers[VisitPoint.RECORDING_TRUE_INTENTION] = Answer.NO
    answers[VisitPoint.READ_BROCHURE] = Answer.UNSURE  # a "no" outranks an unclear answer
    outcome = evaluate_visit(script, answers)
    assert outcome.result is VisitResult.MIS_SELLING_SUSPECTED
    assert outcome.points == (VisitPoint.SURRENDER_LOSS, VisitPoint.RECORDING_TRUE_INTENTION)


def test_identity_not_confirmed_needs_a_person() -> None:
    script = visit_script(regular_premium=False, dual_recorded=False, policyholder_age=45)
    answers = all_yes(SEVEN[:6])
    answers[VisitPoint.IDENTITY] = Answer.NO
    answers[VisitPoint.SURRENDER_LOSS] = Answer.NO
    outcome = evaluate_visit(script, answers)
    assert (outcome.result, outcome.reason) == (VisitResult.NEEDS_HUMAN, "identity_not_confirmed")


def test_unsure_missing_or_human_request_needs_a_person() -> None:
    script = visit_script(regular_premium=False, dual_recorded=False, policyholder_age=70)
    answers = all_yes([q.point for q in script.questions])
    answers[VisitPoint.SURRENDER_UNDERSTANDING] = Answer.UNSURE
    del answers[VisitPoint.COOLING_OFF]
    outcome = evaluate_visit(script, answers)
    assert (outcome.result, outcome.reason) == (VisitResult.NEEDS_HUMAN, "unclear")
    assert outcome.points == (VisitPoint.COOLING_OFF, VisitPoint.SURRENDER_UNDERSTANDING)
    answers[VisitPoint.COOLING_OFF] = Answer.HUMAN
    assert evaluate_visit(script, answers).reason == "human_requested"


def test_who_needs_a_visit() -> None:
    assert not return_visit_required(12)
    assert return_visit_required(13)
    assert return_visit_required(None)
    assert not return_visit_required(240, group=True)


def test_visit_must_finish_inside_the_cooling_off_period() -> None:
    deadline = visit_deadline(date(2025, 3, 1))
    assert (deadline.due, deadline.warn_from) == (date(2025, 3, 16), date(2025, 3, 13))
    assert deadline.status(date(2025, 3, 17)) is DeadlineStatus.OVERDUE
    assert visit_deadline(date(2025, 3, 1), cooling_off_days=20).due == date(2025, 3, 21)


def test_mis_selling_case_deadline() -> None:
    # Found Mon 27 Jan 2025, 15 working days across Spring Festival → Mon 24 Feb.
    assert mis_selling_deadline(date(2025, 1, 27)).due == date(2025, 2, 24)
