"""Self-service recovery for citizens: a code to the registered mobile resets a forgotten password or lifts a
lock. The pages keep only the number's blind index in the session."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from digigov.core.errors import DomainError, TooManyRequests
from digigov.identity.challenge import SESSION_KEY as CHALLENGE_KEY
from digigov.identity.forms import RecoveryCompleteForm, RecoveryRequestForm, apply_domain_error
from digigov.identity.policies import Access, access
from digigov.identity.services.recovery import (
    RECOVERY_CODE_MINUTES,
    recovery_code_send,
    recovery_complete,
    recovery_mobile_index,
)

SESSION_KEY = "recovery_mobile_index"


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def recover_request(request: HttpRequest) -> HttpResponse:
    form = RecoveryRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            index = recovery_mobile_index(form.cleaned_data["mobile"])
            recovery_code_send(mobile_index=index)
        except TooManyRequests as error:
            status = 429
            form.add_error(None, f"{error.message}（每个号码每小时最多获取若干次验证码）")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session[SESSION_KEY] = index
            messages.info(
                request,
                f"如该号码已实名注册，验证码已发送，{RECOVERY_CODE_MINUTES} 分钟内有效。",
            )
            return redirect("identity:recover_verify")
    return render(request, "identity/recover_request.html", {"form": form}, status=status)


@access(Access.PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def recover_verify(request: HttpRequest) -> HttpResponse:
    index = request.session.get(SESSION_KEY)
    if not index:
        return redirect("identity:recover")
    form = RecoveryCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery_complete(
                mobile_index=index, code=form.cleaned_data["code"], new_password=form.cleaned_data["password"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            request.session.pop(CHALLENGE_KEY, None)  # the owner proved who they are: no question at login
            done = "密码已重置，账号锁定已解除" if form.cleaned_data["password"] else "账号锁定已解除"
            messages.success(request, f"{done}，请登录")
            return redirect("identity:login")
    return render(request, "identity/recover_verify.html", {"form": form})
