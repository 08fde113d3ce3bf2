"""The routing benchmark's code paths on a tiny slice of the shipped data. Nothing here is timed."""

from __future__ import annotations

from pathlib import Path

import bench_hotline_routing as bench
import pytest
from django.conf import settings


def test_benchmark_runs_end_to_end_on_a_tiny_slice(capsys: pytest.CaptureFixture[str]) -> None:
    results = bench.run(Path(settings.HOTLINE_DATA_DIR), folds=2, seeds=(1,), calls=20, per_class=12, curve=(0.5, 1.0))
    assert results["router"]["cv"] == "2-fold x 1 seeds" and results["baseline"]["examples"] == 84
    assert 0 < results["router"]["macro_f1"] <= 1 and set(results["router"]["per_class_f1"]) == set(
        results["baseline"]["per_class_f1"]
    )
    assert results["latency"]["calls"] == 20 and results["latency"]["p95_ms"] > 0
    assert results["trained_on"]["messages_train"] == 84
    overlap = results["overlap"]
    assert set(overlap) == {"messages_unlabeled", "messages_votes", "messages_replies"}
    assert overlap["messages_votes"]["same_text"] > 0  # the files do share messages with the gold set
    assert [p["gold_per_fold"] for p in results["learning_curve"]] == [21, 42]
    assert all(0 < p["macro_f1"] <= 1 for p in results["learning_curve"]) and results["labels_for_target"]
    bench.print_results(results)
    out = capsys.readouterr().out
    assert "macro-F1" in out and "p95" in out and "learning curve: 0.5 of the gold" in out
    assert bench.missed_targets({**results, "router": {**results["router"], "macro_f1": 0.5}})
    assert not bench.missed_targets({"router": {"macro_f1": 0.95}, "latency": {"p95_ms": 1.0}})


def test_labels_for_target_extrapolates_the_last_doubling() -> None:
    points = [{"gold_per_fold": 200, "macro_f1": 0.80}, {"gold_per_fold": 400, "macro_f1": 0.85}]
    assert bench.labels_for_target(points, 0.90) == {"gain_per_doubling": 0.05, "gold_needed": 800}
    assert bench.labels_for_target(points, 0.80) == {"gain_per_doubling": 0.05, "gold_needed": 400}
    flat = [points[0], {"gold_per_fold": 400, "macro_f1": 0.80}]
    assert bench.labels_for_target(flat, 0.90)["gold_needed"] == float("inf")  # type: ignore[index]
    assert bench.labels_for_target(points[:1]) is None
