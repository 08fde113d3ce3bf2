"""The platform's periodic jobs in core, run by the one background worker (`manage.py run_huey`, ADR 0009).

Domains put theirs in `<domain>/tasks.py`; the worker imports every installed app's `tasks` module.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from digigov.core import idempotency
from digigov.core.messages.delivery import outbox_deliver

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> int:
    """Every minute: rows whose nudge was lost, retries whose backoff ended, claims of dead workers."""
    return outbox_deliver()


@on_startup()
def outbox_drain_at_start() -> None:
    """A worker that starts (or restarts after a crash) delivers what waited for it at once."""
    from django.db import close_old_connections

    try:
        outbox_deliver()
    finally:
        close_old_connections()


@on_startup()
def freeze_start_up_heap() -> None:
    """As gunicorn's post_worker_init: the collector leaves the loaded platform's heap alone (performance.md)."""
    import gc

    gc.freeze()


@db_periodic_task(crontab(hour="3", minute="17"))
def idempotency_prune() -> int:
    """Nightly: forget idempotency keys past their keeping period (IDEMPOTENCY_KEY_DAYS)."""
    return idempotency.idempotency_prune()
