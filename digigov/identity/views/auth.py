"""Login (password, then TOTP for admin roles), logout and citizen self-registration."""

from __future__ import annotations

import time

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.errors import DomainError, Forbidden, TooManyRequests
from digigov.identity.challenge import challenge_issue, challenge_question, challenge_take
from digigov.identity.forms import CitizenRegisterForm, LoginForm, TotpForm, apply_domain_error, base32_secret
from digigov.identity.models import User
from digigov.identity.policies import Access, access
from digigov.identity.selectors import active_user
from digigov.identity.services.auth import (
    LoginResult,
    has_confirmed_device,
    login_check_password,
    login_record,
    logout_record,
    totp_confirm,
    totp_enrolment_device,
    totp_verify,
)
from digigov.identity.services.people import citizen_register
from digigov.identity.services.staff import user_set_elder_mode
from digigov.identity.views.pages import ELDER_SESSION_KEY

PENDING_KEY = "pending_login"
PENDING_SECONDS = 300
STEP_TOTP = "totp"
STEP_ENROL = "enrol"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _pending_user(request: HttpRequest, step: str) -> User | None:
    """The account whose password was just checked, if the login is waiting for exactly this step.

    A pending login records the one second-factor step it needs ("totp" or "enrol"); no other page accepts it,
    so an enrolled account cannot bind a fresh authenticator in place of its own (issue 9, point 1).
    """
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["at"] + PENDING_SECONDS < time.time():
        request.session.pop(PENDING_KEY, None)
        return None
    if pending.get("step") != step:
        return None
    return active_user(pending["user"])


def _pending_step_page(request: HttpRequest) -> HttpResponse:
    """Where a pending login belongs: its own step, or the login page when there is none."""
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("step") == STEP_TOTP:
        return redirect("identity:login_totp")
    if pending.get("step") == STEP_ENROL:
        return redirect("identity:totp_enrol")
    messages.error(request, "登录已超时，请重新输入账号和密码")
    return redirect("identity:login")


def _finish_login(request: HttpRequest, user: User, *, second_factor: bool, target: str | None = None) -> HttpResponse:
    """target: where to go; by default where the pending login was headed."""
    pending = request.session.pop(PENDING_KEY, None) or {}
    target = target or pending.get("next", "/")
    login(request, user, backend="digigov.identity.auth_backend.IdentifierBackend")
    login_record(user=user, second_factor=second_factor)
    if request.session.get(ELDER_SESSION_KEY) and not user.elder_mode:
        user_set_elder_mode(actor=user, enabled=True)  # switched on before login: keep it on the account
    return redirect(target)


LOGIN_REFUSED = "账号或密码不正确。连续多次失败后将暂时无法登录，可使用下方的“忘记密码/解除锁定”。"


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, challenge=challenge_question(request.session))
    status = 200
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data.get("challenge", "")
        outcome = login_check_password(
            request,
            identifier=form.cleaned_data["identifier"],
            password=form.cleaned_data["password"],
            challenge_passed=challenge_take(request.session, answer),
        )
        if outcome.result == LoginResult.CHALLENGE:
            form.ask_challenge(challenge_issue(request.session))
            form.add_error("challenge", "计算结果不正确，请重新计算" if answer else "为保护账号安全，请先完成安全验证")
        elif outcome.result == LoginResult.ADDRESS_THROTTLED:
            status = 429
            form.add_error(None, f"您所在网络的登录尝试过于频繁，请 {outcome.retry_minutes} 分钟后再试")
        elif outcome.result == LoginResult.REFUSED or outcome.user is None:
            form.add_error(None, LOGIN_REFUSED)
            if outcome.challenge_next:
                form.ask_challenge(challenge_issue(request.session))
        else:
            request.session.cycle_key()
            if outcome.result == LoginResult.OK:
                return _finish_login(request, outcome.user, second_factor=False, target=_safe_next(request))
            step = STEP_TOTP if outcome.result == LoginResult.NEEDS_TOTP else STEP_ENROL
            request.session[PENDING_KEY] = {
                "user": outcome.user.pk,
                "at": time.time(),
                "next": _safe_next(request),
                "step": step,
            }
            return redirect("identity:login_totp" if step == STEP_TOTP else "identity:totp_enrol")
    return render(request, "identity/login.html", {"form": form, "next": _safe_next(request)}, status=status)


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def login_totp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request, STEP_TOTP)
    if user is None:
        return _pending_step_page(request)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_verify(user=user, token=form.cleaned_data["token"])
        except TooManyRequests as error:
            form.add_error("token", error.message)
        else:
            if device is not None:
                response = _finish_login(request, user, second_factor=True)
                otp_login(request, device)
                return response
            form.add_error("token", "动态验证码不正确或已过期")
    return render(request, "identity/login_totp.html", {"form": form})


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """An admin without an authenticator binds one before the first login completes (and only then)."""
    user = _pending_user(request, STEP_ENROL)
    if user is None:
        return _pending_step_page(request)
    if has_confirmed_device(user):  # enrolled meanwhile (another tab): from now on the code is the step
        request.session[PENDING_KEY] = {**request.session[PENDING_KEY], "step": STEP_TOTP}
        return redirect("identity:login_totp")
    device = totp_enrolment_device(user=user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = totp_confirm(user=user, token=form.cleaned_data["token"])
        except (TooManyRequests, Forbidden) as error:
            form.add_error("token", error.message)
        else:
            if confirmed is not None:
                response = _finish_login(request, user, second_factor=True)
                otp_login(request, confirmed)
                return response
            form.add_error("token", "动态验证码不正确，请确认手机时间准确后重试")
    return render(request, "identity/totp_enrol.html", {"form": form, **totp_qr_context(device)})


def totp_qr_context(device: TOTPDevice) -> dict[str, str]:
    """What identity/partials/totp_qr.html shows: the device's otpauth URL as a QR code, and its secret."""
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True)
    return {"qr_svg": qr_svg, "secret": base32_secret(device.bin_key)}


@access(Access.AUTHENTICATED)
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    logout_record(user=user)
    elder_mode = user.elder_mode
    logout(request)
    request.session[ELDER_SESSION_KEY] = elder_mode  # the login page keeps the reader's type size
    messages.success(request, "您已安全退出")
    return redirect("identity:login")


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    form = CitizenRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen_register(
                actor=None,
                real_name=data["real_name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
                password=data["password"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "实名注册成功，请使用身份证号或手机号码登录")
            return redirect("identity:login")
    return render(request, "identity/register.html", {"form": form})
