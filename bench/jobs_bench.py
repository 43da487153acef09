"""Jobs benchmark (issue 6): a reminder run and the monthly ranking with its .xlsx, on generated data.

    .venv/bin/python bench/jobs_bench.py [--units 300 --measures 5000 --months 12 | --city]
        [--only reminders,ranking,notice] [--profile FILE.prof]

The jobs are called through their service functions (``reports.notifications.reminders``,
``reports.outputs.ranking``, ``reports.outputs.notices``), found by name and called with the
arguments their signatures ask for; where a service is missing, the
management command of issue 6 is used instead, and a job not built yet is
reported as skipped. The reminder run is on the data set's date, when every
overdue measure is reminded for the first time (the heaviest run); it is run
a second time to show that a rerun sends nothing new. E-mail goes to an
in-memory outbox. The URLconf is loaded first, as a Celery worker loads it when it starts.

``--only`` runs some of the jobs (e.g. ``--only reminders`` times the reminder run without waiting for the
ranking); ``--profile`` writes a cProfile of the first reminder run (read it with ``python -m pstats``).

Targets (issue 6): one reminder run under 10 s; the ranking with its .xlsx under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import verdict  # noqa: E402
from throwaway_db import add_scale_arguments, cleanup, generate, parse_scale, throwaway_database  # noqa: E402

REMINDER_TARGET_S = 10.0
RANKING_TARGET_S = 5.0
# Issue 14, at city scale (--city): the ranking with its .xlsx < 10 s, the weekly notice < 5 s.
CITY_RANKING_TARGET_S = 10.0
NOTICE_TARGET_S = 5.0
JOBS = ("reminders", "ranking", "notice")


def job_list(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in JOBS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"jobs are {', '.join(JOBS)}; not {', '.join(unknown) or 'none'}")
    return names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser)
    parser.add_argument("--only", type=job_list, default=JOBS, help=f"comma-separated, of: {', '.join(JOBS)}")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the first reminder run here")
    args = parse_scale(parser, argv)
    print(
        f"jobs_bench — issue 6: reminders and the monthly ranking at {args.units} units, "
        f"{args.measures} measures, {args.months} months",
        flush=True,
    )
    try:
        with throwaway_database("city" if args.city else "jobs", keep=args.city, fresh=args.fresh):
            summary = generate(args)
            options = {"only": args.only, "profile": args.profile}
            if args.city:
                run_and_roll_back(summary, **options)
            else:
                run(summary, **options)
    finally:
        cleanup()
    return 0


def find_service(module_name: str, names: tuple[str, ...], values: dict):
    """(function, kwargs) for the first of ``names`` in the module whose parameters ``values`` can fill."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    for name in names:
        function = getattr(module, name, None)
        if not callable(function):
            continue
        kwargs = {}
        for param in inspect.signature(function).parameters.values():
            if param.name in values:
                kwargs[param.name] = values[param.name]
            elif param.default is inspect.Parameter.empty and param.kind not in (
                param.VAR_KEYWORD,
                param.VAR_POSITIONAL,
            ):
                break
        else:
            return function, kwargs
    return None


def command_exists(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def timed(label: str, call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return seconds, result


def run_and_roll_back(summary, **options) -> None:
    """Run the jobs, then undo what they wrote, so the kept database's next run measures a first run again."""
    from django.db import connection, transaction

    from reports.models import Delivery, Notification, Reminder

    # Each run's rolled-back rows stay behind as dead rows until autovacuum comes by; left there, they slowed
    # the next run's inserts and updates by a third. Vacuumed first, as a production database would be.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE reports_reminder, reports_delivery, reports_notification, reports_rankingrow, "
            "reports_monthlyranking, reports_weeklynotice"
        )
    with transaction.atomic():
        # pages_bench --city keeps the jobs it runs first: without these, the "first run" would find every
        # reminder of the day already sent.
        Notification.objects.all().delete()
        Reminder.objects.all().delete()
        Delivery.objects.all().delete()
        with connection.cursor() as cursor:
            # Foreign keys are checked at COMMIT, which a rolled-back run never reaches: checked as each
            # statement runs instead, the timings include what a production run pays for them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        run(
            summary,
            ranking_target=CITY_RANKING_TARGET_S,
            notice_target=NOTICE_TARGET_S,
            per_scope=True,
            **options,
        )
        transaction.set_rollback(True)


def run(
    summary,
    *,
    ranking_target: float = RANKING_TARGET_S,
    notice_target: float | None = None,
    per_scope: bool = False,
    only: tuple[str, ...] = JOBS,
    profile: str | None = None,
) -> None:
    from django.conf import settings
    from django.core import mail

    from bluesky.warmup import load_urlconf

    load_urlconf()  # as a Celery worker does when it starts (bluesky/celery.py): the figures are a worker's
    as_of, month = summary.as_of, summary.periods[-1]
    week_start = as_of - dt.timedelta(days=as_of.weekday() + 7)
    out = Path(settings.MEDIA_ROOT) / "bench" / f"ranking-{month:%Y-%m}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    values = {
        "on": as_of,
        "date": as_of,
        "today": as_of,
        "run_date": as_of,
        "day": as_of,
        "dry_run": False,
        "period": month,
        "month": month,
        "week_start": week_start,
        "out": str(out),
    }
    mail.outbox = []
    results = []
    if "reminders" in only:
        results += reminder_runs(values, profile)
    if "ranking" in only:
        results += ranking(values, ranking_target, per_scope)
    if "notice" in only:
        results += notice(values, notice_target)

    print()
    for label, seconds, target in results:
        print(f"{label}: {seconds:.2f} s (target < {target:.0f} s): {verdict(seconds < target)}")


