"""Page texts in Simplified Chinese (first) and English. Keys are stable; a missing key shows itself."""

from __future__ import annotations

from collections.abc import Callable

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
    "member.years": ("岁", "years"),
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
    "human.help": ("需要帮助？一键联系人工客服", "Need help? Talk to a person"),
}


def translator(language: str) -> Callable[[str], str]:
    index = 1 if language == "en" else 0

    def t(key: str) -> str:
        pair = TEXTS.get(key)
        return pair[index] if pair else key

    return t
