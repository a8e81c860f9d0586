"""Page texts in Simplified Chinese (first) and English. Keys are stable; a missing key shows itself."""

from __future__ import annotations

from collections.abc import Callable

from jiabao.web.i18n_access import ACCESS_TEXTS
from jiabao.web.i18n_advice import ADVICE_TEXTS
from jiabao.web.i18n_claims import CLAIM_TEXTS
from jiabao.web.i18n_cover import COVER_TEXTS
from jiabao.web.i18n_experience import EXPERIENCE_TEXTS
from jiabao.web.i18n_holder import HOLDER_TEXTS
from jiabao.web.i18n_ledger import LEDGER_TEXTS
from jiabao.web.i18n_partners import PARTNER_TEXTS
from jiabao.web.i18n_policies import POLICY_TEXTS
from jiabao.web.i18n_reinstatement import REINSTATEMENT_TEXTS
from jiabao.web.i18n_riskops import RISK_OPS_TEXTS
from jiabao.web.i18n_screening import SCREENING_TEXTS
from jiabao.web.i18n_security import SECURITY_TEXTS
from jiabao.web.i18n_servicing import SERVICING_MENU_TEXTS
from jiabao.web.i18n_valuation import VALUATION_TEXTS
from jiabao.web.i18n_voice import VOICE_TEXTS

