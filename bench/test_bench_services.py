"""The 一网通办 benchmarks' code paths with tiny counts against the test database. Nothing here is timed."""

from __future__ import annotations

import random

import bench_services_submit as submit_bench
import generate_services as gen
import pytest
from django.utils import timezone

from digigov.core.audit import audit_verify
from digigov.onestop.models import Application, ApplicationTransition, DeadlineFlag, IdempotencyKey, ServiceItem


@pytest.mark.django_db
def test_generator_and_submission_checks_on_a_tiny_city() -> None:
    rng = random.Random(7)
    items = ServiceItem.objects.count()
    assert gen.generate_items(items + 5) == 5
    assert gen.generate_staff() == 20
    assert gen.generate_citizens(30, rng, batch=20) == 30
    before = Application.objects.count()
    assert gen.generate_applications(before + 300, rng, batch=120) == 300

    generated = Application.objects.filter(number__startswith="BX") | Application.objects.filter(status="draft")
    assert generated.count() >= 300
    flags = {app.deadline_flag for app in Application.objects.all()}
    assert DeadlineFlag.GREEN in flags
    completed = Application.objects.filter(status="completed").first()
    assert completed is not None
    history = list(completed.transitions.values_list("to_status", flat=True))
    assert history[0] == "submitted" and history[-1] == "completed"
    assert audit_verify().intact

    # Submission: a new key, its replay, and the checks the benchmark runs afterwards.
    workload = submit_bench.Workload(submit_bench.candidate_item_ids(), submit_bench.bench_citizen_ids())
    service = submit_bench.submit_function(submit_bench.SERVICE)
    started_at = timezone.now()
    calls = []
    for n in range(3):
        body = workload.body(rng)
        app_id, created = submit_bench.submit(service, body, f"btest-0-{n}")
        calls.append(submit_bench.Call(0, "new", body[0].pk, f"btest-0-{n}", app_id, created, 0.0))
        again, created_again = submit_bench.submit(service, body, f"btest-0-{n}")
        calls.append(submit_bench.Call(0, "replay", body[0].pk, f"btest-0-{n}", again, created_again, 0.0))
    assert [c.created for c in calls] == [True, False] * 3
    assert submit_bench.verify("btest", calls, started_at) == []
    assert IdempotencyKey.objects.filter(key__startswith="btest-").count() == 3

    # A key row that went missing, and a submit history row that went missing, are both noticed.
    lost = calls[0].app_id
    assert lost is not None
    ApplicationTransition.objects.filter(application_id=lost, to_status="submitted").delete()
    IdempotencyKey.objects.filter(application_id=lost).delete()
    problems = submit_bench.verify("btest", calls, started_at)
    assert any("idempotency keys stored" in p for p in problems)
    assert any("submit transitions" in p for p in problems)
