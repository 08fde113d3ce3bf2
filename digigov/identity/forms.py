"""Page forms: shape checks at the edge. Domain rules (check digits, duplicates) stay in the services."""

from __future__ import annotations

from django import forms

from digigov.core.errors import DomainError


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


class TotpForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": "请输入身份验证器显示的6位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


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
