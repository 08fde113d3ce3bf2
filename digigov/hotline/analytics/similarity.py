"""Duplicate detection at intake: which open appeals look like the same matter as a new one, and why.

``similar_appeals(new, candidates)`` is pure. The caller narrows ``candidates`` in the database to open
appeals of the same street or district created within ``DUPLICATE_WINDOW`` (``queries.similar_open_appeals``
does, and applies the ``Prefilter`` there too, on the words table); this function prefilters them by shared
rare words (``Prefilter``), scores the survivors and explains each flag.

Text similarity is the cosine of the two appeals' stored analytics tokens (``text.appeal_tokens``: subject
words plus the body's keywords), each word weighted (1 + log tf) x IDF from jieba's general corpus, so
丽发新城 and 搅拌站 count far more than 小区 or 噪音. An appeal is flagged when

* its text similarity is at least ``TEXT_THRESHOLD``, or
* its text similarity is at least ``TEXT_THRESHOLD_SAME_PLACE`` and it names the same place (the same
  address, one address inside the other, or most address words shared),

and it was created within ``DUPLICATE_WINDOW`` of the new appeal. The score shown to the dispatcher is the
text similarity plus ``ADDRESS_BONUS`` (same place) or ``STREET_BONUS`` (same street only), capped at 1.

Tuning (public message board data, ``messages_votes.csv``; see ``docs/performance.md``): pairs of messages
about one matter (丽发新城搅拌站, 伊景园滨河苑捆绑车位, 58车贷案, 茶场村五组拆迁 ...) mostly score 0.35-0.8, exact
re-posts 0.85-1.0; pairs about the same 小区 but another matter (丽发新城搅拌站 vs 丽发新城道路) 0.25-0.35; two
unrelated messages of one district rarely exceed 0.3. At 0.50 alone few unrelated pairs pass; between 0.35
and 0.50 the shared place decides.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from digigov.core.text_search import idf, normalise
from digigov.hotline.analytics.digests import AppealDigest
from digigov.hotline.analytics.text import words

TEXT_THRESHOLD: Final = 0.45
TEXT_THRESHOLD_SAME_PLACE: Final = 0.35
ADDRESS_BONUS: Final = 0.10
STREET_BONUS: Final = 0.05
DUPLICATE_WINDOW: Final = timedelta(days=30)
# Prefilter: a candidate must share at least one of the new appeal's ANCHOR_WORDS rarest words. A duplicate
# (cosine >= 0.35 over IDF-weighted words) always shares some of them; unrelated appeals mostly share none.
ANCHOR_WORDS: Final = 8
# Address words shared for "same place" when neither address contains the other (Jaccard).
ADDRESS_OVERLAP: Final = 0.5
MAX_RESULTS: Final = 10


@dataclass(frozen=True, slots=True)
class SimilarAppeal:
    """One flagged candidate: its id, the score (0-1), the text similarity alone, and the reasons in Chinese
    for the dispatcher (文本相似度 0.72 / 同一地点：丽发新城 / 同一街道：平山街道 / 3天前)."""

    id: int
    score: float
    text_similarity: float
    same_place: bool
    same_street: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Vector:
    weights: dict[str, float]
    norm: float


def _vector(tokens: Iterable[str]) -> _Vector:
    counts = Counter(tokens)
    weights = {word: (1.0 + math.log(n)) * idf(word) for word, n in counts.items()}
    return _Vector(weights, math.sqrt(sum(w * w for w in weights.values())) or 1.0)


def _cosine(a: _Vector, b: _Vector) -> float:
    small, large = (a, b) if len(a.weights) <= len(b.weights) else (b, a)
    dot = sum(w * large.weights.get(word, 0.0) for word, w in small.weights.items())
    return dot / (a.norm * b.norm)


def anchors(tokens: Iterable[str], count: int | None = None) -> list[str]:
    """The ``count`` (default ``ANCHOR_WORDS``) rarest distinct words, highest IDF first: what a duplicate
    must share at least one of."""
    distinct = list(dict.fromkeys(tokens))
    return sorted(distinct, key=lambda w: -idf(w))[: count or ANCHOR_WORDS]


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What a candidate must have for ``similar_appeals`` to flag it, as data a database can test too: at least
    one of the new appeal's ``anchors`` (``anchor_rank``: the rarest is highest), and shared words whose
    squared weights in the new appeal's vector (``squared``) add up to ``min_squared`` or more — by
    Cauchy-Schwarz, the cosine is at most the share of the new vector's length on the shared words."""

    vector: _Vector
    anchor_rank: dict[str, int]
    squared: dict[str, float]
    min_squared: float

    def admits(self, tokens: Iterable[str]) -> bool:
        shared = self.vector.weights.keys() & set(tokens)
        if not any(word in self.anchor_rank for word in shared):
            return False
        return sum(self.squared[word] for word in shared) >= self.min_squared


