"""The background worker survives kill -9: run the real worker (`manage.py run_huey`, Huey) as a subprocess
against the test database, kill it mid-delivery, start it again, and check that every message reached the SMS
gateway at least once, that the gateway's deduplicated view holds each delivery key once, and that no in-app
message was written twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.test import override_settings

from digigov.core.messages import message_send
from digigov.core.models import DeliveryStatus, Message, OutboxDelivery, SmsOutboxMessage
from digigov.identity.models import User

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 60
LEASE_SECONDS = 3


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": "",  # the queue is a SQLite file of this test's own
        "DIGIGOV_QUEUE_FILE": str(tmp_path / "queue.sqlite3"),
        "DIGIGOV_CACHE_DIR": str(tmp_path / "cache"),
        "DIGIGOV_HOTLINE_MODEL_DIR": str(tmp_path / "models"),
        "DIGIGOV_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "DIGIGOV_SMS_OUTBOX_DELAY_MS": "40",  # a slow gateway, so the kill lands mid-run
    }
    log = (tmp_path / "worker.log").open("ab")
    return subprocess.Popen(  # noqa: S603 - our own manage.py with the interpreter running the tests
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_huey", "--no-periodic", "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )


def _wait_for(condition: Callable[[], bool], seconds: float, what: str, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, f"the worker exited ({worker.returncode}) while waiting for {what}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _ours() -> Any:
    return OutboxDelivery.objects.filter(message__key__startswith="crash-test:")


def _keyed_sms() -> Any:
    return SmsOutboxMessage.objects.filter(delivery_key__in=_ours().values("delivery_key"))


def test_kill_9_mid_delivery_loses_nothing_and_sends_nothing_twice(demo_city: None, tmp_path: Path) -> None:
    person = User.objects.get(username="chenhaoran")
    # The nudges after commit go nowhere: the worker finds the rows itself when it starts (as after any outage).
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        for n in range(MESSAGES):
            with transaction.atomic():
                message_send(
                    recipient=person,
                    kind="identity.agent_invited",
                    context={"enterprise": f"测试企业{n}号"},
                    key=f"crash-test:{n}",
                )
    assert _ours().filter(channel="sms", status=DeliveryStatus.PENDING).count() == MESSAGES

    worker = _start_worker(tmp_path)
    try:
        _wait_for(lambda: _keyed_sms().count() >= MESSAGES // 4, 60, "the first deliveries", worker)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL
    at_kill = _keyed_sms().count()
    assert at_kill < MESSAGES, "the worker was killed mid-run"
    claimed_by_the_dead = _ours().filter(status=DeliveryStatus.SENDING).count()
    assert claimed_by_the_dead > 0, "the crash left claimed rows behind"

    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's claims lapse
    restarted = _start_worker(tmp_path)
    try:
        _wait_for(
            lambda: not _ours().exclude(status=DeliveryStatus.DELIVERED).exists(),
            120,
            "every row delivered",
            restarted,
        )
    finally:
        restarted.send_signal(signal.SIGINT)
        try:
            restarted.wait(timeout=20)
        except subprocess.TimeoutExpired:
            restarted.kill()
            restarted.wait()

    keys = set(_ours().values_list("delivery_key", flat=True))
    delivered = list(_keyed_sms().values_list("delivery_key", flat=True))
    assert set(delivered) == keys, "every message reached the gateway at least once"
    assert len(delivered) == len(keys) == MESSAGES, "the gateway's view holds each key once"
    handed_over = _keyed_sms().aggregate(total=Sum("attempts"))["total"]
    resent = _ours().filter(attempts__gt=1).count()
    assert handed_over >= MESSAGES and resent >= 1, "the dead worker's claims were sent again"
    print(f"killed after {at_kill} of {MESSAGES}; {claimed_by_the_dead} claims lapsed; {resent} rows re-sent; "
          f"the gateway was handed {handed_over} messages and kept {len(delivered)}")
    assert Message.objects.filter(key__startswith="crash-test:").count() == MESSAGES, "no in-app duplicates"
    texts = {sms.text for sms in _keyed_sms()}
    assert len(texts) == MESSAGES and all("测试企业" in text for text in texts)
