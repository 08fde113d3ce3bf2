"""Page forms: shape checks at the edge. Domain rules (check digits, duplicates) stay in the services."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.http import QueryDict

from digigov.core.errors import DomainError


def base32_secret(key: bytes) -> str:
    """A TOTP key as authenticator apps take it by hand (base32, no padding)."""
    return base64.b32encode(key).decode().rstrip("=")


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label="账号",
        max_length=40,
        help_text="身份证号、手机号码或工作人员登录名",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="密码", max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, challenge: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if challenge is not None:
            self.fields["challenge"] = self._challenge_field(challenge)

    def ask_challenge(self, question: str) -> None:
        """After a submit: show a new arithmetic challenge, without the previous answer."""
        self.fields["challenge"] = self._challenge_field(question)
        vars(self)["_bound_fields_cache"].pop("challenge", None)  # else the page shows the previous question
        if self.is_bound:
            self.data = {**self.data.dict(), "challenge": ""} if isinstance(self.data, QueryDict) else {}

    @staticmethod
    def _challenge_field(question: str) -> forms.CharField:
        return forms.CharField(
            label=f"安全验证：{question} = ？",
            max_length=4,
            help_text="请填写计算结果（阿拉伯数字）",
            error_messages={"required": "请填写安全验证的计算结果"},
            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        )


def totp_code_field(label: str, invalid: str, autocomplete: str = "one-time-code") -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": invalid},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "inputmode": "numeric"}),
    )


class TotpForm(forms.Form):
    token = totp_code_field("动态验证码", "请输入身份验证器显示的6位数字")


class TotpAddForm(forms.Form):
    current_token = totp_code_field("当前身份验证器的动态验证码", "请输入已绑定的身份验证器显示的6位数字")
    new_token = totp_code_field("新身份验证器的动态验证码", "请输入新身份验证器显示的6位数字", "off")


class RecoveryRequestForm(forms.Form):
    mobile = forms.CharField(
        label="实名手机号码",
        max_length=14,
        help_text="注册时填写的手机号码，验证码将发送到该号码",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class RecoveryCompleteForm(forms.Form):
    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": "请输入短信中的6位数字验证码", "required": "请输入短信验证码"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label="新密码",
        max_length=128,
        required=False,
        help_text="只解除锁定可不填；填写则同时重置密码（至少8位，含大写字母、小写字母、数字、特殊字符中的至少三类）",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="确认新密码",
        max_length=128,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("password") or "") != (data.get("password_again") or ""):
            self.add_error("password_again", "两次输入的密码不一致")
        return data


class StaffSecurityActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("unlock", "解除锁定"), ("password", "重置密码"), ("totp", "重置身份验证器")],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label="办理原因", max_length=200, help_text="例如：本人来电核实身份后申请解锁")


class CitizenRegisterForm(forms.Form):
    real_name = forms.CharField(label="姓名", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        min_length=18,
        error_messages={"min_length": "身份证号应为18位"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    mobile = forms.CharField(
        label="手机号码", max_length=14, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    password = forms.CharField(
        label="密码", max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label="确认密码", max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "两次输入的密码不一致")
        return data


class EnterpriseRegisterForm(forms.Form):
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        min_length=18,
        error_messages={"min_length": "统一社会信用代码应为18位"},
    )
    name = forms.CharField(label="企业名称", max_length=120)
    legal_representative = forms.CharField(label="法定代表人", max_length=30)
    region_code = forms.ChoiceField(label="所在区县/街道")
    address = forms.CharField(label="地址", max_length=200, required=False)


class AgentInviteForm(forms.Form):
    agent_mobile = forms.CharField(
        label="经办人手机号码",
        max_length=14,
        min_length=11,
        help_text="对方须已实名注册；对方在个人空间接受邀请后生效",
        error_messages={"min_length": "请输入11位手机号码"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the fields it names, or on the form as a whole."""
    placed = False
    for field, message in error.fields.items():
        if field in form.fields:
            form.add_error(field, error.message if len(error.fields) == 1 else message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
