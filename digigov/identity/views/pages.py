"""The citizen portal, the staff console and the 适老化 switch."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError
from digigov.identity.current import current_user
from digigov.identity.forms import EnterpriseRegisterForm, apply_domain_error
from digigov.identity.models import UserKind
from digigov.identity.permissions import Perm
from digigov.identity.policies import Access, access
from digigov.identity.scope import has_perm
from digigov.identity.selectors import (
    agencies_of,
    agent_invitations_of,
    enterprise_region_choices,
    grants_of,
    visible_staff,
)
from digigov.identity.services.people import enterprise_register
from digigov.identity.services.staff import user_set_elder_mode
from digigov.identity.views.inbox import inbox_context

ELDER_SESSION_KEY = "elder_mode"


@access(Access.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("identity:console" if current_user(request).kind == UserKind.STAFF else "identity:portal")
    return render(request, "identity/landing.html")


@access(Access.CITIZEN)
def portal(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "identity/portal.html",
        {
            "citizen": user.citizen,
            "agencies": agencies_of(user),
            "invitations": agent_invitations_of(user),
        },
    )


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def enterprise_new(request: HttpRequest) -> HttpResponse:
    form = EnterpriseRegisterForm(request.POST or None)
    choices = [("", "请选择"), *enterprise_region_choices()]
    form.fields["region_code"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            enterprise_register(actor=current_user(request), **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "企业登记成功，您已成为该企业的法定代表人账号")
            return redirect("identity:portal")
    return render(request, "identity/enterprise_new.html", {"form": form})


@access(Access.STAFF)
def console(request: HttpRequest) -> HttpResponse:
    """The console home opens on the inbox: the first page of 待办, then the post and its grants."""
    user = current_user(request)
    return render(
        request,
        "identity/console.html",
        {
            **inbox_context(user),
            "staff": user.staff,
            "grants": grants_of(user),
            "can_view_staff": has_perm(user, Perm.VIEW_STAFF),
            "can_view_audit": has_perm(user, Perm.AUDIT_VIEW),
        },
    )


@access(Perm.VIEW_STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = visible_staff(current_user(request)).select_related("user", "department", "region")[:200]
    context = {"staff": staff, "can_manage": has_perm(current_user(request), Perm.MANAGE_STAFF), "now": timezone.now()}
    return render(request, "identity/staff_list.html", context)


@access(Access.PUBLIC)
@require_POST
def elder_mode_toggle(request: HttpRequest) -> HttpResponse:
    """One click switches 适老化 mode; it is remembered on the account, or in the session before login."""
    if request.user.is_authenticated:
        user_set_elder_mode(actor=current_user(request), enabled=not current_user(request).elder_mode)
    else:
        request.session[ELDER_SESSION_KEY] = not request.session.get(ELDER_SESSION_KEY, False)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)
