"""A staff administrator helps a colleague back in: lift a lock, hand over a one-time password, reset the
authenticator. Every action needs a reason and is audited; the colleague is told."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from digigov.core.errors import DomainError, NotFound
from digigov.identity.forms import StaffSecurityActionForm, apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.identity.selectors import confirmed_totp_devices, staff_get_for_actor
from digigov.identity.services.account_admin import staff_password_reset, staff_totp_reset, staff_unlock

DONE = {"unlock": "已解除该账号的锁定", "totp": "已重置该账号的身份验证器，其下次登录时须重新绑定"}


@access(Perm.MANAGE_STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_security(request: HttpRequest, staff_id: int) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    try:
        staff = staff_get_for_actor(actor, staff_id)
    except NotFound as exc:
        raise Http404 from exc
    form = StaffSecurityActionForm(request.POST or None)
    one_time_password = ""
    if request.method == "POST" and form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action == "unlock":
                staff_unlock(actor=actor, staff=staff, reason=reason)
            elif action == "totp":
                staff_totp_reset(actor=actor, staff=staff, reason=reason)
            else:
                one_time_password = staff_password_reset(actor=actor, staff=staff, reason=reason)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if not one_time_password:
                messages.success(request, DONE[action])
                return redirect("identity:staff_security", staff_id=staff.pk)
    staff.user.refresh_from_db(fields=["locked_until"])
    locked = bool(staff.user.locked_until and staff.user.locked_until > timezone.now())
    response = render(
        request,
        "identity/staff_security.html",
        {
            "staff": staff,
            "locked": locked,
            "devices": confirmed_totp_devices(staff.user_id).count(),
            "form": form,
            "one_time_password": one_time_password,
        },
    )
    return response
