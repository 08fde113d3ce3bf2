"""The knowledge base agents search while on the phone: tokens to store, ranking, and Q&A from real replies.

* ``knowledge_tokens(text)``: the stored search form of an entry (jieba search-mode words, stopwords out,
  each once, wrapped in spaces: ``core.text_search.stored_tokens``), so the database finds candidates with
  ``search_tokens__contains=" word "``.
* ``knowledge_query_tokens(query)``: the words of what the agent typed, most specific first.
* ``rank_knowledge(query, entries)``: BM25 over a small candidate set fetched by token match (see
  ``queries.search_knowledge``). Stored tokens are a set, so term frequency is 0/1 and BM25 reduces to IDF
  with length normalisation; IDF comes from jieba's general corpus (the candidate set is too small and too
  biased to estimate it). A query word found in the question counts ``QUESTION_BOOST`` times.
* ``qa_from_reply(row)``: a row of ``messages_replies.csv`` as a clean entry: the question is the subject and
  the start of the message; the answer is the department's reply without its salutation, receipt formula,
  "现将有关情况回复如下", thanks, date and signature. Replies that only say the message was forwarded carry no
  knowledge and give None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from digigov.core.text_search import idf, normalise, stored_tokens
from digigov.hotline.analytics.text import search_words, words

BM25_K1: Final = 1.2
BM25_B: Final = 0.75
QUESTION_BOOST: Final = 2.0
QUESTION_MAX_CHARS: Final = 300  # KnowledgeEntry.question
ANSWER_MAX_CHARS: Final = 5000
MIN_ANSWER_CHARS: Final = 30  # shorter cleaned replies are receipts ("已转相关部门处理"), not answers
QUERY_MAX_CHARS: Final = 200


def knowledge_tokens(text: str) -> str:
    """ " w1 w2 ... ": the distinct search-mode words of ``text``, sorted, wrapped in spaces."""
    return stored_tokens(sorted(set(search_words(text))))


def knowledge_query_tokens(query: str) -> list[str]:
    """The distinct words of a query (precise and search mode, so 物业管理费 finds 物业 and 管理费), rarest
    first: the order to use when only the first few can go into the database filter."""
    query = query[:QUERY_MAX_CHARS]
    distinct = list(dict.fromkeys([*words(query), *search_words(query)]))
    return sorted(distinct, key=lambda w: -idf(w))


class KnowledgeLike(Protocol):
    """What ranking reads: ``KnowledgeEntry`` rows fit, and so do plain objects in tests."""

    @property
    def id(self) -> int: ...
    @property
    def question(self) -> str: ...
    @property
    def search_tokens(self) -> str: ...


@dataclass(frozen=True, slots=True)
class KnowledgeHit:
    id: int
    score: float
    matched: tuple[str, ...]


def rank_knowledge(query: str, entries: Sequence[KnowledgeLike], *, top: int = 10) -> list[KnowledgeHit]:
    """The best ``top`` entries for the query, best first; entries matching no query word are left out."""
    terms = knowledge_query_tokens(query)
    if not terms or not entries:
        return []
    token_sets = [set(entry.search_tokens.split()) for entry in entries]
    average_length = sum(len(t) for t in token_sets) / len(token_sets) or 1.0
    hits: list[KnowledgeHit] = []
    for entry, tokens in zip(entries, token_sets, strict=True):
        matched = [term for term in terms if term in tokens]
        if not matched:
            continue
        norm = BM25_K1 * (1 - BM25_B + BM25_B * len(tokens) / average_length)
        question = entry.question.lower()
        score = sum(
            idf(term) * (BM25_K1 + 1) / (1 + norm) * (QUESTION_BOOST if term in question else 1.0) for term in matched
        )
        hits.append(KnowledgeHit(id=entry.id, score=round(score, 4), matched=tuple(matched)))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:top]


@dataclass(frozen=True, slots=True)
class KnowledgeMatch:
    """A knowledge-base entry found for a query (``entry`` is the ``KnowledgeEntry`` row)."""

    entry: Any
    score: float
    matched: tuple[str, ...]


def search_knowledge(query: str, *, limit: int = 5, entries: Any = None) -> list[KnowledgeMatch]:
    """What an agent's query finds in the knowledge base (``entries``: a scoped ``KnowledgeEntry`` queryset,
    default all), best first: candidates by token match in the database, ranked here."""
    from digigov.hotline.analytics.queries import knowledge_candidates  # late: queries imports the models

    candidates = knowledge_candidates(knowledge_query_tokens(query), entries)
    by_id = {entry.id: entry for entry in candidates}
    return [KnowledgeMatch(by_id[h.id], h.score, h.matched) for h in rank_knowledge(query, candidates, top=limit)]


# --- Q&A from the public replies -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QAEntry:
    source_id: int
    question: str
    answer: str
    subject: str
    category: str | None = None


# Applied again and again at the start of a reply until none matches (after NFKC: ！→!, ：→:, ，→,).
_ANSWER_OPENINGS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"^(?:尊敬的)?(?:网友|网民|市民|群众)?\s*[“\"][^”\"]{0,24}[”\"]\s*[:,]?\s*",
        r"^(?:尊敬的)?(?:网友|网民|市民|群众|来信人)\s*[:,]?\s*",
        r"^[^,。!:]{0,10}(?:同志|先生|女士|朋友)\s*[:,]\s*",
        r"^(?:尊敬的)?[^,。!:“”]{1,16}?\s*:?\s*(?=(?:您好|你好))",
        r"^\d{4}年\d{1,2}月\d{1,2}日\s*,?\s*",
        r"^(?:您好|你好)[!,.。:;]?\s*",
        r"^(?:首先|非常|十分)*感谢您[^。!?]{0,80}?[,。!]\s*",
        r"^(?:您|你)?(?:的|所)?(?:留言|来信|来邮|来函|函件|网帖|帖文|贴文|邮件|信件|反映的问题|反映的情况)(?:已)?收悉[!,.。;]?\s*",
        r"^收悉您反映的[^。!]{0,100}?[,。!]\s*",
        r"^(?:您|你)(?:所)?反映的[^。!]{0,120}?收悉[^。!,]{0,10}[。!,]\s*",
        r"^[^。!]{0,60}?(?:收悉|获悉|阅办)[^。!,]{0,10}[。!,]\s*",
        r"^(?:您|你)(?:通过|在)平台《[^》]*》[^。!:]{0,120}?(?:收悉|如下|已转)[^,。!:]*[,。!:]\s*",
        r"^[^。!]{0,80}?(?:已转|已交|转交|转相关|转有关|交有关|已将)[^。!]{0,80}?[。!]\s*",
        r"^.{0,160}?(?:(?:回复|答复|说明)如下|如下(?:回复|答复|说明))[:,。.]?\s*",
    )
)
# Applied again and again at the end of a reply.
_ANSWER_CLOSINGS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"[\s,。]*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日?)?\s*$",
        r"(?<=[。!])\s*[^。!,:]{2,30}(?:局|委|办|政府|街道|公司|中心|办公室|委员会|医院|学校|分局|大队|管理处|所)\s*$",
        r"(?<=[。!,])\s*(?:再次|最后|衷心|非常|十分)?(?:感谢|谢谢)[^。!]{0,60}[。!]?\s*$",
        r"(?<=[。!,])\s*祝您[^。!]{0,30}[。!]?\s*$",
        r"(?<=[。!,])\s*特此(?:回复|答复|说明)[。!]?\s*$",
        r"(?<=[。!,])\s*以上是[^。!]{0,40}(?:回复|答复)[。!]?\s*$",
    )
)
# Receipts without an answer: "已转相关部门调查处理" and the like.
_FORWARDED_ONLY = re.compile(r"(?:已转|转交|转相关|转有关|交有关)[^。!]{0,30}(?:处理|处置|核处|办理|调查)")
_QUESTION_OPENINGS = re.compile(r"^(?:尊敬的[^:,!。]{0,12}[:,!]?\s*)?(?:您好|你好)?[!,:。]?\s*")


def clean_answer(answer: str) -> str:
    """A reply without its boilerplate (see the module docstring)."""
    text = normalise(answer)
    for patterns, in_front in ((_ANSWER_OPENINGS, True), (_ANSWER_CLOSINGS, False)):
        changed = True
        while changed and text:
            changed = False
            for pattern in patterns:
                shorter = pattern.sub("", text, count=1).strip()
                if shorter != text and (in_front or len(shorter) >= MIN_ANSWER_CHARS):
                    text, changed = shorter, True
    return text


def _question(subject: str, body: str) -> str:
    subject = normalise(subject)
    body = _QUESTION_OPENINGS.sub("", normalise(body), count=1)
    room = QUESTION_MAX_CHARS - len(subject) - 1
    if room < 20 or not body:
        return subject[:QUESTION_MAX_CHARS]
    if len(body) > room:
        cut = body[:room]
        end = max(cut.rfind(mark) for mark in "。!?;")
        body = cut[: end + 1] if end >= room // 3 else cut[: room - 1] + "…"
    return f"{subject}:{body}"


def qa_from_reply(row: dict[str, str]) -> QAEntry | None:
    """A ``messages_replies.csv`` row as a clean Q&A, or None when the reply holds no answer."""
    answer = clean_answer(row.get("答复意见", ""))
    if len(answer) < MIN_ANSWER_CHARS or (len(answer) < 80 and _FORWARDED_ONLY.search(answer)):
        return None
    subject = normalise(row.get("留言主题", ""))
    if not subject:
        return None
    return QAEntry(
        source_id=int(row["留言编号"]),
        question=_question(subject, row.get("留言详情", "")),
        answer=answer[:ANSWER_MAX_CHARS],
        subject=subject,
        category=row.get("label") or None,
    )
