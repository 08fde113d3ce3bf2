"""services 0005: 一网通办's key rows of the retention period move to core's idempotency table as the code now
writes them (a single submission's key to its application, a 一件事's to its bundle application), then the old
table goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from digigov.core.idempotency import key_digest
from digigov.core.models import IdempotencyKey
from digigov.core.tests.migrations import migrate_to, migrate_to_latest, rows
from digigov.identity.models import Region, User
from digigov.onestop.models import ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.bundles import bundle_application_submit_once
from digigov.onestop.tests.factories import valid_form_data
from digigov.onestop.tests.test_bundles import bundle, files_for, form_for, region

FIELDS = ("client", "operation", "key_digest", "request_digest", "object_id")


@pytest.mark.django_db(transaction=True)
def test_submission_keys_move_to_the_core_table_and_the_old_table_goes(demo_city: None) -> None:
    citizen = User.objects.get(username="chenhaoran")
    family = ServiceItem.objects.get(code="210500-WJW-GG-0007")
    family.materials.update(mandatory=False)
    form = valid_form_data(family)
    single = svc.application_submit_once(
        actor=citizen,
        item=family,
        region=Region.objects.get(code="210502000000"),
        form_data=form,
        idempotency_key="single-1",
    )
    b = bundle("tuixiu")
    one_thing = bundle_application_submit_once(
        actor=citizen, bundle=b, region=region(), form_data=form_for(b), files=files_for(b), idempotency_key="yjs-1"
    )
    expected = rows(IdempotencyKey, *FIELDS)
    digests = {key: digest for _, _, key, digest, _ in expected}
    assert {(key, object_id) for _, _, key, _, object_id in expected} == {
        (key_digest("single-1"), str(single.value.pk)),
        (key_digest("yjs-1"), str(one_thing.value.pk)),  # a bundle application's id (not its first child's)
    }
    first_child = one_thing.value.children.order_by("id").first()

    state = migrate_to([("services", "0004_application_deadline_instants")])
    Old, Key = state.get_model("services", "IdempotencyKey"), state.get_model("core", "IdempotencyKey")
    Key.objects.all().delete()
    made = timezone.now()
    Old.objects.create(
        user_id=citizen.pk,
        key="single-1",
        request_digest=digests[key_digest("single-1")],
        application_id=single.value.pk,
    )
    Old.objects.create(
        user_id=citizen.pk, key="yjs-1", request_digest=digests[key_digest("yjs-1")], application_id=first_child.pk
    )
    Old.objects.create(user_id=citizen.pk, key="lost", request_digest="x", application_id=None)
    gone = Old.objects.create(user_id=citizen.pk, key="old", request_digest="y", application_id=single.value.pk)
    Old.objects.filter(pk=gone.pk).update(created_at=made - timedelta(days=30))

    migrate_to_latest()
    moved = rows(IdempotencyKey, *FIELDS)
    assert expected < moved and len(moved) == 3  # and "old", past the retention, was not copied
    assert IdempotencyKey.objects.get(object_id="").request_digest == "x"  # answers a conflict, as before
    assert "services_idempotencykey" not in connection.introspection.table_names()
    again = svc.application_submit_once(
        actor=citizen,
        item=family,
        region=Region.objects.get(code="210502000000"),
        form_data=form,
        idempotency_key="single-1",
    )
    assert again.replayed and again.value.pk == single.value.pk
