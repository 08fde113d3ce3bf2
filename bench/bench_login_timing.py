"""Login refusals take the same time: `python bench/bench_login_timing.py [--rounds 40]`.

Issue 9 / ADR 0007: an unknown account, a wrong password, a locked account and an address blocked for that
account must cost the same work (one password-hash verification each), so timing tells an outsider nothing.
The script migrates a fresh SQLite database in a temporary folder, registers a citizen and a staff member
through the services, and posts the real login form (Django's test client, the whole middleware stack, the
audit writes) with the **production argon2 hasher**, the paths interleaved round by round so that drift in the
machine's load hits every path alike. It prints median and p90 per path and each refusal's median as a ratio
of the wrong-password median; it exits 1 when a refusal's median differs from it by more than 15 %.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench_common import cpu_model, load_average, pct  # noqa: E402 (after the path is set)

from digigov.core.policy import SYSTEM  # noqa: E402 (after the path is set)

PASSWORD = "Benxi@2026"  # noqa: S105 (the demo password, on a throwaway database)
WRONG = "Wrong#Pass1"
TOLERANCE = 0.15


def _setup() -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Only the pair limit stays real: the bench repeats each refusal many times from one address.
    settings.LOGIN_ADDRESS_CHALLENGE_AFTER = settings.LOGIN_ADDRESS_FAILURES = 10**9
    settings.LOGIN_ACCOUNT_CHALLENGE_AFTER = settings.LOCKOUT_FAILURES = 10**9

    from digigov.identity.demo_city import uscc_check_char
    from digigov.identity.models import RegionLevel
    from digigov.identity.services.org import department_upsert, region_upsert
    from digigov.identity.services.people import citizen_register
    from digigov.identity.services.staff import staff_create

    first17 = "11210500MB0000001"
    city = region_upsert(actor=SYSTEM, code="210500000000", name="本溪市", level=RegionLevel.CITY, parent_code=None)
    dept = department_upsert(
        actor=SYSTEM,
        code="zwfwzx",
        name="本溪市政务服务中心",
        short_name="市政务服务中心",
        uscc=first17 + uscc_check_char(first17),
        region_code=city.code,
    )
    for name in ("benchclerk", "benchlocked", "benchpair"):
        staff_create(actor=SYSTEM, username=name, display_name="测试", department=dept, region=city, title="",
                     password=PASSWORD)
    citizen_register(actor=None, real_name="陈浩然", id_number="210502198809301533", mobile="18900006438",
                     password=PASSWORD)


def _paths() -> dict[str, tuple[str, str, str]]:
    """name -> (address, identifier, password)."""
    return {
        "unknown account": ("203.0.113.1", "nosuchuser", WRONG),
        "unknown mobile": ("203.0.113.2", "13912345678", WRONG),
        "wrong password (staff)": ("203.0.113.3", "benchclerk", WRONG),
        "wrong password (citizen, by mobile)": ("203.0.113.4", "18900006438", WRONG),
        "locked account, right password": ("203.0.113.5", "benchlocked", PASSWORD),
        "address blocked for account, right password": ("203.0.113.6", "benchpair", PASSWORD),
        "right password (signs in)": ("203.0.113.7", "benchclerk", PASSWORD),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    os.environ["DIGIGOV_VAR_DIR"] = tempfile.mkdtemp(prefix="digigov-bench-login-")
    os.environ["DATABASE_URL"] = ""
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from digigov.identity.models import User

    _setup()
    User.objects.filter(username="benchlocked").update(locked_until=timezone.now() + timedelta(days=1))
    for _ in range(settings.LOGIN_PAIR_FAILURES):
        blocker = Client(REMOTE_ADDR="203.0.113.6", HTTP_HOST="127.0.0.1")
        blocker.post("/login/", {"identifier": "benchpair", "password": WRONG})
    timings: dict[str, list[float]] = {name: [] for name in _paths()}
    for _ in range(args.rounds):
        for name, (address, identifier, password) in _paths().items():
            client = Client(REMOTE_ADDR=address, HTTP_HOST="127.0.0.1")
            began = time.perf_counter()
            response = client.post("/login/", {"identifier": identifier, "password": password})
            timings[name].append((time.perf_counter() - began) * 1000)
            assert (response.status_code == 302) == name.startswith("right"), (name, response.status_code)
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print(f"{cpu_model()}, load {load_average()}; hasher {hasher}; {args.rounds} rounds, SQLite, file cache")
    reference = statistics.median(timings["wrong password (staff)"])
    failed = False
    for name, values in timings.items():
        median = statistics.median(values)
        ratio = median / reference
        refusal = not name.startswith("right")
        off = refusal and abs(ratio - 1) > TOLERANCE
        failed |= off
        print(f"{name:45s} median {median:7.1f} ms  p90 {pct(values, 0.9):7.1f} ms  ratio {ratio:5.2f}"
              f"{'  <-- differs' if off else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
