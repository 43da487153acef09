"""Page and API benchmark (issues 4 and 5): server time and query count of every page and API endpoint.

    .venv/bin/python bench/pages_bench.py [--units 300 --measures 5000 --months 12 | --city] [--requests 20]
        [--only REGEX] [--json results.json] [--compare before.json]

On a fresh database holding the generated data set, every page of the
workflow and the dashboards and every API endpoint that the URLconf names
(see url_catalogue.py: names that do not exist yet are reported, not
guessed) is requested through Django's test Client — server time, no network
— as an office administrator and as the staff of the busiest unit, once to
warm up, once counting queries, then ``--requests`` times timed. The same URLs
are first requested on a data set a tenth the size: a query count that differs
between the two scales grows with the data.

Target (issues 4 and 5): p95 under 200 ms for every page and API list, with a
query count that does not grow with the data.

Besides wall-clock p50/p95 it prints the CPU time the Django process spent
(p50), which other work on the machine disturbs much less than wall time, and
the database engine. Before the first request it warms up and freezes its
heap as bluesky/wsgi.py does in a gunicorn worker (bluesky/warmup.py), so the
garbage collector's pauses are those of a real worker. ``--only`` limits the run to URL names matching a regular
expression; ``--json`` saves the figures and ``--compare`` prints them next to
a saved earlier run (before/after a change).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile, table, verdict  # noqa: E402
from throwaway_db import add_scale_arguments, cleanup, generate, parse_scale, throwaway_database  # noqa: E402

P95_TARGET_MS = 200.0

# Issue 14: Redmine 5.0 on this machine at the same scale (1,000 projects, 50,000 issues, 400,000 journal
# entries, PostgreSQL), p95 ms — each of bluesky's comparable pages should answer faster.
REDMINE_P95_MS = {
    "measure_detail": ("an issue's page with its history", 213.0),
    "my_measures": ("the cross-project open-issue list", 176.0),
    "dashboards:unit_detail": ("a user's page", 137.0),
}

# Pages whose query string changes the work they do (a filter): measured besides the bare URL, named with it.
QUERY_VARIANTS = {
    "plan_districts": ("?lagging=1",),  # 承接落实情况, only the measures with a lagging district
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL and role")
    parser.add_argument("--no-small", action="store_true", help="skip the small-scale query count comparison")
    parser.add_argument(
        "--only", type=re.compile, default=None, help="only URL names matching this regular expression"
    )
    parser.add_argument("--json", default=None, help="save the figures to this file")
    parser.add_argument(
        "--compare", default=None, help="a file saved with --json earlier: print before → after"
    )
    args = parse_scale(parser, argv)
    print(
        f"pages_bench — issues 4 and 5: pages and API at {args.units} units, {args.measures} measures, "
        f"{args.months} months; {args.requests} requests per URL",
        flush=True,
    )
    try:
        small = {}
        if not args.no_small:
            with throwaway_database(
                "city_small" if args.city else "pages_small", keep=args.city, fresh=args.fresh
            ):
                small_units, small_measures = max(6, args.units // 10), max(30, args.measures // 10)
                summary = generate(args, units=small_units, measures=small_measures)
                small = run_scale(summary, timed_requests=0, only=args.only)
        with throwaway_database("city" if args.city else "pages_full", keep=args.city, fresh=args.fresh):
            summary = generate(args)
            full = run_scale(summary, timed_requests=args.requests, only=args.only)
        report(full, small, args)
        if args.json:
            save(full, small, args.json)
        if args.compare:
            compare(full, args.compare)
    finally:
        cleanup()
    return 0


class SampleObjects:
    """What URLs are filled with: the busiest unit, its staff, its busiest measure, its latest report …"""

    def __init__(self, summary):
        from django.contrib.auth import get_user_model
        from django.db.models import Count, Q

        from departments import roles
        from departments.models import Unit
        from reports.models import MonthlyReport
        from tasks.models import Measure, Plan

        User = get_user_model()
        self.as_of, self.month = summary.as_of, summary.periods[-1]
        self.unit = (
            Unit.objects.exclude(kind=Unit.Kind.GROUP)
            .annotate(n=Count("assignments"))
            .order_by("-n", "pk")
            .first()
        )
        self.staff = User.objects.filter(unit_memberships__unit=self.unit).order_by("pk").first()
        self.office = (
            User.objects.filter(Q(is_superuser=True) | Q(groups__name=roles.OFFICE_ADMIN))
            .order_by("pk")
            .first()
        )
        self.measure = (
            Measure.objects.filter(assignments__unit=self.unit)
            .annotate(n=Count("progress_updates", distinct=True))
            .order_by("-n", "pk")
            .first()
        )
        self.report = (
            MonthlyReport.objects.filter(unit=self.unit, period=self.month).first()
            or MonthlyReport.objects.filter(unit=self.unit).order_by("-period").first()
        )
        self.plan = Plan.objects.annotate(n=Count("tasks__measures")).order_by("-n", "pk").first()

    def sample(self, model):
        from departments.models import Unit
        from reports.models import MonthlyReport, Notification
        from tasks.models import Assignment, Chapter, Measure, Plan, ProgressUpdate, Task

        chosen = {
            Unit: self.unit,
            Measure: self.measure,
            MonthlyReport: self.report,
            Plan: self.plan,
            type(self.staff): self.staff,
        }
        if model in chosen:
            return chosen[model]
        if model is Chapter:
            return self.plan.chapters.order_by("number").first()
        if model is Task:
            return self.plan.tasks.order_by("number").first()
        if model is Assignment:
            return self.measure.assignments.order_by("pk").first()
        if model is ProgressUpdate:
            return self.measure.progress_updates.order_by("-created_at").first()
        if model is Notification:
            return Notification.objects.filter(user=self.staff).first() or Notification.objects.first()
        return model.objects.order_by("pk").first()


def prepare_jobs(summary) -> None:
    """Run what the jobs would have run (reminders, last month's ranking and last week's notice)."""
    import importlib

    steps = (
        ("reports.notifications.reminders", "run_reminders", {"on": summary.as_of}),
        ("reports.outputs.ranking", "build_ranking", {"period": summary.periods[-1]}),
        ("reports.outputs.notices", "build_weekly_notice", {"week_start": _previous_monday(summary.as_of)}),
    )
    done = []
    for module_name, function, kwargs in steps:
        try:
            function_ = getattr(importlib.import_module(module_name), function)
        except (ImportError, AttributeError):
            continue
        started = time.perf_counter()
        function_(**kwargs)
        done.append(f"{function} {time.perf_counter() - started:.1f} s")
    print(f"  prepared: {', '.join(done) or 'no jobs built yet'}", flush=True)


def _previous_monday(day):
    import datetime as dt

    return day - dt.timedelta(days=day.weekday() + 7)


def run_scale(summary, *, timed_requests: int, only=None) -> dict:
    """{"results": {(name, role): figures}, "catalogue": …} for the data set ``summary`` describes."""
    import url_catalogue
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bluesky.warmup import warm_up

    # 403s and 405s are expected (each URL is tried as office and as staff); server errors still print.
    for name in ("django.request", "django.security"):
        logging.getLogger(name).setLevel(logging.ERROR)
    prepare_jobs(summary)
    objects = SampleObjects(summary)
    catalogue = url_catalogue.build(
        objects, month=summary.periods[-1], week_start=_previous_monday(summary.as_of)
    )
    clients = {}
    for role, user in (("office", objects.office), ("staff", objects.staff)):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    # As a web worker starts (bluesky/wsgi.py): URLconf and templates loaded, start-up heap frozen.
    warm_up()
    results = {}
    started = time.perf_counter()
    variants = [
        url_catalogue.Target(dataclasses.replace(t.route, name=t.route.name + query), t.url + query)
        for t in catalogue.targets
        for query in QUERY_VARIANTS.get(t.route.name, ())
    ]
    targets = [t for t in catalogue.targets + variants if only is None or only.search(t.route.name)]
    for target in targets:
        for role, client in clients.items():
            status = _get(client, target.url)[0]  # warm-up
            if status != 200:
                results[(target.route.name, role)] = {"url": target.url, "status": status}
                continue
            with CaptureQueriesContext(connection) as queries:
                _get(client, target.url)
            n_queries = len(queries)  # now: the timed requests below reset the connection's query log
            times, cpu_times = [], []
            for _ in range(timed_requests):
                cpu_started = time.process_time()
                times.append(_get(client, target.url)[1])
                cpu_times.append((time.process_time() - cpu_started) * 1000)
            results[(target.route.name, role)] = {
                "url": target.url,
                "status": status,
                "queries": n_queries,
                "times": times,
                "cpu_times": cpu_times,
                "is_api": target.route.is_api,
                "is_file": target.route.is_file,
            }
    seconds = time.perf_counter() - started
    print(f"  requested {len(targets)} URLs × {len(clients)} roles in {seconds:.1f} s", flush=True)
    return {"results": results, "catalogue": catalogue, "vendor": connection.vendor}


def _get(client, url) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response.status_code, (time.perf_counter() - started) * 1000


def report(full: dict, small: dict, args) -> None:
    import url_catalogue

    small_results = small.get("results", {}) if small else {}
    rows, over, grows, fewer, errors, unmeasured = [], [], [], [], [], []
    for (name, role), r in sorted(
        full["results"].items(), key=lambda kv: (kv[1].get("is_api", False), kv[0])
    ):
        if "times" not in r:
            unmeasured.append(f"{name} as {role}: HTTP {r['status']}")
            if r["status"] >= 500:
                errors.append(f"{name} as {role}: HTTP {r['status']}")
            continue
        times = r["times"] or [float("nan")]
        p50, p95 = percentile(times, 50), percentile(times, 95)
        cpu50 = percentile(r["cpu_times"], 50) if r["cpu_times"] else float("nan")
        small_q = small_results.get((name, role), {}).get("queries")
        grew = small_q is not None and r["queries"] > small_q
        if small_q is not None and r["queries"] < small_q:
            fewer.append(f"{name} as {role} ({small_q} → {r['queries']})")
        if r["is_file"]:
            target = "file (no target)"
        else:
            met = p95 < P95_TARGET_MS and not grew
            target = verdict(met)
            if p95 >= P95_TARGET_MS:
                over.append(f"{name} as {role} ({p95:.0f} ms)")
        if grew:
            grows.append(f"{name} as {role} ({small_q} → {r['queries']})")
        rows.append(
            [
                name,
                r["url"],
                role,
                p50,
                p95,
                max(times),
                cpu50,
                "" if small_q is None else small_q,
                r["queries"],
                target,
            ]
        )
    print()
    print(
        table(
            [
                "name",
                "url",
                "role",
                "p50 ms",
                "p95 ms",
                "max ms",
                "cpu p50 ms",
                "queries small",
                "queries full",
                "target",
            ],
            rows,
        )
    )
    print()
    print("not measured (no 200 for that role — forbidden, a redirect, or POST-only):")
    for line in unmeasured:
        print(f"  {line}")
    print("skipped names:")
    for name, reason in full["catalogue"].skipped:
        print(f"  {name}: {reason}")
    print("what the issues expect, by URL name:")
    for label, names in url_catalogue.expected_coverage(full["catalogue"].all_names):
        print(f"  {label}: {', '.join(names) if names else 'NOT BUILT YET (skipped)'}")
    slowest = sorted((r for r in rows if r[-1] != "file (no target)"), key=lambda r: -r[4])[:5]
    print()
    print("slowest by p95: " + "; ".join(f"{r[0]} as {r[2]} {r[4]:.0f} ms" for r in slowest))
    print(
        f"summary: {len(rows)} URL × role measured on {full.get('vendor', '?')}; p95 < {P95_TARGET_MS:.0f} ms: "
        f"{verdict(not over)}" + (f" — over: {'; '.join(over)}" if over else "")
    )
    if small:
        print(
            f"query counts constant between the two scales: {verdict(not grows)}"
            + (f" — grows: {'; '.join(grows)}" if grows else "")
        )
        if fewer:
            # Not growth: the sampled object differs between the data sets (e.g. a report in another state).
            print(f"fewer queries on the larger data set (the sampled objects differ): {'; '.join(fewer)}")
    if errors:
        print(f"server errors: {'; '.join(errors)}")
    _compare_with_redmine(rows)


def _compare_with_redmine(rows: list[list]) -> None:
    """Each measured page that has a Redmine counterpart, its p95 next to Redmine's (issue 14)."""
    compared = [
        [
            name,
            role,
            p95,
            REDMINE_P95_MS[name][0],
            REDMINE_P95_MS[name][1],
            verdict(p95 < REDMINE_P95_MS[name][1]),
        ]
        for name, _url, role, _p50, p95, *_rest in rows
        if name in REDMINE_P95_MS
    ]
    if compared:
        print()
        print("compared with Redmine 5.0 at the same scale (issue 14's figures, this machine):")
        print(table(["name", "role", "p95 ms", "Redmine's page", "Redmine p95 ms", "faster"], compared))


