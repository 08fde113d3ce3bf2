"""Replays racing each other: two identical submissions at the same moment still make one appeal, through the
JSON API (Idempotency-Key) and through Open311 (the client's payload digest); different submissions at the same
moment each get their own id and number."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client

from digigov.core.policy import SYSTEM
from digigov.hotline.models import Appeal, Category
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.open311_clients import open311_client_create
from digigov.hotline.tests.conftest import HOUSING, PS_ADDRESS, appeal_input, category
from digigov.identity.tests.factories import bearer

TEXT = "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修，老人上下楼非常困难。"


def _race(send: Callable[[], Any]) -> tuple[list[int], list[Any]]:
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    bodies: list[Any] = []

    def run() -> None:
        try:
            barrier.wait()
            response = send()
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses), bodies


@pytest.fixture
def reference(demo_city: None, hotline: None) -> None:
    """The demo city and the hotline's reference data, in a database that threads can see."""


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_concurrent_api_replays_make_one_appeal() -> None:
    headers = {**bearer("hanxue"), "Idempotency-Key": "double-click-42"}
    payload = json.dumps(
        {
            "appeal_type": "complaint",
            "subject": "小区电梯频繁故障无人维修",
            "text": TEXT,
            "address": PS_ADDRESS,
            "caller_phone": "13841412786",
            "category_code": category(HOUSING).code,
        }
    )
    statuses, bodies = _race(
        lambda: Client(headers=headers).post("/api/v1/hotline/appeals", data=payload, content_type="application/json")
    )
    assert statuses == [200, 201], bodies
    assert bodies[0]["number"] == bodies[1]["number"]
    assert Appeal.objects.filter(channel__code="api", text=TEXT).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_concurrent_open311_replays_make_one_appeal() -> None:
    _client, key = open311_client_create(actor=SYSTEM, name="并发测试接入方")
    leaf = Category.objects.filter(level=3, path__startswith=HOUSING + "/").order_by("code").first()
    assert leaf is not None
    form = urlencode({"api_key": key, "service_code": leaf.code, "description": TEXT, "address_string": PS_ADDRESS})
    statuses, bodies = _race(
        lambda: Client().post("/open311/v2/requests.json", data=form, content_type="application/x-www-form-urlencoded")
    )
    assert statuses == [200, 201], bodies
    assert bodies[0][0]["service_request_id"] == bodies[1][0]["service_request_id"]
    assert Appeal.objects.filter(channel__code="open311", text=TEXT).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_concurrent_intakes_each_get_their_own_number() -> None:
    """The readable number is made from an id taken before the INSERT: writers at the same moment must still
    get distinct ids, each number matching its appeal's id."""
    threads, per_thread = 4, 3
    barrier = threading.Barrier(threads)
    made: list[int] = []
    failures: list[BaseException] = []

    def run(worker: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                data = appeal_input(text=f"{TEXT}（第{worker}组第{n}次）", idempotency_key=f"numbers-{worker}-{n}")
                made.append(submit_appeal(actor=SYSTEM, data=data).pk)
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures, failures
    assert len(set(made)) == threads * per_thread
    for pk, number in Appeal.objects.filter(pk__in=made).values_list("pk", "number"):
        assert number.endswith(f"{pk:06d}") and number.startswith("RX")
