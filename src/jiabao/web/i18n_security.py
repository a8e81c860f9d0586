"""Page texts for the auditor's audit-log search and log-in protection (merged into ``i18n.TEXTS``)."""

from __future__ import annotations

SECURITY_TEXTS: dict[str, tuple[str, str]] = {
    "audit.title": ("审计日志查询", "Audit log"),
    "audit.intro": (
        "审计日志只追加、不可修改；每次查询本身也会记入日志。",
        "The audit log is append-only; every search is itself logged.",
    ),
    "audit.action": ("操作", "Action"),
    "audit.entity": ("对象", "Record"),
    "audit.entity_id": ("对象编号", "Record id"),
    "audit.actor": ("操作人", "Actor"),
    "audit.since": ("起始日期", "From"),
    "audit.until": ("截止日期", "Until"),
    "audit.search": ("查询", "Search"),
    "audit.none": ("没有符合条件的记录", "No matching entries"),
    "audit.at": ("时间", "Time"),
    "audit.detail": ("详情", "Detail"),
    "audit.newer": ("较新", "Newer"),
    "audit.older": ("较早", "Older"),
    "nav.audit": ("审计日志", "Audit log"),
    "role.customer": ("客户", "customer"),
    "role.partner": ("合作代理人", "partner"),
    "role.underwriter": ("核保员", "underwriter"),
    "role.claims": ("理赔员", "claims"),
    "role.service": ("客服", "service"),
    "role.risk": ("风控", "risk"),
    "role.actuary": ("精算", "actuary"),
    "role.admin": ("管理员", "admin"),
    "role.auditor": ("审计员", "auditor"),
    "role.anonymous": ("未登录", "anonymous"),
    "role.system": ("系统", "system"),
}
