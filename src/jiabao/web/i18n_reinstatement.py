"""Page texts of the underwriter's reinstatement review (复效核保), Simplified Chinese first, then English."""

from __future__ import annotations

REINSTATEMENT_TEXTS: dict[str, tuple[str, str]] = {
    "reinst.title": ("复效核保", "Reinstatement reviews"),
    "reinst.intro": (
        "投保人申报效力中止期间风险显著增加的复效申请。仅在风险显著增加时可以拒绝；自申请之日起30日内未明确拒绝的，"
        "视为同意复效（《最高人民法院关于适用〈保险法〉若干问题的解释（三）》第八条），系统将自动办理。",
        "Applications whose declaration says the risk rose significantly while the policy was suspended. Refuse only "
        "for that reason; without an explicit refusal within 30 days of the application the reinstatement counts as "
        "accepted (SPC Interp. III art. 8) and the daily job completes it.",
    ),
    "reinst.none": ("暂无待审核的复效申请", "No reinstatement is waiting"),
    "reinst.policy": ("保单", "Policy"),
    "reinst.requested": ("申请时间", "Applied"),
    "reinst.silence": ("视为同意日（此日后）", "Deemed accepted after"),
    "reinst.total": ("应补交保费及利息", "Back premiums and interest"),
    "reinst.account": ("扣款账户", "Account"),
    "reinst.accept": ("同意复效", "Accept"),
    "reinst.refuse": ("拒绝复效（风险显著增加）", "Refuse (risk rose significantly)"),
    "reinst.reason": ("理由", "Reason"),
    "reinst.decide": ("提交结论", "Record the decision"),
    "reinst.decided": ("已记录复效核保结论", "Decision recorded"),
    "reinst.choose": ("请选择结论", "Choose a decision"),
}
