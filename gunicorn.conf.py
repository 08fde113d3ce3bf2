"""gunicorn's settings for DigiGov; gunicorn reads ./gunicorn.conf.py from the folder it starts in.

Only what the platform needs of every gunicorn run: its access and error logs carry no query strings and no
credentials (digigov.core.log_redaction, the filter settings.LOGGING puts on Django's request loggers).
Workers, binding and log files are chosen on the command line (see bench/bench_services_pages.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the `gunicorn` script does not put its folder first
from digigov.core.log_redaction import add_filter_once


class RedactingLogger(Logger):
    """gunicorn's logger with the request-secrets filter on its access and error logs (set up again on reopen)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            add_filter_once(log)


logger_class = RedactingLogger


def post_worker_init(worker: Any) -> None:
    """Freeze the loaded platform's heap (Django, scikit-learn, jieba, …): the garbage collector then walks only
    what requests allocate, which takes the collector's pauses out of the p95 (docs/performance.md, messages)."""
    import gc

    gc.freeze()