def profiled(call, path: str | None):
    """``call`` itself, or a call that runs it under cProfile and writes the statistics to ``path``."""
    if path is None:
        return call

    def run_profiled():
        import cProfile

        profiler = cProfile.Profile()
        try:
            return profiler.runcall(call)
        finally:
            profiler.dump_stats(path)
            print(f"  (profile written to {path})", flush=True)

    return run_profiled


def reminder_runs(values: dict, profile: str | None) -> list[tuple[str, float, float]]:
    from django.core import mail
    from django.core.management import call_command

    from reports.models import Delivery, Reminder

    as_of = values["on"]
    print(f"reminders on {as_of}:")
    service = find_service("reports.notifications.reminders", ("run_reminders", "send_reminders"), values)
    if service:
        function, kwargs = service
        first, _ = timed(
            f"first run ({function.__module__}.{function.__name__})",
            profiled(lambda: function(**kwargs), profile),
        )
        timed("second run, same day (nothing new to send)", lambda: function(**kwargs))
    elif command_exists("send_reminders"):
        first, _ = timed(
            "first run (manage.py send_reminders)",
            lambda: call_command("send_reminders", date=as_of.isoformat(), stdout=_Null()),
        )
        timed("second run", lambda: call_command("send_reminders", date=as_of.isoformat(), stdout=_Null()))
    else:
        print("  skipped: reports.notifications.reminders is not built yet")
        return []
    print(
        f"  recorded {Reminder.objects.count()} reminders in {Delivery.objects.count()} digests; "
        f"{len(mail.outbox)} e-mails sent"
    )
    return [("one reminder run", first, REMINDER_TARGET_S)]


def ranking(values: dict, target: float, per_scope: bool) -> list[tuple[str, float, float]]:
    from django.core.management import call_command

    month, out = values["month"], Path(values["out"])
    print(f"monthly ranking for {month:%Y-%m} with its .xlsx:")
    service = find_service("reports.outputs.ranking", ("build_ranking", "build_monthly_ranking"), values)
    if service:
        function, kwargs = service
        seconds, built = timed(
            f"build ({function.__module__}.{function.__name__})", lambda: function(**kwargs)
        )
        timed("rebuild", lambda: function(**kwargs))
        rows = built.rows.count() if hasattr(built, "rows") else "?"
        size = (
            out.stat().st_size if out.exists() else (built.file.size if getattr(built, "file", None) else 0)
        )
        print(f"  {rows} units ranked; .xlsx {size / 1024:.0f} KiB")
    elif command_exists("build_ranking"):
        seconds, _ = timed(
            "build (manage.py build_ranking)",
            lambda: call_command("build_ranking", month=f"{month:%Y-%m}", out=str(out), stdout=_Null()),
        )
    else:
        print("  skipped: reports.outputs.ranking is not built yet")
        return []
    if per_scope:
        # Issue 14's target is per scope (an office's own ranking); the one over every unit has none.
        print(f"  (over every unit, no scope: {seconds:.2f} s, no target)")
        return scope_rankings(month, target)
    return [("monthly ranking with its .xlsx", seconds, target)]


def notice(values: dict, target: float | None) -> list[tuple[str, float, float]]:
    print(
        f"weekly notice for the week of {values['week_start']}" + (" (no target):" if target is None else ":")
    )
    service = find_service("reports.outputs.notices", ("build_weekly_notice",), values)
    if not service:
        print("  skipped: reports.outputs.notices is not built yet")
        return []
    function, kwargs = service
    seconds, _ = timed(f"build ({function.__module__}.{function.__name__})", lambda: function(**kwargs))
    return [] if target is None else [("weekly notice", seconds, target)]


def scope_rankings(month: dt.date, target: float) -> list[tuple[str, float, float]]:
    """The ranking of the city's office (its districts, its bureaus) and of one district's office, timed."""
    from departments.models import Jurisdiction
    from reports.outputs.ranking import build_ranking
    from tasks.models import Plan

    held = list(Jurisdiction.objects.filter(pk__in=Plan.objects.values("jurisdiction")).order_by("path"))
    city, district = (held + [None, None])[:2]  # the city's path is the shortest: it comes first
    results = []
    for scope in (city, district):
        if scope is None:
            continue
        seconds, ranking = timed(
            f"build for {scope.name}", lambda scope=scope: build_ranking(period=month, scope=scope)
        )
        print(f"  {ranking.rows.count()} rows in the {scope.name} office's ranking")
        results.append((f"monthly ranking with its .xlsx, {scope.name}", seconds, target))
    return results


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass


if __name__ == "__main__":
    sys.exit(main())
