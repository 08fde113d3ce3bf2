"""Working-day calendar speed: `python bench/bench_calendar.py [--calls 100000]`.

Builds the calendar from chinesecalendar's exceptions for every year it covers (the same data
calendar_seed_from_chinesecalendar stores; no database needed), then times add_working_days for random
acceptance days in 2005–2025 and n in 1..60, the sweeper's workload. Also reports the time to build the
calendar (what work_calendar() spends after a change, on top of its two queries).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from digigov.core.calendar import WorkCalendar
    from digigov.core.services.calendar import chinesecalendar_exceptions, chinesecalendar_years

    years = chinesecalendar_years()
    exceptions = {d: w for d, (w, _) in chinesecalendar_exceptions(years).items()}
    began = time.perf_counter()
    calendar = WorkCalendar(exceptions, years)
    build_ms = (time.perf_counter() - began) * 1000

    rng = random.Random(args.seed)
    first = date(2005, 1, 1)
    span = (date(2025, 12, 31) - first).days
    work = [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(args.calls)]
    add = calendar.add_working_days
    began = time.perf_counter()
    for start, n in work:
        add(start, n)
    elapsed = time.perf_counter() - began

    print(f"python {platform.python_version()} on {platform.machine()}, years {years.start}–{years.stop - 1}")
    print(f"build WorkCalendar ({len(years)} years, {len(exceptions)} exceptions): {build_ms:.1f} ms")
    print(
        f"add_working_days: {args.calls:,} calls in {elapsed * 1000:.0f} ms = "
        f"{elapsed / args.calls * 1e6:.2f} µs/call ({args.calls / elapsed:,.0f} calls/s)"
    )


if __name__ == "__main__":
    main()
