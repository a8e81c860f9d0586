"""The confirmation step before payment (投保确认): beneficiaries, consents (insurable interest, death cover,
PIPL), suitability (advice against an unaffordable plan, which the customer may override), the disclosures
acknowledged, and the dual-recording (双录) record when the sale needs one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from jiabao.core.errors import Conflict, FieldProblem, InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.enums import Relationship
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.application.models import Application, ApplicationInsured
from jiabao.policies.common.models import DualRecording
from jiabao.policies.rules import dual_recording as dr
from jiabao.policies.rules import suitability as fit
from jiabao.policies.rules.servicing import Beneficiary, BeneficiaryDesignation, validate_beneficiaries
from jiabao.products.service import ProductEngine
from jiabao.underwriting.engine import Channel, Conclusion

ACCEPTED_CONCLUSIONS = frozenset(
    {Conclusion.STANDARD, Conclusion.RATED, Conclusion.EXCLUSION, Conclusion.RATED_WITH_EXCLUSION}
)
READY = frozenset({"accepted", "accepted_partly"})

SALES_CHANNEL = {
    Channel.ONLINE: dr.SalesChannel.INTERNET,
    Channel.AGENT: dr.SalesChannel.AGENT,
    Channel.BANK: dr.SalesChannel.BANK,
    Channel.TELESALES: dr.SalesChannel.PHONE,
    Channel.PARTNER: dr.SalesChannel.PROFESSIONAL_INTERMEDIARY,
}
INVERSE = {
    Relationship.CHILD: fit.InsuredRelation.PARENT,
    Relationship.PARENT: fit.InsuredRelation.CHILD,
    Relationship.SPOUSE: fit.InsuredRelation.SPOUSE,
}
DIRECT = {
    Relationship.SELF: fit.InsuredRelation.SELF,
    Relationship.SPOUSE: fit.InsuredRelation.SPOUSE,
    Relationship.CHILD: fit.InsuredRelation.CHILD,
    Relationship.PARENT: fit.InsuredRelation.PARENT,
    Relationship.OTHER: fit.InsuredRelation.OTHER,
}


class BeneficiaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60)
    relationship: str = Field(default="", max_length=20)
    order: int = Field(default=1, ge=1, le=5)
    share: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=2)


class DesignationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    legal_heirs: bool = True
    beneficiaries: list[BeneficiaryIn] = Field(default_factory=list, max_length=10)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    kind: fit.ConsentKind


class RecordingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_ref: str = Field(min_length=3, max_length=200)
    segments: list[dr.Segment]


class ConfirmIn(BaseModel):
    """What the policyholder confirms before paying."""

    model_config = ConfigDict(extra="forbid")

    beneficiaries: dict[int, DesignationIn] = Field(default_factory=dict)
    """By insured person id; an insured left out gets legal heirs (法定继承人)."""
    consents: list[ConsentIn] = Field(default_factory=list)
    disclosures_acknowledged: bool = False
    """Cooling-off, waiting period, surrender loss and the cash-value table were shown and read."""
    confirm_advice: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=50)
    """Codes of suitability findings the customer overrides by confirming it is their own choice."""
    recording: RecordingIn | None = None


def covered(application: Application) -> list[ApplicationInsured]:
    """The insureds the policy will cover: accepted (with or without terms) and not removed. A declined or
    postponed member is left out of the confirmation, the policy, the PDF and the premium schedule."""
    return [
        i
        for i in application.insureds
        if i.uw_status == "decided" and i.conclusion and Conclusion(i.conclusion) in ACCEPTED_CONCLUSIONS
    ]


def relation(holder: MemberOut, insured: MemberOut) -> fit.InsuredRelation:
    """The insured's relation to the policyholder, from both members' relationships to the household head."""
    if holder.person_id == insured.person_id:
        return fit.InsuredRelation.SELF
    if holder.relationship is Relationship.SELF:
        return DIRECT.get(insured.relationship, fit.InsuredRelation.SUPPORTED_RELATIVE)
    if insured.relationship is Relationship.SELF:
        return INVERSE.get(holder.relationship, fit.InsuredRelation.SUPPORTED_RELATIVE)
    if holder.relationship is Relationship.SPOUSE and insured.relationship is Relationship.CHILD:
        return fit.InsuredRelation.CHILD
    return fit.InsuredRelation.SUPPORTED_RELATIVE


def requirements(
    application: Application, overview: HouseholdOut, *, death_cover: bool, on: date, term_months: int | None
) -> dict[str, Any]:
    """Consents required per insured, the suitability findings and the recording requirement, for the page/API.

    ``term_months`` is the contract's cover period (None: whole life), from the product's definition."""
    members = {m.person_id: m for m in overview.members}
    holder = members[application.policyholder_person_id]
    consents = []
    for insured in covered(application):
        member = members[insured.person_id]
        needed = fit.insured_requirements(
            relation=relation(holder, member), insured_birth_date=member.birth_date, on=on, death_cover=death_cover
        )
        consents += [
            {
                "person_id": member.person_id,
                "name": member.name,
                "kind": c.kind.value,
                "given_by": c.given_by,
                "basis": c.basis,
            }
            for c in needed.consents
        ]
    income = sum((m.annual_income or Decimal(0) for m in overview.members), Decimal(0))
    finding = fit.affordability_finding(total_annual_premium=application.annual_premium, household_annual_income=income)
    recording = dr.recording_requirement(
        dr.SaleFacts(
            channel=SALES_CHANNEL[Channel(application.channel)],
            term_months=term_months,
            policyholder_birth_date=holder.birth_date,
            application_date=on,
        )
    )
    return {
        "consents": consents,
        "findings": [{"code": finding.code, "message_zh": finding.message_zh, "message_en": finding.message_en}]
        if finding
        else [],
        "recording": {
            "type": recording.type.value,
            "reasons": list(recording.reasons),
            "full_qc": recording.full_qc,
            "segments": [s.value for s in dr.required_segments(death_cover=death_cover)],
        },
    }


def _designations(application: Application, data: ConfirmIn) -> dict[int, BeneficiaryDesignation]:
    insured_ids = {i.person_id for i in covered(application)}
    problems = [
        FieldProblem(f"beneficiaries.{pid}", "not_insured", "不是本投保单的被保险人", "Not an insured here")
        for pid in data.beneficiaries
        if pid not in insured_ids
    ]
    out: dict[int, BeneficiaryDesignation] = {}
    for pid in insured_ids:
        given = data.beneficiaries.get(pid, DesignationIn())
        try:
            out[pid] = validate_beneficiaries(
                [Beneficiary(b.name, b.order, b.share) for b in given.beneficiaries], legal_heirs=given.legal_heirs
            )
        except InvalidInput as exc:
            problems += [
                FieldProblem(f"beneficiaries.{pid}.{p.field}", p.code, p.message_zh, p.message_en) for p in exc.fields
            ]
    if problems:
        raise InvalidInput(fields=tuple(problems))
    return out


def confirm(
    ctx: ServiceContext,
    engine: ProductEngine,
    application: Application,
    data: ConfirmIn,
    *,
    death_cover: bool,
    term_months: int | None,
) -> None:
    """Check everything the policyholder must confirm; on success the application awaits payment."""
    if application.status not in READY:
        raise Conflict("The application is not ready to confirm", "投保单当前状态不能确认", code="not_accepted")
    overview = family.get_overview(ctx, application.household_id)
    today = ctx.clock.today()
    needed = requirements(application, overview, death_cover=death_cover, on=today, term_months=term_months)
    problems: list[FieldProblem] = []
    designations: dict[int, BeneficiaryDesignation] = {}
    try:
        designations = _designations(application, data)
    except InvalidInput as exc:
        problems += exc.fields
    given = {(c.person_id, c.kind.value) for c in data.consents}
    problems += [
        FieldProblem(
            f"consents.{c['person_id']}.{c['kind']}",
            "consent_missing",
            f"需要{c['name']}的同意：{c['kind']}",
            f"{c['name']} must consent: {c['kind']}",
        )
        for c in needed["consents"]
        if (c["person_id"], c["kind"]) not in given
    ]
    if not data.disclosures_acknowledged:
        problems.append(
            FieldProblem(
                "disclosures_acknowledged",
                "required",
                "请阅读并确认犹豫期、等待期、退保损失及现金价值表",
                "Please read and confirm the cooling-off, waiting period, surrender loss and cash-value disclosures",
            )
        )
    decision = fit.suitability_decision(
        [fit.Finding(f["code"], f["message_zh"], f["message_en"], "") for f in needed["findings"]], data.confirm_advice
    )
    problems += [
        FieldProblem("confirm_advice", f.code, f.message_zh, f.message_en)
        for f in decision.advised_against
        if f.code in decision.unconfirmed
    ]
    recording = needed["recording"]
    if recording["type"] == dr.RecordingType.ON_SITE_AUDIO_VIDEO.value:
        problems += _recording_problems(data.recording, recording["segments"])
    if problems:
        raise InvalidInput(fields=tuple(problems))
    if data.recording is not None and recording["type"] == dr.RecordingType.ON_SITE_AUDIO_VIDEO.value:
        requirement = dr.RecordingRequirement(
            dr.RecordingType(recording["type"]), tuple(recording["reasons"]), recording["full_qc"], 0
        )
        selected = dr.qc_selected(str(application.id), requirement)
        ctx.session.add(
            DualRecording(
                application_id=application.id,
                requirement=recording["type"],
                file_ref=data.recording.file_ref,
                segments=[s.value for s in data.recording.segments],
                recorded_at=ctx.now(),
                qc_selected=selected,
                qc_status="pending" if selected else "not_selected",
            )
        )
    application.details = {
        "consents": sorted(f"{pid}:{kind}" for pid, kind in given),
        "advice_overridden": list(decision.overridden),
        "disclosures_acknowledged_at": ctx.now().isoformat(),
        "recording": recording,
        "beneficiaries": {
            str(pid): {
                "legal_heirs": d.legal_heirs,
                "beneficiaries": [{"name": b.name, "order": b.order, "share": str(b.share)} for b in d.beneficiaries],
            }
            for pid, d in designations.items()
        },
    }
    application.status = "awaiting_payment"
    application.updated_at = ctx.now()
    ctx.audit("application.confirm", "application", application.id, {"overridden": list(decision.overridden)})


def _recording_problems(recording: RecordingIn | None, segments: list[str]) -> list[FieldProblem]:
    if recording is None:
        return [
            FieldProblem(
                "recording",
                "required",
                "本次销售须双录，请上传录音录像记录",
                "This sale must be recorded (dual recording); attach the recording",
            )
        ]
    missing = dr.missing_segments([dr.Segment(s) for s in segments], recording.segments)
    return [
        FieldProblem(
            f"recording.segments.{s.value}",
            "segment_missing",
            f"缺少关键环节：{dr.SEGMENT_LABELS[s][0]}",
            f"Missing key segment: {dr.SEGMENT_LABELS[s][1]}",
        )
        for s in missing
    ]
