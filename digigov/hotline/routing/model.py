"""The level-1 classifier: character n-gram TF-IDF, a linear SVM, and class-balanced self-training.

Method (chosen by repeated, leak-free cross-validation; figures in docs/performance.md, "12345 routing"):

1. Each message becomes one document (``text.document``): subject twice, the start of the body, place codes
   masked. Features are TF-IDF of character 1-3-grams (sublinear tf, n-grams seen in at least two gold
   examples, IDF from the gold examples).
2. A linear SVM (one-vs-rest) learns from the gold examples and from the taxonomy's level-2/level-3 names
   (weight ``taxonomy_weight``).
3. Self-training: the SVM labels the unlabeled pool; for each class, the pool messages it puts there with the
   widest margin, up to ``pseudo_ratio`` times the class's gold count, join the training set and the SVM is
   trained again. Capping per class keeps the pool (which leans heavily to 城乡建设 and holds messages of
   classes outside the seven) from swamping the small classes; without the cap self-training hurts.
4. Confidence is the softmax of the SVM scores at a temperature fitted on out-of-fold scores.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from digigov.hotline.routing.data import Example, TrainingData
from digigov.hotline.routing.text import document

ALGORITHM = "char1-3 TF-IDF + LinearSVC, taxonomy names, class-balanced self-training"
FORMAT_VERSION = 2  # 2: weights stored transposed (features x classes)


@dataclass(frozen=True)
class Params:
    C: float = 10.0
    min_df: int = 2
    taxonomy_weight: float = 0.5
    pseudo_ratio: float = 1.0  # pool messages taken per gold example of the class; 0 turns self-training off
    pseudo_weight: float = 1.0
    temperature: float = 4.25  # softmax(temperature * SVM score): the out-of-fold fit (bench_hotline_routing)


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float


@dataclass(frozen=True)
class Routing:
    """Where an appeal goes: ``label`` when ``needs_dispatcher`` is false, else a dispatcher chooses."""

    label: str
    confidence: float
    needs_dispatcher: bool
    suggestions: list[Suggestion]
    version: int | None


@dataclass
class RoutingModel:
    """What a model file holds: the fitted vectorizer and the linear scores, plus how it was made."""

    vectorizer: TfidfVectorizer
    weights: np.ndarray  # (features, classes), float32, C-contiguous: the SVM's coefficients transposed
    intercept: np.ndarray  # (classes,)
    classes: list[str]
    params: Params
    trained_on: dict[str, int]
    algorithm: str = ALGORITHM
    train_seconds: float = 0.0
    pseudo_labelled: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def scores(self, documents: Sequence[str]) -> np.ndarray:
        if len(documents) == 1:
            return self._score_one(documents[0])[np.newaxis, :]
        features = self.vectorizer.transform(documents)
        return np.asarray(features @ self.weights) + self.intercept

    def _score_one(self, text: str) -> np.ndarray:
        """The same TF-IDF as ``vectorizer.transform`` (sublinear tf, idf, l2), without its per-call overhead:
        one appeal is scored in a fraction of a millisecond."""
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = (self.vectorizer.build_analyzer(), self.vectorizer.vocabulary_, self.vectorizer.idf_)
            self.__dict__["_fast"] = fast
        analyzer, vocabulary, idf = fast
        counts = Counter(vocabulary[gram] for gram in analyzer(text) if gram in vocabulary)
        if not counts:
            return self.intercept.copy()
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[columns]
        values /= np.sqrt(values @ values)
        return np.asarray(values @ self.weights[columns]) + self.intercept

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_fast"}  # the cache is rebuilt after loading

    def probabilities(self, documents: Sequence[str]) -> np.ndarray:
        return softmax(self.scores(documents), self.params.temperature)

    def describe(self) -> dict[str, Any]:
        return {"params": asdict(self.params), "classes": self.classes, "pseudo_labelled": self.pseudo_labelled}


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _svm(params: Params, features: sp.spmatrix, labels: np.ndarray, weights: np.ndarray) -> LinearSVC:
    return LinearSVC(C=params.C, max_iter=10_000, random_state=0).fit(features, labels, sample_weight=weights)


def _documents(examples: Sequence[Example]) -> list[str]:
    return [document(e.subject, e.body) for e in examples]


def fit(
    labelled: Sequence[Example],
    *,
    pool: Sequence[Example] = (),
    taxonomy: Sequence[Example] = (),
    params: Params | None = None,
) -> RoutingModel:
    """Train on gold examples, taxonomy names and a pool to pseudo-label (see the module's docstring)."""
    params = params or Params()
    started = time.perf_counter()
    if len({e.label for e in labelled}) < 2:
        raise ValueError("training needs gold examples of at least two classes")
    classes_present = {e.label for e in labelled}
    taxonomy = [e for e in taxonomy if e.label in classes_present]
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), min_df=params.min_df, sublinear_tf=True, dtype=np.float32
    )
    gold_x = vectorizer.fit_transform(_documents(labelled))
    gold_y = np.array([e.label for e in labelled])
    blocks, labels = [gold_x], [gold_y]
    weights = [np.ones(len(labelled))]
    if taxonomy and params.taxonomy_weight > 0:
        blocks.append(vectorizer.transform(_documents(taxonomy)))
        labels.append(np.array([e.label for e in taxonomy]))
        weights.append(np.full(len(taxonomy), params.taxonomy_weight))
    x, y, w = sp.vstack(blocks).tocsr(), np.concatenate(labels), np.concatenate(weights)
    svm = _svm(params, x, y, w)
    pseudo: dict[str, int] = {}
    if pool and params.pseudo_ratio > 0:
        pool_x = vectorizer.transform(_documents(pool))
        chosen, chosen_labels = _pseudo_labels(svm, pool_x, Counter(gold_y.tolist()), params.pseudo_ratio)
        if len(chosen):
            pseudo = dict(sorted(Counter(chosen_labels.tolist()).items()))
            x = sp.vstack([x, pool_x[chosen]]).tocsr()
            y = np.concatenate([y, chosen_labels])
            w = np.concatenate([w, np.full(len(chosen), params.pseudo_weight)])
            svm = _svm(params, x, y, w)
    counts = Counter(e.source or "gold" for e in labelled)
    counts["pool"] = len(pool)
    counts["pseudo_labelled"] = sum(pseudo.values())
    counts["taxonomy"] = len(taxonomy)
    return RoutingModel(
        vectorizer=vectorizer,
        weights=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        intercept=np.asarray(svm.intercept_, dtype=np.float64),
        classes=[str(c) for c in svm.classes_],
        params=params,
        trained_on=dict(sorted(counts.items())),
        train_seconds=round(time.perf_counter() - started, 2),
        pseudo_labelled=pseudo,
    )


