"""The audit trail for security auditors (安全审计员): recent entries and an on-demand chain check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from digigov.core.audit import audit_verify
from digigov.core.selectors import audit_entries
from digigov.identity.permissions import Perm
from digigov.identity.policies import access


@access(Perm.AUDIT_VIEW)
@require_http_methods(["GET", "HEAD", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:100]
    actor = request.GET.get("actor", "").strip()[:150]
    verification = audit_verify() if request.method == "POST" else None
    return render(
        request,
        "identity/audit_log.html",
        {
            "entries": audit_entries(action_prefix=action, actor_name=actor),
            "action": action,
            "actor": actor,
            "verification": verification,
        },
    )
