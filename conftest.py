"""Test-wide fixtures: the demo city loaded once per test database, a cheap argon2 for speed, no network."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client, override_settings

from digigov.demo.loader import load_demo
from digigov.identity.demo_loader import DEMO_PASSWORD


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2 (the code path under test), with a cost low enough for hundreds of logins."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["conftest.FastArgon2PasswordHasher"]
    # Suites register hundreds of citizens from 127.0.0.1; test_throttling sets the real limit back.
    settings.REGISTRATIONS_PER_HOUR = 100_000
    # Every test logs in from 127.0.0.1, and many fail on purpose: test_login_throttling sets the real limits.
    settings.LOGIN_ADDRESS_CHALLENGE_AFTER = settings.LOGIN_ADDRESS_FAILURES = 1_000_000
    settings.LOGIN_ACCOUNT_CHALLENGE_AFTER = settings.LOGIN_PAIR_FAILURES = settings.LOCKOUT_FAILURES = 1_000_000
    # One audit lane, so tests can reason about "the" chain by seq; test_audit_lanes.py covers several lanes.
    settings.AUDIT_CHAIN_LANES = 1
    # The routing models the test sessions train go to a temporary folder, never into var/.
    settings.HOTLINE_MODEL_DIR = Path(tempfile.mkdtemp(prefix="digigov-test-models-"))
    _cache_in_a_temporary_folder(settings)
    # Tasks run in the test process when enqueued (the outbox nudge after commit): no worker, no queue file.
    # test_worker_crash.py starts the real worker (Huey) as a subprocess.
    override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}).enable()


def _cache_in_a_temporary_folder(settings: Any) -> None:
    """Without Redis the cache is a folder (see config/settings.py): a fresh one per session, never var/cache,
    so nothing a test run or the development server cached leaks into the other."""
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        return
    folder = tempfile.mkdtemp(prefix="digigov-test-cache-")
    override_settings(CACHES={**settings.CACHES, "default": {**default, "LOCATION": folder}}).enable()


@pytest.fixture(autouse=True, scope="session")
def _no_outside_network() -> Iterator[None]:
    """Tests talk to this machine only (the database, Redis, the live server)."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and not (host.startswith("127.") or host in ("localhost", "::1", ""))
            and self.family != socket.AF_UNIX
        ):
            raise RuntimeError(f"tests may not reach outside this machine ({host})")
        return original(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The demo city, loaded once into the test database; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded materials go to a per-test folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_city(transactional_db: None) -> None:
    """For transactional tests (threads, live server): the flush between them empties the tables."""
    from digigov.identity.models import Region

    if not Region.objects.exists():
        load_demo(hotline_appeals=False)  # the demo appeals cost seconds per reload; these tests file their own


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


def login_client(identifier: str, password: str = DEMO_PASSWORD) -> Client:
    """A test client signed in through the real login form (no force_login: the flow is under test)."""
    client = Client()
    response = client.post("/login/", {"identifier": identifier, "password": password})
    assert response.status_code == 302, f"login failed for {identifier}"
    return client


@pytest.fixture
def login() -> Any:
    return login_client


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    from django.conf import settings

    for folder in (Path(settings.HOTLINE_MODEL_DIR), Path(settings.CACHES["default"].get("LOCATION") or "/")):
        if folder.name.startswith(("digigov-test-models-", "digigov-test-cache-")):
            shutil.rmtree(folder, ignore_errors=True)
