"""热线配置 (HOTLINE_MANAGE, city-wide): time limits per appeal type, the channel registry, the routing model's
versions and the Open311 clients' keys. Four tabs; every change goes through its service (audited):
reference.deadline_policy_set / channel_upsert, services.routing_models.activate_version, services.open311_clients."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from digigov.core.errors import Conflict, DomainError, NotFound
from digigov.hotline import policy
from digigov.hotline.forms import ChannelToggleForm, DeadlinePolicyForm, ModelVersionForm, Open311ClientForm
from digigov.hotline.models import AppealType
from digigov.hotline.selectors_settings import (
    all_channels,
    channel_get,
    deadline_rows,
    open311_client_get,
    open311_clients,
    routing_versions,
)
from digigov.hotline.services import reference
from digigov.hotline.services.open311_clients import open311_client_create, open311_client_revoke
from digigov.hotline.views.common import hotline_links
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access

# Where a routing model's training examples came from (RoutingModelVersion.trained_on keys).
TRAINING_SOURCES: dict[str, str] = {
    "messages_train": "标注留言",
    "gold": "标注留言",
    "label_dispatcher": "派单员更正",
    "label_confirmed": "办结确认",
    "pool": "未标注留言",
    "pseudo_labelled": "其中自训练采用",
    "taxonomy": "分类名称",
}


def _manager(request: HttpRequest) -> User:
    user = current_user(request)
    if not policy.can(user, policy.Action.MANAGE_SETTINGS):  # what to show; the services refuse too
        raise PermissionDenied("热线配置对全市生效，需要全市范围的热线配置权限")
    return user


def _render(request: HttpRequest, user: User, tab: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request, f"hotline/console/settings_{tab}.html", {**context, "tab": tab, "links": hotline_links(user)}
    )


# --- time limits ------------------------------------------------------------------------------------------


def _deadline_page(
    request: HttpRequest, user: User, failed: tuple[str, DeadlinePolicyForm] | None = None
) -> HttpResponse:
    rows = []
    for row in deadline_rows():
        code = row.appeal_type.value
        form = (
            failed[1]
            if failed and failed[0] == code
            else DeadlinePolicyForm(
                prefix=code,
                initial={
                    "sign_working_hours": row.limits.sign_working_hours,
                    "handle_working_days": row.limits.handle_working_days,
                    "callback_working_days": row.limits.callback_working_days,
                },
            )
        )
        rows.append({"row": row, "form": form})
    return _render(request, user, "deadlines", {"rows": rows})


@access(Perm.HOTLINE_MANAGE)
@require_GET
def settings_deadlines(request: HttpRequest) -> HttpResponse:
    return _deadline_page(request, _manager(request))


@access(Perm.HOTLINE_MANAGE)
@require_POST
def settings_deadline_set(request: HttpRequest, appeal_type: str) -> HttpResponse:
    user = _manager(request)
    if appeal_type not in AppealType.values:
        raise Http404("没有这种诉求类型")
    form = DeadlinePolicyForm(request.POST, prefix=appeal_type)
    if form.is_valid():
        try:
            reference.deadline_policy_set(actor=user, appeal_type=appeal_type, **form.cleaned_data)
        except DomainError as error:
            for field, message in error.fields.items():  # each limit's own range, on its field
                form.add_error(field if field in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            label = AppealType(appeal_type).label
            messages.success(request, f"「{label}」类诉求的办理时限已保存，自下一件受理的诉求起按新时限计算")
            return redirect("hotline_console:settings")
    return _deadline_page(request, user, failed=(appeal_type, form))


# --- channels ---------------------------------------------------------------------------------------------


@access(Perm.HOTLINE_MANAGE)
@require_GET
def settings_channels(request: HttpRequest) -> HttpResponse:
    return _render(request, _manager(request), "channels", {"channels": all_channels()})


@access(Perm.HOTLINE_MANAGE)
@require_POST
def settings_channel_set(request: HttpRequest, code: str) -> HttpResponse:
    user = _manager(request)
    try:
        channel = channel_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ChannelToggleForm(request.POST)
    if not form.is_valid():
        raise Http404("没有这个操作")
    active = bool(form.cleaned_data["is_active"])
    reference.channel_upsert(
        actor=user, code=channel.code, name=channel.name, agent_entered=channel.agent_entered, is_active=active
    )
    state = "已启用" if active else "已停用，该渠道提交的诉求将被拒绝受理"
    messages.success(request, f"受理渠道「{channel.name}」{state}")
    return redirect("hotline_console:settings_channels")


# --- routing model versions -------------------------------------------------------------------------------


@access(Perm.HOTLINE_MANAGE)
@require_GET
def settings_routing(request: HttpRequest) -> HttpResponse:
    versions = [
        {"v": v, "trained_on": [(TRAINING_SOURCES.get(source, source), n) for source, n in v.trained_on]}
        for v in routing_versions()
    ]
    return _render(request, _manager(request), "routing", {"versions": versions})


@access(Perm.HOTLINE_MANAGE)
@require_POST
def settings_routing_activate(request: HttpRequest) -> HttpResponse:
    from digigov.hotline.routing.files import ModelFileError  # late: loads numpy/scikit-learn only when used
    from digigov.hotline.services.routing_models import activate_version

    user = _manager(request)
    form = ModelVersionForm(request.POST)
    if not form.is_valid():
        raise Http404("模型版本不存在")
    version = int(form.cleaned_data["version"])
    try:
        row = activate_version(actor=user, version=version)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ModelFileError:
        messages.error(request, f"模型 v{version} 的文件缺失或与登记的 SM3 摘要不符，不能启用")
    else:
        messages.success(request, f"已启用分拨模型 v{row.version}，自下一件诉求起按此版本分拨")
    return redirect("hotline_console:settings_routing")


# --- Open311 clients --------------------------------------------------------------------------------------


def _open311_page(request: HttpRequest, user: User, **context: Any) -> HttpResponse:
    context.setdefault("form", Open311ClientForm())
    response = _render(request, user, "open311", {"clients": open311_clients(), **context})
    add_never_cache_headers(response)  # a new key is in this response only
    return response


@access(Perm.HOTLINE_MANAGE)
@require_GET
def settings_open311(request: HttpRequest) -> HttpResponse:
    return _open311_page(request, _manager(request))


@access(Perm.HOTLINE_MANAGE)
@require_POST
def settings_open311_create(request: HttpRequest) -> HttpResponse:
    """The new key is shown in this response only; afterwards the list shows its first characters."""
    user = _manager(request)
    form = Open311ClientForm(request.POST)
    if form.is_valid():
        try:
            client, key = open311_client_create(actor=user, name=form.cleaned_data["name"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _open311_page(request, user, new_client=client, new_key=key)
    return _open311_page(request, user, form=form)


@access(Perm.HOTLINE_MANAGE)
@require_POST
def settings_open311_revoke(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _manager(request)
    try:
        client = open311_client_get(client_id)
        open311_client_revoke(actor=user, client=client)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已吊销接入方「{client.name}」的密钥，该密钥即刻失效")
    return redirect("hotline_console:settings_open311")
