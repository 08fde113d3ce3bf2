"""The routing model without the database: reading CSVs, training, suggestions, thresholds, honest CV folds."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from digigov.hotline.routing import (
    Example,
    MessageFileError,
    Params,
    Router,
    TrainingData,
    cross_validate,
    fit,
    load_shipped,
    read_messages,
)
from digigov.hotline.routing.data import dedupe_labelled
from digigov.hotline.routing.evaluation import (
    baseline_scorer,
    fit_temperature,
    pool_without,
    router_scorer,
    subsample_per_class,
)
from digigov.hotline.routing.text import document, normalise
from digigov.hotline.tests.routing_fixtures import HEADER, tiny_data_dir, tiny_router, write_csv

__all__ = ["tiny_data_dir", "tiny_router"]  # fixtures


def test_document_masks_place_codes_and_weights_the_subject() -> None:
    doc = document(" A3区 路灯不亮 ", "\n\tK11县某路段的路灯\u3000坏了")
    assert doc == "X地路灯不亮。X地路灯不亮。X地某路段的路灯坏了"
    assert normalise("ＡＢＣ １２") == "ABC12"


def test_read_messages_tolerates_a_bom_extra_columns_and_column_order(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    write_csv(
        path,
        ["备注", " 留言详情", "留言主题", "留言编号", "留言时间"],
        [["x", "正文一", "主题一", "7", "2020/1/1"], ["y", "正文二", "主题二", "8", ""]],
        bom=True,
    )
    rows = read_messages(path)
    assert [(r.id, r.subject, r.body) for r in rows] == [("7", "主题一", "正文一"), ("8", "主题二", "正文二")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("留言编号,留言主题\n1,主题\n", "缺少列：留言详情"),
        ("", "文件为空"),
    ],
)
def test_read_messages_names_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MessageFileError, match=message):
        read_messages(path)


def test_read_messages_refuses_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(MessageFileError, match="不存在"):
        read_messages(tmp_path / "nope.csv")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((",".join(HEADER) + "\n1,u,主题,t,正文\n").encode("gbk"))
    with pytest.raises(MessageFileError, match="UTF-8"):
        read_messages(gbk)
    assert read_messages(io.StringIO(",".join(HEADER) + "\n1,u,主题,t,正文\n"))[0].subject == "主题"


def test_dedupe_drops_conflicting_shipped_labels_but_keeps_a_persons_label() -> None:
    a = Example("1", "医保查询", "正文", "城乡建设", "messages_train")
    b = Example("1", "医保查询", " 正文", "劳动和社会保障", "messages_train")
    c = Example("2", "学校收费", "正文", "教育文体", "messages_train")
    kept, conflicts, duplicates = dedupe_labelled([a, b, c, c])
    assert kept == [c] and conflicts == 1 and duplicates == 1
    person = Example("appeal-9", "医保查询", "正文", "劳动和社会保障", "label_dispatcher")
    kept, conflicts, _ = dedupe_labelled([a, b, person])
    assert kept == [person] and conflicts == 0


def test_shipped_data_has_seven_labels_and_a_pool(tiny_data_dir: Path) -> None:
    data = load_shipped(tiny_data_dir)
    assert len(data.labels) == 7
    assert data.pool and data.taxonomy
    assert {e.label for e in data.taxonomy} == set(data.labels)
    known = {e.key for e in data.labelled}
    assert not any(e.key in known for e in data.pool)


def test_suggestions_are_sorted_bounded_and_cut_to_top(tiny_router: Router) -> None:
    everything = tiny_router.suggest("学校乱收费", "某中学暑假补课收取高额费用", top=10)
    assert len(everything) == 7
    confidences = [s.confidence for s in everything]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-6)
    top = tiny_router.suggest("学校乱收费", "某中学暑假补课收取高额费用")
    assert top == everything[:3]
    assert tiny_router.suggest("学校乱收费", "某中学暑假补课收取高额费用", top=1) == everything[:1]
    assert top[0].label == "教育文体"


def test_suggest_many_matches_suggest(tiny_router: Router) -> None:
    pairs = [("公交车拒载", "12路公交车司机拒载老人"), ("工资拖欠", "公司拖欠三个月工资不发")]
    many = tiny_router.suggest_many(pairs, top=2)
    for (subject, body), got in zip(pairs, many, strict=True):
        expected = tiny_router.suggest(subject, body, top=2)
        assert [s.label for s in got] == [s.label for s in expected]
        assert [s.confidence for s in got] == pytest.approx([s.confidence for s in expected])
    assert tiny_router.suggest_many([]) == []


def test_route_sends_unsure_appeals_to_a_dispatcher(tiny_router: Router, settings: object) -> None:
    sure = tiny_router.route("学校乱收费", "某中学暑假补课收取高额费用", threshold=0.0)
    assert not sure.needs_dispatcher and sure.label == sure.suggestions[0].label
    unsure = tiny_router.route("学校乱收费", "某中学暑假补课收取高额费用", threshold=1.01)
    assert unsure.needs_dispatcher and len(unsure.suggestions) == 3
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01  # type: ignore[attr-defined]
    assert tiny_router.route("学校乱收费", "暑假补课").needs_dispatcher
    settings.HOTLINE_ROUTING_THRESHOLD = 0.0  # type: ignore[attr-defined]
    assert not tiny_router.route("学校乱收费", "暑假补课").needs_dispatcher


def test_training_needs_two_classes() -> None:
    with pytest.raises(ValueError, match="two classes"):
        fit([Example("1", "主题", "正文", "教育文体")])


def test_self_training_takes_at_most_ratio_times_each_class(tiny_data_dir: Path) -> None:
    data = load_shipped(tiny_data_dir)
    model = fit(data.labelled, pool=data.pool, taxonomy=data.taxonomy, params=Params(pseudo_ratio=0.5))
    gold = {label: sum(e.label == label for e in data.labelled) for label in data.labels}
    assert model.pseudo_labelled
    assert all(n <= int(gold[label] * 0.5) for label, n in model.pseudo_labelled.items())
    assert model.trained_on["pseudo_labelled"] == sum(model.pseudo_labelled.values())
    plain = fit(data.labelled, params=Params(pseudo_ratio=0))
    assert plain.pseudo_labelled == {} and plain.trained_on["pool"] == 0


def test_pool_without_removes_held_out_by_id_text_or_subject() -> None:
    held = [Example("5", "路灯不亮", "正文A", "城乡建设")]
    pool = [
        Example("5", "别的主题", "别的正文"),  # same id
        Example("6", "路灯 不亮", "正文 A"),  # same text once normalised
        Example("7", "路灯不亮", "另一段正文"),  # same subject
        Example("8", "噪音扰民", "正文B"),
    ]
    assert [e.id for e in pool_without(pool, held)] == ["8"]


def test_cross_validation_never_shows_a_held_out_message(tiny_data_dir: Path) -> None:
    data = load_shipped(tiny_data_dir)
    # Put a copy of every gold message into the pool: each fold must remove the copies of its held-out ones.
    data = TrainingData(
        labelled=data.labelled, pool=[*data.pool, *(Example(e.id, e.subject, e.body) for e in data.labelled)]
    )
    seen_folds = []

    def spy(train, test, pool, taxonomy):  # type: ignore[no-untyped-def]
        test_keys = {e.key for e in test}
        assert not test_keys & {e.key for e in train}
        assert not test_keys & {e.key for e in pool}
        seen_folds.append(len(test))
        return baseline_scorer()(train, test, pool, taxonomy)

    report = cross_validate(data, folds=2, seeds=(0, 1), scorer=spy, method="spy")
    assert len(seen_folds) == 4 and sum(seen_folds) == 2 * len(data.labelled)
    assert len(report.macro_f1) == 4 and 0 < report.macro_f1_mean <= 1
    assert set(report.per_class_f1) == set(data.labels)
    assert report.summary()["cv"] == "2-fold x 2 seeds"


def test_cross_validation_of_the_router_fits_a_temperature(tiny_data_dir: Path) -> None:
    report = cross_validate(load_shipped(tiny_data_dir), folds=2, seeds=(0,))
    assert report.temperature is not None and report.temperature > 0
    assert set(report.routed_share) == {"0.50", "0.60", "0.70", "0.80"}
    shares = list(report.routed_share.values())
    assert shares == sorted(shares, reverse=True)


def test_fit_temperature_prefers_sharper_scores_when_they_are_right() -> None:
    scores = np.array([[1.0, -1.0], [-1.0, 1.0]] * 10)
    truth = np.array([0, 1] * 10)
    assert fit_temperature(scores, truth) == 12.0  # always right: as sharp as allowed
    wrong_half = np.array([0, 1] * 5 + [1, 0] * 5)
    assert fit_temperature(scores, wrong_half) == 0.5  # a coin flip: as flat as allowed


def test_subsample_keeps_each_class_in_proportion_and_is_repeatable() -> None:
    examples = [Example(str(i), f"主题{i}", "正文", "甲" if i < 40 else "乙") for i in range(50)]
    half = subsample_per_class(examples, 0.5, seed=3)
    assert sorted(e.label for e in half).count("甲") == 20 and [e.label for e in half].count("乙") == 5
    assert half == subsample_per_class(examples, 0.5, seed=3)
    assert half != subsample_per_class(examples, 0.5, seed=4)
    assert [e.label for e in subsample_per_class(examples, 0.01)].count("乙") == 2  # never fewer than two
    assert len(subsample_per_class(examples, 1.0)) == 50
    with pytest.raises(ValueError):
        subsample_per_class(examples, 0)


def test_learning_curve_trains_on_the_share_and_tests_on_the_whole_fold(tiny_data_dir: Path) -> None:
    data = load_shipped(tiny_data_dir)
    train, test = data.labelled[::2], data.labelled[1::2]
    docs = [document(e.subject, e.body) for e in test]
    for fraction in (1.0, 0.4):
        scores, classes = router_scorer(fraction=fraction, seed=2)(train, test, data.pool, data.taxonomy)
        expected = fit(subsample_per_class(train, fraction, seed=2), pool=data.pool, taxonomy=data.taxonomy)
        assert scores.shape == (len(test), len(classes)) and classes == expected.classes
        assert np.allclose(scores, expected.scores(docs))
    full = router_scorer()(train, test, data.pool, data.taxonomy)[0]
    assert not np.allclose(full, router_scorer(fraction=0.4)(train, test, data.pool, data.taxonomy)[0])
