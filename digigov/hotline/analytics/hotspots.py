"""Hot issues (热点问题): clusters of appeals about one matter in a time window, ranked for the hotline centre.

``find_hot_issues(digests, window_start=..., window_end=...)`` is pure: it reads the digests' stored analytics
tokens (``text.appeal_tokens``), never segments text itself, and runs in a few seconds over 100,000 appeals
(``bench/bench_hotline_hotspots.py``). The steps:

1. **Vectors.** The appeals of the window and of the previous window of the same length are vectorised
   together: each word weighs (1 + log tf) x IDF over these appeals. Words in fewer than ``MIN_DOC_FREQUENCY``
   appeals link nothing, words in more than ``MAX_DOC_FREQUENCY`` of them (小区, 业主, 居民 in a busy month) say
   nothing about which matter it is (but at least ``MAX_DOC_FREQUENCY_FLOOR`` appeals may share a word, so
   that one big matter in a short window keeps its words); both are dropped. Each appeal keeps only its
   ``KEYWORDS_PER_APPEAL`` heaviest words (丽发新城 搅拌站 噪音 扰民 ...), normalised to length 1.
2. **Links.** Two appeals are linked when the cosine of their keyword vectors is at least ``LINK_THRESHOLD``
   (a sparse product computed in row blocks; only links are kept).
3. **Clusters.** Each appeal points to its best-connected neighbour (most links, then most total
   similarity) if that one is better connected than itself; following the pointers ends at a local hub, and
   everything that reaches one hub is one cluster (graph "quick shift": no single weak link can chain two
   matters together, and each cluster grows around its densest appeal). Clusters whose centroids have a
   cosine of at least ``MERGE_THRESHOLD`` are then merged (one matter found around two hubs).
4. **Issues.** A cluster with at least ``min_size`` appeals inside the window is a hot issue: its label
   is the words most of its subjects share, its representatives the appeals closest to its centroid, its
   places the most frequent addresses and streets, and

       heat = size + GROWTH_WEIGHT x max(0, size - previous_size) + SUPPORT_WEIGHT x ln(1 + support)

   where ``size`` counts appeals in the window, ``previous_size`` those of the same cluster in the previous
   window, and ``support`` sums their public support (点赞). Issues are ranked by heat, then size. Growth is
   reported as ``(size - previous_size) / previous_size`` (``None`` when the issue is new in the window).

Size dominates; a surge adds half of the new appeals again; support adds logarithmically, so 2,000 votes on
one message weigh like about 23 more appeals, not 2,000.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Final

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from digigov.hotline.analytics.digests import AppealDigest
from digigov.hotline.analytics.text import words

KEYWORDS_PER_APPEAL: Final = 12
MIN_DOC_FREQUENCY: Final = 2
MAX_DOC_FREQUENCY: Final = 0.05
MAX_DOC_FREQUENCY_FLOOR: Final = 100  # small windows: a matter with 40 appeals must keep its own words
LINK_THRESHOLD: Final = 0.35
MERGE_THRESHOLD: Final = 0.40
MIN_ISSUE_SIZE: Final = 3
GROWTH_WEIGHT: Final = 0.5
SUPPORT_WEIGHT: Final = 3.0
REPRESENTATIVES: Final = 3
LABEL_WORDS: Final = 4
TOP_PLACES: Final = 3
EXCERPT_CHARS: Final = 120
# Rows per block of the similarity product: bounds the memory of one block (its links before thresholding).
_BLOCK_ROWS: Final = 2048
# Subjects read to label a large issue (the closest to its centroid).
_LABEL_SAMPLE: Final = 60


@dataclass(frozen=True, slots=True)
class Representative:
    id: int
    subject: str
    excerpt: str
    street: str
    address: str
    created_at: datetime
    support: int


@dataclass(frozen=True, slots=True)
class HotIssue:
    """One matter: ``label`` (its top words, joined), ``size`` in the window, ``previous_size`` in the previous
    window, ``growth`` ((size - previous) / previous, None when new), ``support`` (sum of 点赞), ``heat`` (the
    ranking score, see the module docstring), up to ``REPRESENTATIVES`` appeals closest to its centre (with
    distinct subjects), top places and streets with counts, and the ids of its members in the window (oldest
    first)."""

    label: str
    keywords: tuple[str, ...]
    size: int
    previous_size: int
    growth: float | None
    support: int
    heat: float
    representatives: tuple[Representative, ...]
    places: tuple[tuple[str, int], ...]
    streets: tuple[tuple[str, int], ...]
    member_ids: tuple[int, ...]
    first_at: datetime
    last_at: datetime


@dataclass(frozen=True, slots=True)
class _Corpus:
    vectors: sp.csr_matrix  # rows: appeals; columns: words; each row its heaviest words, unit length
    vocabulary: dict[str, int]
    doc_frequency: np.ndarray
    ceiling: float  # words in more appeals than this say nothing about which matter (本溪市, 小区 ...)

    def common(self, word: str) -> bool:
        column = self.vocabulary.get(word)
        return column is not None and int(self.doc_frequency[column]) > self.ceiling

    def rarity(self, word: str) -> float:
        """IDF of a word among these appeals (a word they never used counts as used once)."""
        column = self.vocabulary.get(word)
        frequency = int(self.doc_frequency[column]) if column is not None else 1
        return math.log((self.vectors.shape[0] + 1) / (frequency + 1)) + 1.0


def _keyword_vectors(token_lists: Sequence[Sequence[str]]) -> _Corpus:
    """Each appeal as its KEYWORDS_PER_APPEAL heaviest words, weighted (1 + log tf) x IDF, unit length."""
    n = len(token_lists)
    every_word = list(chain.from_iterable(token_lists))
    vocabulary = {word: i for i, word in enumerate(dict.fromkeys(every_word))}
    columns = np.fromiter(map(vocabulary.__getitem__, every_word), dtype=np.int32, count=len(every_word))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    counts = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, indptr), shape=(n, len(vocabulary)))
    counts.sum_duplicates()
    doc_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    ceiling = max(MAX_DOC_FREQUENCY * n, MAX_DOC_FREQUENCY_FLOOR)
    useful = (doc_frequency >= MIN_DOC_FREQUENCY) & (doc_frequency <= ceiling)
    inverse = (np.log((n + 1) / (doc_frequency + 1)) + 1.0) * useful
    counts.data = ((1.0 + np.log(counts.data)) * inverse[counts.indices]).astype(np.float32)
    counts.eliminate_zeros()
    # Keep each row's heaviest words: sort entries by (row, -weight), rank them within their row.
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    order = np.lexsort((-counts.data, rows))
    rank = np.arange(len(order)) - counts.indptr[rows[order]]
    kept = np.sort(order[rank < KEYWORDS_PER_APPEAL])
    kept_rows = rows[kept]
    keywords = sp.csr_matrix(
        (
            counts.data[kept],
            counts.indices[kept],
            np.concatenate(([0], np.cumsum(np.bincount(kept_rows, minlength=n)))),
        ),
        shape=counts.shape,
    )
    norms = np.sqrt(np.asarray(keywords.multiply(keywords).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    vectors = sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ keywords)
    return _Corpus(vectors, vocabulary, doc_frequency, ceiling)


def _links(vectors: sp.csr_matrix) -> sp.csr_matrix:
    """The symmetric graph of pairs with cosine >= LINK_THRESHOLD (no self-links), built block by block."""
    transposed = sp.csr_matrix(vectors.T)
    blocks = []
    for start in range(0, vectors.shape[0], _BLOCK_ROWS):
        block = sp.csr_matrix(vectors[start : start + _BLOCK_ROWS] @ transposed)
        block.data[block.data < LINK_THRESHOLD] = 0
        block.eliminate_zeros()
        blocks.append(block)
    graph = sp.csr_matrix(sp.vstack(blocks, format="csr"))
    graph.setdiag(0)
    graph.eliminate_zeros()
    return graph


def _quick_shift(graph: sp.csr_matrix) -> np.ndarray:
    """Cluster ids: every node follows its best-connected neighbour uphill; a hub and all that reach it form
    one cluster. Isolated nodes are their own cluster."""
    n = graph.shape[0]
    degree = np.diff(graph.indptr)
    strength = np.asarray(graph.sum(axis=1)).ravel()
    # Rank by links, then total similarity, then index: no two nodes are equally dense.
    by_rank = np.lexsort((np.arange(n), strength, degree))
    rank = np.empty(n, dtype=np.int64)
    rank[by_rank] = np.arange(n)
    parent = np.arange(n)
    if graph.nnz:
        best = np.full(n, -1, dtype=np.int64)
        np.maximum.at(best, np.repeat(np.arange(n), degree), rank[graph.indices])
        uphill = best > rank
        parent[uphill] = by_rank[best[uphill]]
    while True:  # pointer jumping: at most log2(depth) rounds
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand


def _merge_close(labels: np.ndarray, vectors: sp.csr_matrix) -> np.ndarray:
    """Merge clusters (of two or more) whose centroids have cosine >= MERGE_THRESHOLD."""
    _, labels = np.unique(labels, return_inverse=True)
    count = int(labels.max()) + 1 if len(labels) else 0
    sizes = np.bincount(labels, minlength=count)
    real = sizes[labels] >= 2
    membership = sp.csr_matrix(
        (np.ones(int(real.sum()), dtype=np.float32), (labels[real], np.flatnonzero(real))),
        shape=(count, vectors.shape[0]),
    )
    centroids = sp.csr_matrix(membership @ vectors)
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    centroids = sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ centroids)
    similar = sp.csr_matrix(centroids @ centroids.T)
    similar.data[similar.data < MERGE_THRESHOLD] = 0
    similar.eliminate_zeros()
    _, merged = connected_components(similar, directed=False)
    return np.asarray(merged[labels])


def _cluster(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, _Corpus]:
    corpus = _keyword_vectors(token_lists)
    return _merge_close(_quick_shift(_links(corpus.vectors)), corpus.vectors), corpus


def cluster_labels(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """A cluster id per appeal (the building block of ``find_hot_issues``; tests use it directly)."""
    if not token_lists:
        return np.zeros(0, dtype=np.int64)
    return _cluster(token_lists)[0]


def _label(subjects: Sequence[str], corpus: _Corpus) -> tuple[str, ...]:
    """The words most of the subjects share, weighed by their rarity among all the appeals read (丽发新城 before
    小区; the city's own name never), in reading order."""
    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    for subject in subjects:
        for position, word in enumerate(dict.fromkeys(words(subject))):
            if corpus.common(word):
                continue
            seen[word] += 1
            first.setdefault(word, position)
    ranked = sorted(seen, key=lambda w: (-seen[w] * corpus.rarity(w), first[w]))
    top = [w for w in ranked if seen[w] >= 2][:LABEL_WORDS] or ranked[:LABEL_WORDS]
    return tuple(sorted(top, key=lambda w: first[w]))


def _distinct_subjects(central: Sequence[AppealDigest], count: int) -> list[AppealDigest]:
    """The first ``count`` appeals whose subjects differ (a re-posted complaint shows once)."""
    chosen: dict[str, AppealDigest] = {}
    for digest in central:
        chosen.setdefault("".join(digest.subject.split()), digest)
        if len(chosen) == count:
            break
    return list(chosen.values())


def _heat(size: int, previous_size: int, support: int) -> float:
    return size + GROWTH_WEIGHT * max(0, size - previous_size) + SUPPORT_WEIGHT * math.log1p(max(0, support))


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def _top(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(v for v in values if v).most_common(TOP_PLACES))


def find_hot_issues(
    digests: Iterable[AppealDigest],
    *,
    window_start: datetime,
    window_end: datetime,
    limit: int = 20,
    min_size: int = MIN_ISSUE_SIZE,
) -> list[HotIssue]:
    """The hot issues of [window_start, window_end), hottest first (at most ``limit``).

    ``digests`` may hold anything; only appeals of the window and of the previous window of the same length
    (for growth) are used. Digests without stored tokens are segmented here (slow for large inputs)."""
    if window_end <= window_start:
        return []
    previous_start = window_start - (window_end - window_start)
    chosen = [d for d in digests if previous_start <= d.created_at < window_end]
    if not chosen:
        return []
    labels, corpus = _cluster([d.analytics_tokens() for d in chosen])
    in_window = np.fromiter((d.created_at >= window_start for d in chosen), dtype=bool, count=len(chosen))
    count = int(labels.max()) + 1
    sizes = np.bincount(labels[in_window], minlength=count)
    previous_sizes = np.bincount(labels[~in_window], minlength=count)
    support = np.bincount(
        labels[in_window],
        weights=np.fromiter((d.support for d in chosen), dtype=np.float64, count=len(chosen))[in_window],
        minlength=count,
    )
    candidates = np.flatnonzero(sizes >= max(1, min_size))
    heats = {int(c): _heat(int(sizes[c]), int(previous_sizes[c]), int(support[c])) for c in candidates}
    ranked = sorted(heats, key=lambda c: (-heats[c], -int(sizes[c]), c))[:limit]
    issues = []
    for cluster in ranked:
        members = np.flatnonzero((labels == cluster) & in_window)
        previous = int(previous_sizes[cluster])
        issues.append(_issue([chosen[i] for i in members], members, corpus, previous, heats[cluster]))
    return issues


def _issue(
    members: Sequence[AppealDigest], rows: np.ndarray, corpus: _Corpus, previous_size: int, heat: float
) -> HotIssue:
    vectors = corpus.vectors[rows]
    if vectors.nnz:
        centroid = np.asarray(vectors.mean(axis=0)).ravel()
        closeness = np.asarray(vectors @ centroid).ravel()
        order = [int(i) for i in np.argsort(-closeness, kind="stable")]
    else:
        order = list(range(len(members)))
    central = [members[i] for i in order]
    keywords = _label([d.subject for d in central[:_LABEL_SAMPLE]], corpus)
    support = sum(d.support for d in members)
    size = len(members)
    return HotIssue(
        label=" ".join(keywords),
        keywords=keywords,
        size=size,
        previous_size=previous_size,
        growth=(size - previous_size) / previous_size if previous_size else None,
        support=support,
        heat=round(heat, 2),
        representatives=tuple(
            Representative(
                id=d.id,
                subject=d.subject,
                excerpt=excerpt(d.text),
                street=d.street,
                address=d.address,
                created_at=d.created_at,
                support=d.support,
            )
            for d in _distinct_subjects(central, REPRESENTATIVES)
        ),
        places=_top(d.address for d in members),
        streets=_top(d.street for d in members),
        member_ids=tuple(d.id for d in sorted(members, key=lambda d: (d.created_at, d.id))),
        first_at=min(d.created_at for d in members),
        last_at=max(d.created_at for d in members),
    )
