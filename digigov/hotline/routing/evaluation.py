"""Honest cross-validation of the router: a held-out message never reaches any training source.

Repeated stratified k-fold over the gold examples. For each fold, the pool loses every message whose id, whole
normalised text (subject + body) or normalised subject equals a held-out message's, so the held-out messages
are neither labelled nor pseudo-labelled nor seen in any other way; pseudo-labels come from the fold's
training labels only. The taxonomy names are not messages and always stay.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from digigov.hotline.routing.data import Example, TrainingData
from digigov.hotline.routing.model import Params, fit, softmax
from digigov.hotline.routing.text import document, normalise

TEMPERATURES = tuple(float(t) for t in np.round(np.arange(0.5, 12.01, 0.25), 2))


@dataclass
class CVReport:
    method: str
    folds: int
    seeds: tuple[int, ...]
    examples: int
    macro_f1: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    per_class_f1: dict[str, float] = field(default_factory=dict)
    temperature: float | None = None  # fitted on the out-of-fold scores (log loss)
    routed_share: dict[str, float] = field(default_factory=dict)  # threshold -> share at or above it
    routed_accuracy: dict[str, float] = field(default_factory=dict)  # threshold -> accuracy of those
    seconds: float = 0.0

    @property
    def macro_f1_mean(self) -> float:
        return float(np.mean(self.macro_f1))

    @property
    def macro_f1_std(self) -> float:
        return float(np.std(self.macro_f1))

    @property
    def accuracy_mean(self) -> float:
        return float(np.mean(self.accuracy))

    @property
    def accuracy_std(self) -> float:
        return float(np.std(self.accuracy))

    def summary(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "cv": f"{self.folds}-fold x {len(self.seeds)} seeds",
            "examples": self.examples,
            "macro_f1": round(self.macro_f1_mean, 4),
            "macro_f1_std": round(self.macro_f1_std, 4),
            "accuracy": round(self.accuracy_mean, 4),
            "accuracy_std": round(self.accuracy_std, 4),
            "per_class_f1": {k: round(v, 4) for k, v in self.per_class_f1.items()},
            "temperature": self.temperature,
            "routed_share": self.routed_share,
            "routed_accuracy": self.routed_accuracy,
        }


def pool_without(pool: Sequence[Example], held_out: Sequence[Example]) -> list[Example]:
    """The pool less every message that is, or might be, a held-out one (same id, text or subject)."""
    ids = {e.id for e in held_out if e.id}
    keys = {e.key for e in held_out}
    subjects = {normalise(e.subject) for e in held_out}
    return [e for e in pool if e.id not in ids and e.key not in keys and normalise(e.subject) not in subjects]


def overlap(data: TrainingData) -> dict[str, dict[str, int]]:
    """How many pool messages per source share an id, a text or a subject with a gold example."""
    ids = {e.id for e in data.labelled}
    keys = {e.key for e in data.labelled}
    subjects = {normalise(e.subject) for e in data.labelled}
    report: dict[str, dict[str, int]] = {}
    for example in data.pool:
        row = report.setdefault(example.source, {"messages": 0, "same_id": 0, "same_text": 0, "same_subject": 0})
        row["messages"] += 1
        row["same_id"] += example.id in ids
        row["same_text"] += example.key in keys
        row["same_subject"] += normalise(example.subject) in subjects
    return report


Scorer = Callable[[list[Example], list[Example], list[Example], list[Example]], tuple[np.ndarray, list[str]]]


def subsample_per_class(examples: Sequence[Example], fraction: float, seed: int = 0) -> list[Example]:
    """A stratified share of ``examples``: ``fraction`` of each class (at least two), drawn with ``seed``;
    with fraction 1, all of them as they are."""
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    if fraction == 1:
        return list(examples)
    by_label: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example)
    draw = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    kept: list[Example] = []
    for label in sorted(by_label):
        members = by_label[label]
        kept.extend(draw.sample(members, min(len(members), max(2, round(len(members) * fraction)))))
    return kept


def router_scorer(params: Params | None = None, *, fraction: float = 1.0, seed: int = 0) -> Scorer:
    """The router trained on each fold's gold messages (for a learning curve, on a stratified ``fraction`` of
    them: what more confirmed labels would be worth) and tested on the whole held-out fold."""
    params = params or Params()

    def score(train: list[Example], test: list[Example], pool: list[Example], taxonomy: list[Example]):
        model = fit(subsample_per_class(train, fraction, seed), pool=pool, taxonomy=taxonomy, params=params)
        return model.scores([_doc(e) for e in test]), model.classes

    return score


def baseline_scorer() -> Scorer:
    """The reference point: character 1-3-gram TF-IDF + LinearSVC on subject and body, gold examples only."""

    def score(train: list[Example], test: list[Example], pool: list[Example], taxonomy: list[Example]):
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        x = vectorizer.fit_transform([normalise(e.subject) + normalise(e.body) for e in train])
        svm = LinearSVC(random_state=0).fit(x, [e.label for e in train])
        test_x = vectorizer.transform([normalise(e.subject) + normalise(e.body) for e in test])
        return svm.decision_function(test_x), [str(c) for c in svm.classes_]

    return score


def _doc(example: Example) -> str:
    return document(example.subject, example.body)


def cross_validate(
    data: TrainingData,
    *,
    params: Params | None = None,
    folds: int = 5,
    seeds: Sequence[int] = (0, 1, 2),
    scorer: Scorer | None = None,
    method: str = "router",
    thresholds: Sequence[float] = (0.5, 0.6, 0.7, 0.8),
    progress: Callable[[str], None] | None = None,
) -> CVReport:
    """Repeated stratified k-fold of the router (or another ``scorer``) on ``data.labelled``."""
    started = time.perf_counter()
    params = params or Params()
    scorer = scorer or router_scorer(params)
    labelled = list(data.labelled)
    y = np.array([e.label for e in labelled])
    report = CVReport(method=method, folds=folds, seeds=tuple(seeds), examples=len(labelled))
    all_scores, all_true, all_pred = [], [], []
    classes: list[str] = []
    for seed in seeds:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        for number, (train_rows, test_rows) in enumerate(splitter.split(np.zeros(len(y)), y)):
            train = [labelled[i] for i in train_rows]
            test = [labelled[i] for i in test_rows]
            scores, classes = scorer(train, test, pool_without(data.pool, test), data.taxonomy)
            predicted = np.array(classes)[scores.argmax(axis=1)]
            report.macro_f1.append(float(f1_score(y[test_rows], predicted, average="macro")))
            report.accuracy.append(float(accuracy_score(y[test_rows], predicted)))
            all_scores.append(scores)
            all_true.append(y[test_rows])
            all_pred.append(predicted)
            if progress:
                progress(f"seed {seed} fold {number + 1}: macro-F1 {report.macro_f1[-1]:.4f}")
    true, pred = np.concatenate(all_true), np.concatenate(all_pred)
    labels = sorted(set(true))
    per_class = f1_score(true, pred, labels=labels, average=None)
    report.per_class_f1 = {label: float(v) for label, v in zip(labels, per_class, strict=True)}
    scores = np.vstack(all_scores)
    truth = np.array([classes.index(t) if t in classes else -1 for t in true])
    report.temperature = fit_temperature(scores, truth)
    confidence = softmax(scores, report.temperature).max(axis=1)
    correct = pred == true
    for threshold in thresholds:
        routed = confidence >= threshold
        report.routed_share[f"{threshold:.2f}"] = round(float(routed.mean()), 4)
        report.routed_accuracy[f"{threshold:.2f}"] = round(float(correct[routed].mean()) if routed.any() else 0.0, 4)
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature with the least log loss on out-of-fold scores (calibrated confidence)."""
    known = truth >= 0
    best, best_loss = 1.0, float("inf")
    for temperature in TEMPERATURES:
        p = softmax(scores[known], temperature)[np.arange(known.sum()), truth[known]]
        loss = float(-np.log(np.clip(p, 1e-12, 1)).mean())
        if loss < best_loss:
            best, best_loss = temperature, loss
    return best
