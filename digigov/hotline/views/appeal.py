"""One appeal: everything this user may see of it (the caller through selectors.caller_view, masked or hidden
when 保密), its routing, deadlines and card, similar appeals, the timeline, callbacks and extensions, and the
actions this user may take now. Each action is a POST to appeal_act, which calls the loop's service; a
DomainError is shown on the action's form in Chinese, a Conflict as a message, a Forbidden as the 403 page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from digigov.core.downloads import attachment_response
from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from digigov.hotline.analytics.knowledge import search_knowledge
from digigov.hotline.forms import (
    ExtensionForm,
    KnowledgeCloseForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    RoutingForm,
)
from digigov.hotline.models import Appeal, AppealStatus, RoutedBy, Satisfaction
from digigov.hotline.selectors import (
    active_category,
    appeal_attachment,
    appeal_callbacks,
    appeal_extensions,
    appeal_timeline,
    caller_view,
    knowledge_entry_get,
    visible_appeals,
)
from digigov.hotline.services import loop
from digigov.hotline.services.caller import attachment_download_record
from digigov.hotline.views import routing
from digigov.hotline.views.actions import AppealActions, appeal_actions
from digigov.hotline.views.common import EVENT_LABELS, appeal_or_404, hotline_links, next_or, suggestion_views
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.policies import Access, access
from digigov.identity.selectors import department_by_id, region_by_code


@dataclass(frozen=True)
class Step:
    """One action of the appeal page: its form, whether this user may take it now, the service call."""

    form: type[forms.Form] | None
    allowed: Callable[[AppealActions], bool]
    run: Callable[[User, Appeal, dict[str, Any]], object]
    done: str


def _dispatch(user: User, appeal: Appeal, data: dict[str, Any]) -> object:
    department = department_by_id(int(data["department"]))
    if department is None:
        raise Http404("承办部门不存在")
    region = region_by_code(data.get("handler_region") or "")
    return loop.dispatch(
        actor=user,
        appeal=appeal,
        department=department,
        category=active_category(data["category_code"]),
        handler_region=region,
        note=data.get("note", ""),
    )


def _knowledge(user: User, appeal: Appeal, data: dict[str, Any]) -> object:
    try:
        entry = knowledge_entry_get(int(data["entry"]))
    except NotFound as exc:
        raise ValidationFailed(exc.message, fields={"entry": exc.message}) from exc
    return loop.close_from_knowledge(actor=user, appeal=appeal, entry=entry)


STEPS: dict[str, Step] = {
    "dispatch": Step(RoutingForm, lambda a: a.dispatch, _dispatch, "已派单"),
    "sign": Step(None, lambda a: a.sign, lambda u, a, d: loop.sign(actor=u, appeal=a), "已签收，办理时限开始计算"),
    "return": Step(
        ReasonForm,
        lambda a: a.return_to_centre,
        lambda u, a, d: loop.return_to_centre(actor=u, appeal=a, reason=d["reason"]),
        "已退回热线中心重新派单",
    ),
    "reply": Step(
        ReplyForm, lambda a: a.reply, lambda u, a, d: loop.reply(actor=u, appeal=a, text=d["text"]), "已答复，等待回访"
    ),
    "extend": Step(
        ExtensionForm,
        lambda a: a.request_extension,
        lambda u, a, d: loop.request_extension(actor=u, appeal=a, working_days=d["working_days"], reason=d["reason"]),
        "已提交延期申请，等待热线中心审批",
    ),
    "escalate": Step(
        NoteForm, lambda a: a.escalate, lambda u, a, d: loop.escalate(actor=u, appeal=a, note=d["note"]), "已督办"
    ),
    "knowledge": Step(KnowledgeCloseForm, lambda a: a.answer_from_knowledge, _knowledge, "已按知识库答复并办结"),
}


def _similar(user: User, appeal: Appeal) -> list[dict[str, Any]]:
    """The similar appeals flagged at intake that this user may see, with their score."""
    scores = {int(s["id"]): s for s in appeal.similar_appeals or [] if isinstance(s, dict) and "id" in s}
    if not scores:
        return []
    rows = visible_appeals(user).filter(pk__in=list(scores)).exclude(pk=appeal.pk)
    return sorted(
        (
            {
                "appeal": other,
                "score": float(scores[other.pk].get("score") or 0),
                "reasons": scores[other.pk].get("reasons") or [],
                "mergeable": other.status in (AppealStatus.RECEIVED, AppealStatus.DISPATCHED, AppealStatus.SIGNED),
            }
            for other in rows
        ),
        key=lambda row: -row["score"],
    )


def _timeline(appeal: Appeal) -> list[dict[str, Any]]:
    events = appeal_timeline(appeal)
    return [
        {
            "event": e,
            "label": EVENT_LABELS.get(e.action, e.action),
            "who": (e.actor.display_name or e.actor.username) if e.actor else "系统",
            "to_label": AppealStatus(e.to_status).label if e.to_status in AppealStatus.values else "",
            "moved": bool(e.from_status) and e.from_status != e.to_status,
        }
        for e in events
    ]


def render_detail(
    request: HttpRequest, user: User, appeal: Appeal, failed: tuple[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    acts = appeal_actions(user, appeal)
    open_form = failed[0] if failed else ""

    def form_for(code: str, factory: Callable[[], forms.Form]) -> forms.Form:
        return failed[1] if failed and failed[0] == code else factory()

    routing_form = (
        form_for("dispatch", lambda: routing.build_form(routing.initial_choice(appeal))) if acts.dispatch else None
    )
    knowledge = search_knowledge(f"{appeal.subject} {appeal.text}") if acts.answer_from_knowledge else []
    context = {
        "appeal": appeal,
        "caller": caller_view(user, appeal),
        "suggestions": suggestion_views(appeal.suggestions or [], limit=5),
        "routed_by": RoutedBy(appeal.routed_by).label if appeal.routed_by else "",
        "similar": _similar(user, appeal),
        "attachments": list(appeal.attachments.all()),
        "master": visible_appeals(user).filter(pk=appeal.master_id).first() if appeal.master_id else None,
        "merged": list(visible_appeals(user).filter(master=appeal).order_by("id")),
        "timeline": _timeline(appeal),
        "callbacks": appeal_callbacks(appeal),
        "extensions": appeal_extensions(appeal),
        "acts": acts,
        "open_form": open_form,
        "routing": routing_form,
        "reason_form": form_for("return", ReasonForm),
        "reply_form": form_for("reply", ReplyForm),
        "extension_form": form_for("extend", ExtensionForm),
        "note_form": form_for("escalate", lambda: NoteForm(initial={"note": "请加快办理，按时答复来电人"})),
        "knowledge_form": form_for("knowledge", KnowledgeCloseForm),
        "knowledge": knowledge,
        "satisfaction_choices": Satisfaction.choices,
        "links": hotline_links(user),
    }
    return render(request, "hotline/console/appeal_detail.html", context, status=status)


@access(Access.STAFF)
@require_GET
def appeal_detail(request: HttpRequest, appeal_id: int) -> HttpResponse:
    user = current_user(request)
    return render_detail(request, user, appeal_or_404(user, appeal_id))


def _bound(step: Step, request: HttpRequest) -> forms.Form | None:
    if step.form is RoutingForm:
        return routing.build_form(routing.choice_from(request.POST), request.POST)
    return step.form(request.POST) if step.form is not None else None


def _cleaned(form: forms.Form | None) -> dict[str, Any]:
    if form is None:
        return {}
    data = dict(form.cleaned_data)
    if isinstance(form, RoutingForm):
        data["category_code"] = form.category_code()
    return data


def _run(
    request: HttpRequest, user: User, appeal: Appeal, action: str, form: forms.Form | None
) -> HttpResponse | None:
    """Take the step; None when done, else the page that says why not (a refusal is a 403)."""
    page = reverse("hotline_console:appeal", args=[appeal.pk])
    try:
        STEPS[action].run(user, appeal, _cleaned(form))
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(page)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(page)
        apply_domain_error(form, error)
        return render_detail(request, user, appeal_or_404(user, appeal.pk), failed=(action, form))
    return None


@access(Access.STAFF)
@require_POST
def appeal_act(request: HttpRequest, appeal_id: int, action: str) -> HttpResponse:
    """One step of the loop on one appeal. `status` is the status the page showed: if the appeal moved on
    meanwhile, nothing is applied to a state nobody saw."""
    user = current_user(request)
    appeal = appeal_or_404(user, appeal_id)
    step = STEPS.get(action)
    if step is None:
        raise Http404("没有这个操作")
    page = reverse("hotline_console:appeal", args=[appeal.pk])
    if request.POST.get("status") != appeal.status:
        messages.error(
            request, f"工单 {appeal.number} 已被他人处理，当前状态为「{appeal.get_status_display()}」，请核对后再操作"
        )
        return redirect(page)
    if not step.allowed(appeal_actions(user, appeal)):
        raise PermissionDenied("您不能对该工单执行此操作")
    form = _bound(step, request)
    if form is not None and not form.is_valid():
        return render_detail(request, user, appeal, failed=(action, form))
    refused = _run(request, user, appeal, action, form)
    if refused is not None:
        return refused
    messages.success(request, f"工单 {appeal.number}：{step.done}")
    if action == "return":  # no longer ours: back to the worklist
        return redirect("hotline_console:worklist")
    return next_or(request, page)


@access(Access.STAFF)
@require_POST
def appeal_merge(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """并案: merge one appeal under a master; both are this appeal or one of its similar appeals."""
    user = current_user(request)
    appeal = appeal_or_404(user, appeal_id)
    page = reverse("hotline_console:appeal", args=[appeal.pk])
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要并案的工单")
        return redirect(page)
    if not appeal_actions(user, appeal).merge:
        raise PermissionDenied("您不能对该工单并案")
    related = {appeal.pk} | {int(s["id"]) for s in appeal.similar_appeals or [] if isinstance(s, dict) and "id" in s}
    master_id, duplicate_id = form.cleaned_data["master"], form.cleaned_data["duplicate"]
    if not {master_id, duplicate_id} <= related or appeal.pk not in (master_id, duplicate_id):
        raise Http404("只能与本工单的相似工单并案")
    master, duplicate = appeal_or_404(user, master_id), appeal_or_404(user, duplicate_id)
    try:
        loop.merge(actor=user, master=master, duplicates=[duplicate])
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(page)
    messages.success(request, f"工单 {duplicate.number} 已并入 {master.number}，答复将同时送达两位来电人")
    return redirect("hotline_console:appeal", appeal_id=master.pk)


@access(Access.STAFF)
@require_GET
def attachment_download(request: HttpRequest, appeal_id: int, attachment_id: int) -> HttpResponseBase:
    """One photo or document of an appeal the user may see; audited; the storage path never leaves the server."""
    user = current_user(request)
    appeal = appeal_or_404(user, appeal_id)
    attachment = appeal_attachment(appeal, attachment_id)
    if attachment is None:
        raise Http404("附件不存在")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已不存在") from exc
    attachment_download_record(actor=user, attachment=attachment)
    return attachment_response(handle, attachment.original_name or "附件")
