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


def test_has_the_services_of_the_production_topology():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "migrate", "proxy", "web", "worker", "beat"}


def test_web_runs_gunicorn_after_collecting_static_files_once_the_migrations_have_run():
    command = _command("web")
    assert "gunicorn bluesky.wsgi:application" in command
    assert command.index("collectstatic") < command.index("gunicorn")
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in SETTINGS_SOURCE
    # Replicas never migrate side by side: one service migrates, and the app services wait for it.
    assert "migrate" not in command
    assert _command("migrate") == "python manage.py migrate --noinput"
    for name in ("web", "worker", "beat"):
        assert (
            COMPOSE["services"][name]["depends_on"]["migrate"]["condition"]
            == "service_completed_successfully"
        )


def test_web_and_worker_can_be_scaled_behind_the_proxy():
    """`docker compose up --scale web=3 --scale worker=3`: a fixed name or host port would refuse a second replica."""
    for name in ("web", "worker"):
        service = COMPOSE["services"][name]
        assert "container_name" not in service, name
        assert "ports" not in service, name
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["image"].startswith("nginx")
    assert [p.split(":")[-1] for p in proxy["ports"]] == ["80"]
    config_file, mounted_at = proxy["volumes"][0].split(":")[:2]
    assert mounted_at == "/etc/nginx/conf.d/default.conf"
    config = (ROOT / config_file).read_text()
    # Every replica of "web" is found through Docker's DNS, re-resolved as replicas come and go.
    assert re.search(r"server web:8000 resolve;", config)
    assert "resolver 127.0.0.11" in config
    assert "proxy_pass http://bluesky_web;" in config
    assert "X-Forwarded-Proto" in config


def test_beat_is_a_single_instance():
    assert COMPOSE["services"]["beat"]["deploy"]["replicas"] == 1


def test_replicas_share_sessions_cache_and_files():
    assert "REDIS_URL" in COMPOSE["x-app"]["environment"]
    assert 'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"' in SETTINGS_SOURCE
    for name in ("web", "worker", "beat"):
        assert "media:/data/media" in COMPOSE["services"][name]["volumes"], name


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
    for name in ("migrate", "web", "worker", "beat"):
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
