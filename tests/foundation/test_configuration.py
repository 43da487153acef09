"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x9!k2-" + "q" * 60 + "-production-secret-z7",
    "DJANGO_ALLOWED_HOSTS": "bluesky.example.gov.cn",
    "DJANGO_SECURE": "1",
    "DATABASE_URL": "postgres://bluesky:secret@db.example:5432/bluesky",
    "REDIS_URL": "redis://cache.example:6379/0",
}


def _settings_in_subprocess(env: dict, expr: str) -> str:
    """Evaluate ``expr`` against settings loaded fresh with exactly ``env`` (plus PATH)."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bluesky.settings'; django.setup();"
        f"from django.conf import settings; print({expr})"
    )
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean | env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_no_environment_means_sqlite_eager_celery_and_console_email(tmp_path):
    out = _settings_in_subprocess(
        {"BLUESKY_DATA_DIR": str(tmp_path)},
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.EMAIL_BACKEND,"
        " str(settings.DATABASES['default']['NAME'])",
    )
    assert "django.db.backends.sqlite3" in out
    assert "True" in out
    assert "console.EmailBackend" in out
    assert str(tmp_path) in out


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    out = _settings_in_subprocess(
        {
            "BLUESKY_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@dbhost:5433/bs",
            "REDIS_URL": "redis://r:6379/2",
        },
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['HOST'],"
        " settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND']",
    )
    assert "postgresql" in out and "dbhost" in out
    assert "redis://r:6379/2" in out and "False" in out and "RedisCache" in out


def test_language_and_time_zone_are_chinese_first():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "en" in dict(settings.LANGUAGES)


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | PRODUCTION_ENV | {"BLUESKY_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
