"""Page texts for customer voice (客户声音) and the management reports (merged into ``i18n.TEXTS``)."""

from __future__ import annotations

from jiabao.voice.routing import TEAM_ZH
from jiabao.voice.taxonomy import CHANNEL_ZH, LABELS_EN, LABELS_ZH, PRODUCT_LINE_ZH, REGION_ZH, STATUS_ZH

VOICE_TEXTS: dict[str, tuple[str, str]] = {
    "voice.list_title": ("家庭投诉记录", "Family complaints"),
    "voice.open": ("投诉与建议", "Complaints"),
    "voice.new": ("我要投诉", "Make a complaint"),
    "voice.intro": (
        "我们在15日内（自然日）告知处理结果；60岁以上客户优先处理。",
        "We tell you the outcome within 15 calendar days; customers aged 60+ are handled first.",
    ),
    "voice.summary": ("投诉内容", "What happened"),
    "voice.claim": ("涉及的理赔案件", "Claim concerned"),
    "voice.policy": ("涉及的保单", "Policy concerned"),
    "voice.none_selected": ("（无）", "(none)"),
    "voice.delivery": ("告知方式", "How to tell you"),
    "voice.delivery.sms": ("短信", "SMS"),
    "voice.delivery.email": ("电子邮件", "E-mail"),
    "voice.delivery.letter": ("信函", "Letter"),
    "voice.submit": ("提交投诉", "Submit"),
    "voice.none": ("暂无投诉记录", "No complaints"),
    "voice.ref": ("投诉编号", "Reference"),
    "voice.received": ("受理日期", "Received"),
    "voice.category": ("投诉类别", "Category"),
    "voice.status": ("状态", "Status"),
    "voice.due": ("处理时限", "Due by"),
    "voice.letter": ("处理决定告知书（PDF）", "Decision letter (PDF)"),
    "voice.title": ("投诉详情", "Complaint"),
    "voice.filed": ("投诉已受理", "Your complaint has been received"),
    "voice.team": ("处理团队", "Team"),
    "voice.handler": ("处理人", "Handler"),
    "voice.suggested": ("系统建议分类", "Suggested category"),
    "voice.confirmed": ("已人工确认", "confirmed by staff"),
    "voice.unconfirmed": ("待人工确认", "to be confirmed"),
    "voice.elderly": ("老年客户优先", "Elderly: priority"),
    "voice.major": ("重大投诉（应急）", "Major complaint (emergency)"),
    "voice.history": ("处理过程", "Steps"),
    "voice.queue_title": ("投诉处理队列", "Complaints queue"),
    "voice.decide": ("作出处理决定", "Decide"),
    "voice.outcome": ("处理结论", "Outcome"),
    "voice.outcome.upheld": ("投诉成立", "Upheld"),
    "voice.outcome.partly_upheld": ("部分成立", "Partly upheld"),
    "voice.outcome.not_upheld": ("投诉不成立", "Not upheld"),
    "voice.facts": ("查明的事实", "Facts found"),
    "voice.basis": ("处理依据", "Basis"),
    "voice.reasons": ("处理理由", "Reasons"),
    "voice.remedy": ("处理措施", "Remedy"),
    "voice.root_cause": ("根本原因", "Root cause"),
    "voice.action": ("整改措施", "Corrective action"),
    "voice.decided": ("已作出处理决定，告知书已发送", "Decided; the letter has been sent"),
    "voice.within_limit": ("在时限内", "within the limit"),
    "voice.overdue": ("已超时", "overdue"),
    "voice.due_soon": ("即将到期", "due soon"),
    "voice.days_left": ("剩余天数", "Days left"),
    "voice.monthly_title": ("月度投诉分析报告", "Monthly complaint analysis"),
    "voice.month": ("月份", "Month"),
    "voice.total": ("投诉总量", "Complaints"),
    "voice.previous": ("上月", "Previous month"),
    "voice.by_category": ("按投诉类别", "By category"),
    "voice.by_region": ("按地区", "By region"),
    "voice.by_channel": ("按渠道", "By channel"),
    "voice.measures": ("监管口径指标", "Regulator's measures"),
    "voice.per_100m": ("亿元保费投诉量", "Per ¥100 million premium"),
    "voice.per_10k_policies": ("万张保单投诉量", "Per 10,000 policies"),
    "voice.per_10k_insured": ("万人次投诉量", "Per 10,000 insured"),
    "voice.resolution": ("处理时效", "Time to resolution"),
    "voice.median_days": ("处理天数中位数", "Median days to decision"),
    "voice.decided_count": ("本月办结", "Decided this month"),
    "voice.decided_late": ("超时办结", "Decided late"),
    "voice.overdue_open": ("超时未结", "Open and overdue"),
    "voice.actions": ("根本原因与整改跟踪", "Root causes and actions"),
    "voice.action_status.open": ("整改中", "open"),
    "voice.action_status.done": ("已完成", "done"),
    "voice.pdf": ("下载PDF", "Download PDF"),
    "voice.warnings": ("预警", "Warnings"),
    "voice.observed": ("实际", "Observed"),
    "voice.expected": ("预期", "Expected"),
    "voice.method": ("方法", "Method"),
    "voice.no_warnings": ("本月无预警", "No warnings this month"),
    "voice.count": ("件数", "Count"),
    "voice.share": ("占比", "Share"),
    "voice.not_available": ("暂无数据", "Not available"),
    "dash.title": ("经营管理驾驶舱", "Management dashboard"),
    "dash.year": ("年度", "Year"),
    "dash.kpi": ("指标", "Indicator"),
    "dash.value": ("数值", "Value"),
    "dash.numerator": ("分子", "Numerator"),
    "dash.denominator": ("分母", "Denominator"),
    "dash.esg": ("下载年度ESG报告（PDF）", "Annual ESG report (PDF)"),
    "nav.complaints": ("投诉队列", "Complaints"),
    "nav.dashboard": ("驾驶舱", "Dashboard"),
    "nav.monthly": ("月度投诉分析", "Monthly complaints"),
}
for _code, _zh in LABELS_ZH.items():
    VOICE_TEXTS[f"vcat.{_code}"] = (_zh, LABELS_EN.get(_code, _code.replace(".", " / ").replace("_", " ")))