def _figures(full: dict) -> dict:
    figures = {}
    for (name, role), r in full["results"].items():
        if r.get("times"):
            figures[f"{name} as {role}"] = {
                "url": r["url"],
                "p50": percentile(r["times"], 50),
                "p95": percentile(r["times"], 95),
                "queries": r["queries"],
            }
    return figures


def save(full: dict, small: dict, path: str) -> None:
    Path(path).write_text(json.dumps({"vendor": full.get("vendor"), "figures": _figures(full)}, indent=1))
    print(f"figures saved to {path}")


def compare(full: dict, path: str) -> None:
    """Print p50/p95 and queries of a saved run next to this one, for the URLs both measured."""
    before = json.loads(Path(path).read_text())["figures"]
    after = _figures(full)
    rows = []
    for key in sorted(set(before) & set(after)):
        b, a = before[key], after[key]
        rows.append(
            [
                key,
                f"{b['p50']:.0f} → {a['p50']:.0f}",
                f"{b['p95']:.0f} → {a['p95']:.0f}",
                f"{b['queries']} → {a['queries']}",
            ]
        )
    print()
    print(f"compared with {path}:")
    print(table(["URL as role", "p50 ms", "p95 ms", "queries"], rows))


if __name__ == "__main__":
    sys.exit(main())
