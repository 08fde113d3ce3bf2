"""Model versions in the database, the digest check, and the hotline_train / hotline_predict commands."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.hotline.models import Appeal, RoutingLabel, RoutingModelVersion
from digigov.hotline.routing import ModelFileError, Router, load_router
from digigov.hotline.routing.files import clear_cache
from digigov.hotline.routing.store import (
    active_router,
    active_version,
    active_version_changed,
    confirmed_labels,
    gather_training_data,
    router_for,
)
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.routing_models import activate_version, ensure_active_router, publish_version
from digigov.hotline.tests.conftest import appeal_input
from digigov.hotline.tests.routing_fixtures import HEADER, tiny_data_dir, tiny_router, write_csv

__all__ = ["tiny_data_dir", "tiny_router"]  # fixtures


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HOTLINE_MODEL_DIR = tmp_path / "models"
    clear_cache()


def _no_active_version() -> None:
    RoutingModelVersion.objects.filter(is_active=True).update(is_active=False)  # rolled back after the test
    active_version_changed()


def test_publish_records_the_version_file_digest_and_audit(db: None, tiny_router: Router) -> None:
    before = RoutingModelVersion.objects.count()
    first = publish_version(tiny_router.model, actor=SYSTEM)
    second = publish_version(tiny_router.model, actor=SYSTEM)
    assert second.version == first.version + 1
    assert RoutingModelVersion.objects.count() == before + 2
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert RoutingModelVersion.objects.filter(is_active=True).get() == second
    assert (Path(second.file_name).name == second.file_name) and len(second.digest) == 64
    assert second.trained_on == tiny_router.model.trained_on and second.metrics["classes"]
    entries = AuditEntry.objects.filter(action="hotline.routing_model_published", object_id=str(second.version))
    assert entries.count() == 1
    router = active_router()
    assert router is not None and router.version == second.version
    assert active_router() is router  # cached per version
    assert router.suggest("学校乱收费", "补课收费") == tiny_router.suggest("学校乱收费", "补课收费")


def test_publish_without_activating_keeps_the_active_version(db: None, tiny_router: Router) -> None:
    active = publish_version(tiny_router.model, actor=SYSTEM)
    extra = publish_version(tiny_router.model, actor=SYSTEM, activate=False)
    assert not extra.is_active
    assert active_version() == active


def test_activate_version_rolls_back_and_is_audited(db: None, tiny_router: Router) -> None:
    old = publish_version(tiny_router.model, actor=SYSTEM)
    publish_version(tiny_router.model, actor=SYSTEM)
    activate_version(actor=SYSTEM, version=old.version)
    assert active_version() == old
    assert AuditEntry.objects.filter(action="hotline.routing_model_activated", object_id=str(old.version)).exists()


def test_a_tampered_model_file_is_refused(db: None, tiny_router: Router, settings: Any, caplog: Any) -> None:
    row = publish_version(tiny_router.model, actor=SYSTEM)
    path = Path(settings.HOTLINE_MODEL_DIR) / row.file_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    clear_cache()
    with pytest.raises(ModelFileError, match="SM3"):
        router_for(row)
    with pytest.raises(ModelFileError, match="SM3"):
        ensure_active_router()  # never retrains over a refused file
    assert active_router() is None  # intake carries on: the appeal goes to a dispatcher
    assert "refused" in caplog.text
    path.unlink()
    with pytest.raises(ModelFileError, match="unreadable"):
        router_for(row)


def test_a_refused_file_is_read_again_only_once_it_changes(
    db: None, tiny_router: Router, settings: Any, monkeypatch: Any
) -> None:
    from digigov.hotline.routing import store

    row = publish_version(tiny_router.model, actor=SYSTEM)
    path = Path(settings.HOTLINE_MODEL_DIR) / row.file_name
    good = path.read_bytes()
    path.write_bytes(good[:-10])  # damaged on disk
    clear_cache()
    assert active_router() is None
    reads: list[str] = []
    real_load = store.load_router

    def counting_load(*args: Any) -> Router:
        reads.append("read")
        return real_load(*args)

    monkeypatch.setattr(store, "load_router", counting_load)
    assert active_router() is None and reads == []  # the same bad file is not read again
    path.write_bytes(good)  # restored: a changed file is read and accepted
    restored = active_router()
    assert restored is not None and restored.version == row.version and reads == ["read"]


def test_confirmed_labels_join_the_training_data(hotline: None, tiny_data_dir: Path) -> None:
    appeal = Appeal.objects.order_by("id").first() or submit_appeal(actor=SYSTEM, data=appeal_input())
    RoutingLabel.objects.create(appeal=appeal, category_l1="环境保护", source="dispatcher", labelled_at=timezone.now())
    RoutingLabel.objects.create(appeal=appeal, category_l1="交通运输", source="confirmed", labelled_at=timezone.now())
    labels = [e for e in confirmed_labels() if e.id == f"appeal-{appeal.pk}"]
    assert [(e.label, e.subject, e.body, e.source) for e in labels] == [
        ("交通运输", appeal.subject, appeal.text, "label_confirmed")
    ]
    data = gather_training_data(tiny_data_dir)
    assert data.counts()["label_confirmed"] >= 1
    assert any(e.id == f"appeal-{appeal.pk}" and e.label == "交通运输" for e in data.labelled)


def test_ensure_active_router_trains_on_a_fresh_database(db: None, tiny_data_dir: Path) -> None:
    _no_active_version()
    router = ensure_active_router(data_dir=tiny_data_dir)
    row = active_version()
    assert row is not None and router.version == row.version
    assert ensure_active_router(data_dir=tiny_data_dir) is router


def _input_csv(path: Path, *, bom: bool = True) -> list[str]:
    rows = [
        ["7", "u1", "学校暑假补课乱收费", "2020/1/1", "某中学暑假补课每人收取两千元", "x"],
        ["3", "u2", "小区噪音扰民", "2020/1/2", "工地夜间施工噪音太大", "y"],
        ["12", "u3", "公司拖欠工资", "2020/1/3", "公司拖欠三个月工资不发", "z"],
    ]
    write_csv(path, [*HEADER, "额外列"], rows, bom=bom)
    return [r[0] for r in rows]


def test_predict_command_round_trip(db: None, tiny_data_dir: Path, tmp_path: Path) -> None:
    _no_active_version()
    ids = _input_csv(tmp_path / "in.csv")
    call_command(
        "hotline_predict",
        "--in",
        str(tmp_path / "in.csv"),
        "--out",
        str(tmp_path / "out.csv"),
        "--data-dir",
        str(tiny_data_dir),
    )
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith("留言编号,label,confidence\n".encode())
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["留言编号"] for r in rows] == ids
    router = active_router()
    assert router is not None
    assert {r["label"] for r in rows} <= set(router.labels)
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)
    assert rows[0]["label"] == router.suggest("学校暑假补课乱收费", "某中学暑假补课每人收取两千元")[0].label


def test_predict_command_refuses_bad_input(db: None, tmp_path: Path) -> None:
    (tmp_path / "no_body.csv").write_text("留言编号,留言主题\n1,主题\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列：留言详情"):
        call_command("hotline_predict", "--in", str(tmp_path / "no_body.csv"), "--out", str(tmp_path / "o.csv"))
    with pytest.raises(CommandError, match="不存在"):
        call_command("hotline_predict", "--in", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.csv"))
    assert not (tmp_path / "o.csv").exists()


def test_train_command_publishes_an_active_version(db: None, tiny_data_dir: Path, capsys: Any) -> None:
    before = RoutingModelVersion.objects.count()
    call_command("hotline_train", "--data-dir", str(tiny_data_dir), "--evaluate", "--folds", "2", "--seeds", "1")
    out = capsys.readouterr().out
    assert "macro-F1" in out and "已发布" in out
    row = active_version()
    assert row is not None and RoutingModelVersion.objects.count() == before + 1
    assert row.metrics["cv"]["cv"] == "2-fold x 1 seeds"


def test_train_command_reports_a_broken_data_folder(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("hotline_train", "--data-dir", str(tmp_path))


def test_predict_command_without_a_migrated_database_trains_in_memory(
    db: None, tiny_data_dir: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    from django.db import OperationalError

    from digigov.hotline.management.commands import hotline_predict

    def no_tables(**kwargs: Any) -> Router:
        raise OperationalError("no such table: hotline_routingmodelversion")

    monkeypatch.setattr(hotline_predict, "ensure_active_router", no_tables)
    ids = _input_csv(tmp_path / "in.csv", bom=False)
    before = RoutingModelVersion.objects.count()
    out = tmp_path / "new" / "out.csv"
    call_command(
        "hotline_predict", "--in", str(tmp_path / "in.csv"), "--out", str(out), "--data-dir", str(tiny_data_dir)
    )
    with open(out, encoding="utf-8", newline="") as handle:
        assert [r["留言编号"] for r in csv.DictReader(handle)] == ids
    assert RoutingModelVersion.objects.count() == before
    assert "临时训练的模型" in capsys.readouterr().out


def test_the_router_cache_keeps_the_newest_versions(db: None, tiny_router: Router) -> None:
    from digigov.hotline.routing import files

    rows = [publish_version(tiny_router.model, actor=SYSTEM) for _ in range(files.CACHED_VERSIONS + 1)]
    routers = [load_router(r.version, r.file_name, r.digest) for r in rows]
    assert sorted(files._cache) == [r.version for r in rows[1:]]
    assert load_router(rows[-1].version, rows[-1].file_name, rows[-1].digest) is routers[-1]
    # Rolling back to the evicted first version keeps it (the least recently loaded one goes instead).
    first = load_router(rows[0].version, rows[0].file_name, rows[0].digest)
    assert rows[0].version in files._cache and rows[1].version not in files._cache
    assert load_router(rows[0].version, rows[0].file_name, rows[0].digest) is first


def test_only_a_hotline_manager_switches_versions(db: None, tiny_router: Router) -> None:
    from digigov.core.errors import Forbidden
    from digigov.identity.models import User

    old = publish_version(tiny_router.model, actor=SYSTEM)
    current = publish_version(tiny_router.model, actor=SYSTEM)
    agent = User.objects.get(username="hanxue")  # a 12345 agent: takes calls, does not configure the hotline
    with pytest.raises(Forbidden):
        activate_version(actor=agent, version=old.version)
    assert active_version() == current