TEXTS: dict[str, tuple[str, str]] = {
    "app.name": ("家保", "Jiabao"),
    "app.tagline": ("以家庭为单位的保障平台", "Insurance for the whole family"),
    "nav.home": ("首页", "Home"),
    "nav.households": ("家庭账户", "Households"),
    "nav.search": ("客户查询", "Customer search"),
    "nav.logout": ("退出登录", "Log out"),
    "nav.language": ("English", "中文"),
    "nav.elderly_on": ("大字版", "Large print"),
    "nav.elderly_off": ("标准版", "Standard view"),
    "nav.skip": ("跳到主要内容", "Skip to main content"),
    "login.title": ("登录", "Log in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.help": (
        "忘记密码或需要帮助，请致电客服 95xxx 转人工",
        "Need help? Call 95xxx and ask for a person",
    ),
    "household.title": ("全家保障一览", "Family cover at a glance"),
    "household.account": ("家庭账户号", "Family account"),
    "household.region": ("所在区域", "Region"),
    "household.stage": ("家庭阶段", "Life stage"),
    "household.members": ("家庭成员", "Members"),
    "household.former": ("已离开的成员", "Former members"),
    "household.add_member": ("添加家庭成员", "Add a family member"),
    "household.timeline": ("家庭大事记", "Family timeline"),
    "household.no_cover": ("暂无保障", "No cover yet"),
    "household.none": ("暂无家庭账户", "No household yet"),
    "member.name": ("姓名", "Name"),
    "member.relationship": ("与户主关系", "Relationship to head"),
    "member.sex": ("性别", "Sex"),
    "member.age": ("年龄", "Age"),
    "member.birth_date": ("出生日期", "Birth date"),
    "member.id_type": ("证件类型", "ID type"),
    "member.id_number": ("证件号码", "ID number"),
    "member.phone": ("手机号码", "Mobile"),
    "member.occupation": ("职业", "Occupation"),
    "member.occupation_class": ("职业类别", "Occupation class"),
    "member.social_insurance": ("有社会医疗保险", "Has social medical insurance"),
    "member.cover": ("保障", "Cover"),
    "member.save": ("保存", "Save"),
    "member.cancel": ("取消", "Cancel"),
    "member.edit": ("修改", "Edit"),
    "member.added": ("已添加家庭成员", "Member added"),
    "member.requested": (
        "已收到添加家庭成员的申请，核验身份证明后我们会通知您结果（一般3个工作日内）",
        "Request received: we will verify the identity documents and tell you the outcome "
        "(usually within 3 working days)",
    ),
    "member.years": ("岁", "years"),
    "member.updated": ("已保存修改", "Changes saved"),
    "member.phone_keep": ("手机号码留空则保持不变", "Leave the mobile number blank to keep the current one"),
    "event.marriage": ("结婚", "Marriage"),
    "event.birth": ("出生", "Birth"),
    "event.child_leaves_home": ("子女离家", "Child left home"),
    "event.retirement": ("退休", "Retirement"),
    "event.death": ("身故", "Death"),
    "event.member_joined": ("加入家庭账户", "Joined the family account"),
    "event.member_left": ("离开家庭账户", "Left the family account"),
    "event.divorce": ("离婚", "Divorce"),
    "form.errors": ("请修改下面标出的内容", "Please correct the marked fields"),
    "search.title": ("客户查询", "Customer search"),
    "search.placeholder": ("姓名、证件号码、手机号或家庭账户号", "Name, ID number, mobile or account number"),
    "search.submit": ("查询", "Search"),
    "search.none": ("没有找到匹配的家庭", "No household found"),
    "search.hint": (
        "证件号码和手机号需完整输入，系统通过加密索引查找，不显示完整号码",
        "Type the full ID or mobile number: it is matched through an encrypted index and never shown in full",
    ),
    "households.title": ("家庭账户列表", "Households"),
    "households.head": ("户主", "Head"),
    "households.count": ("成员数", "Members"),
    "error.title": ("出错了", "Something went wrong"),
    "error.back": ("返回首页", "Back to the home page"),
    "sex.M": ("男", "Male"),
    "sex.F": ("女", "Female"),
    "rel.self": ("本人（户主）", "Self (head)"),
    "rel.spouse": ("配偶", "Spouse"),
    "rel.child": ("子女", "Child"),
    "rel.parent": ("父母", "Parent"),
    "rel.grandparent": ("祖父母/外祖父母", "Grandparent"),
    "rel.grandchild": ("孙子女/外孙子女", "Grandchild"),
    "rel.sibling": ("兄弟姐妹", "Sibling"),
    "rel.other": ("其他", "Other"),
    "stage.formation": ("形成期", "Formation"),
    "stage.growth": ("成长期", "Growth"),
    "stage.maturity": ("成熟期", "Maturity"),
    "stage.sunset": ("夕阳期", "Retirement"),
    "stage.formation.advice": (
        "建议优先配置：意外险、重疾险、医疗险",
        "Suggested first: accident, CI, medical",
    ),
    "stage.growth.advice": (
        "建议优先配置：年金、意外、重疾、寿险",
        "Suggested first: annuity, accident, CI, life",
    ),
    "stage.maturity.advice": (
        "建议优先配置：医疗、年金、意外、重疾、寿险",
        "Suggested first: medical, annuity, accident, CI, life",
    ),
    "stage.sunset.advice": (
        "建议优先配置：年金、医疗、重疾、意外、长期护理",
        "Suggested first: annuity, medical, CI, accident, long-term care",
    ),
    "region.east": ("华东", "East"),
    "region.north": ("华北", "North"),
    "region.central": ("华中", "Central"),
    "region.south": ("华南", "South"),
    "region.southwest": ("西南", "Southwest"),
    "region.northwest": ("西北", "Northwest"),
    "region.northeast": ("东北", "Northeast"),
    "idtype.resident_id": ("居民身份证", "Resident ID card"),
    "idtype.hk_macau_tw_residence_permit": ("港澳台居民居住证", "HK/Macau/Taiwan residence permit"),
    "idtype.passport": ("护照", "Passport"),
    "idtype.foreign_permanent_residence": ("外国人永久居留身份证", "Foreigner's permanent residence card"),
    "quote.title": ("家庭保障报价", "Family quote"),
    "quote.open": ("为家人配置保障", "Get a quote for the family"),
    "quote.member": ("被保险人", "Insured"),
    "quote.product": ("产品", "Product"),
    "quote.sum_assured": ("保额（元）", "Sum assured (yuan)"),
    "quote.coverage": ("保障期间", "Cover"),
    "quote.coverage_hint": ("年数或至某年龄", "years or to age"),
    "quote.payment_term": ("交费年期", "Payment term"),
    "quote.frequency": ("交费频率", "Frequency"),
    "quote.submit": ("计算保费", "Calculate premiums"),
    "quote.result": ("报价结果", "Quote"),
    "quote.basis": ("定价基础", "Pricing basis"),
    "quote.annual": ("年交保费", "Annual premium"),
    "quote.instalment": ("每期保费", "Instalment"),
    "quote.cover_years": ("保障年数", "Cover years"),
    "quote.cash_values": ("现金价值表", "Cash-value table"),
    "quote.policy_year": ("保单年度", "Policy year"),
    "quote.cash_value": ("现金价值", "Cash value"),
    "quote.household_total": ("全家合计", "Household total"),
    "freq.annual": ("年交", "annual"),
    "freq.semi_annual": ("半年交", "semi-annual"),
    "freq.quarterly": ("季交", "quarterly"),
    "freq.monthly": ("月交", "monthly"),
    "apply.title": ("投保", "Apply"),
    "apply.open": ("立即投保", "Apply now"),
    "apply.insureds": ("选择被保险人（最多7位家庭成员）", "Insured members (up to 7 family members)"),
    "apply.submit": ("提交投保并填写健康告知", "Apply and answer the health questions"),
    "application.title": ("投保单", "Application"),
    "application.status": ("状态", "Status"),
    "appstatus.underwriting": ("待健康告知", "Health questions to answer"),
    "appstatus.referred": ("人工核保中", "With an underwriter"),
    "appstatus.accepted": ("核保通过", "Accepted"),
    "appstatus.declined": ("未通过核保", "Declined"),
    "uw.title": ("健康告知", "Health questionnaire"),
    "uw.intro": (
        "请如实回答以下问题。我们只询问与本次投保相关的具体问题，不会收集基因检测信息。",
        "Please answer truthfully. We only ask specific questions relevant to this application and never collect "
        "genetic test information.",
    ),
    "uw.fill": ("填写健康告知", "Answer the health questions"),
    "uw.none_hint": ("如都没有，请不要勾选", "Leave all unticked if none apply"),
    "uw.about": ("关于：", "About: "),
    "uw.submit": ("提交健康告知", "Submit"),
    "uw.conclusion": ("承保结论", "Conclusion"),
    "uw.request_review": ("申请人工核保", "Ask for a person to review this"),
    "uw.waiting_human": ("核保人员将在1-7个工作日内处理", "An underwriter will decide within 1–7 working days"),
    "conclusion.standard": ("标准体承保", "Accepted at standard rates"),
    "conclusion.rated": ("加费承保", "Accepted with an extra premium"),
    "conclusion.exclusion": ("除外承保", "Accepted with an exclusion"),
    "conclusion.rated_with_exclusion": ("加费并除外承保", "Accepted with an extra premium and an exclusion"),
    "conclusion.pending_evidence": ("需补充体检或资料", "More medical evidence needed"),
    "conclusion.postponed": ("延期承保", "Postponed"),
    "conclusion.declined": ("拒保", "Declined"),
    "conclusion.referred": ("转人工核保", "Referred to an underwriter"),
    "uwq.title": ("人工核保队列", "Referral queue"),
    "uwq.case": ("核保案件", "Case"),
    "uwq.reasons": ("转人工原因", "Reasons"),
    "uwq.created": ("提交时间", "Submitted"),
    "uwq.empty": ("目前没有待处理的案件", "No cases waiting"),
    "uwq.household": ("家庭情况", "Household"),
    "uwq.answers": ("告知内容", "Answers"),
    "uwq.engine": ("规则引擎的判断", "The engine's reasoning"),
    "uwq.line": ("责任", "Line"),
    "uwq.debits": ("评点", "Debits"),
    "uwq.kb": ("知识库版本", "Knowledge base"),
    "uwq.decide": ("核保决定", "Decision"),
    "uwq.reason": ("核保理由", "Reason"),
    "uwq.submit": ("提交决定", "Decide"),
    "uwq.resolved": ("该案件已处理完毕", "This case is resolved"),
    "nav.referrals": ("核保队列", "Referrals"),
    "human.help": ("需要帮助？一键联系人工客服", "Need help? Talk to a person"),
    "svc.title": ("保全服务", "Policy servicing"),
    "svc.done": ("已受理并办理完成", "Received and done"),
    "svc.sla_note": (
        "受理时限2个工作日，办结时限5个工作日（《人身保险业务基本服务规定》第十九、二十条）",
        "Accepted within 2 working days and finished within 5 (Basic Service Rules arts. 19–20)",
    ),
    "svc.no": ("受理号", "No."),
    "svc.kind": ("保全项目", "Item"),
    "svc.channel": ("渠道", "Channel"),
    "svc.channel.online": ("线上", "Online"),
    "svc.channel.counter": ("柜面", "Counter"),
    "svc.status": ("状态", "Status"),
    "svc.status.accepted": ("已受理", "Accepted"),
    "svc.status.completed": ("已办结", "Completed"),
    "svc.status.rejected": ("未通过", "Declined"),
    "svc.requested": ("申请日期", "Requested"),
    "svc.complete_due": ("办结时限", "Finish by"),
    "svc.sla": ("时效", "Service level"),
    "svc.sla.on_time": ("正常", "On time"),
    "svc.sla.due_soon": ("即将到期", "Due soon"),
    "svc.sla.overdue": ("已超时", "Overdue"),
    "svc.empty": ("暂无保全申请", "No requests yet"),
    "svc.beneficiary": ("变更身故受益人", "Change the beneficiaries"),
    "svc.beneficiary_note": (
        "指定受益人的各顺序份额合计须为100%；不填份额则同一顺序均分。变更须经被保险人同意。",
        "Shares in each order must total 100%; leave them empty to share equally. The insured must consent.",
    ),
    "svc.insured": ("被保险人", "Insured"),
    "svc.order": ("受益顺序", "Order"),
    "svc.consent": (
        "被保险人已同意本次受益人变更（《保险法》第三十九条、第四十一条）",
        "The insured consents to this change (Insurance Law arts. 39 and 41)",
    ),
    "svc.submit": ("提交申请", "Submit"),
    "svc.contact": ("变更投保人手机号码", "Change the policyholder's mobile number"),
    "visit.title": ("电子回访", "Return visit"),
    "visit.back": ("返回保单", "Back to the policy"),
    "visit.intro": (
        "为确认您在投保时已充分了解保单内容，请在犹豫期内完成电子回访：先用短信验证码验证身份，再回答几个简单问题。",
        "To confirm you understood the policy when you bought it, please complete this short visit within the "
        "cooling-off period: verify your identity with an SMS code, then answer a few simple questions.",
    ),
    "visit.due": ("请在此日期前完成", "Please complete by"),
    "visit.send_code": ("获取短信验证码", "Send me an SMS code"),
    "visit.resend": ("重新获取验证码", "Send a new code"),
    "visit.code_sent": (
        "验证码已发送至投保人手机，10分钟内有效",
        "A code has been sent to the policyholder's mobile; it is valid for 10 minutes",
    ),
    "visit.code": ("短信验证码", "SMS code"),
    "visit.verify": ("验证身份", "Verify"),
    "visit.codes_left": ("还可获取验证码次数", "Codes left"),
    "visit.attempts_left": ("还可尝试次数", "Tries left"),
    "visit.prefer_person": ("希望由专人电话回访？请致电 95xxx", "Prefer a call from a person? Ring 95xxx"),
    "visit.questions_intro": ("请逐题选择最符合您情况的回答。", "Please choose the answer for each question."),
    "visit.elderly_note": (
        "我们会放慢节奏、用简单的话提问。任何一题都可以选择“转人工”，由工作人员为您服务。",
        'We go slowly and use plain words. At any question you may choose "Talk to a person".',
    ),
    "visit.human_route": (
        "不清楚也没关系，可以选择“转人工”或拨打 95xxx。",
        'Not sure? Choose "Talk to a person" or ring 95xxx.',
    ),
    "visit.answer.yes": ("是", "Yes"),
    "visit.answer.no": ("否", "No"),
    "visit.answer.unsure": ("不确定", "Not sure"),
    "visit.answer.human": ("转人工", "Talk to a person"),
    "visit.submit": ("提交回访", "Submit"),
    "visit.result.passed": ("回访已完成，感谢您的配合。", "The return visit is complete. Thank you."),
    "visit.result.mis_selling": (
        "感谢您的反馈。您反映的问题已登记，将由销售人员以外的专人处理并与您联系。",
        "Thank you. What you told us has been recorded; someone other than the seller will look into it and "
        "contact you.",
    ),
    "visit.result.needs_human": (
        "工作人员将与您电话联系，完成本次回访。",
        "A member of staff will call you to complete the visit.",
    ),
    "visit.case_due": ("最迟处理日期", "To be settled by"),
    "visit.not_required": ("该保单无需回访。", "This policy needs no return visit."),
}


TEXTS.update(POLICY_TEXTS)
TEXTS.update(CLAIM_TEXTS)
TEXTS.update(REINSTATEMENT_TEXTS)
TEXTS.update(COVER_TEXTS)
TEXTS.update(RISK_OPS_TEXTS)
TEXTS.update(VOICE_TEXTS)
TEXTS.update(VALUATION_TEXTS)
TEXTS.update(ADVICE_TEXTS)
TEXTS.update(SCREENING_TEXTS)
TEXTS.update(SECURITY_TEXTS)
TEXTS.update(LEDGER_TEXTS)
TEXTS.update(EXPERIENCE_TEXTS)
TEXTS.update(PARTNER_TEXTS)
TEXTS.update(ACCESS_TEXTS)
TEXTS.update(SERVICING_MENU_TEXTS)
TEXTS.update(HOLDER_TEXTS)


def translator(language: str) -> Callable[[str], str]:
    index = 1 if language == "en" else 0

    def t(key: str) -> str:
        pair = TEXTS.get(key)
        return pair[index] if pair else key

    return t