def prefilter(tokens: Sequence[str]) -> Prefilter:
    """The prefilter of a new appeal with these analytics tokens."""
    vector = _vector(tokens)
    ranked = anchors(tokens)
    return Prefilter(
        vector=vector,
        anchor_rank={word: len(ranked) - i for i, word in enumerate(ranked)},
        squared={word: w * w for word, w in vector.weights.items()},
        min_squared=(TEXT_THRESHOLD_SAME_PLACE * vector.norm) ** 2,
    )


# The administrative part of an address (本溪市 平山区 平山街道, A2区, 星沙镇) and a trailing 小区/社区 say where
# the place is, not which place it is: they are cut before two addresses are compared.
_ADMINISTRATIVE = re.compile(r"^(?:[\u4e00-\u9fffA-Z0-9]{1,8}?(?:省|市|县|(?<![小社园校景])区|街道|镇|乡))+")
_GENERIC_TAIL = re.compile(r"(?:小区|社区|居民区)$")


def place_core(address: str) -> str:
    """An address without its administrative prefix and generic tail: 平山街道丽发新城小区 → 丽发新城."""
    key = normalise(address).replace(" ", "")
    core = _GENERIC_TAIL.sub("", _ADMINISTRATIVE.sub("", key))
    return core or key


def same_place(a: str, b: str) -> bool:
    """Two addresses name the same place: once the administrative part is cut (``place_core``), equal, one
    inside the other (丽发新城 / A2区丽发新城小区7栋), or most of their words shared. Empty addresses and
    addresses that share only their district or street never match."""
    if not a.strip() or not b.strip():
        return False
    a, b = place_core(a), place_core(b)
    if len(a) < 2 or len(b) < 2:
        return False
    if a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a)):
        return True
    words_a, words_b = set(words(a)), set(words(b))
    if not words_a or not words_b:
        return False
    return len(words_a & words_b) / len(words_a | words_b) >= ADDRESS_OVERLAP


def _age(days: float) -> str:
    if days < 1:
        return "同一天"
    return f"{int(days)}天前" if days > 0 else f"{int(-days)}天后"


def similar_appeals(
    new: AppealDigest,
    candidates: Sequence[AppealDigest],
    *,
    window: timedelta = DUPLICATE_WINDOW,
    limit: int = MAX_RESULTS,
) -> list[SimilarAppeal]:
    """The candidates that look like the same matter as ``new``, best first (at most ``limit``).

    ``new`` itself (same id) is never returned. Candidates without stored tokens are segmented here (slow:
    pass stored tokens for anything more than a few dozen candidates)."""
    new_tokens = new.analytics_tokens()
    if not new_tokens:
        return []
    new_filter = prefilter(new_tokens)
    new_vector = new_filter.vector
    found: list[SimilarAppeal] = []
    for candidate in candidates:
        if candidate.id == new.id:
            continue
        age = new.created_at - candidate.created_at
        if abs(age) > window:
            continue
        tokens = candidate.analytics_tokens()
        if not new_filter.admits(tokens):
            continue
        text_similarity = _cosine(new_vector, _vector(tokens))
        if text_similarity < TEXT_THRESHOLD_SAME_PLACE:
            continue
        place = same_place(new.address, candidate.address)
        if text_similarity < TEXT_THRESHOLD and not place:
            continue
        street = bool(new.street) and new.street == candidate.street
        bonus = ADDRESS_BONUS if place else STREET_BONUS if street else 0.0
        reasons = [f"文本相似度 {text_similarity:.2f}"]
        if place:
            reasons.append(f"同一地点：{candidate.address}")
        if street:
            reasons.append(f"同一街道：{candidate.street}")
        reasons.append(_age(age.total_seconds() / 86400))
        found.append(
            SimilarAppeal(
                id=candidate.id,
                score=round(min(1.0, text_similarity + bonus), 3),
                text_similarity=round(text_similarity, 3),
                same_place=place,
                same_street=street,
                reasons=tuple(reasons),
            )
        )
    found.sort(key=lambda s: (-s.score, s.id))
    return found[:limit]
