"""The dispatcher's pages (派单员): appeals waiting for a person (low confidence, no model, 退单) with the model's
suggestions, pending extension requests to approve or refuse, and the overdue list to press (督办)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound
from digigov.hotline.forms import ExtensionDecisionForm, NoteForm
from digigov.hotline.models import AppealCard
from digigov.hotline.selectors import (
    centre_open_appeals,
    dispatcher_queue,
    extension_get_for_actor,
    latest_returns,
    level1_nodes,
    pending_extensions,
)
from digigov.hotline.services import loop
from digigov.hotline.views.common import PAGE_SIZE, hotline_links, next_or, suggestion_views
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.current import current_user
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access


def _counts(user: User) -> dict[str, int]:
    return {
        "queue": dispatcher_queue(user).count(),
        "extensions": pending_extensions(user).count(),
        "overdue": overdue_appeals(user).count(),
    }


def overdue_appeals(user: User) -> Any:
    now = timezone.now()
    late = appeal_workflow.card_q(AppealCard.RED, now) | appeal_workflow.card_q(AppealCard.YELLOW, now)
    return centre_open_appeals(user).filter(late)


def _render(request: HttpRequest, user: User, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, "counts": _counts(user), "links": hotline_links(user)})


@access(Perm.HOTLINE_DISPATCH)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """待派单: oldest first, with why each waits (退单 and its reason, low confidence, no model) and the top
    suggestions with their departments; a quick button dispatches to the top suggestion."""
    user = current_user(request)
    page = Paginator(dispatcher_queue(user).select_related("category"), PAGE_SIZE).get_page(request.GET.get("page"))
    appeals = list(page.object_list)
    returned = latest_returns(appeals)
    labels = {str(s.get("label")) for a in appeals for s in (a.suggestions or [])[:3] if isinstance(s, dict)}
    nodes = level1_nodes(labels)
    rows = [
        {
            "appeal": a,
            "suggestions": suggestion_views(a.suggestions or [], nodes=nodes),
            "returned": returned.get(a.pk),
            "similar": len(a.similar_appeals or []),
        }
        for a in appeals
    ]
    return _render(request, user, "hotline/console/queue.html", {"page": page, "rows": rows, "tab": "queue"})


@access(Perm.HOTLINE_DISPATCH)
@require_GET
def extensions(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(pending_extensions(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, user, "hotline/console/extensions.html", {"page": page, "tab": "extensions", "form": None})


@access(Perm.HOTLINE_DISPATCH)
@require_POST
def extension_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        extension = extension_get_for_actor(user, request_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        raise Http404("没有这个操作")
    approve = bool(form.cleaned_data["approve"])
    try:
        loop.decide_extension(actor=user, request=extension, approve=approve, note=form.cleaned_data["note"])
    except Conflict as error:
        messages.error(request, error.message)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        page = Paginator(pending_extensions(user), PAGE_SIZE).get_page(1)
        return _render(
            request,
            user,
            "hotline/console/extensions.html",
            {"page": page, "tab": "extensions", "form": form, "error": error.message, "failed_id": extension.pk},
        )
    else:
        verdict = "已批准延期" if approve else "已不批准延期"
        messages.success(request, f"工单 {extension.appeal.number}：{verdict}")
    return next_or(request, reverse("hotline_console:extensions"))


@access(Perm.HOTLINE_DISPATCH)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """超期督办: red cards first, then yellow, soonest due first; 督办 once more from here."""
    user = current_user(request)
    rows = overdue_appeals(user).annotate(
        red_first=Case(When(due_at__lte=timezone.now(), then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    ordered = rows.order_by("red_first", "sign_due_at", "reply_due_at", "id")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        user,
        "hotline/console/overdue.html",
        {"page": page, "tab": "overdue", "note_form": NoteForm(initial={"note": "已超期，请加快办理并按时答复来电人"})},
    )
