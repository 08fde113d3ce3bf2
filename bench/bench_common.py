"""Shared by the benchmark scripts: the machine they ran on, and their own PostgreSQL databases."""

from __future__ import annotations

import multiprocessing
import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def run_spawned(
    target: Callable[..., None],
    workers: int,
    args: tuple[Any, ...],
    *,
    result_timeout: float,
    start_timeout: float = 600,
) -> tuple[float, list[Any]]:
    """Start `workers` spawned processes running target(worker, *args, barrier, out) (each with its own Django
    and database connection), release them together at the barrier and collect one result each from `out`.
    Returns the monotonic time of the release and the results."""
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(workers + 1), ctx.Queue()
    procs = [ctx.Process(target=target, args=(w, *args, barrier, out), name=f"bench-{w}") for w in range(workers)]
    for proc in procs:
        proc.start()
    barrier.wait(timeout=start_timeout)
    started = time.monotonic()
    results = [out.get(timeout=result_timeout) for _ in procs]
    for proc in procs:
        proc.join()
    return started, results


def pct(values: Sequence[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def create_postgres_database(database_url: str) -> None:
    """Create the benchmark's database if missing. Only names containing "bench": benchmarks empty tables."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    if "bench" not in name:
        raise SystemExit(f"refusing to use {name!r}: benchmark databases must have 'bench' in their name")
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
