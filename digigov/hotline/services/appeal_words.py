"""The duplicate check's words table (``AppealWord``), the writes: index a newly stored appeal's words, forget
them when it leaves the open statuses, prune those of open appeals older than the duplicate window. The reads
(``similar_open_appeals``) are ``digigov.hotline.analytics.queries``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

from digigov.hotline.analytics.similarity import DUPLICATE_WINDOW
from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal, AppealWord

WORD_LENGTH: Final = 20  # AppealWord.word; analytics words are at most text.MAX_TOKEN_LENGTH (12)


def index_appeal_words(appeals: Iterable[Appeal]) -> None:
    """Write the words table (``AppealWord``) of newly stored appeals from their ``analytics_tokens``: whoever
    stores appeals (intake; tests and benchmarks that insert rows directly) calls this in the same
    transaction, or the duplicate check will not see them."""
    AppealWord.objects.bulk_create(
        [
            AppealWord(appeal_id=a.pk, word=word, region_id=a.region_id, created_at=a.created_at)
            for a in appeals
            for word in dict.fromkeys(a.analytics_tokens.split())
            if len(word) <= WORD_LENGTH
        ],
        batch_size=5000,
    )


def forget_appeal_words(appeal: Appeal) -> None:
    """An appeal that leaves the open statuses leaves the duplicate check: its words go at once (called by
    ``transitions.move``, the one way statuses change; an indexed delete of a few dozen rows)."""
    AppealWord.objects.filter(appeal=appeal).delete()


def prune_appeal_words(now: datetime) -> int:
    """Delete the words of open appeals older than the window, which the duplicate check no longer reads
    (closed and merged appeals lost theirs when they closed). Open appeals are few and indexed, so the cost
    does not grow with history. Returns how many went."""
    old_open = Appeal.objects.filter(status__in=OPEN_APPEAL_STATUSES, created_at__lt=now - DUPLICATE_WINDOW)
    deleted, _ = AppealWord.objects.filter(appeal__in=old_open.values("pk")).delete()
    return deleted
