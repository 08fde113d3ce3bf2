"""What every hotline console page shares: the signed-in user, scoped fetches that turn NotFound into a 404,
the links a user may follow, and the labels of the loop's steps."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from digigov.core.errors import NotFound
from digigov.hotline import policy
from digigov.hotline.models import Appeal, Category
from digigov.hotline.selectors import appeal_get_for_actor, level1_nodes
from digigov.hotline.services.assignment import responsible_department
from digigov.identity.models import Department, User
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm

PAGE_SIZE = 30

# The timeline's actions (AppealEvent.action) in words.
EVENT_LABELS: dict[str, str] = {
    "received": "受理登记",
    "dispatched": "派单",
    "signed": "签收",
    "returned": "退单",
    "replied": "答复",
    "reopened": "回访不满意，重新办理",
    "closed": "办结",
    "extension_requested": "申请延期",
    "extension_approved": "批准延期",
    "extension_refused": "不批准延期",
    "escalated": "督办",
    "merged": "并案",
    "merge_master": "并入工单",
    "answered_from_knowledge": "知识库答复办结",
    "callback_recorded": "回访登记",
}


def appeal_or_404(user: User, appeal_id: int) -> Appeal:
    try:
        return appeal_get_for_actor(user, appeal_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@dataclass(frozen=True)
class HotlineLinks:
    can_intake: bool
    can_dispatch: bool
    can_handle: bool
    can_callback: bool
    can_view_statistics: bool
    can_manage_knowledge: bool = False
    can_manage: bool = False

    @property
    def can_search_knowledge(self) -> bool:
        return self.can_intake or self.can_dispatch or self.can_manage_knowledge

    @property
    def any(self) -> bool:
        return (
            self.can_intake
            or self.can_dispatch
            or self.can_handle
            or self.can_callback
            or self.can_view_statistics
            or self.can_manage_knowledge
            or self.can_manage
        )


def hotline_links(user: User) -> HotlineLinks:
    return HotlineLinks(
        can_intake=has_perm(user, Perm.HOTLINE_INTAKE),
        can_dispatch=has_perm(user, Perm.HOTLINE_DISPATCH),
        can_handle=has_perm(user, Perm.HOTLINE_HANDLE),
        can_callback=has_perm(user, Perm.HOTLINE_CALLBACK),
        can_view_statistics=has_perm(user, Perm.HOTLINE_VIEW_STATISTICS),
        can_manage_knowledge=policy.can(user, policy.Action.MANAGE_KNOWLEDGE),
        can_manage=policy.can(user, policy.Action.MANAGE_SETTINGS),
    )


@dataclass(frozen=True)
class SuggestionView:
    label: str
    confidence: float
    percent: int
    category: Category | None
    department: Department | None


def suggestion_views(
    suggestions: list[dict[str, object]], limit: int = 3, nodes: dict[str, Category] | None = None
) -> list[SuggestionView]:
    """The model's top suggestions ({label, confidence}) with the level-1 category and the department each
    maps to. A list page passes `nodes` (level1_nodes of all its rows) so it asks the database once."""
    top = [s for s in suggestions[:limit] if isinstance(s, dict) and s.get("label")]
    if nodes is None:
        nodes = level1_nodes({str(s["label"]) for s in top})
    views = []
    for s in top:
        confidence = float(str(s.get("confidence") or 0))
        node = nodes.get(str(s["label"]))
        views.append(
            SuggestionView(
                label=str(s["label"]),
                confidence=confidence,
                percent=round(confidence * 100),
                category=node,
                department=_department(node),
            )
        )
    return views


def _department(node: Category | None) -> Department | None:
    """The node's own department (a level-1 node has no ancestor to inherit from)."""
    if node is None:
        return None
    return node.department if node.department_id is not None else responsible_department(node)


def next_or(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to where the action was taken (a queue or a worklist) when it says so, else the fallback."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}) and target.startswith("/console/"):
        return redirect(target)
    return redirect(fallback)
