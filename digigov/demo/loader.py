"""Load every domain's demo data (idempotent). Identity first: everything else refers to its people."""

from __future__ import annotations

from digigov.core.inbox.services import inbox_rebuild
from digigov.hotline.demo_loader import load_demo_hotline
from digigov.identity.demo_loader import load_demo_city
from digigov.onestop.demo_loader import load_demo_services


def load_demo(*, hotline_appeals: bool = True) -> dict[str, int]:
    counts = load_demo_city()
    counts.update(load_demo_services())
    counts.update(load_demo_hotline(with_appeals=hotline_appeals))
    counts["inbox_tasks_opened"] = sum(result.opened for result in inbox_rebuild())  # the staff inbox's rows
    return counts