for _code, _zh in REGION_ZH.items():
    VOICE_TEXTS.setdefault(f"vregion.{_code}", (_zh, _code.capitalize()))
for _code, _zh in CHANNEL_ZH.items():
    VOICE_TEXTS[f"vchannel.{_code}"] = (_zh, _code.capitalize())
for _code, _zh in STATUS_ZH.items():
    VOICE_TEXTS[f"vstatus.{_code}"] = (_zh, _code.replace("_", " ").capitalize())
for _code, _zh in PRODUCT_LINE_ZH.items():
    VOICE_TEXTS[f"vline.{_code}"] = (_zh, _code.replace("_", " ").capitalize())
for _event, _pair in {
    "received": ("受理", "Received"),
    "routed": ("分派", "Routed"),
    "extend": ("延长至30日", "Extended to 30 days"),
    "extend_further": ("再延长30日（已批准）", "Further 30 days (approved)"),
    "pause": ("中止计时", "Clock paused"),
    "resume": ("恢复计时", "Clock resumed"),
    "restart": ("新事实，重新计时", "Restarted (new facts)"),
    "decided": ("作出处理决定", "Decided"),
    "letter_sent": ("告知书已发送", "Letter sent"),
    "letter_opened": ("客户已查阅告知书", "Letter opened by the customer"),
    "category_confirmed": ("分类已确认", "Category confirmed"),
    "review_requested": ("申请核查", "Review requested"),
    "review_decided": ("核查决定", "Review decided"),
    "withdrawn": ("撤回", "Withdrawn"),
    "action": ("整改跟踪", "Action"),
    "deadline_warning": ("时限预警", "Deadline warning"),
}.items():
    VOICE_TEXTS[f"vevent.{_event}"] = _pair
for _code, _zh in TEAM_ZH.items():
    VOICE_TEXTS[f"vteam.{_code}"] = (_zh, _code.replace("_", " ").capitalize() + " team")
VOICE_TEXTS.update(
    {
        "vmethod.poisson_chart": ("泊松控制图", "Poisson control chart"),
        "vmethod.negbin_chart": ("负二项控制图", "Negative-binomial control chart"),
        "vmethod.poisson_cusum": ("泊松CUSUM（缓慢上升）", "Poisson CUSUM (drift)"),
        "vmethod.hard_trigger:partner_cluster": ("硬性触发：同一合作伙伴集中投诉", "Hard trigger: one partner"),
        "vmethod.hard_trigger:product_cluster": ("硬性触发：同一产品集中投诉", "Hard trigger: one product"),
        "vmethod.hard_trigger:major_complaint": ("硬性触发：重大投诉", "Hard trigger: major complaint"),
    }
)
