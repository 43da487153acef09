"""A throwaway database for a benchmark, so no benchmark ever touches data/bluesky.sqlite3.

``setup_django()`` points bluesky at a temporary folder (BLUESKY_DATA_DIR: the
SQLite file, uploaded files) before Django starts, runs jobs in-process with an
in-memory cache and e-mail outbox (so figures measure the app, not a shared
Redis or the console), then ``throwaway_database()`` creates a fresh database
there — or, when DATABASE_URL is set, a fresh PostgreSQL database next to the
one it names — runs the migrations, and drops it afterwards.

``--city`` (issue 14: 1,500 units, 50,000 measures, 12 months) keeps its database instead
(``bluesky_bench_city`` next to DATABASE_URL's): generating it takes minutes, so the first
run generates it and later runs reuse it (``generate_data`` sees the same arguments and changes
nothing). ``--fresh`` drops a kept database first. ``BLUESKY_BENCH_KEPT_PREFIX`` (default
``bluesky_bench_``) names another set of kept databases: work on two branches, each on its own copy
(``createdb -T bluesky_bench_city mine_city``), never migrates the other's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_SCALE = {"units": 300, "measures": 5000, "months": 12}
CITY_SCALE = {
    "units": 1500,
    "measures": 50000,
    "months": 12,
}  # = demo.generated_data.CITY_SCALE (Django not yet set up)
_tmp_root: Path | None = None


def setup_django() -> Path:
    """Configure the environment for a benchmark and start Django (once per process)."""
    global _tmp_root
    if _tmp_root is not None:
        return _tmp_root
    _tmp_root = Path(tempfile.mkdtemp(prefix="bluesky-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bluesky.settings"
    os.environ["BLUESKY_DATA_DIR"] = str(_tmp_root)
    os.environ["DJANGO_MEDIA_ROOT"] = str(_tmp_root / "media")
    os.environ["DJANGO_STATIC_ROOT"] = str(_tmp_root / "static")
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECURE"] = "0"
    for name in ("REDIS_URL", "BLUESKY_LOCAL_BROKER"):
        os.environ.pop(name, None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"  machine: {os.cpu_count()} CPUs, load average {load} (other work on it makes timings noisy)",
        flush=True,
    )
    return _tmp_root


def _refuse_the_real_database(name) -> None:
    real = (ROOT / "data" / "bluesky.sqlite3").resolve()
    if str(name) != ":memory:" and Path(str(name)).resolve() == real:
        raise SystemExit(f"refusing to benchmark on {real}")


@contextmanager
def throwaway_database(label: str, *, keep: bool = False, fresh: bool = False):
    """A migrated, empty database for the duration of the block; ``keep``: a kept one, reused by the next run."""
    tmp = setup_django()
    from django.core.cache import cache
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    if keep and connection.vendor == "sqlite":
        raise SystemExit("--city keeps its database between runs: set DATABASE_URL to a PostgreSQL server")
    if connection.vendor == "sqlite":
        test["NAME"] = str(tmp / f"{label}.sqlite3")
    else:
        prefix = os.environ.get("BLUESKY_BENCH_KEPT_PREFIX", "bluesky_bench_") if keep else "bluesky_bench_"
        test["NAME"] = f"{prefix}{label}" + ("" if keep else f"_{os.getpid()}")
    _refuse_the_real_database(test["NAME"])
    if keep:
        with kept_database(connection, fresh=fresh) as kept:
            yield kept
        return
    started = time.perf_counter()
    from django.contrib.contenttypes.models import ContentType

    # Content type ids are cached per process; a fresh database numbers them anew (the audit log
    # stores them, so a stale id would break the foreign key).
    ContentType.objects.clear_cache()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    cache.clear()
    print(
        f"  [{label}] fresh {connection.vendor} database, migrated in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    try:
        yield connection
    finally:
        cache.clear()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        ContentType.objects.clear_cache()


@contextmanager
def kept_database(connection, *, fresh: bool):
    """The kept database named by TEST["NAME"]: created and migrated if missing, never dropped (unless ``fresh``)."""
    from django.contrib.contenttypes.models import ContentType

    started = time.perf_counter()
    ContentType.objects.clear_cache()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=not fresh
    )
    print(
        f"  [{connection.settings_dict['NAME']}] kept {connection.vendor} database, migrated in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)
        ContentType.objects.clear_cache()


def cleanup() -> None:
    if _tmp_root is not None:
        shutil.rmtree(_tmp_root, ignore_errors=True)


def add_scale_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--units", type=int, default=FULL_SCALE["units"])
    parser.add_argument("--measures", type=int, default=FULL_SCALE["measures"])
    parser.add_argument("--months", type=int, default=FULL_SCALE["months"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--city",
        action="store_true",
        help=f"city scale (issue 14: {CITY_SCALE['units']} units, {CITY_SCALE['measures']} measures, "
        f"{CITY_SCALE['months']} months) on a PostgreSQL database kept and reused between runs",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="with --city: drop the kept database and generate anew"
    )


def parse_scale(parser: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """The arguments, with --city's scale in place of --units/--measures/--months."""
    args = parser.parse_args(argv)
    if args.city:
        args.units, args.measures, args.months = (CITY_SCALE[k] for k in ("units", "measures", "months"))
    return args


def generate(args, *, units: int | None = None, measures: int | None = None):
    """Generate the data set at the requested scale and say how long it took."""
    from demo.generated_data import generate_data

    started = time.perf_counter()
    summary = generate_data(
        units=units or args.units, measures=measures or args.measures, months=args.months, seed=args.seed
    )
    seconds = time.perf_counter() - started
    c = summary.counts
    print(
        f"  {'generated' if summary.created else 'reused'} {c['units']} units, {c['measures']} measures, {args.months} months "
        f"({c['progress_updates']} progress updates, {c['reports']} reports, {c['history']} history entries) "
        f"in {seconds:.1f} s; data as of {summary.as_of}",
        flush=True,
    )
    vacuum()
    return summary


def vacuum() -> None:
    """VACUUM ANALYZE the PostgreSQL database before timing, as pgbench does before its runs.

    A database that has lived for months has been vacuumed by autovacuum (on by default; since PostgreSQL 13
    inserts alone set it off), so its visibility map is set and index-only scans read no table rows. This
    machine's PostgreSQL runs with autovacuum off (CI's conf.d/90-ci.conf), and the data set is bulk-loaded:
    unvacuumed, every index-only scan would fetch each row from the table, as no real database does.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"  VACUUM ANALYZE (autovacuum's work in a lived-in database) in {time.perf_counter() - started:.1f} s"
    )


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
