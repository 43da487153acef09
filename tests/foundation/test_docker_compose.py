"""docker-compose.yml describes the production topology, and speaks the settings' language.

There is no Docker engine here, so the file is read and checked, not run.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "bluesky" / "settings.py").read_text()


def _command(service: str) -> str:
    command = COMPOSE["services"][service]["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_has_the_five_services_of_the_production_topology():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_web_runs_gunicorn_after_migrating_and_collecting_static_files():
    command = _command("web")
    assert "gunicorn bluesky.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert "collectstatic" in command
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in SETTINGS_SOURCE


def test_worker_and_beat_run_celery_with_the_database_scheduler():
    assert re.search(r"celery -A bluesky worker", _command("worker"))
    beat = _command("beat")
    assert "celery -A bluesky beat" in beat
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_postgres_keeps_its_data_in_a_volume_and_every_stateful_service_has_a_health_check():
    assert any(v.startswith("pgdata:") for v in COMPOSE["services"]["postgres"]["volumes"])
    assert "pgdata" in COMPOSE["volumes"]
    for name in ("postgres", "redis", "web", "worker"):
        assert "test" in COMPOSE["services"][name]["healthcheck"], name


def test_app_services_wait_for_healthy_database_and_redis():
    for name in ("web", "worker", "beat"):
        depends = COMPOSE["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_every_variable_compose_and_env_example_set_is_read_by_the_settings():
    names = set()
    for name in ("web", "worker", "beat"):
        service = COMPOSE["services"][name]
        assert service["env_file"] == ".env"
        names |= set(service["environment"])
    example = (ROOT / ".env.example").read_text()
    names |= {
        line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")
    }
    names -= {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}  # read by the postgres image
    unread = {n for n in names if f'"{n}"' not in SETTINGS_SOURCE}
    assert not unread, f"set in compose/.env.example but never read by settings: {unread}"
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"} <= names


def test_web_health_check_calls_an_existing_url():
    from django.urls import resolve

    assert "/healthz" in str(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert resolve("/healthz").url_name == "healthz"
