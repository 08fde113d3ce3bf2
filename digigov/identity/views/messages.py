"""The message centre's pages for every signed-in person (citizens, enterprise clerks, staff): the list, read
marks, and which channels each kind of message uses. Each person sees only their own messages; a message's link
leads to a page that checks access again."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError, NotFound
from digigov.core.messages.selectors import ORDERS, message_get_for_actor, message_preferences_of, messages_of
from digigov.core.messages.services import message_preferences_set, messages_mark_all_read, messages_mark_read
from digigov.identity.current import current_user
from digigov.identity.policies import Access, access

MESSAGES_PER_PAGE = 20


def _order(request: HttpRequest) -> str:
    order = request.GET.get("order") or request.POST.get("order") or "unread"
    return order if order in ORDERS else "unread"


@access(Access.AUTHENTICATED)
@require_http_methods(["GET", "HEAD"])
def message_list(request: HttpRequest) -> HttpResponse:
    user, order = current_user(request), _order(request)
    page = Paginator(messages_of(user, order=order), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "identity/messages.html", {"page": page, "order": order, "orders": ORDERS})


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    query = f"?order={_order(request)}" + (f"&page={page}" if page.isdigit() else "")
    return redirect(f"/messages/{query}")


@access(Access.AUTHENTICATED)
@require_POST
def message_read(request: HttpRequest, message_id: int) -> HttpResponse:
    """Mark one message read; with `open`, go on to the page it links to (which checks access itself)."""
    user = current_user(request)
    try:
        message = message_get_for_actor(user, message_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages_mark_read(actor=user, ids=[message.pk])
    if request.POST.get("open") and message.link:
        return redirect(message.link)
    return _back(request)


@access(Access.AUTHENTICATED)
@require_POST
def message_read_all(request: HttpRequest) -> HttpResponse:
    count = messages_mark_all_read(actor=current_user(request))
    flash.success(request, f"已将 {count} 条消息标记为已读" if count else "没有未读消息")
    return _back(request)


@access(Access.AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def message_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    choices = message_preferences_of(user)
    if request.method == "POST":
        wanted = {
            choice.code: [code for code, _, _ in choice.offered if request.POST.get(f"{choice.code}:{code}")]
            for choice in choices
            if choice.optional
        }
        try:
            message_preferences_set(actor=user, choices=wanted)
        except DomainError as error:
            flash.error(request, error.message)
        else:
            flash.success(request, "消息接收设置已保存")
            return redirect("identity:message_settings")
    return render(
        request, "identity/message_settings.html", {"choices": choices, "is_staff": user.kind == "staff"}
    )
