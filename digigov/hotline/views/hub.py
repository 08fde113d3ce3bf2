"""12345 热线工作台: what waits for me, by the hotline duties I hold, and the pages I may use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from digigov.hotline.models import AppealCard, AppealStatus
from digigov.hotline.selectors import (
    WorklistFilter,
    dispatcher_queue,
    handler_worklist,
    pending_callbacks,
    pending_extensions,
)
from digigov.hotline.views.common import hotline_links
from digigov.hotline.views.queue import overdue_appeals
from digigov.identity.current import current_user
from digigov.identity.policies import Access, access


@access(Access.STAFF)
@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    links = hotline_links(user)
    tiles: list[tuple[str, str, int, str]] = []  # (key, label, count, link)
    if links.can_dispatch:
        tiles += [
            ("queue", "待派单", dispatcher_queue(user).count(), reverse("hotline_console:queue")),
            ("extensions", "待审批延期", pending_extensions(user).count(), reverse("hotline_console:extensions")),
            ("overdue", "超期/临期工单", overdue_appeals(user).count(), reverse("hotline_console:overdue")),
        ]
    if links.can_handle:
        worklist = reverse("hotline_console:worklist")
        for key, label, flt, query in (
            ("to-sign", "待签收", WorklistFilter(status=AppealStatus.DISPATCHED), "status=dispatched"),
            ("in-hand", "办理中", WorklistFilter(status=AppealStatus.SIGNED), "status=signed"),
            ("red", "红牌 · 已超期", WorklistFilter(card=AppealCard.RED), "card=red"),
            ("yellow", "黄牌 · 即将到期", WorklistFilter(card=AppealCard.YELLOW), "card=yellow"),
        ):
            tiles.append((key, label, handler_worklist(user, flt).count(), f"{worklist}?{query}"))
    if links.can_callback:
        tiles.append(("callbacks", "待回访", pending_callbacks(user).count(), reverse("hotline_console:callbacks")))
    return render(request, "hotline/console/hub.html", {"links": links, "tiles": tiles})
