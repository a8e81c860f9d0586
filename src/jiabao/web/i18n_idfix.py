"""Page texts of the ID-number correction (证件号码更正), Simplified Chinese first, then English."""

from __future__ import annotations

IDFIX_TEXTS: dict[str, tuple[str, str]] = {
    "idfix.title": ("证件号码更正", "ID number correction"),
    "idfix.link": ("证件号码更正（需上传证明材料）", "Correct an ID number (with evidence)"),
    "idfix.intro": (
        "请填写正确的居民身份证号码并上传证明材料。申请提交后由服务人员审核，审核通过后出生日期和性别将按新号码更新；"
        "如投保年龄或性别因此变化，保费或保险金额将依《保险法》第三十二条调整，我们会以短信告知调整结果。",
        "Enter the correct resident ID number and upload the evidence. Service staff review the request; once "
        "approved, the birth date and sex follow the new number, and if the age at issue or the sex changes, the "
        "premium or the sum assured is adjusted under Insurance Law art. 32. You will be told the effect by SMS.",
    ),
    "idfix.person": ("需更正的人", "Person"),
    "idfix.current": ("现登记号码", "on record"),
    "idfix.number": ("正确的证件号码", "Correct ID number"),
    "idfix.number_hint": ("18位，最后一位可以是数字或X", "18 characters; the last may be a digit or X"),
    "idfix.evidence_kind": ("证明材料类型", "Kind of evidence"),
    "idfix.evidence": ("证明材料", "Evidence"),
    "idfix.evidence_hint": ("证件照片或扫描件，不超过10MB", "A JPG or PNG image or a PDF, at most 10 MB"),
    "idfix.submit": ("提交更正申请", "Submit the correction"),
    "idfix.done": ("申请已受理，等待审核，受理号", "Accepted for review, request no."),
    "idfix.queue": ("证件号码更正审核", "ID number corrections to review"),
    "idfix.queue_intro": (
        "核对证明材料后审核。须由受理人以外的人员审核（双人复核）；如新号码已登记在其他客户名下，系统不会自动合并，"
        "请人工核实后驳回。审核通过后，投保年龄或性别变化的保单将依《保险法》第三十二条调整。",
        "Check the evidence, then decide. Someone other than who accepted the request reviews it (four eyes); if the "
        "number belongs to another customer, people are never merged: look into it and refuse. Approval adjusts "
        "every policy whose age at issue or sex changes under Insurance Law art. 32.",
    ),
    "idfix.none": ("暂无待审核的申请", "Nothing to review"),
    "idfix.request_no": ("受理号", "Request no."),
    "idfix.previous": ("原号码", "Number on record"),
    "idfix.new": ("申请更正为", "Corrected to"),
    "idfix.open_document": ("查看材料", "Open document"),
    "idfix.own": ("此申请由您受理，须由其他人员审核", "You accepted this request: someone else must review it"),
    "idfix.decision": ("审核结论", "Decision"),
    "idfix.approve": ("审核通过", "Approve"),
    "idfix.refuse": ("不予通过", "Refuse"),
    "idfix.proportional": (
        "少缴保费时按比例减少保险金额（不勾选则补缴保费差额）",
        "If the premium paid was too low, reduce the sum assured in proportion (otherwise collect the difference)",
    ),
    "idfix.reason": ("审核意见", "Reason"),
    "idfix.decide": ("提交审核结论", "Submit the decision"),
    "idfix.decided": ("已完成审核，受理号", "Decided, request no."),
    "svc.status.referred": ("审核中", "Under review"),
}
