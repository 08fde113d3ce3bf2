"""SQLite is tuned however it is configured (issue 9 point 4): `DATABASE_URL=sqlite:///…` gets the same WAL,
BEGIN IMMEDIATE, busy timeout, synchronous=NORMAL and foreign keys as the built-in default, so concurrent
writers queue instead of failing with "database is locked".

Both tests load the real settings in a fresh interpreter with the environment a deployment would set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# Loads the settings, then has THREADS threads each run ROUNDS transactions that read and then write (as the
# audit chain and every service do); prints the settings, the pragmas and the errors seen as JSON.
WRITERS = """
import json, sys, threading, time
import django
from django.conf import settings
django.setup()
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

THREADS, ROUNDS = 4, 25
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n INTEGER PRIMARY KEY)")
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }
errors = []
start = threading.Barrier(THREADS)

def writer():
    start.wait()
    for _ in range(ROUNDS):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                (top,) = cursor.execute("SELECT coalesce(max(n), 0) FROM counter").fetchone()
                time.sleep(0.002)  # another writer gets in between the read and the write
                cursor.execute("INSERT INTO counter (n) VALUES (%s)", [top + 1])
        except OperationalError as error:
            errors.append(str(error))
    connections.close_all()

threads = [threading.Thread(target=writer) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    (rows,) = cursor.execute("SELECT count(*) FROM counter").fetchone()
database = settings.DATABASES["default"]
print(json.dumps({
    "engine": database["ENGINE"], "name": database["NAME"], "options": database.get("OPTIONS", {}),
    "test_name": database.get("TEST", {}).get("NAME"), "pragmas": pragmas, "errors": errors, "rows": rows,
}))
"""


def _run_with_database_url(url: str, var_dir: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DIGIGOV_VAR_DIR": str(var_dir),
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", WRITERS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_database_url_sqlite_gets_the_tuning_and_writers_queue(tmp_path: Path) -> None:
    database = tmp_path / "configured.sqlite3"
    result = _run_with_database_url(f"sqlite:///{database}", tmp_path / "var")

    assert result["engine"] == "django.db.backends.sqlite3"
    assert result["name"] == str(database)
    assert result["options"]["transaction_mode"] == "IMMEDIATE"
    assert result["options"]["timeout"] >= 20
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        assert pragma in result["options"]["init_command"]
    assert result["test_name"] == str(tmp_path / "test-configured.sqlite3")  # a file, never a shared memory db
    # what the connection really runs with (synchronous NORMAL is 1)
    assert result["pragmas"] == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 20000}
    # concurrent read-then-write transactions: all queue, none fails
    assert result["errors"] == []
    assert result["rows"] == 100


def test_settings_give_every_sqlite_database_the_same_options() -> None:
    """The built-in default and any URL-configured SQLite database go through one function."""
    from config.settings import SQLITE_OPTIONS, sqlite_tuned

    tuned = sqlite_tuned({"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/x.sqlite3", "OPTIONS": {}})
    assert tuned["OPTIONS"] == SQLITE_OPTIONS
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "digigov"}
    assert sqlite_tuned(postgres) == postgres
