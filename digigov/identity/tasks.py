"""Identity's background work (run by the platform worker; enqueued through django.tasks)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from digigov.core.messages import message_send
from digigov.identity.messages import AGENT_INVITED
from digigov.identity.models import AgentState, EnterpriseAgent


@task()
def agent_invitation_notify(agent_id: int) -> bool:
    """Tell an invited citizen that an invitation waits. Run by the worker after the invitation commits, so
    inviting a registered and an unregistered number costs the legal representative's request the same work."""
    with transaction.atomic():
        agent = (
            EnterpriseAgent.objects.select_related("enterprise", "user")
            .filter(pk=agent_id, state=AgentState.PENDING, user__isnull=False)
            .first()
        )
        if agent is None or agent.user is None or agent.invited_at is None:
            return False
        sent = message_send(
            recipient=agent.user,
            kind=AGENT_INVITED.code,
            context={"enterprise": agent.enterprise.name},
            link="/portal/",
            obj=agent,
            key=f"agent-invited:{agent.pk}:{agent.invited_at.isoformat()}",
        )
    return sent is not None
