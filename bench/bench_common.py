"""Shared by the benchmark scripts: the machine they ran on, and their own PostgreSQL databases."""

from __future__ import annotations

import os
import platform
from pathlib import Path
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
