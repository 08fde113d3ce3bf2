"""一网通办's own key table goes: its rows move to core's one idempotency table, then the table is dropped.

Each row becomes client "user:<id>", operation "onestop.submission" (single and 一件事 submissions share an
applicant's keys, as they did), the key's SM3 digest, the same request digest (the services hash the same
request body the same way) and, as the created object, the application — or, when it belongs to a 一件事, the
bundle application (the old row pointed at its first child). A row without an application answers a conflict,
as before. Only the keys of the last IDEMPOTENCY_KEY_DAYS days are copied (older ones would be pruned at once).
No answer body is stored: a replay of a moved key renders the object as it is now. Going back
recreates the empty table only.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from digigov.core.crypto import sm3_hex

OPERATION = "onestop.submission"


def move_keys(apps, schema_editor):
    Old = apps.get_model("services", "IdempotencyKey")
    New = apps.get_model("core", "IdempotencyKey")
    since = timezone.now() - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    rows = (
        Old.objects.filter(created_at__gte=since).select_related("application").order_by("pk").iterator(chunk_size=1000)
    )
    batch = []
    for old in rows:
        app = old.application
        object_id = "" if app is None else str(app.bundle_application_id or app.pk)
        batch.append(
            New(
                client=f"user:{old.user_id}",
                operation=OPERATION,
                key_digest=sm3_hex(old.key.encode())[:40],
                request_digest=old.request_digest,
                object_id=object_id,
                status=201,
                body_sealed=None,
                created_at=old.created_at,
            )
        )
        if len(batch) >= 1000:
            New.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0004_application_deadline_instants"),
        ("core", "0005_idempotency_keys"),
    ]

    operations = [
        migrations.RunPython(move_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="idempotencykey",
            name="one_result_per_key",
        ),
        migrations.DeleteModel(
            name="IdempotencyKey",
        ),
    ]
