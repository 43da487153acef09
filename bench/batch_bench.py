"""Batch actions benchmark (issue 15): the review queue's batch 通过 and batch 销号, POSTed as the office.

    .venv/bin/python bench/batch_bench.py [--units 300 --measures 5000 --months 12] [--requests 20] [--batch 20]

On a fresh database holding the generated data set (throwaway_db.py), the office posts the review
queue's two batch forms through Django's test Client (server time, no network): 通过 of ``--batch``
submitted reports (workbench:batch_accept) and 销号 of ``--batch`` measures reported done
(workbench:batch_sign_off), ``--requests`` times each. Before every request, untimed, the same
reports are made submitted again and the same measures done and not signed off, so each request
does the whole work of a fresh batch and commits it, as the page would. Each request is checked to
have done every item.

The queries of a batch of one and of a full batch are counted: the difference, per item, is what
each further item costs.

Target (issue 15): p95 under 150 ms for a batch of 20. There is no ``--city``: the city data set is
kept between runs (throwaway_db.py) and a batch changes what it acts on.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile, table, verdict  # noqa: E402
from throwaway_db import add_scale_arguments, cleanup, generate, parse_scale, throwaway_database  # noqa: E402

P95_TARGET_MS = 150.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser)
    parser.add_argument("--requests", type=int, default=20, help="timed POSTs per batch action")
    parser.add_argument("--batch", type=int, default=20, help="items per batch")
    args = parse_scale(parser, argv)
    if args.city:
        # The city data set is kept between runs, and a batch changes what it acts on.
        parser.error("batch_bench runs on a throwaway database: give --units/--measures/--months, not --city")
    print(
        f"batch_bench — issue 15: batch 通过 and 销号 of {args.batch} items at {args.units} units, "
        f"{args.measures} measures, {args.months} months; {args.requests} requests each",
        flush=True,
    )
    try:
        with throwaway_database("batch") as connection:
            generate(args)
            rows = [measure(action, args) for action in (ReportBatch(args.batch), MeasureBatch(args.batch))]
            report(rows, args, connection.vendor)
    finally:
        cleanup()
    return 0


class ReportBatch:
    """通过 of reports the office has to review (made submitted again before each request)."""

    label, url_name, field = "批量通过 reports", "workbench:batch_accept", "report"

    def __init__(self, size: int):
        from reports.models import MonthlyReport

        self.model = MonthlyReport
        self.size = size

    def pick(self, scope) -> list[int]:
        # Reports once submitted (they have a submission time), the queue's own first.
        reports = self.model.objects.in_scope(scope).exclude(submitted_at=None)
        waiting = reports.filter(state__in=[self.model.State.SUBMITTED, self.model.State.RESUBMITTED])
        ids = list(waiting.order_by("pk").values_list("pk", flat=True)[: self.size])
        more = reports.exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        return ids + list(more[: self.size - len(ids)])

    def reset(self, ids: list[int]) -> None:
        self.model.objects.filter(pk__in=ids).update(state=self.model.State.SUBMITTED, accepted_at=None)

    def done(self, ids: list[int]) -> int:
        return self.model.objects.filter(pk__in=ids, state=self.model.State.ACCEPTED).count()


class MeasureBatch:
    """销号 of measures reported done (made done and not signed off again before each request)."""

    label, url_name, field = "批量销号 measures", "workbench:batch_sign_off", "measure"

    def __init__(self, size: int):
        from tasks.models import Measure

        self.model = Measure
        self.size = size

    def pick(self, scope) -> list[int]:
        in_force = self.model.objects.in_force().in_scope(scope)
        ids = list(in_force.awaiting_sign_off().order_by("pk").values_list("pk", flat=True)[: self.size])
        more = in_force.exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        return ids + list(more[: self.size - len(ids)])

    def reset(self, ids: list[int]) -> None:
        self.model.objects.filter(pk__in=ids).update(status=self.model.Status.DONE, signed_off_at=None)

    def done(self, ids: list[int]) -> int:
        return self.model.objects.filter(pk__in=ids, signed_off_at__isnull=False).count()


def _office():
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from departments import roles

    User = get_user_model()
    return (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=roles.OFFICE_ADMIN)).order_by("pk").first()
    )


def measure(action, args) -> dict:
    """Time ``args.requests`` POSTs of a full batch; count the queries of a batch of one and of a full one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bluesky.warmup import warm_up
    from departments.scopes import scope_of

    logging.getLogger("django.request").setLevel(logging.ERROR)
    office = _office()
    client = Client(raise_request_exception=False)
    client.force_login(office)
    ids = action.pick(scope_of(office))
    url, back = reverse(action.url_name), reverse("reports:review_queue")

    def post(chosen: list[int], counted: list | None = None) -> tuple[float, float]:
        action.reset(chosen)
        with CaptureQueriesContext(connection) as queries:
            cpu_started, started = time.process_time(), time.perf_counter()
            response = client.post(url, {action.field: chosen, "next": back})
            wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000
        if counted is not None:
            counted.append(len(queries))
        if response.status_code != 302 or action.done(chosen) != len(chosen):
            raise SystemExit(
                f"{action.label}: HTTP {response.status_code}, {action.done(chosen)}/{len(chosen)} done"
            )
        return wall, cpu

    post(ids)  # warm-up
    warm_up()
    counts = {}
    for size in (1, len(ids)):
        counted = []
        post(ids[:size], counted)
        counts[size] = counted[0]
    times, cpu_times = zip(*(post(ids) for _ in range(args.requests)))
    return {"action": action, "items": len(ids), "times": times, "cpu_times": cpu_times, "counts": counts}


def report(rows: list[dict], args, vendor: str) -> None:
    lines, over = [], []
    for r in rows:
        p95 = percentile(r["times"], 95)
        one, full = r["counts"][1], r["counts"][r["items"]]
        per_item = (full - one) / (r["items"] - 1) if r["items"] > 1 else 0.0
        met = p95 < P95_TARGET_MS and r["items"] == args.batch
        if not met:
            over.append(f"{r['action'].label} ({p95:.0f} ms)")
        lines.append(
            [
                r["action"].label,
                r["items"],
                percentile(r["times"], 50),
                p95,
                max(r["times"]),
                percentile(r["cpu_times"], 50),
                one,
                full,
                per_item,
                verdict(met),
            ]
        )
    print()
    headers = ["action", "items", "p50 ms", "p95 ms", "max ms", "cpu p50 ms"]
    headers += ["queries 1 item", "queries batch", "queries per extra item", "target"]
    print(table(headers, lines))
    print()
    print(
        f"summary: batch of {args.batch} on {vendor}; p95 < {P95_TARGET_MS:.0f} ms: {verdict(not over)}"
        + (f" — over: {'; '.join(over)}" if over else "")
    )


if __name__ == "__main__":
    sys.exit(main())
