"""No query string and no credential reaches a log (issue 9 point 7: a refused Open311 request's `api_key` was
found in the server log). Real requests with secrets in their query strings go to the test client, to runserver
and to gunicorn (as bench runs it, from the project folder); no log line they write may contain a secret."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from digigov.core.log_redaction import REDACTED, redact

# Each request carries secrets that must never be written anywhere.
SECRETS = ("s3cretKEY4711", "t0kenVALUE0815", "passWORD9999", "id210502199001011234")
QUERY = f"api_key={SECRETS[0]}&token={SECRETS[1]}&password={SECRETS[2]}&q={SECRETS[3]}"
# (method, path): refused (403 Open311 without a POST api_key, 404, 401 with a bad token) and served requests
REQUESTS = (
    ("POST", "/open311/v2/requests.json"),
    ("GET", "/no-such-page/"),
    ("GET", "/api/v1/me"),
    ("GET", "/login/"),
)


def assert_no_secret(text: str) -> None:
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"secrets in the log: {leaked}\n{text[-2000:]}"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ('"GET /open311/v2/requests.json?api_key=abc123 HTTP/1.1" 403 80', '"GET /open311/v2/requests.json HTTP/1.1"'),
        ("POST body api_key=abc123&service_code=1", "api_key=" + REDACTED),
        ("api%255Fkey%3Dabc123", "api_key=" + REDACTED),  # encoded twice
        ('{"password": "abc123"}', '"password": "' + REDACTED),
        ("Authorization: Bearer dgv_abc123", "Bearer " + REDACTED),
        ("refresh_token:abc123 next", "refresh_token:" + REDACTED),
    ],
)
def test_redact_drops_query_strings_and_credential_values(line: str, kept: str) -> None:
    cleaned = redact(line)
    assert "abc123" not in cleaned
    assert kept in cleaned


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    loggers = [logging.getLogger(name) for name in ("", "django", "django.request", "django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_test_client_requests_leave_no_secret_in_django_request_records(
    captured: Capture, login: Callable[[str], Client]
) -> None:
    client = login("lixiulan")  # a signed-in citizen's requests
    for method, path in REQUESTS:
        getattr(client, method.lower())(f"{path}?{QUERY}")
    Client(headers={"Authorization": f"Bearer {SECRETS[1]}"}).get(f"/api/v1/me?{QUERY}")
    assert any(line.startswith("django.request WARNING") for line in captured.lines), captured.lines
    assert_no_secret("\n".join(captured.lines))


# --- live servers ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    """The test database (created and loaded by this session) as a DATABASE_URL for a server process."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database.get('HOST') or '127.0.0.1'}:"
        f"{database.get('PORT') or 5432}/{database['NAME']}"
    )


def _drive(port: int) -> list[int]:
    """Send every request with the secret query (and a bearer secret), return the statuses."""
    statuses = []
    for method, path in REQUESTS:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}?{QUERY}",
            method=method,
            data=b"service_code=1" if method == "POST" else None,
            headers={"Authorization": f"Bearer {SECRETS[1]}", "Referer": f"http://127.0.0.1/x?{QUERY}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def _serve(command: list[str], log: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "DIGIGOV_ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start: " + log.read_text(errors="replace"))


def _stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.usefixtures("django_db_setup")
def test_runserver_log_has_no_query_strings(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "runserver.log"
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    server = _serve(command, log, port)
    try:
        statuses = _drive(port)
        time.sleep(0.5)  # let the last request line reach the log
    finally:
        _stop(server)
    text = log.read_text(errors="replace")
    assert statuses[:3] == [403, 404, 401], statuses
    assert "/open311/v2/requests.json" in text and "/no-such-page/" in text, text  # the lines were written
    assert_no_secret(text)


@pytest.mark.usefixtures("django_db_setup")
def test_gunicorn_access_and_error_logs_have_no_query_strings(tmp_path: Path) -> None:
    port = _free_port()
    access, errors, output = tmp_path / "access.log", tmp_path / "error.log", tmp_path / "gunicorn.out"
    # as bench/bench_services_pages.py starts it (gunicorn reads ./gunicorn.conf.py itself), with the logs on,
    # the access log in a format holding every atom that can carry a query: request line, query, referer, path
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--access-logfile",
        str(access),
        "--access-logformat",
        '%(h)s "%(r)s" %(s)s q=%(q)s U=%(U)s ref="%(f)s" auth="%({authorization}i)s"',
        "--error-logfile",
        str(errors),
        "--log-level",
        "debug",
        "--no-control-socket",  # the shared ~/.gunicorn/gunicorn.ctl is not this test's
    ]
    server = _serve(command, output, port)
    try:
        statuses = _drive(port)
        time.sleep(0.5)
    finally:
        _stop(server)
    text = "\n".join(path.read_text(errors="replace") for path in (access, errors, output) if path.exists())
    assert statuses[:3] == [403, 404, 401], statuses
    assert access.read_text().count('"POST /open311/v2/requests.json HTTP/1.1" 403') == 1, text  # a line each
    assert_no_secret(text)