def _pseudo_labels(
    svm: LinearSVC, pool_x: sp.spmatrix, gold_counts: Counter[str], ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per class, the pool rows predicted there with the widest margin, at most ratio x its gold count."""
    scores = svm.decision_function(pool_x)
    predicted = scores.argmax(axis=1)
    ordered = np.sort(scores, axis=1)
    margin = ordered[:, -1] - ordered[:, -2]
    chosen: list[np.ndarray] = []
    for index, label in enumerate(svm.classes_):
        rows = np.flatnonzero(predicted == index)
        take = int(gold_counts[str(label)] * ratio)
        chosen.append(rows[np.argsort(-margin[rows], kind="stable")][:take])
    rows = np.concatenate(chosen) if chosen else np.array([], dtype=int)
    return rows, svm.classes_[predicted[rows]]


def train(data: TrainingData, *, params: Params | None = None) -> RoutingModel:
    """A model from everything in ``data`` (see ``store.gather_training_data`` for what goes in)."""
    return fit(data.labelled, pool=data.pool, taxonomy=data.taxonomy, params=params)


class Router:
    """Suggests level-1 categories for one appeal or many with a loaded model."""

    def __init__(self, model: RoutingModel, version: int | None = None) -> None:
        self.model = model
        self.version = version

    @property
    def labels(self) -> list[str]:
        return list(self.model.classes)

    def suggest(self, subject: str, body: str, top: int = 3) -> list[Suggestion]:
        """The ``top`` most likely categories, most likely first, confidences in [0, 1] summing to at most 1."""
        probabilities = self.model.probabilities([document(subject, body)])[0]
        return self._ranked(probabilities, top)

    def suggest_many(self, messages: Sequence[tuple[str, str]], top: int = 1) -> list[list[Suggestion]]:
        """``suggest`` for many (subject, body) pairs at once, in order; faster per message."""
        if not messages:
            return []
        probabilities = self.model.probabilities([document(s, b) for s, b in messages])
        return [self._ranked(row, top) for row in probabilities]

    def route(self, subject: str, body: str, *, threshold: float | None = None, top: int = 3) -> Routing:
        """The best category, and whether its confidence is below the threshold (a dispatcher decides)."""
        if threshold is None:
            from django.conf import settings

            threshold = float(settings.HOTLINE_ROUTING_THRESHOLD)
        suggestions = self.suggest(subject, body, top=max(top, 1))
        best = suggestions[0]
        return Routing(
            label=best.label,
            confidence=best.confidence,
            needs_dispatcher=best.confidence < threshold,
            suggestions=suggestions,
            version=self.version,
        )

    def _ranked(self, probabilities: np.ndarray, top: int) -> list[Suggestion]:
        order = np.argsort(-probabilities, kind="stable")[: max(top, 0)]
        return [Suggestion(self.model.classes[i], float(min(max(probabilities[i], 0.0), 1.0))) for i in order]
