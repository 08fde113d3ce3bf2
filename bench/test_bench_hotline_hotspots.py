"""The hot-issue benchmark's code paths with tiny counts against the test database. Nothing here is timed."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import bench_hotline_hotspots as bench
import pytest
from django.conf import settings
from django.utils import timezone

from digigov.core.models import AuditEntry
from digigov.hotline.demo_loader import load_reference
from digigov.hotline.models import Appeal


@pytest.mark.django_db
def test_generator_hot_issue_runs_and_duplicate_checks_on_a_tiny_city() -> None:
    assert load_reference(Path(settings.HOTLINE_DATA_DIR))
    rng = random.Random(5)
    now = timezone.now()
    before = Appeal.objects.filter(number__startswith=bench.NUMBER_PREFIX).count()
    assert bench.generate(before + 400, 20, rng, now=now, workers=1, batch=150) == 400
    assert bench.generate(before + 400, 20, rng, now=now, workers=1) == 0  # topped up already
    generated = Appeal.objects.filter(number__startswith=bench.NUMBER_PREFIX)
    assert generated.count() == before + 400
    assert not generated.filter(analytics_tokens="").exists()
    assert all(now - timedelta(days=20) <= a.created_at < now for a in generated.only("created_at"))
    assert {a.region.level for a in generated.select_related("region")[:50]} == {"street"}
    assert AuditEntry.objects.filter(action="bench.generate_hotline_appeals").exists()

    run = bench.hot_issues_run(now - timedelta(days=20), now + timedelta(seconds=1))
    assert run.appeals_read >= 400 and run.total_s > 0
    assert run.issues and all(r.excerpt for issue in run.issues for r in issue.representatives)

    checks = bench.duplicate_checks(3, rng, now=now)
    assert len(checks) == 3 and all(c.seconds > 0 and c.pool >= 0 for c in checks)
    assert bench.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
