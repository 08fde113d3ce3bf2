"""差评整改: the rectification tasks a 差评 opened for my department — read the rating, answer, then close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.onestop.forms_console import RectificationAnswerForm
from digigov.onestop.models import RectificationStatus, RectificationTask
from digigov.onestop.models.ratings import SCORE_LABELS
from digigov.onestop.selectors import rectification_get_for_actor, visible_rectifications
from digigov.onestop.services.ratings import rectification_answer, rectification_close

INDICATORS = (
    ("efficiency", "办事效率"),
    ("guide_accuracy", "办事指南精确度"),
    ("convenience", "办事便捷度"),
    ("usability", "平台操作性"),
)


def _get(user: User, task_id: int) -> RectificationTask:
    try:
        return rectification_get_for_actor(user, task_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _scores(task: RectificationTask) -> list[dict[str, Any]]:
    rating = task.rating
    rows = []
    for field, label in INDICATORS:
        score = int(getattr(rating, field))
        rows.append({"label": label, "score": score, "text": SCORE_LABELS.get(score, ""), "bad": score <= 2})
    return rows


@access(Perm.ANSWER_RECTIFICATION)
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    tasks = visible_rectifications(current_user(request))
    if status in RectificationStatus.values:
        tasks = tasks.filter(status=status)
    else:
        status = ""
    page = Paginator(tasks.order_by("status", "due_date", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "services/console/rectification_list.html",
        {"page": page, "status": status, "statuses": RectificationStatus.choices},
    )


def _render_detail(request: HttpRequest, task: RectificationTask, form: RectificationAnswerForm | None = None) -> Any:
    if form is None:
        form = RectificationAnswerForm(initial={"answer": task.answer})
    return render(
        request,
        "services/console/rectification_detail.html",
        {
            "task": task,
            "rating": task.rating,
            "application": task.rating.application,
            "scores": _scores(task),
            "form": form,
            "can_answer": task.status == RectificationStatus.OPEN,
            "can_close": task.status == RectificationStatus.ANSWERED,
        },
    )


@access(Perm.ANSWER_RECTIFICATION)
@require_GET
def rectification_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _render_detail(request, _get(current_user(request), task_id))


@access(Perm.ANSWER_RECTIFICATION)
@require_POST
def rectification_answer_view(request: HttpRequest, task_id: int) -> HttpResponse:
    user = current_user(request)
    task = _get(user, task_id)
    form = RectificationAnswerForm(request.POST)
    if form.is_valid():
        try:
            rectification_answer(actor=user, task=task, answer=form.cleaned_data["answer"])
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("services:console_rectification", task_id=task.pk)
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        except NotFound as error:
            raise Http404(error.message) from error
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "整改答复已保存，现在可以办结本整改任务")
            return redirect("services:console_rectification", task_id=task.pk)
    return _render_detail(request, _get(user, task_id), form)


@access(Perm.ANSWER_RECTIFICATION)
@require_POST
def rectification_close_view(request: HttpRequest, task_id: int) -> HttpResponse:
    user = current_user(request)
    task = _get(user, task_id)
    try:
        rectification_close(actor=user, task=task)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "整改任务已办结")
    return redirect("services:console_rectification", task_id=task.pk)
