"""The signed-in owner's account security: what they were told (lockouts, new devices, resets) and their
authenticators; adding one needs the current second factor."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from digigov.core.errors import DomainError
from digigov.identity.current import current_user
from digigov.identity.forms import TotpAddForm, apply_domain_error
from digigov.identity.policies import Access, access
from digigov.identity.selectors import confirmed_totp_devices, security_notices_of
from digigov.identity.services.auth import totp_device_add, totp_enrolment_device
from digigov.identity.services.notices import notices_mark_read
from digigov.identity.views.auth import totp_qr_context

NOTICES_PER_PAGE = 20


@access(Access.AUTHENTICATED)
def account_security(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(security_notices_of(user), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    unread_ids = {notice.pk for notice in page if notice.read_at is None}
    notices_mark_read(actor=user)
    devices = confirmed_totp_devices(user.pk)
    return render(
        request,
        "identity/account_security.html",
        {"page": page, "unread_ids": unread_ids, "devices": devices, "is_staff": user.kind == "staff"},
    )


@access(Access.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = TotpAddForm(request.POST or None)
    has_devices = confirmed_totp_devices(user.pk).exists()
    if not has_devices:
        form.fields.pop("current_token")
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_device_add(
                actor=user,
                current_token=form.cleaned_data.get("current_token", ""),
                new_token=form.cleaned_data["new_token"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if device is not None:
                messages.success(request, "新的身份验证器已绑定")
                return redirect("identity:account_security")
            form.add_error("new_token", "新身份验证器的动态验证码不正确，请确认手机时间准确后重试")
    context = {"form": form, **totp_qr_context(totp_enrolment_device(user=user))}
    return render(request, "identity/totp_add.html", context)
