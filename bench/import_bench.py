"""Import benchmark (issue 3): parse and save time and throughput of each bundled sample plan.

    .venv/bin/python bench/import_bench.py [--repeat 5]

Parsing (``importers.pipeline.parse_document``, pure) is timed as the best of
``--repeat`` runs. Saving is ``importers.services.import_file`` — what the CLI
and the demo loader call: parse, resolve units, write the plan in one
transaction — run once per sample, in order, on a fresh database with the
unit directory loaded. Targets: all five parsed and saved in under 2 s
together; parsing at ≥ 100,000 characters/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import table, verdict  # noqa: E402
from throwaway_db import ROOT, cleanup, throwaway_database  # noqa: E402

SAMPLES = ROOT / "sample_data" / "plans"
TOTAL_TARGET_S = 2.0
PARSE_TARGET_CHARS_PER_S = 100_000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="parse runs per sample (best is kept)")
    args = parser.parse_args(argv)
    print("import_bench — issue 3: parse and save the bundled sample plans", flush=True)
    try:
        with throwaway_database("import"):
            return run(args)
    finally:
        cleanup()


def run(args) -> int:
    from departments.services import load_unit_directory
    from importers.pipeline import parse_document
    from importers.services import import_file
    from tasks.models import Measure

    load_unit_directory()
    files = sorted(SAMPLES.glob("*.txt"))
    rows, total_chars, total_parse, total_import = [], 0, 0.0, 0.0
    for path in files:
        data = path.read_bytes()
        chars = len(data.decode("utf-8-sig"))
        parse_times = []
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            parsed = parse_document(data, path.name)
            parse_times.append(time.perf_counter() - started)
        parse_s = min(parse_times)
        started = time.perf_counter()
        plan_import = import_file(data=data, filename=path.name)
        import_s = time.perf_counter() - started
        measures = Measure.objects.filter(task__plan=plan_import.plan).count() if plan_import.plan_id else 0
        tasks = sum(len(ch.tasks) for ch in parsed.chapters)
        total_chars += chars
        total_parse += parse_s
        total_import += import_s
        rows.append(
            [
                path.name,
                chars,
                len(parsed.chapters),
                tasks,
                measures,
                parse_s * 1000,
                chars / parse_s,
                import_s * 1000,
                max(import_s - parse_s, 0.0) * 1000,
            ]
        )
    print(
        table(
            [
                "sample",
                "chars",
                "chapters",
                "tasks",
                "measures saved",
                "parse ms",
                "parse chars/s",
                "parse+save ms",
                "save ms (≈)",
            ],
            [[*r[:6], f"{r[6]:,.0f}", *r[7:]] for r in rows],
        )
    )
    throughput = total_chars / total_parse if total_parse else float("inf")
    slowest = min(r[6] for r in rows) if rows else 0
    print()
    print(
        f"all {len(rows)} samples parsed and saved: {total_import:.2f} s "
        f"(target < {TOTAL_TARGET_S:.0f} s): {verdict(total_import < TOTAL_TARGET_S)}"
    )
    print(
        f"parsing throughput: {throughput:,.0f} chars/s overall, slowest sample {slowest:,.0f} chars/s "
        f"(target ≥ {PARSE_TARGET_CHARS_PER_S:,}): {verdict(slowest >= PARSE_TARGET_CHARS_PER_S)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
