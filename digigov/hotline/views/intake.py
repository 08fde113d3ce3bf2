"""The agent's intake page (受理): the appeal form, with live suggestions while the text is typed.

As the agent types, htmx posts the form (debounced) to intake_suggest, which answers with the routing model's
top categories and their departments (assignment.decide), matching knowledge-base answers and similar open
appeals. Submitting files the appeal through intake.submit_appeal; a 咨询 answered from the knowledge base is
closed at once (loop.close_from_knowledge)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from digigov.core.errors import Conflict, DomainError
from digigov.core.uploads import FILES_LOST, MB, read_upload
from digigov.hotline.analytics.knowledge import search_knowledge
from digigov.hotline.analytics.queries import similar_open_appeals
from digigov.hotline.forms import IntakeForm
from digigov.hotline.models import Appeal, AppealStatus, AppealType
from digigov.hotline.selectors import active_channels, knowledge_entry_get, visible_appeals
from digigov.hotline.services import assignment, location, loop
from digigov.hotline.services.intake import ATTACHMENT_MAX_MB, MAX_ATTACHMENTS, MIN_TEXT, AppealInput, submit_appeal
from digigov.hotline.views.common import hotline_links, suggestion_views
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access


def _channels() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in active_channels().order_by("-agent_entered", "code")]


def _input(data: dict[str, Any], attachments: tuple[tuple[str, bytes], ...] = ()) -> AppealInput:
    return AppealInput(
        channel=data["channel"],
        appeal_type=data["appeal_type"],
        subject=data["subject"],
        text=data["text"],
        address=data.get("address") or "",
        caller_name=data.get("caller_name") or "",
        caller_phone=data.get("caller_phone") or "",
        confidential=bool(data.get("confidential")),
        idempotency_key=data.get("idempotency_key") or "",
        attachments=attachments,
    )


def _filed_message(appeal: Appeal) -> str:
    if appeal.status == AppealStatus.DISPATCHED and appeal.department is not None:
        return f"已登记工单 {appeal.number}，已自动派至{appeal.department.name}"
    return f"已登记工单 {appeal.number}，等待派单员派单"


def _answer(request: HttpRequest, user: User, appeal: Appeal, entry_id: int) -> None:
    """A 咨询 answered on the phone from the knowledge base: close it now. The appeal is filed either way."""
    try:
        loop.close_from_knowledge(actor=user, appeal=appeal, entry=knowledge_entry_get(entry_id))
    except DomainError as error:
        messages.error(request, f"工单 {appeal.number} 已登记，但未能按知识库办结：{error.message}")
    else:
        messages.success(request, f"已登记工单 {appeal.number}，并按知识库答复办结")


def _new_key(form: IntakeForm, error: Conflict, channels: list[tuple[str, str]]) -> IntakeForm:
    """The page's submission key was used by another appeal (the page was submitted, then edited): draw the
    form again with a fresh key and say so, so the agent's next click files this one."""
    data = dict(form.data.items())
    data["idempotency_key"] = f"intake-{uuid.uuid4().hex}"
    fresh = IntakeForm(data, channel_choices=channels)
    fresh.is_valid()
    fresh.add_error(None, f"{error.message}：本页已提交过一次，请核对内容后再次提交（将登记为新工单）")
    return fresh


def _apply_intake_error(form: IntakeForm, error: DomainError) -> str:
    """Show a refused intake's errors on the form; an attachment's error is returned, for beside the file input."""
    if not {"file", "attachments"} & set(error.fields):
        apply_domain_error(form, error)
        return ""
    others = {k: v for k, v in error.fields.items() if k not in ("file", "attachments")}
    if others:
        apply_domain_error(form, type(error)(error.message, fields=others))
    return error.fields.get("attachments") or error.message


def _filed(request: HttpRequest, user: User, appeal: Appeal, entry: int | None) -> HttpResponse:
    """After intake: a consultation answered from the knowledge base is closed at once; the rest go on."""
    if entry and appeal.appeal_type == AppealType.CONSULTATION and appeal.status == AppealStatus.RECEIVED:
        _answer(request, user, appeal, entry)
    else:
        messages.success(request, _filed_message(appeal))
        if entry:
            messages.warning(request, "只有尚未派单的咨询可以按知识库直接办结，本工单按正常流程办理")
    return redirect("hotline_console:appeal", appeal_id=appeal.pk)


@access(Perm.HOTLINE_INTAKE)
def intake(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    channels = _channels()
    form = IntakeForm(request.POST or None, channel_choices=channels)
    attachment_error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Read at most one byte over the limit: check_upload then refuses it by size with its own message.
        files = tuple(
            (f.name or "", read_upload(f, ATTACHMENT_MAX_MB * MB))
            for f in request.FILES.getlist("attachments")[: MAX_ATTACHMENTS + 1]
        )
        try:
            appeal = submit_appeal(actor=user, data=_input(data, files))
        except Conflict as error:
            if "idempotency_key" in error.fields:
                form = _new_key(form, error, channels)
            else:
                apply_domain_error(form, error)
        except DomainError as error:
            attachment_error = _apply_intake_error(form, error)
        else:
            return _filed(request, user, appeal, data.get("answer_entry"))
    if request.method == "POST" and request.FILES and not attachment_error:
        attachment_error = FILES_LOST  # the page is drawn again: the browser does not keep the chosen files
    return render(
        request,
        "hotline/console/intake.html",
        {
            "form": form,
            "links": hotline_links(user),
            "panel": _panel_context(user, form) if form.is_bound else None,
            "attachment_error": attachment_error,
        },
    )


def _panel_context(user: User, form: IntakeForm) -> dict[str, Any] | None:
    data = form.data
    return suggestions_for(
        user,
        subject=str(data.get("subject", "")),
        text=str(data.get("text", "")),
        address=str(data.get("address", "")),
        appeal_type=str(data.get("appeal_type", "")),
    )


def suggestions_for(user: User, *, subject: str, text: str, address: str, appeal_type: str) -> dict[str, Any]:
    """What the suggestion panel shows for the text so far."""
    subject, text = subject.strip()[:100], text.strip()[:5000]
    if len(text) < MIN_TEXT:
        return {"waiting": True, "min_text": MIN_TEXT}
    decision = assignment.decide(subject, text)
    model_ready = decision.model_version is not None
    region = location.locate(address) if address.strip() else location.city_region()
    similar = similar_open_appeals(subject=subject, text=text, address=address, region=region, now=timezone.now())
    pairs = [(int(s["id"]), s) for s in similar if isinstance(s, dict) and "id" in s]
    found = {a.pk: a for a in visible_appeals(user).filter(pk__in=[i for i, _ in pairs])} if pairs else {}
    return {
        "waiting": False,
        "model_ready": model_ready,
        "model_version": decision.model_version if decision else None,
        "automatic": bool(decision and decision.automatic),
        "suggestions": suggestion_views(decision.suggestions if decision else []),
        "knowledge": search_knowledge(f"{subject} {text}"),
        "similar": [{"appeal": found[i], "score": float(s.get("score") or 0)} for i, s in pairs if i in found],
        "consultation": appeal_type == AppealType.CONSULTATION,
    }


@access(Perm.HOTLINE_INTAKE)
@require_POST
def intake_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the suggestion panel for what has been typed so far (nothing is stored)."""
    panel = suggestions_for(
        current_user(request),
        subject=request.POST.get("subject", ""),
        text=request.POST.get("text", ""),
        address=request.POST.get("address", ""),
        appeal_type=request.POST.get("appeal_type", ""),
    )
    return render(request, "hotline/console/_suggestions.html", {"panel": panel})
