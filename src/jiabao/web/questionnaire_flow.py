"""The health questionnaire as a conversation (issue 11 item 2): the knowledge base's questions grouped by body
system, one group per step, an explicit "none of these" (否) per disclosure group, the follow-up questions of a
ticked condition right under it, and a summary to review before submitting.

The answers travel with the form: every step posts all answers given so far (those of other steps as hidden
fields), so going back keeps them, and the page needs no script (htmx only fetches a follow-up block early).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jiabao.core.errors import FieldProblem
from jiabao.underwriting.engine import AnswerType
from jiabao.underwriting.views import QuestionnaireOut, QuestionOut

BODY, LIFESTYLE, FAMILY = "body", "lifestyle", "family_history"
_GROUP_OF = {
    "cigarettes_per_day": LIFESTYLE,
    "alcohol": LIFESTYLE,
    "occupation_class": LIFESTYLE,
    "pursuits": LIFESTYLE,
    "family_history": FAMILY,
}
NONE_PREFIX = "none-"
CONTROL_FIELDS = ("csrf_token", "step", "go")


@dataclass
class Step:
    key: str
    """body | lifestyle | family_history | the disclosure question's id (one body system)."""
    questions: list[QuestionOut] = field(default_factory=list)

    @property
    def disclosure(self) -> bool:
        return any(q.type is AnswerType.IMPAIRMENTS for q in self.questions)

    @property
    def tick_lists(self) -> list[QuestionOut]:
        """Questions answered by ticking from a list: each needs a tick or an explicit 否."""
        return [q for q in self.questions if q.type in (AnswerType.IMPAIRMENTS, AnswerType.MULTI_CHOICE)]

    def owns(self, name: str) -> bool:
        """Whether a form field belongs to this step (its answers, its 否, its follow-ups)."""
        for q in self.questions:
            if name == f"q-{q.id}" or name.startswith(f"q-{q.id}-") or name == f"{NONE_PREFIX}{q.id}":
                return True
            if q.type is AnswerType.IMPAIRMENTS and any(name.startswith(f"r-{o.code}-") for o in q.options):
                return True
        return False


def steps(questionnaire: QuestionnaireOut) -> list[Step]:
    """Body measures, then lifestyle and work, then family history, then one step per body system."""
    fixed = {key: Step(key) for key in (BODY, LIFESTYLE, FAMILY)}
    systems: list[Step] = []
    for q in questionnaire.questions:
        if q.type is AnswerType.IMPAIRMENTS:
            systems.append(Step(q.id, [q]))
        elif q.id in _GROUP_OF:
            fixed[_GROUP_OF[q.id]].questions.append(q)
        else:
            fixed[BODY if q.type in (AnswerType.NUMBER, AnswerType.DATE) else LIFESTYLE].questions.append(q)
    return [s for s in fixed.values() if s.questions] + systems


def answers_only(form: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in CONTROL_FIELDS}


def carried(form: Mapping[str, str], step: Step | None) -> dict[str, str]:
    """The answers to send along as hidden fields: all of them except those the step shows as controls."""
    return {k: v for k, v in answers_only(form).items() if step is None or not step.owns(k)}


def ticked(form: Mapping[str, str], step: Step) -> list[str]:
    """The conditions ticked in the step, in the order of the list."""
    return [
        o.code
        for q in step.questions
        if q.type is AnswerType.IMPAIRMENTS
        for o in q.options
        if form.get(f"q-{q.id}-{o.code}") == "on"
    ]


