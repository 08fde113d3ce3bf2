"""Staff console pages under load: `python bench/bench_services_pages.py [--database-url URL] [--users 20]
[--duration 60] [--server gunicorn|runserver] [--server-workers 3] [--think 0] [--max-p95 150]`.

Run bench/generate_services.py on the same database first. Starts a real HTTP server on 127.0.0.1 (a free
port) against the benchmark database: gunicorn (the production way: --server-workers sync worker processes,
default 3 on this 2-core machine) or Django's threaded runserver. Logs in --users distinct staff accounts
through the real login form (the 20 generated bench_* clerks, street clerks and department heads; the demo
clerks and heads when more are asked for), one session each. Then one client thread per user (stdlib
http.client, its own cookies) requests, for --duration seconds, after a short unmeasured warm-up:

* the worklist /console/services/worklist/: the default view (open applications, soonest due first) half
  the time, otherwise filtered by card (red/yellow), by item, or a later page;
* an application detail /console/services/applications/<id>/, a random one from ids visible to that user
  (sampled through digigov.onestop.selectors.visible_applications: open and closed ones).

Requests alternate between the two pages; --think adds a pause after each request (0: closed loop, every
user fires the next request as soon as the previous one is answered: the hardest reading of "20 concurrent
users"). Reports p50/p95/p99 latency and throughput per page and exits 1 when a p95 reaches --max-p95 ms or
any request fails. Only loopback traffic; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))

from bench_common import load_average  # noqa: E402 (after the path is set)
from generate_services import (  # noqa: E402 (after the path is set)
    DEFAULT_URL,
    bench_staff_usernames,
    configure,
    cpu_seconds,
    data_counts,
    django_setup,
    machine_label,
)

WORKLIST = "/console/services/worklist/"
DETAIL = "/console/services/applications/{}/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DEMO_STAFF = ("fengxue", "caolei", "xutingting", "dengyuhang", "penglihua", "zengkai", "helijuan", "lizhigang")


# --- the server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(kind: str, workers: int, port: int, log: Path, wsgi: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DIGIGOV_ALLOWED_HOSTS": "127.0.0.1"}
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            wsgi,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "256",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
    else:
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"the server did not answer within 60 s: see {log}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- one user: a session over http.client ---------------------------------------------------------------


@dataclass
class Session:
    port: int
    username: str
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, bytes]:
        """One request (reconnecting when the server closed the connection); (status, location, body)."""
        headers = {"Host": "127.0.0.1", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, response.headers.get("Location", ""), data
        raise AssertionError("unreachable")

    def login(self, password: str) -> None:
        status, _, page = self.request("GET", "/login/")
        match = CSRF_INPUT.search(page.decode("utf-8", "replace"))
        if status != 200 or match is None:
            raise SystemExit(f"login page: {status}")
        form = {"csrfmiddlewaretoken": match.group(1), "identifier": self.username, "password": password}
        status, location, _ = self.request("POST", "/login/", urlencode(form))
        if status != 302 or "login" in location:
            raise SystemExit(f"login of {self.username} failed: {status} {location}")


# --- the workload ---------------------------------------------------------------------------------------


@dataclass
class UserPlan:
    username: str
    detail_ids: list[int]
    item_codes: list[str]


def plan_users(usernames: list[str], sample: int, rng: random.Random) -> list[UserPlan]:
    """For each user: application ids it may open (as the selector scopes them) and items it sees."""
    from digigov.identity.models import User
    from digigov.onestop.models.applications import OPEN_STATUSES
    from digigov.onestop.selectors import visible_applications

    plans = []
    for username in usernames:
        user = User.objects.get(username=username)
        visible = visible_applications(user).order_by()
        open_ids = list(visible.filter(status__in=OPEN_STATUSES).values_list("id", flat=True)[:20000])
        all_ids = list(visible.values_list("id", flat=True)[:50000])
        if not all_ids:
            raise SystemExit(f"{username} sees no application: is the benchmark data generated?")
        ids = rng.sample(open_ids, min(len(open_ids), sample // 2)) + rng.sample(all_ids, min(len(all_ids), sample))
        codes = list(visible.values_list("item__code", flat=True).distinct()[:50])
        plans.append(UserPlan(username, ids, codes))
    return plans


def worklist_path(rng: random.Random, plan: UserPlan) -> str:
    roll = rng.random()
    if roll < 0.5:
        return WORKLIST
    if roll < 0.7:
        return WORKLIST + "?" + urlencode({"card": rng.choice(("red", "yellow"))})
    if roll < 0.85 and plan.item_codes:
        return WORKLIST + "?" + urlencode({"item": rng.choice(plan.item_codes)})
    return WORKLIST + "?" + urlencode({"page": rng.randint(2, 5)})


@dataclass
class Sample:
    page: str
    ms: float
    status: int


def run_user(
    session: Session,
    plan: UserPlan,
    seed: int,
    start: threading.Barrier,
    measure_from: float,
    until: float,
    think: float,
    out: list[Sample],
) -> None:
    rng = random.Random(seed)
    start.wait()
    n = 0
    while time.monotonic() < until:
        n += 1
        page = "worklist" if n % 2 else "detail"
        path = worklist_path(rng, plan) if page == "worklist" else DETAIL.format(rng.choice(plan.detail_ids))
        began = time.monotonic()
        try:
            status, _, _ = session.request("GET", path)
        except OSError:
            status = 0
        ended = time.monotonic()
        if began >= measure_from:
            out.append(Sample(page, (ended - began) * 1000, status))
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def process_tree(root: int) -> list[int]:
    """root and its descendants (the gunicorn master and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def database_backends() -> list[int]:
    """PIDs of the PostgreSQL backends connected to the benchmark database (same machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [int(row[0]) for row in cursor.fetchall()]
    connection.close()
    return pids


class CpuMeter:
    """CPU used by the server's processes and the database's backends while sampled. Backends come and go
    (CONN_MAX_AGE): each process counts from its first sample, or from 0 when it appeared after the first."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.samples = 0

    def sample(self) -> None:
        current = {("server", pid): cpu_seconds(pid) for pid in process_tree(self.server_pid)}
        current.update({("database", pid): cpu_seconds(pid) for pid in database_backends()})
        for key, value in current.items():
            self.first.setdefault(key, value if self.samples == 0 else 0.0)
            self.last[key] = value
        self.samples += 1

    def used(self) -> dict[str, float]:
        totals = {"server": 0.0, "database": 0.0}
        for key, value in self.last.items():
            totals[key[0]] += max(value - self.first[key], 0.0)
        return totals


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"benchmark database ({DEFAULT_URL})")
    parser.add_argument("--users", type=int, default=20, help="concurrent staff users, one session each (20)")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds (60)")
    parser.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds first (10)")
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--server-workers", type=int, default=3, help="gunicorn sync worker processes (3)")
    parser.add_argument("--wsgi", default="config.wsgi:application", help="gunicorn's WSGI app (to try a change)")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause after each request, seconds (0)")
    parser.add_argument("--sample", type=int, default=200, help="detail ids sampled per user (200)")
    parser.add_argument("--max-p95", type=float, default=150.0, help="p95 target in ms (150)")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    configure(args.database_url)
    django_setup()
    from django.db import connections

    from digigov.identity.demo_loader import DEMO_PASSWORD

    rng = random.Random(args.seed)
    usernames = (bench_staff_usernames() + list(DEMO_STAFF))[: args.users]
    plans = plan_users(usernames, args.sample, rng)
    print(machine_label())
    print(f"data: {data_counts()}")
    connections.close_all()

    log = Path(os.environ.get("DIGIGOV_VAR_DIR") or ROOT / "var") / "bench-services-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(args.server, args.server_workers, port, log, args.wsgi)
    label = f"gunicorn, {args.server_workers} sync workers" if args.server == "gunicorn" else "runserver (threaded)"
    try:
        sessions = [Session(port, plan.username) for plan in plans]
        for session in sessions:
            session.login(DEMO_PASSWORD)
        print(f"server: {label} on 127.0.0.1:{port}; {len(sessions)} staff sessions; think {args.think} s")
        print(f"load average before: {load_average()}", flush=True)
        barrier = threading.Barrier(len(sessions) + 1)
        now = time.monotonic()
        measure_from, until = now + args.warmup, now + args.warmup + args.duration
        results: list[list[Sample]] = [[] for _ in sessions]
        threads = [
            threading.Thread(
                target=run_user,
                args=(s, p, args.seed + i, barrier, measure_from, until, args.think, results[i]),
                name=f"user-{i}",
            )
            for i, (s, p) in enumerate(zip(sessions, plans, strict=True))
        ]
        client_cpu = time.process_time()
        for thread in threads:
            thread.start()
        barrier.wait()
        time.sleep(max(measure_from - time.monotonic(), 0))
        meter = CpuMeter(server.pid)
        while any(thread.is_alive() for thread in threads):
            meter.sample()
            time.sleep(0.5)
        meter.sample()
        used = meter.used()
        used["client"] = time.process_time() - client_cpu  # includes the warm-up: an upper bound
        print(f"load average after: {load_average()}")
    finally:
        stop_server(server)

    samples = [s for per_user in results for s in per_user]
    failed = [s for s in samples if s.status != 200]
    ok = not failed
    print(f"{'page':<10}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}  verdict")
    for page in ("worklist", "detail"):
        times = [s.ms for s in samples if s.page == page and s.status == 200]
        p95 = percentile(times, 0.95)
        verdict = "ok" if times and p95 < args.max_p95 else "FAIL"
        ok = ok and verdict == "ok"
        print(
            f"{page:<10}{len(times):>9}{len(times) / args.duration:>8.1f}{percentile(times, 0.5):>8.0f}"
            f"{p95:>8.0f}{percentile(times, 0.99):>8.0f}{max(times, default=0):>8.0f}  {verdict}"
        )
    served = sum(1 for s in samples if s.status == 200)
    if served:
        per = {side: seconds * 1000 / served for side, seconds in used.items()}
        capacity = (os.cpu_count() or 1) * 1000 / (per["server"] + per["database"])
        print(
            f"CPU per request (measured part): server {per['server']:.1f} ms, PostgreSQL {per['database']:.1f} ms "
            f"(client <= {per['client']:.1f} ms); {os.cpu_count()} dedicated cores would serve about "
            f"{capacity:.0f} req/s"
        )
    if failed:
        statuses = sorted({s.status for s in failed})
        print(f"FAIL: {len(failed)} requests did not answer 200 (statuses {statuses}); server log: {log}")
    print(f"target: p95 < {args.max_p95:.0f} ms for both pages, {len(sessions)} concurrent users ({label})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
