"""Each benchmark runs at a tiny scale in its own process and prints its figures (timings not asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
TINY = ["--units=8", "--measures=40", "--months=2"]
REAL_DATABASE = Path(__file__).resolve().parents[2] / "data" / "bluesky.sqlite3"


def run(script: str, *args: str, timeout: int = 300) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    stamp = REAL_DATABASE.stat().st_mtime_ns if REAL_DATABASE.exists() else None
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
        cwd=BENCH.parent,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # A benchmark works on its own throwaway database, never on the app's.
    assert (REAL_DATABASE.stat().st_mtime_ns if REAL_DATABASE.exists() else None) == stamp
    return done.stdout


def test_import_bench_prints_parse_and_save_figures_per_sample():
    out = run("import_bench.py", "--repeat=1")

    for sample in ("fengtai", "mentougou", "beijing", "xicheng", "chaoyang"):
        assert sample in out
    assert "parse chars/s" in out
    assert "all 5 samples parsed and saved:" in out and "(target < 2 s)" in out
    assert "parsing throughput:" in out and "(target ≥ 100,000)" in out


def test_pages_bench_prints_times_and_query_counts_per_url():
    out = run("pages_bench.py", *TINY, "--requests=2")

    assert "p50 ms" in out and "p95 ms" in out and "queries small" in out and "queries full" in out
    assert "what the issues expect, by URL name:" in out
    assert "summary:" in out and "p95 < 200 ms:" in out
    assert "query counts constant between the two scales:" in out
    assert "compared with Redmine 5.0 at the same scale" in out and "an issue's page with its history" in out
    assert "server errors" not in out


def test_jobs_bench_prints_the_reminder_and_ranking_times():
    out = run("jobs_bench.py", *TINY)

    assert "reminders on" in out and "monthly ranking for" in out
    assert "one reminder run:" in out
    assert "monthly ranking with its .xlsx:" in out


def test_batch_bench_prints_times_and_queries_per_batch_action():
    out = run("batch_bench.py", *TINY, "--requests=2", "--batch=3")

    assert "批量通过 reports" in out and "批量销号 measures" in out
    assert "p95 ms" in out and "queries 1 item" in out and "queries per extra item" in out
    assert "summary: batch of 3" in out and "p95 < 150 ms:" in out


def test_run_all_runs_every_benchmark():
    out = run("run_all.py", "--quick", timeout=600)

    for script in ("import_bench.py", "pages_bench.py", "jobs_bench.py", "batch_bench.py"):
        assert f"===== {script}: exit 0" in out
    assert "all benchmarks ran" in out
