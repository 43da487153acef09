"""Run every benchmark (``make bench``): import (issue 3), pages and API (issues 4, 5), jobs (issue 6), batch
actions (issue 15), corpus score (issue 10).

    .venv/bin/python bench/run_all.py [--quick] [--units N --measures N --months N | --city] [--requests N]

Each benchmark runs in its own process on its own throwaway database and
prints its figures and whether its targets are met. ``--quick`` runs a tiny
scale to check that the benchmarks work (its timings mean nothing). The exit
status is non-zero only when a benchmark fails to run, not when a target is
missed: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
QUICK = {"units": 12, "measures": 60, "months": 2, "requests": 2, "repeat": 1}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny scale: checks the benchmarks run")
    parser.add_argument("--units", type=int)
    parser.add_argument("--measures", type=int)
    parser.add_argument("--months", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument(
        "--city", action="store_true", help="city scale (issue 14), on PostgreSQL databases kept between runs"
    )
    args = parser.parse_args(argv)
    chosen = {k: v for k, v in vars(args).items() if k not in ("quick", "city") and v is not None}
    settings = {**(QUICK if args.quick else {}), **chosen}
    scale = [f"--{k}={settings[k]}" for k in ("units", "measures", "months") if k in settings]
    scale += ["--city"] if args.city else []
    runs = [
        ("import_bench.py", [f"--repeat={settings['repeat']}"] if "repeat" in settings else []),
        (
            "pages_bench.py",
            scale + ([f"--requests={settings['requests']}"] if "requests" in settings else []),
        ),
        ("jobs_bench.py", scale),
        (
            "batch_bench.py",  # on a throwaway database even with --city (it changes what it acts on)
            [s for s in scale if s != "--city"]
            + ([f"--requests={settings['requests']}"] if "requests" in settings else []),
        ),
        ("corpus_score.py", []),
    ]
    failed = []
    for script, script_args in runs:
        print(f"\n===== {script} {' '.join(script_args)}".rstrip(), flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(BENCH / script), *script_args])
        print(f"===== {script}: exit {code}, {time.perf_counter() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed to run: {', '.join(failed)}")
        return 1
    print("\nall benchmarks ran; see each one's MET / NOT MET lines above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
