"""Appeals' idempotency keys move to core's one idempotency table; the appeal keeps the key it was filed with
(an Open311 appeal's key is its token, which GET tokens/{token} looks up) without the unique constraint, and
loses submission_digest (the request digest now lives with the key).

Only the keys of the last IDEMPOTENCY_KEY_DAYS days are copied: older ones would be pruned at once. Each
becomes operation "hotline.appeal_create", the same request digest (intake hashes the same content the same
way), the appeal as the created object, and — so that a retry after the upgrade finds it — the owner the code
now uses with the key digest it now computes:
* API channel, stored as "api-<user id>-<first 40 hex of SM3(key)>": client "user:<id>", that digest as is;
* Open311, stored as the client's token: client "open311:<id>", found through the audit entry that recorded
  which client filed the appeal (its change digest is compared with each client's); a token whose client
  cannot be found is not copied (a retry of it would file a new appeal);
* any other channel: the person who filed it (the "received" event's actor), or the channel when none.
No answer body is stored: a replay of a copied key renders the appeal as it is now.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from digigov.core.audit import change_digest
from digigov.core.crypto import sm3_hex

OPERATION = "hotline.appeal_create"
API_KEY = re.compile(r"^api-(\d+)-([0-9a-f]{40})$")


def _open311_owners(apps, appeal_ids):
    Client = apps.get_model("hotline", "Open311Client")
    AuditEntry = apps.get_model("core", "AuditEntry")
    by_digest = {
        change_digest({"client": c.pk, "client_name": c.name}): f"open311:{c.pk}" for c in Client.objects.all()
    }
    entries = AuditEntry.objects.filter(
        action="hotline.open311_request_received", object_type="appeal", object_id__in=[str(i) for i in appeal_ids]
    ).values_list("object_id", "change_digest")
    return {int(object_id): by_digest[digest] for object_id, digest in entries if digest in by_digest}


def move_keys(apps, schema_editor):
    Appeal = apps.get_model("hotline", "Appeal")
    AppealEvent = apps.get_model("hotline", "AppealEvent")
    New = apps.get_model("core", "IdempotencyKey")
    since = timezone.now() - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    appeals = list(
        Appeal.objects.filter(created_at__gte=since)
        .exclude(idempotency_key="")
        .values_list("pk", "channel__code", "idempotency_key", "submission_digest", "created_at")
    )
    ids = [row[0] for row in appeals]
    filers = dict(
        AppealEvent.objects.filter(appeal_id__in=ids, action="received", actor__isnull=False).values_list(
            "appeal_id", "actor_id"
        )
    )
    open311 = _open311_owners(apps, [row[0] for row in appeals if row[1] == "open311"])
    rows = []
    for pk, channel, key, digest, created_at in appeals:
        api = API_KEY.match(key) if channel == "api" else None
        if api is not None:
            client, key_digest = f"user:{api.group(1)}", api.group(2)
        elif channel == "open311":
            if pk not in open311:
                continue
            client, key_digest = open311[pk], sm3_hex(key.encode())[:40]
        else:
            filer = filers.get(pk)
            client = f"user:{filer}" if filer is not None else f"channel:{channel}"
            key_digest = sm3_hex(key.encode())[:40]
        rows.append(
            New(
                client=client,
                operation=OPERATION,
                key_digest=key_digest,
                request_digest=digest,
                object_id=str(pk),
                status=201,
                created_at=created_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0007_appeal_deadline_instants"),
        ("core", "0005_idempotency_keys"),
    ]

    operations = [
        migrations.RunPython(move_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="appeal",
            name="hotline_one_appeal_per_key",
        ),
        migrations.AlterField(
            model_name="appeal",
            name="idempotency_key",
            field=models.CharField(
                blank=True,
                help_text="the key it was filed with (Open311: its token); retries: core.idempotency",
                max_length=80,
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=["channel", "idempotency_key"],
                name="appeal_filed_key_idx",
            ),
        ),
        migrations.RemoveField(
            model_name="appeal",
            name="submission_digest",
        ),
    ]
