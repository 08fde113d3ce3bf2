"""The staff inbox pages: /console/inbox/ (待办 / 待阅 / 已办) and marking a 待阅 task read.

The rows come from digigov.core.inbox.selectors; the actor's grants reach it through the provider that
identity/inbox.py registers, so the page and the header count see exactly what the scope allows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from digigov.core.errors import NotFound
from digigov.core.inbox.registry import registered_kinds
from digigov.core.inbox.selectors import BOXES, CARD_LABELS, inbox_card_counts, inbox_for, inbox_open_count
from digigov.core.inbox.services import inbox_mark_read
from digigov.identity.current import current_user
from digigov.identity.models import User
from digigov.identity.policies import Access, access

BOX_LABELS = {"todo": "待办", "toread": "待阅", "done": "已办"}


def inbox_context(user: User, *, box: str = "todo", kind: str = "", card: str = "", page: str = "1") -> dict:
    """What the inbox page (and the console home's embedded first page) shows; unknown filters are ignored."""
    box = box if box in BOXES else "todo"
    kinds = registered_kinds()
    kind = kind if kind in {k.key for k in kinds} else ""
    card = card if card in CARD_LABELS and box != "done" else ""
    result = inbox_for(user, box, page=page, kind=kind, card=card)
    query = urlencode({key: value for key, value in (("box", box), ("kind", kind), ("card", card)) if value})
    return {
        "inbox": result,
        "box": box,
        "boxes": [(key, BOX_LABELS[key]) for key in BOXES],
        "box_counts": {"todo": inbox_open_count(user), "toread": inbox_open_count(user, box="toread")},
        "card_counts": inbox_card_counts(user) if box == "todo" else None,
        "kinds": [k for k in kinds if k.box == ("toread" if box == "toread" else "todo") or box == "done"],
        "kind": kind,
        "cards": list(CARD_LABELS.items()),
        "card": card,
        "query": query,
        "filtered": bool(kind or card),
    }


@access(Access.STAFF)
def inbox(request: HttpRequest) -> HttpResponse:
    context = inbox_context(
        current_user(request),
        box=request.GET.get("box", "todo"),
        kind=request.GET.get("kind", ""),
        card=request.GET.get("card", ""),
        page=request.GET.get("page", "1"),
    )
    return render(request, "identity/inbox.html", context)


@access(Access.STAFF)
@require_POST
def inbox_read(request: HttpRequest, task_id: int) -> HttpResponse:
    """Mark a 待阅 task read and go to its object."""
    try:
        task = inbox_mark_read(actor=current_user(request), task_id=task_id)
    except NotFound:
        messages.error(request, "该待阅事项不存在或已阅")
        return redirect("/console/inbox/?box=toread")
    return redirect(task.link if task.link.startswith("/") and not task.link.startswith("//") else "identity:inbox")
