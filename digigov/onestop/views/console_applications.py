"""One application in the staff console: its form, materials, history, 秒批 evidence, and exactly the actions
this user may take in its current status (the state machine says which exist, onestop.policy.can
who may take them). Each action is a POST; the services decide and audit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from digigov.core.downloads import attachment_response
from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound
from digigov.core.form_schema import validate_form_schema
from digigov.core.workflow import available_steps
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.policies import Access, access
from digigov.onestop import policy
from digigov.onestop.forms_console import ActionForm
from digigov.onestop.models import Application
from digigov.onestop.rules import OPERATORS
from digigov.onestop.selectors import (
    application_get_for_actor,
    application_history,
    application_material,
    application_materials,
)
from digigov.onestop.services import applications as svc
from digigov.onestop.services.materials import material_download_record
from digigov.onestop.workflow import application_workflow


@dataclass(frozen=True)
class ActionDef:
    code: str
    label: str
    needs_reason: bool = False
    has_comment: bool = False
    style: str = ""  # "primary" for the usual next step, "danger" for a refusal
    done: str = ""  # the message after it succeeded


ACTIONS: tuple[ActionDef, ...] = (
    ActionDef("accept", "受理", style="primary", done="已受理，承诺时限开始计算"),
    ActionDef("start_review", "开始审查", style="primary", done="已进入审查"),
    ActionDef("approve", "准予许可", has_comment=True, style="primary", done="已作出准予许可决定"),
    ActionDef("complete", "办结", style="primary", done="已办结，申请人可以评价"),
    ActionDef("request_correction", "补正告知", needs_reason=True, done="已发出补正告知，时限暂停计算"),
    ActionDef("reject", "不予受理", needs_reason=True, style="danger", done="已作出不予受理决定"),
    ActionDef("refuse", "不予许可", needs_reason=True, style="danger", done="已作出不予许可决定"),
)
ACTION_BY_CODE = {a.code: a for a in ACTIONS}

_SERVICES: dict[str, Callable[[User, Application, dict[str, Any]], Application]] = {
    "accept": lambda u, a, d: svc.application_accept(actor=u, application=a),
    "reject": lambda u, a, d: svc.application_reject(actor=u, application=a, reason=d["reason"]),
    "request_correction": lambda u, a, d: svc.application_request_correction(
        actor=u, application=a, reason=d["reason"]
    ),
    "start_review": lambda u, a, d: svc.application_start_review(actor=u, application=a),
    "approve": lambda u, a, d: svc.application_approve(actor=u, application=a, comment=d.get("comment", "")),
    "refuse": lambda u, a, d: svc.application_refuse(actor=u, application=a, reason=d["reason"]),
    "complete": lambda u, a, d: svc.application_complete(actor=u, application=a),
}


def available_actions(user: User, app: Application) -> list[ActionDef]:
    """The actions that exist in the application's status and that this user's grants allow."""
    allowed = {step.name for step in available_steps(application_workflow, user, app)}
    return [a for a in ACTIONS if a.code in allowed]


def _get(user: User, application_id: int) -> Application:
    try:
        return application_get_for_actor(user, application_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return str(value)


def _form_rows(app: Application) -> list[tuple[str, str]]:
    data = dict(app.form_data or {})
    rows: list[tuple[str, str]] = []
    try:
        specs = validate_form_schema(app.item.form_fields)
    except DomainError:
        specs = []
    for spec in specs:
        if spec.name in data:
            rows.append((spec.label, _shown(data.pop(spec.name))))
    rows.extend((name, _shown(value)) for name, value in data.items())  # fields the item no longer has
    return rows


def _material_rows(app: Application) -> list[dict[str, Any]]:
    provided = {m.material_id: m for m in application_materials(app)}
    rows = []
    for material in app.item.materials.all():
        rows.append({"material": material, "file": provided.pop(material.pk, None)})
    rows.extend({"material": stored.material, "file": stored} for stored in provided.values())
    return rows


def _evidence(app: Application) -> dict[str, Any] | None:
    raw = app.auto_approval_evidence
    if not isinstance(raw, dict) or not raw:
        return None
    rows = []
    for entry in raw.get("evidence") or []:
        if not isinstance(entry, dict):
            continue
        operator = OPERATORS.get(str(entry.get("op")))
        expected = entry.get("expected")
        rows.append(
            {
                "fact": entry.get("fact", "?"),
                "condition": f"{operator.label_zh if operator else entry.get('op', '?')}"
                + ("" if operator is not None and operator.operand == "none" else f" {_shown(expected)}"),
                "actual": _shown(entry.get("actual")),
                "held": entry.get("held") is True,
                "note": entry.get("note", ""),
            }
        )
    return {"approved": raw.get("approved") is True, "reason": raw.get("reason", ""), "at": raw.get("at"), "rows": rows}


def _render_detail(
    request: HttpRequest, user: User, app: Application, failed: tuple[str, ActionForm] | None = None
) -> HttpResponse:
    actions = []
    for action in available_actions(user, app):
        form = failed[1] if failed and failed[0] == action.code else ActionForm(initial={"action": action.code})
        actions.append({"def": action, "form": form, "open": bool(failed and failed[0] == action.code)})
    history = application_history(app)
    return render(
        request,
        "services/console/application_detail.html",
        {
            "app": app,
            "applicant": app.applicant.display_name or app.applicant.username,
            "form_rows": _form_rows(app),
            "material_rows": _material_rows(app),
            "history": history,
            "evidence": _evidence(app),
            "actions": actions,
            "status_label": app.get_status_display(),
            "can_edit_item": policy.can(user, policy.Action.MAINTAIN_CATALOGUE, app.item),
        },
    )


@access(Access.STAFF)
@require_GET
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = current_user(request)
    return _render_detail(request, user, _get(user, application_id))


@access(Access.STAFF)
@require_POST
def application_act(request: HttpRequest, application_id: int) -> HttpResponse:
    user = current_user(request)
    app = _get(user, application_id)
    form = ActionForm(request.POST)
    action = ACTION_BY_CODE.get(request.POST.get("action", ""))
    if action is None:
        raise Http404("没有这个操作")
    if not form.is_valid():
        if "status" in form.errors or "action" in form.errors:
            raise Http404("没有这个操作")
        return _render_detail(request, user, app, failed=(action.code, form))
    data = form.cleaned_data
    if data["status"] != app.status:
        messages.error(
            request,
            f"该办件已被其他工作人员处理，当前状态为「{app.get_status_display()}」，请查看最新情况后再操作",
        )
        return redirect("services:console_application", application_id=app.pk)
    try:
        _SERVICES[action.code](user, app, data)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("services:console_application", application_id=app.pk)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        apply_domain_error(form, error)
        return _render_detail(request, user, _get(user, application_id), failed=(action.code, form))
    messages.success(request, f"办件 {app.number}：{action.done}")
    return redirect("services:console_application", application_id=app.pk)


@access(Access.STAFF)
@require_GET
def material_download(request: HttpRequest, application_id: int, material_id: int) -> HttpResponseBase:
    """Streams one uploaded material as an attachment, after the same scope check as the detail page; the
    storage path never appears in a page or a header."""
    app = _get(current_user(request), application_id)
    stored = application_material(app, material_id)
    if stored is None or not stored.file:
        raise Http404("材料不存在")
    stored_name = stored.file.name or ""
    extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else "bin"
    filename = stored.original_name or f"{stored.material.name}.{extension}"
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("材料文件已不存在") from exc
    material_download_record(actor=current_user(request), stored=stored)
    return attachment_response(handle, filename)
