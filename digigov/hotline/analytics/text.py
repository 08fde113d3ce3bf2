"""Chinese text for the hotline's analytics: the hotline's word filter (stopwords, numbers, administrative
codes) over the shared jieba machinery of ``digigov.core.text_search`` (segmentation, normalisation, IDF).

Two token forms are produced here and stored on rows by the writers (segmenting is the slow part, about
0.3-1 ms per appeal, so it happens once, at intake, never when a report runs):

* ``appeal_tokens(subject, text)``: the analytics form. Precise-mode jieba words of the subject, then the
  body's strongest keywords (term frequency x jieba's general-corpus IDF), space-separated and wrapped in
  spaces, in that order;
  a subject word that is also a body keyword appears twice, which is how the subject weighs more.
  Duplicate detection and hot issues read it.
* ``knowledge_tokens(text)`` (in ``knowledge.py``): the search form, every search-mode word once, wrapped
  in spaces (``core.text_search.stored_tokens``), so a token match is ``contains=" word "``.

Both drop stopwords (function words and the hotline's own boilerplate: 尊敬的领导, 反映, 投诉, 希望...),
single characters, and pure numbers. The anonymised administrative codes of the public data set (A市, A2区,
K7县) are cut out before jieba sees the text: otherwise jieba glues them onto the next word (区景蓉华苑).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from digigov.core.text_search import cut, is_word, normalise, stored_tokens, tfidf_keywords

# Tokens longer than this are HMM accidents (whole clauses glued together); they would never match anything.
MAX_TOKEN_LENGTH: Final = 12
# How many body keywords ``appeal_tokens`` keeps (the subject's words are all kept). 20 covers the issue of
# a typical 200-500 character complaint; more only adds words every complaint shares.
BODY_KEYWORDS: Final = 20
# Bodies longer than this are cut before segmenting: the issue is stated at the start, and the cost is linear.
MAX_BODY_CHARS: Final = 2000

_ADMIN_CODE = re.compile(r"[A-Z]\d{0,2}[市区县]")
_NUMBER = re.compile(r"[0-9]+(?:号|楼|栋|层|室|元|米|年|月|日|点|分|个|万|天|户|人|次|号线)?")

# Function words, pronouns, and the formulas every appeal carries; none of them says what the issue is.
STOPWORDS: Final[frozenset[str]] = frozenset(
    word
    for line in (Path(__file__).parent / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)


def admin_codes(text: str) -> list[str]:
    """The anonymised administrative codes in a text, in order of appearance (A市, A2区, K7县)."""
    return _ADMIN_CODE.findall(normalise(text))


def _pieces(text: str) -> Iterator[str]:
    """The text between administrative codes (each piece is segmented on its own)."""
    yield from _ADMIN_CODE.split(normalise(text))


def is_token(word: str) -> bool:
    """A word worth keeping: two to MAX_TOKEN_LENGTH letters, not a stopword, not a bare number or count."""
    return (
        1 < len(word) <= MAX_TOKEN_LENGTH
        and word not in STOPWORDS
        and is_word(word)
        and _NUMBER.fullmatch(word) is None
    )


def words(text: str) -> list[str]:
    """Precise-mode jieba words of a text, lower-cased and filtered (``is_token``), in order, repeats kept."""
    found: list[str] = []
    for piece in _pieces(text):
        found.extend(w for w in cut(piece) if is_token(w))
    return found


def search_words(text: str) -> list[str]:
    """Search-mode jieba words (物业管理 → 物业, 管理, 物业管理), filtered, in order, repeats kept."""
    found: list[str] = []
    for piece in _pieces(text):
        found.extend(w for w in cut(piece, search=True) if is_token(w))
    return found


def keywords(text: str, top: int) -> list[str]:
    """The ``top`` words of a text by term frequency x IDF (ties: first appearance), most characteristic first."""
    return tfidf_keywords(words(text), top)


def appeal_tokens(subject: str, text: str) -> str:
    """The analytics token string of an appeal (see the module docstring): subject words, then body keywords,
    wrapped in spaces so that the database can prefilter with ``contains=" word "``."""
    subject_words = list(dict.fromkeys(words(subject)))
    body = keywords(text[:MAX_BODY_CHARS], BODY_KEYWORDS)
    return stored_tokens([*subject_words, *body])