def step_problems(
    form: Mapping[str, str], step: Step, follow_ups: Mapping[str, list[QuestionOut]]
) -> list[FieldProblem]:
    """What keeps the customer on this step: a required answer left empty, a list with neither a tick nor 否
    (or both), a follow-up question of a ticked condition left open. Ranges are checked by the engine at the end."""
    problems = []
    for q in step.questions:
        if q.type in (AnswerType.IMPAIRMENTS, AnswerType.MULTI_CHOICE):
            any_ticked = any(form.get(f"q-{q.id}-{o.code}") == "on" for o in q.options)
            none = form.get(f"{NONE_PREFIX}{q.id}") == "on"
            if any_ticked == none:
                zh, en = (
                    ("您勾选了“否”，又勾选了其中的项目，请只保留一种", "You ticked 否 and an item: keep only one")
                    if none
                    else ("请勾选符合的项目；如都没有，请勾选“否，以上都没有”", "Tick what applies, or 否 for none")
                )
                problems.append(FieldProblem(f"answers.{q.id}", "choose_or_none", zh, en))
        elif q.required and not form.get(f"q-{q.id}", "").strip():
            problems.append(
                FieldProblem(f"answers.{q.id}", "required", "请回答这个问题", "Please answer this question")
            )
    for code in ticked(form, step):
        for rq in follow_ups.get(code, []):
            if not form.get(f"r-{code}-{rq.id}", "").strip():
                problems.append(
                    FieldProblem(f"disclosures.{code}.{rq.id}", "required", "请回答这个追问", "Please answer this")
                )
    return problems


def step_of_problem(all_steps: list[Step], problem_field: str) -> int | None:
    """The step whose question a problem reported by the engine is about (answers.<id> or disclosures.<code>...)."""
    parts = problem_field.split(".")
    for index, step in enumerate(all_steps):
        for q in step.questions:
            if parts[0] == "answers" and len(parts) > 1 and parts[1] == q.id:
                return index
            about_condition = parts[0] in ("disclosures", "reflexive") and len(parts) > 1
            if about_condition and q.type is AnswerType.IMPAIRMENTS and any(o.code == parts[1] for o in q.options):
                return index
    return None


def target_step(go: str, current: int, count: int) -> int:
    """Where a button leads: back, next (the summary is index ``count``), or edit-N from the summary."""
    if go == "back":
        return max(current - 1, 0)
    if go.startswith("edit-") and go.removeprefix("edit-").isdigit():
        return min(int(go.removeprefix("edit-")), count - 1)
    return min(current + 1, count)


def summary(
    form: Mapping[str, str], all_steps: list[Step], follow_ups: Mapping[str, list[QuestionOut]], lang: str
) -> list[dict[str, Any]]:
    """Each step's answers in words, for the review before submitting."""
    rows = []
    for index, step in enumerate(all_steps):
        lines: list[str] = []
        for q in step.questions:
            lines += _answer_words(form, q, follow_ups, lang)
        rows.append({"index": index, "key": step.key, "lines": lines})
    return rows


def _text(item: Any, lang: str) -> str:
    return str(item.en if lang == "en" else item.zh)


def _answer_words(
    form: Mapping[str, str], q: QuestionOut, follow_ups: Mapping[str, list[QuestionOut]], lang: str
) -> list[str]:
    none_words = "No, none of these" if lang == "en" else "否，以上都没有"
    if q.type in (AnswerType.IMPAIRMENTS, AnswerType.MULTI_CHOICE):
        chosen = [o for o in q.options if form.get(f"q-{q.id}-{o.code}") == "on"]
        if not chosen:
            return [none_words] if form.get(f"{NONE_PREFIX}{q.id}") == "on" else []
        lines = []
        for o in chosen:
            detail = []
            for rq in follow_ups.get(o.code, []) if q.type is AnswerType.IMPAIRMENTS else []:
                value = form.get(f"r-{o.code}-{rq.id}", "")
                option = next((x for x in rq.options if x.code == value), None)
                detail.append(f"{_text(rq, lang)} {_text(option, lang) if option else value}")
            lines.append(_text(o, lang) + (f"（{'；'.join(detail)}）" if detail else ""))
        return lines
    value = form.get(f"q-{q.id}", "")
    if not value:
        return []
    option = next((o for o in q.options if o.code == value), None)
    shown = _text(option, lang) if option else f"{value}{q.unit or ''}"
    return [f"{_text(q, lang).rstrip('？?')}：{shown}"]
