"""SM2/SM3/SM4 throughput on one core: `python bench/bench_sm2.py [--seconds S] [--min-verify N]`.

Prints the CPU model and a table; exits 1 when SM2 verification is slower than --min-verify per second
(default 1000). Needs no Django: it imports only digigov.core.crypto.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_common import cpu_model

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digigov.core import crypto

RECORD = 1024  # bytes per SM3 / SM4-GCM record
MESSAGE = b"DigiGov case decision " * 12  # ~260 bytes, a typical signed document digest input


def pin_to_one_core() -> str:
    """Pin to a single CPU where the OS allows it (Python runs on one core anyway)."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second, after a short warm-up, over at least `seconds`."""
    for _ in range(20):
        operation()
    count, batch = 0, 50
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(batch):
            operation()
        count += batch
    return count / elapsed


def measure(seconds: float) -> dict[str, float]:
    private = crypto.sm2_generate_private_key()
    public = private.public_key()
    signature = crypto.sm2_sign(private, MESSAGE)
    assert crypto.sm2_verify(public, MESSAGE, signature)
    key, record = os.urandom(crypto.SM4_KEY_BYTES), os.urandom(RECORD)
    blob = crypto.sm4_gcm_encrypt(key, record, aad=b"bench")
    return {
        "sm2_verify": rate(lambda: crypto.sm2_verify(public, MESSAGE, signature), seconds),
        "sm2_sign": rate(lambda: crypto.sm2_sign(private, MESSAGE), seconds),
        "sm3": rate(lambda: crypto.sm3_digest(record), seconds),
        "hmac_sm3": rate(lambda: crypto.hmac_sm3(key, record), seconds),
        "sm4_gcm_encrypt": rate(lambda: crypto.sm4_gcm_encrypt(key, record, aad=b"bench"), seconds),
        "sm4_gcm_decrypt": rate(lambda: crypto.sm4_gcm_decrypt(key, blob, aad=b"bench"), seconds),
    }


def table(rates: dict[str, float]) -> str:
    rows = [f"{'operation':<34}{'ops/s':>12}{'µs/op':>10}{'MB/s':>10}"]
    for name, per_second in rates.items():
        is_record = not name.startswith("sm2")
        label = f"{name} ({RECORD} B records)" if is_record else name
        mb_per_s = f"{per_second * RECORD / 1e6:.1f}" if is_record else "-"
        rows.append(f"{label:<34}{per_second:>12,.0f}{1e6 / per_second:>10.1f}{mb_per_s:>10}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per operation (default 2)")
    parser.add_argument("--min-verify", type=float, default=1000.0, help="fail below this verify/s")
    args = parser.parse_args(argv)
    print(f"CPU: {cpu_model()} ({pin_to_one_core()}); Python {platform.python_version()}")
    rates = measure(args.seconds)
    print(table(rates))
    if rates["sm2_verify"] < args.min_verify:
        print(f"FAIL: SM2 verify {rates['sm2_verify']:,.0f}/s < {args.min_verify:,.0f}/s")
        return 1
    print(f"OK: SM2 verify {rates['sm2_verify']:,.0f}/s >= {args.min_verify:,.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
