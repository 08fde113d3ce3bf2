"""回访: the callbacks due after a reply; the agent records 满意 / 基本满意 / 不满意 / 未联系上 and a comment.
不满意 reopens the appeal once (loop.record_callback decides)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound
from digigov.hotline.forms import CallbackForm
from digigov.hotline.models import AppealStatus, Satisfaction
from digigov.hotline.selectors import callback_get_for_actor, caller_view, pending_callbacks
from digigov.hotline.services import loop
from digigov.hotline.services.caller import CallerContact, caller_contact_reveal
from digigov.hotline.views.common import PAGE_SIZE, hotline_links
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access


def _render(
    request: HttpRequest,
    user: User,
    failed: tuple[int, CallbackForm] | None = None,
    page_number: str | None = None,
    revealed: tuple[int, CallerContact] | None = None,
) -> HttpResponse:
    page = Paginator(pending_callbacks(user).select_related("appeal__department"), PAGE_SIZE).get_page(page_number)
    rows = [
        {
            "task": task,
            "caller": caller_view(user, task.appeal),
            "contact": revealed[1] if revealed and revealed[0] == task.pk else None,
            "form": failed[1] if failed and failed[0] == task.pk else CallbackForm(prefix=f"cb{task.pk}"),
        }
        for task in page.object_list
    ]
    return render(request, "hotline/console/callbacks.html", {"page": page, "rows": rows, "links": hotline_links(user)})


@access(Perm.HOTLINE_CALLBACK)
@require_GET
def callback_list(request: HttpRequest) -> HttpResponse:
    return _render(request, current_user(request), page_number=request.GET.get("page"))


@access(Perm.HOTLINE_CALLBACK)
@require_POST
def callback_reveal(request: HttpRequest, task_id: int) -> HttpResponse:
    """Shows this task's full number once, in this response only (audited), for the agent placing the call."""
    user = current_user(request)
    try:
        task = callback_get_for_actor(user, task_id)
        contact = caller_contact_reveal(actor=user, task=task)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("hotline_console:callbacks")
    return _render(request, user, page_number=request.POST.get("page"), revealed=(task.pk, contact))


@access(Perm.HOTLINE_CALLBACK)
@require_POST
def callback_record(request: HttpRequest, task_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        task = callback_get_for_actor(user, task_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = CallbackForm(request.POST, prefix=f"cb{task.pk}")
    if not form.is_valid():
        return _render(request, user, failed=(task.pk, form))
    try:
        loop.record_callback(
            actor=user, task=task, result=form.cleaned_data["result"], comment=form.cleaned_data["comment"]
        )
    except Conflict as error:
        messages.error(request, error.message)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        apply_domain_error(form, error)
        return _render(request, user, failed=(task.pk, form))
    else:
        appeal = task.appeal
        appeal.refresh_from_db()
        outcome = Satisfaction(form.cleaned_data["result"]).label
        after = {AppealStatus.CLOSED: "，工单已办结", AppealStatus.SIGNED: "，工单已退回承办单位重新办理"}.get(
            AppealStatus(appeal.status), ""
        )
        messages.success(request, f"工单 {appeal.number} 回访结果：{outcome}{after}")
    return redirect("hotline_console:callbacks")
