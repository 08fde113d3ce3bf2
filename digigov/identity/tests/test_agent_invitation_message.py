"""A 经办人 invitation waiting: the invited citizen is told (in-app and by SMS) by the worker after the invitation
commits; an unregistered number tells no one, and the legal representative's request does the same work."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from digigov.core.models import Message, OutboxDelivery
from digigov.core.sms import outbox_for
from digigov.identity import demo_city
from digigov.identity.models import Enterprise, EnterpriseAgent, User
from digigov.identity.services.agents import enterprise_agent_grant

pytestmark = pytest.mark.django_db

CITIZENS = demo_city.citizen_index()
XINGLONG = "本溪市明山区兴隆餐饮有限公司"  # 赵宇 is its legal representative


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def test_the_invited_citizen_hears_of_the_invitation_once(django_capture_on_commit_callbacks: Any) -> None:
    rep = User.objects.get(username="zhaoyu")
    invitee = User.objects.get(username="huangzhipeng")
    enterprise = Enterprise.objects.get(name=XINGLONG)
    mobile = CITIZENS["huangzhipeng"].mobile
    before = len(outbox_for(mobile))
    with django_capture_on_commit_callbacks(execute=True):
        agent = enterprise_agent_grant(actor=rep, enterprise=enterprise, agent_mobile=mobile)
    [message] = Message.objects.filter(recipient=invitee, kind="identity.agent_invited")
    assert message.title == f"{XINGLONG}邀请您担任经办人"
    assert "接受或拒绝" in message.body and message.link == "/portal/"
    assert (message.object_type, message.object_id) == ("identity.enterpriseagent", str(agent.pk))
    assert OutboxDelivery.objects.get(message=message).status == "delivered"
    texts = [sms.text for sms in outbox_for(mobile)]
    assert len(texts) == before + 1 and XINGLONG in texts[0]
    from digigov.identity.tasks import agent_invitation_notify

    assert agent_invitation_notify.call(agent.pk) is False, "the same invitation is told once"


def test_an_unregistered_number_tells_no_one(django_capture_on_commit_callbacks: Any) -> None:
    rep = User.objects.get(username="zhaoyu")
    enterprise = Enterprise.objects.get(name=XINGLONG)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        agent = enterprise_agent_grant(actor=rep, enterprise=enterprise, agent_mobile="13312345678")
    assert len(callbacks) == 1, "the same after-commit work as for a registered number"
    assert EnterpriseAgent.objects.get(pk=agent.pk).user_id is None
    assert Message.objects.count() == before
