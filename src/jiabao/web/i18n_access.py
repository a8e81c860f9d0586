"""Page texts for sign-in by SMS code, sign-up, password reset, the development inbox, the role homes, user
administration and the elderly home (issue 11, items 6-8; merged into ``i18n.TEXTS``)."""

from __future__ import annotations

ACCESS_TEXTS: dict[str, tuple[str, str]] = {
    "sms.mobile": ("手机号码", "Mobile number"),
    "sms.get_code": ("获取验证码", "Send me a code"),
    "sms.resend": ("重新获取验证码", "Send a new code"),
    "sms.code": ("短信验证码（6位数字）", "SMS code (6 digits)"),
    "sms.sent": (
        "如该号码可以使用此功能，验证码已发送，5分钟内有效。",
        "If this number can use this, a code is on its way; it is valid for 5 minutes.",
    ),
    "login.sms_link": ("短信验证码登录", "Sign in with an SMS code"),
    "login.signup_link": ("没有账户？手机号注册", "No account? Sign up with your mobile"),
    "login.reset_link": ("忘记密码", "Forgot your password"),
    "login.mobile_or_username": ("手机号码或用户名", "Mobile number or username"),
    "signup.title": ("手机号注册", "Sign up with your mobile"),
    "signup.intro": (
        "投保需要实名：请填写本人姓名和居民身份证号码，注册后即为您开立家庭账户。",
        "Insurance is in your real name: enter your name and resident ID number; a family account is opened "
        "for you.",
    ),
    "signup.name": ("本人姓名", "Your name"),
    "signup.id_number": ("居民身份证号码", "Resident ID number"),
    "signup.password": ("登录密码（可不填，以后可用验证码登录）", "Password (optional; you can always use a code)"),
    "signup.privacy": (
        "身份证号码和手机号码加密保存，仅用于投保、理赔和服务。",
        "Your ID and mobile numbers are stored encrypted and used only for policies, claims and service.",
    ),
    "signup.submit": ("注册并登录", "Sign up and sign in"),
    "signup.have_account": ("已有账户？去登录", "Have an account? Sign in"),
    "sms_login.title": ("短信验证码登录", "Sign in with an SMS code"),
    "sms_login.password_instead": ("用密码登录", "Sign in with a password"),
    "reset.title": ("重置密码", "Reset your password"),
    "reset.intro": (
        "验证码将发送到账户登记的手机号码。",
        "The code goes to the mobile number registered on the account.",
    ),
    "reset.new_password": ("新密码（至少8位）", "New password (at least 8 characters)"),
    "reset.submit": ("设置新密码", "Set the new password"),
    "reset.done": (
        "密码已重置，原有登录均已退出。请用新密码登录。",
        "Your password was reset and every earlier sign-in ended. Sign in with the new password.",
    ),
    "outbox.title": ("开发用消息收件箱", "Development message inbox"),
    "outbox.intro": (
        "平台发出的短信和邮件（仅开发和测试环境可见，生产环境不提供此页面）。",
        "Every SMS and e-mail the platform sent (development and test only; this page does not exist in "
        "production).",
    ),
    "outbox.none": ("还没有消息。", "No messages yet."),
    "outbox.to": ("收件人", "To"),
    "outbox.delivered": ("已发送", "Sent"),
    "outbox.pending": ("待发送", "Waiting"),
    "outbox.channel.sms": ("短信", "SMS"),
    "outbox.channel.email": ("邮件", "E-mail"),
    "nav.hotline": ("客服热线", "Hotline"),
}
