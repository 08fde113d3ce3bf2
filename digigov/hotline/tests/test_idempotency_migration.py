"""hotline 0008: appeals' keys of the retention period move to core's idempotency table as the code now writes
them (so a retry after the upgrade is still a replay), older ones do not; the appeal keeps the key it was filed
with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from digigov.core.crypto import sm3_hex
from digigov.core.models import IdempotencyKey
from digigov.core.policy import SYSTEM
from digigov.core.tests.migrations import migrate_to, migrate_to_latest, rows
from digigov.hotline.models import Appeal
from digigov.hotline.services.intake import appeal_intake
from digigov.hotline.services.open311_clients import client_idempotency_key, open311_client_create, open311_submit
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category
from digigov.identity.models import User

FIELDS = ("client", "operation", "key_digest", "request_digest", "object_id")


@pytest.mark.django_db(transaction=True)
def test_appeal_keys_move_to_the_core_table_as_the_code_now_writes_them(demo_city: None, hotline: None) -> None:
    agent = User.objects.get(username="hanxue")
    code = category(HOUSING).code
    api = appeal_intake(actor=agent, data=appeal_input(channel="api", idempotency_key="dept-sys-1", category_code=code))
    client, _key = open311_client_create(actor=SYSTEM, name="迁移测试接入方")
    token = client_idempotency_key(client, "h:retry-1")
    open311 = open311_submit(
        client=client, data=appeal_input(idempotency_key=token, text="路灯坏了一周，晚上看不见路。")
    )
    phone = appeal_intake(actor=agent, data=appeal_input(idempotency_key="intake-abc", text="噪音扰民，夜里施工。"))
    old = appeal_intake(actor=agent, data=appeal_input(idempotency_key="intake-old", text="很久以前的一件诉求。"))
    Appeal.objects.filter(pk=old.value.pk).update(created_at=timezone.now() - timedelta(days=30))
    written = rows(IdempotencyKey, *FIELDS)
    expected = {row for row in written if row[4] != str(old.value.pk)}
    assert len(expected) == 3

    state = migrate_to([("hotline", "0007_appeal_deadline_instants")])
    OldAppeal, Key = state.get_model("hotline", "Appeal"), state.get_model("core", "IdempotencyKey")
    digests = {object_id: digest for *_, digest, object_id in written}
    for appeal in OldAppeal.objects.filter(pk__in=[api.value.pk, open311.value.pk, phone.value.pk, old.value.pk]):
        appeal.submission_digest = digests[str(appeal.pk)]
        if appeal.pk == api.value.pk:  # how the API stored its keys before: the account folded into the key
            appeal.idempotency_key = f"api-{agent.pk}-" + sm3_hex(b"dept-sys-1")[:40]
        appeal.save(update_fields=["submission_digest", "idempotency_key"])
    Key.objects.all().delete()

    migrate_to_latest()
    assert rows(IdempotencyKey, *FIELDS) == expected
    assert Appeal.objects.get(pk=open311.value.pk).idempotency_key == token  # GET tokens/{token} still finds it
    again = appeal_intake(
        actor=agent, data=appeal_input(channel="api", idempotency_key="dept-sys-1", category_code=code)
    )
    assert again.replayed and again.value.pk == api.value.pk
    retried = open311_submit(
        client=client, data=appeal_input(idempotency_key=token, text="路灯坏了一周，晚上看不见路。")
    )
    assert retried.replayed and retried.value.pk == open311.value.pk
