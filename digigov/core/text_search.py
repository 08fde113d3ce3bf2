"""Chinese text search for every domain: jieba words, the stored token form, the database filter, and ranking.

Text is searched by token, never by substring (so 餐饮 finds 餐饮服务, but 饮服 does not). A domain stores the
tokens of each searchable row in a text column, **wrapped in spaces** (`stored_tokens`: " w1 w2 ... "), so the
database finds candidates with ``contains=" word "`` (`token_filter`) on SQLite and PostgreSQL alike; what it
then ranks, it ranks with the general-corpus weights here (`idf`, `tfidf_keywords`).

* `cut(text, search=...)`: jieba's words, stripped and lower-cased; search mode also yields the parts of long
  words (物业管理 → 物业, 管理, 物业管理). Domains filter them with their own rules on top of `is_word`.
* `tokens` / `query_tokens`: the catalogue form (every search-mode word once, sorted / the precise words of a
  query in order).
* `idf(word)`: jieba's general-corpus rarity (words it has never seen count as the median).

Pure Python over jieba: no models, no database (``token_filter`` only builds a ``Q``).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

import jieba
import jieba.analyse
from django.db.models import Q

jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading to the log otherwise
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


@cache
def ready() -> None:
    jieba.initialize()  # loads the dictionary once per process (about a second)


@cache
def _idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-corpus IDF (270k words) and its median, used for words it has never seen."""
    ready()
    table = jieba.analyse.default_tfidf
    return table.idf_freq, float(table.median_idf)


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII: ３号线 → 3号线) and whitespace squeezed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def is_word(word: str) -> bool:
    """Two characters or more of CJK, letters or digits: single characters are mostly function words (的, 由, 可)
    that match everything, and punctuation matches nothing."""
    return len(word) > 1 and bool(_WORD.fullmatch(word))


def cut(text: str, *, search: bool = False) -> Iterator[str]:
    """jieba's words of ``text`` (precise mode, or search mode with ``search``), stripped and lower-cased, in
    order, repeats kept, unfiltered."""
    ready()
    pieces = jieba.cut_for_search(text) if search else jieba.cut(text)
    return (w.strip().lower() for w in pieces)


def tokens(text: str) -> list[str]:
    """The distinct search-mode words of a text, sorted."""
    return sorted({w for w in cut(text, search=True) if is_word(w)})


def stored_tokens(words: Iterable[str]) -> str:
    """The stored form: words wrapped in spaces, so a token match is a substring match on " word "."""
    return " " + " ".join(words) + " "


def search_tokens_for(*parts: str) -> str:
    """The stored form of the distinct search-mode words of ``parts``."""
    return stored_tokens(tokens(" ".join(parts)))


def query_tokens(query: str) -> list[str]:
    """The distinct precise-mode words of a query, in order."""
    return [w for w in dict.fromkeys(cut(query)) if is_word(w)]


def token_filter(field: str, words: Iterable[str], *, every: bool = True) -> Q:
    """Rows whose stored tokens in ``field`` contain every word (``every``) or any word of ``words``."""
    condition = Q()
    for word in words:
        match = Q(**{f"{field}__contains": f" {word} "})
        condition = (condition & match) if every else (condition | match)
    return condition


def idf(word: str) -> float:
    """General-corpus rarity of a word; words jieba has never seen (丽发, 车贷) count as rare as the median."""
    table, median = _idf_table()
    return table.get(word, median)


def tfidf_keywords(words: Sequence[str], top: int) -> list[str]:
    """The ``top`` distinct ``words`` by term frequency x IDF (ties: first appearance), most characteristic
    first."""
    counts = Counter(words)
    order = {word: i for i, word in reversed(list(enumerate(counts)))}
    ranked = sorted(counts, key=lambda w: (-(1 + math.log(counts[w])) * idf(w), order[w]))
    return ranked[:top]
